package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import io.nlstream.netlink.Netlink;

import java.util.EnumSet;
import java.util.Set;

/**
 * The one read pipeline every reader uses (stdout of {@code run}, {@code replay}, {@code state},
 * {@code stats}, the Kafka forwarder): tail the journal from a position, decode each entry into a typed
 * event, apply the state policy, filter, and hand what is emitted to a consumer. Same journal range in,
 * same events out (same {@code seq}/{@code sub}, same synthesized ends), whoever asks.
 *
 * <p>Driven like an agent: {@link #poll(int, Consumer)} reads at most so many entries and returns how many
 * it read (0: caught up with the writer; call again later to follow it). Reading starts where the state is
 * known (the journal's start, later a snapshot) and emits from the configured point on: entries before it
 * only build the state.
 */
public final class ReadPipeline implements AutoCloseable
{
    /** Receives the events a reader prints, in order. The view is valid only during the call. */
    public interface Consumer
    {
        void accept(EventView event);
    }

    /** Sees every entry read, with what it decoded to (null when nothing), before the state policy. */
    public interface EntryObserver
    {
        void onEntry(JournalEntry entry, EventView decoded);
    }

    /** Told of entries and messages that cannot be read, with their journal index; reading goes on. */
    public interface ProblemListener
    {
        void onProblem(long index, String reason);

        /** An entry of the journal itself that cannot be read (damage), rather than a message that cannot be decoded. */
        default void onDamage(final long index, final String reason)
        {
            onProblem(index, reason);
        }
    }

    private final Journal journal;
    private final JournalReader reader;
    private final JournalEntry entry = new JournalEntry();
    private final EventReader events = new EventReader();
    private final StoredRecords stored;
    private final StoredRecords linkRecords;
    private final StatePolicy policy;
    private final Set<Kind> kinds;
    private final boolean[] protocols = new boolean[32];
    private EventFilter filter;
    private final long emitFromIndex;
    private final long sinceNanos;
    private final long untilNanos;
    private final EntryObserver observer;
    private final boolean decodeOnly;
    private final FilteringEmitter emitter = new FilteringEmitter();
    /** A conntrack message's tuples, read to judge its flow before the rest is decoded. */
    private final io.nlstream.netlink.conntrack.CtDecoder flowTuples = new io.nlstream.netlink.conntrack.CtDecoder();
    private final Snapshots snapshots;
    private final Snapshot.Header startedFrom;
    /** Flows no filter lets through are not tracked (their state is never printed); such a state is not saved. */
    private boolean skipFilteredFlows;
    private boolean done;
    private long baseIndex = -1;
    private long baseNanos = Long.MIN_VALUE;
    private boolean beforeBase;
    private long entriesRead;
    /** Whether events name their host yet: the journal's identity is known once it has an entry. */
    private boolean identified;

    private ReadPipeline(final Builder b)
    {
        this.journal = b.journal;
        this.kinds = EnumSet.copyOf(b.kinds);
        this.filter = b.filter;
        this.emitFromIndex = b.emitFromIndex;
        this.sinceNanos = b.sinceNanos;
        this.untilNanos = b.untilNanos;
        this.observer = b.observer;
        this.decodeOnly = b.decodeOnly;
        final Set<Kind> needed = Kind.closure(kinds);
        if (b.filterSpec != null && !b.filterSpec.ifnames().isEmpty())
        {
            // --ifname names an address's, route's or socket's interface by the links the state holds
            needed.add(Kind.LINK);
        }
        for (final Kind k : needed)
        {
            protocols[protocolOf(k)] = true;
        }
        if (b.observer != null && !b.decodeOnly)
        {
            // an observer (stats) sees every entry, whatever the kinds
            java.util.Arrays.fill(protocols, true);
        }
        this.stored = new StoredRecords(journal);
        this.policy = new StatePolicy(stored);
        // events and objects carry their interfaces' names (dev) as of where they are read
        this.linkRecords = new StoredRecords(journal);
        policy.linkRecords(linkRecords);
        events.devNames(policy);
        stored.devNames(policy);
        identify();
        if (b.filterSpec != null)
        {
            this.filter = Filters.of(b.filterSpec, policy);
        }
        final ProblemListener problems = b.problems;
        events.onMalformed(problems::onProblem);
        this.reader = journal.reader().onCorrupt(problems::onDamage);
        snapshots = b.fromEnd || b.decodeOnly || b.snapshots == null ? null : new Snapshots(journal, b.snapshots);
        Snapshot.Header from = null;
        if (snapshots != null)
        {
            from = snapshots.load(emitFromIndex, sinceNanos, untilNanos, policy, events, needed);
            from = positioned(from);
        }
        if (from == null && !b.fromEnd && !b.decodeOnly)
        {
            from = fromBase(snapshots, needed, problems);
        }
        if (snapshots != null)
        {
            if (from == null && b.snapshots.write && snapshots.none())
            {
                // a journal without snapshots this build reads (written before them, or by an older build):
                // reading from its start costs its length
                // anyway, so follow every kind and write the snapshots it passes; the next query starts near
                // where it asks
                java.util.Arrays.fill(protocols, true);
            }
            final boolean complete = protocols[Netlink.NETLINK_ROUTE] && protocols[Netlink.NETLINK_NETFILTER]
                && protocols[Netlink.NETLINK_SOCK_DIAG];
            // a reader that follows only some kinds has a partial state: it may start from a snapshot, never write one;
            // nor does a filtered one that skips flows (below), unless the journal has no snapshot and it writes them
            skipFilteredFlows = filter.judgesFlows() && !(from == null && b.snapshots.write && snapshots.none());
            snapshots.writable(complete && !skipFilteredFlows);
        }
        else
        {
            skipFilteredFlows = filter.judgesFlows() && !decodeOnly;
        }
        startedFrom = from;
        if (b.fromEnd)
        {
            reader.toEnd();
        }
        else if (from == null)
        {
            reader.toStart();
        }
    }

    /** The snapshot, with the reader positioned after its entry; null (the state reset) when that entry cannot be read. */
    private Snapshot.Header positioned(final Snapshot.Header from)
    {
        if (from != null && !(reader.moveToIndex(from.lastIndex) && reader.next(entry) && entry.index() == from.lastIndex))
        {
            policy.reset();
            events.sockDumpProtocols.clear();
            return null;
        }
        return from;
    }

    /**
     * A reader that no snapshot fits starts from the journal's start; but when the journal lacks its start (its oldest
     * files were deleted: retention), the state there lacks what they held. It starts from the journal's base instead
     * (the oldest snapshot whose objects all lie in the files kept; also with {@code --snapshots false}: the base is
     * the journal's start now), so that the same range gives the same events as before the files were deleted. A range
     * that ends before the base holds nothing this reader can know ({@link #beforeBase()}). Without a base the reader
     * starts at the journal's first entry and reports the loss, as for a hole.
     */
    private Snapshot.Header fromBase(final Snapshots snapshots, final Set<Kind> needed, final ProblemListener problems)
    {
        final Journal.Predecessor gone = journal.predecessor();
        if (gone == null)
        {
            return null;
        }
        final Snapshots bases = snapshots != null ? snapshots : new Snapshots(journal, new Snapshots.Settings(false, false, Long.MAX_VALUE, Long.MAX_VALUE));
        final Snapshot.Header base = positioned(bases.loadBase(policy, events, needed));
        if (base == null)
        {
            problems.onDamage(journal.firstIndex(), "journal " + journal.dir() + " lacks its start: its first file follows " + gone.file()
                + ", which held " + gone.entries() + " entries and is gone with any before it (retention deletes the oldest files), and"
                + " no snapshot beside it is a base for what it keeps: the state lacks what they held until the next complete dump"
                + " settles it");
            return null;
        }
        baseIndex = base.lastIndex;
        baseNanos = base.maxTs;
        if (base.maxTs > untilNanos)
        {
            // asked for an instant before the base: the journal no longer holds the state there
            policy.reset();
            events.sockDumpProtocols.clear();
            beforeBase = true;
            done = true;
        }
        return base;
    }

    /** The index of the base this reader started from, when the journal lacks its start (see {@link #fromBase}); else -1. */
    public long baseIndex()
    {
        return baseIndex;
    }

    /** The capture time from which the state is known, when the journal lacks its start; else Long.MIN_VALUE. */
    public long baseNanos()
    {
        return baseNanos;
    }

    /** Whether the range asked for ends before the journal's base: nothing is read, the state is not known there. */
    public boolean beforeBase()
    {
        return beforeBase;
    }

    /**
     * Events name the journal's host ({@code host}); a journal that records no identity and has no entry yet has
     * none until its first entry.
     */
    private void identify()
    {
        final io.nlstream.monitor.journal.JournalIdentity id = journal.identity();
        if (id != null)
        {
            events.host(id.host());
            stored.host(id.host());
            identified = true;
        }
    }

    /** The snapshot reading started from, or null (the journal's start, or its end). */
    public String startedFrom()
    {
        return startedFrom == null ? null : startedFrom.toString();
    }

    /**
     * Checks what of the filters can only be checked on this host (namespace names in /run/netns), so a
     * command reports it before it opens a journal or starts capture.
     *
     * @throws io.nlstream.config.UsageException naming the problem
     */
    public static void checkFilters(final io.nlstream.config.FilterSpec spec)
    {
        if (spec != null)
        {
            Filters.namespaces(spec.netns());
        }
    }

    public static Builder from(final Journal journal)
    {
        return new Builder(journal);
    }

    private static int protocolOf(final Kind kind)
    {
        switch (kind)
        {
            case CONN:
                return Netlink.NETLINK_NETFILTER;
            case SOCK:
                return Netlink.NETLINK_SOCK_DIAG;
            default:
                return Netlink.NETLINK_ROUTE;
        }
    }

    /**
     * Reads up to {@code limit} entries, handing each event to print to {@code consumer}.
     *
     * @return entries read; 0 when there is nothing more now (or the range is done)
     */
    public int poll(final int limit, final Consumer consumer)
    {
        int n = 0;
        while (n < limit && !done && reader.next(entry, observer == null ? protocols : null))
        {
            n++;
            entriesRead++;
            if (!identified)
            {
                identify();
            }
            final long ts = entry.wallNanos();
            if (ts > untilNanos)
            {
                done = true;
                break;
            }
            final int protocol = entry.protocol();
            final boolean gap = entry.origin() == CaptureHeader.ORIGIN_GAP;
            if (!gap && (protocol >= protocols.length || !protocols[protocol]))
            {
                if (observer != null)
                {
                    observer.onEntry(entry, null);
                }
                if (snapshots != null)
                {
                    snapshots.afterEntry(entry.index(), ts, policy, events);
                }
                continue;
            }
            if (skipFilteredFlows && observer == null && !decodeOnly && protocol == Netlink.NETLINK_NETFILTER
                && entry.origin() == CaptureHeader.ORIGIN_EVENT && rejectedByTuples())
            {
                // a flow the filters reject, judged by its tuples alone: the rest of the message is not decoded
                if (snapshots != null)
                {
                    snapshots.afterEntry(entry.index(), ts, policy, events);
                }
                continue;
            }
            final long malformedBefore = events.malformed();
            final EventView decoded = events.decode(entry);
            if (events.malformed() != malformedBefore)
            {
                policy.dumpMessageUnreadable(entry);
            }
            if (observer != null)
            {
                observer.onEntry(entry, decoded);
            }
            if (decodeOnly)
            {
                continue;
            }
            // a flow the filters reject is neither printed nor needed by what is: no lookup in the flow table
            if (!skipFilteredFlows || decoded == null || decoded.kind() != Kind.CONN || filter.flowCanPass(decoded))
            {
                final boolean emit = entry.index() >= emitFromIndex && ts >= sinceNanos;
                policy.apply(entry, decoded, emit ? emitter.to(consumer) : null);
            }
            if (snapshots != null)
            {
                snapshots.afterEntry(entry.index(), ts, policy, events);
            }
        }
        return n;
    }

    /**
     * Other filters from the next entry on (SIGHUP for a follower: {@code run}'s stdout, {@code replay --follow}).
     * Flows are tracked from then on whatever the filters (a flow an earlier filter let go untracked shows as its
     * events come, without the end a resync would synthesize for it).
     *
     * @throws io.nlstream.config.UsageException naming a namespace name that is not in /run/netns
     */
    public void filter(final io.nlstream.config.FilterSpec spec)
    {
        filter = Filters.of(spec, policy);
        skipFilteredFlows = false;
    }

    /**
     * Whether the entry's conntrack message is of a flow the filters reject, by its tuples: false also when they
     * cannot be read (the whole message is then decoded, which says why).
     */
    private boolean rejectedByTuples()
    {
        return flowTuples.wrapTuples(entry.buffer(), entry.payloadOffset(), entry.payloadLength())
            && !filter.flowCanPass(entry.netns(), flowTuples);
    }

    /**
     * Whether an event is of the kinds asked for and passes the filters, as an emitted one must: for readers that
     * take the journal's entries as they are ({@code export}) and see them through the {@link EntryObserver}.
     */
    public boolean selects(final EventView event)
    {
        return kinds.contains(event.kind()) && filter.test(event);
    }

    /** Whether the range asked for is read (an entry after --until was seen). */
    public boolean done()
    {
        return done;
    }

    public long snapshotsWritten()
    {
        return snapshots == null ? 0 : snapshots.written();
    }

    public long entriesRead()
    {
        return entriesRead;
    }

    public long malformed()
    {
        return events.malformed();
    }

    public long corrupt()
    {
        return reader.corrupt();
    }

    /** The objects alive after what was read, to print as {@code state} does (through the same filter). */
    public StateView state()
    {
        return new StateView(policy, stored, filter);
    }

    /**
     * Another thread polls from now on (the one before has stopped): Chronicle's tailers remember the thread that
     * used them first. Called between the two, while neither polls.
     */
    public void handOver()
    {
        reader.handOver();
        stored.handOver();
        linkRecords.handOver();
    }

    @Override
    public void close()
    {
        reader.close();
        stored.close();
        linkRecords.close();
    }

    private final class FilteringEmitter implements StatePolicy.Emitter
    {
        private Consumer consumer;

        FilteringEmitter to(final Consumer consumer)
        {
            this.consumer = consumer;
            return this;
        }

        @Override
        public void emit(final EventView event)
        {
            if (kinds.contains(event.kind()) && filter.test(event))
            {
                consumer.accept(event);
            }
        }
    }

    /** How a reader wants the journal read. */
    public static final class Builder
    {
        private final Journal journal;
        private Set<Kind> kinds = EnumSet.allOf(Kind.class);
        private EventFilter filter = EventFilter.ALL;
        private io.nlstream.config.FilterSpec filterSpec;
        private long emitFromIndex = Long.MIN_VALUE;
        private long sinceNanos = Long.MIN_VALUE;
        private long untilNanos = Long.MAX_VALUE;
        private boolean fromEnd;
        private EntryObserver observer;
        private boolean decodeOnly;
        private ProblemListener problems = (index, reason) ->
        {};
        private Snapshots.Settings snapshots;

        private Builder(final Journal journal)
        {
            this.journal = journal;
        }

        public Builder kinds(final Set<Kind> kinds)
        {
            this.kinds = kinds;
            return this;
        }

        public Builder filter(final EventFilter filter)
        {
            this.filter = filter;
            return this;
        }

        /**
         * The filters of the command line and config file, evaluated on each event before it is encoded.
         *
         * @throws IllegalArgumentException at build, for a namespace name not in /run/netns
         */
        public Builder filter(final io.nlstream.config.FilterSpec spec)
        {
            this.filterSpec = spec;
            return this;
        }

        /** Emits events of entries captured at or after this instant (epoch ns). */
        public Builder since(final long nanos)
        {
            this.sinceNanos = nanos;
            return this;
        }

        /** Stops at the first entry captured after this instant (epoch ns). */
        public Builder until(final long nanos)
        {
            this.untilNanos = nanos;
            return this;
        }

        /** Emits events of entries at or after this journal index (a checkpoint, the end at start-up). */
        public Builder emitFromIndex(final long index)
        {
            this.emitFromIndex = index;
            return this;
        }

        /** Reads from the journal's end, with no state: for readers that want only what comes. */
        public Builder fromEnd()
        {
            this.fromEnd = true;
            return this;
        }

        public Builder observer(final EntryObserver observer)
        {
            this.observer = observer;
            return this;
        }

        /**
         * Only decodes, for the observer (attribution): no state, nothing emitted. Entries of kinds not asked
         * for are skipped without being decoded.
         */
        public Builder decodeOnly()
        {
            this.decodeOnly = true;
            return this;
        }

        /**
         * Starts from the nearest snapshot beside the journal that fits the range ({@code read}), and writes
         * the snapshots that are due and missing or damaged as it reads ({@code write}; only a reader that
         * follows every kind writes).
         */
        public Builder snapshots(final boolean read, final boolean write, final long intervalNanos, final long entries)
        {
            this.snapshots = new Snapshots.Settings(read, write, intervalNanos, entries);
            return this;
        }

        public Builder problems(final ProblemListener problems)
        {
            this.problems = problems;
            return this;
        }

        public ReadPipeline build()
        {
            return new ReadPipeline(this);
        }
    }
}
