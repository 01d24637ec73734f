package io.nlstream.monitor.forward;

import io.nlstream.monitor.capture.Agent;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalIdentity;
import io.nlstream.monitor.read.EventView;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.netlink.RealtimeClock;
import io.nlstream.sinks.kafka.KafkaPublisher;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Tails the journal and publishes every event to Kafka, advancing a durable checkpoint only past events the
 * broker acknowledged (at-least-once) or committed (exactly-once). Never touches capture: a slow or absent broker
 * only makes this thread wait.
 *
 * <p><b>At-least-once</b>: an idempotent producer. A broker outage is the producer's to ride out: it retries
 * what it holds (its delivery timeout is minutes), so nothing is sent twice from here; when it cannot take more
 * (its memory full, a topic's metadata unknown) this agent waits and goes on after the last event the producer
 * took. Only a record the producer gave up on makes it start again from the checkpoint, and only once that
 * producer is closed, so that nothing it still holds lands beside what is sent again. A crash sends the
 * unacknowledged tail again, with the same {@code event_id}.
 *
 * <p><b>Exactly-once</b>: a transactional producer whose {@code transactional.id} names the host, the journal and
 * the topic prefix. Each transaction carries a batch of events and, in {@code PREFIX.checkpoints} (compacted,
 * keyed {@code HOST:JOURNAL}), the journal position they reach. On (re)start the new producer fences the one
 * before it and aborts what it left open; the forwarder reads the last committed position (read_committed) and
 * goes on right after it, so a read_committed consumer sees every event once, through outages and crashes. The
 * local checkpoint file is then only a hint, never ahead of what Kafka committed.
 *
 * <p>It reads through the read pipeline like every other reader, so the events (and their ids) are exactly those
 * {@code replay} prints.
 */
public final class ForwarderAgent implements Agent
{
    private static final Logger LOG = Logger.getLogger(ForwarderAgent.class.getName());
    private static final int MAX_IN_FLIGHT = 100_000;
    /** A transaction ends after this many events, or {@link #TRANSACTION_NANOS} after its first, or when caught up. */
    static final int TRANSACTION_EVENTS = 200_000;
    private static final long TRANSACTION_NANOS = 200_000_000L;
    /**
     * Caught up, a transaction is committed once it is this old: a trickle of events (a quiet host) then costs the
     * broker at most 50 commits a second, and a consumer sees an event within about this much of its capture.
     */
    private static final long TRANSACTION_MIN_NANOS = 20_000_000L;
    private static final Duration CHECKPOINT_READ_TIMEOUT = Duration.ofSeconds(30);
    private static final long SAVE_INTERVAL_NANOS = 1_000_000_000L;
    private static final long MIN_BACKOFF_NANOS = 200_000_000L;
    private static final long MAX_BACKOFF_NANOS = 30_000_000_000L;
    /** Acknowledgements outstanding and none for this long: logged (issue 11: an outage must show within 15 s). */
    static final long STALL_NANOS = 10_000_000_000L;
    /**
     * Benchmarks only (bench/README.md): a {@link LongConsumer} class with a public no-argument constructor, set
     * as the ack-latency listener of every forwarder; closed in {@link #onClose} when it is {@link AutoCloseable}.
     */
    public static final String ACK_LATENCY_LISTENER_PROPERTY = "nlstream.forward.ackLatencyListener";
    private static final LongConsumer NO_ACK_LATENCY = latencyNanos ->
    {};
    // acks arrive on the producer's I/O thread; RealtimeClock is one per thread
    private static final ThreadLocal<RealtimeClock> ACK_CLOCK = ThreadLocal.withInitial(RealtimeClock::new);

    /** How records reach the topics (see the class comment). */
    public enum Delivery
    {
        /** Exactly-once when the broker supports transactions, else at-least-once (logged). */
        AUTO,
        EXACTLY_ONCE,
        AT_LEAST_ONCE;

        /** From the setting's text: {@code auto}, {@code exactly-once}, {@code at-least-once}. */
        public static Delivery of(final String text)
        {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }

        public String text()
        {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Journal journal;
    /** Makes a producer: with a transactional.id (exactly-once), or null (at-least-once). */
    private final Function<String, KafkaPublisher> publisherFactory;
    private final Checkpoint checkpoint;
    private final String topicPrefix;
    private final Collection<String> kinds;
    private final int partitions;
    private final int replication;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private final KafkaRecords records;
    private final ReadPipeline.Consumer sender = this::onEvent;
    private final ReadAhead.Taker taker = this::onPrepared;
    /** The record of an event read inline (no read-ahead), reused. */
    private final KafkaRecords.Prepared inline = new KafkaRecords.Prepared();
    /**
     * Records the read-ahead ring holds (about 8 MB of JSON at a conn event's size): tens of ms of reading, so that the
     * reading goes on while a commit (the producer's flush and the commit's round trips, 10-30 ms) holds the sender.
     */
    private static final int READ_AHEAD_RECORDS = 16_384;
    /** Entries one inline poll reads; a poll that reads all of them finds a backlog, which a read-ahead then reads. */
    private static final int POLL_ENTRIES = 256;
    /** Reading the journal ahead while there is a backlog, or null (reading inline: caught up, or a short burst). */
    private ReadAhead ahead;
    private boolean sendFailed;
    private RuntimeException sendFailure;

    private Delivery delivery = Delivery.AT_LEAST_ONCE;
    /** Whether the producer is transactional: {@link Delivery#EXACTLY_ONCE}, or AUTO on a broker with transactions. */
    private boolean transactional;
    /** Fenced by a newer producer with the same transactional id: this one stops forwarding. */
    private boolean fenced;
    /**
     * This forwarder's name in the position records it commits: a newer forwarder of the same journal and topics
     * commits one of its own as soon as it has fenced the one before (its claim).
     */
    private final String writer = java.util.UUID.randomUUID().toString();
    /** A position record of ours has been committed: a later one by another writer means a newer forwarder owns the topics. */
    private boolean claimed;
    /**
     * A transactional producer failed without saying it was fenced (a timeout, the broker's UNKNOWN_SERVER_ERROR while
     * another producer took the transactional id): before a new producer fences whoever holds the id now, the last
     * committed position says whether that is a newer forwarder.
     */
    private boolean verifyOwnership;
    /** Set once the broker said it has no transactions for us (AUTO then forwards at-least-once). */
    private boolean transactionsRefused;
    private KafkaPublisher publisher;
    /** A producer being closed: no new one sends again what it held until it is gone. */
    private Thread closing;
    private ReadPipeline reader;
    /** Acknowledged (at-least-once) or committed (exactly-once): where a new producer starts after. */
    private long ackedSeq = Checkpoint.NONE;
    private int ackedSub;
    /** The last event the producer took: where the reader goes on after the producer could not take one. */
    private long sentSeq = Checkpoint.NONE;
    private int sentSub;
    /** An open transaction: its events, when its first was sent, the position its last reaches. */
    private int transactionEvents;
    private long transactionStartNanos;
    private byte[] checkpointKey;
    private long transactions;
    /** Time the forwarder's thread spent in commits (the producer's flush and the commit's round trips): it sends nothing then. */
    private long commitNanos;
    private long skipped;
    private static final java.lang.invoke.VarHandle SKIPPED = counter("skipped");
    private static final java.lang.invoke.VarHandle ACKED_SEQ = counter("ackedSeq");
    private static final java.lang.invoke.VarHandle PUBLISHED = counter("published");
    private static final java.lang.invoke.VarHandle ACKNOWLEDGED = counter("acknowledged");
    /** The first failure of a record in flight (at-least-once), until every record in flight has its answer. */
    private Exception failed;
    private int failedRecords;
    private boolean failedProducer;
    /** Acknowledged after a record that failed: skipped when the failed ones are read and sent again. */
    private final java.util.Set<Position> ackedBeyond = new java.util.HashSet<>();
    private long lastSaveNanos;
    private boolean dirty;
    private long retryAtNanos;
    private long backoffNanos = MIN_BACKOFF_NANOS;
    private boolean inOutage;
    private volatile boolean caughtUp;
    private long published;
    private long acknowledged;
    /**
     * System.nanoTime of the first event handed to a producer, and of the last acknowledgement (or commit): the
     * sending period the final log line reports a rate over, as Kafka's ProducerPerformance reports its own (from its
     * first send to its last acknowledgement, without the JVM's start, the topics' check or the producer's set-up).
     */
    private long firstSendNanos;
    private long lastAckNanos;
    private long resent;
    /** When the broker last showed it works (a connection made, an acknowledgement); System.nanoTime. */
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile String lastError;
    private volatile String fatal;
    /** Says what listens at the bootstrap servers when that explains a failure (a protocol mismatch), or null. */
    private java.util.function.Supplier<String> endpointProbe;
    private volatile boolean probing;
    private boolean stallLogged;
    /** Connected with nothing in flight (read by another thread: {@link #unreachableNanos}). */
    private volatile boolean idle;
    private LongConsumer ackLatency = NO_ACK_LATENCY;
    private UnaryOperator<ReadPipeline.Builder> reading = UnaryOperator.identity();

    /** An event the producer took, at-least-once: its own acknowledgement callback (no second object per event). */
    private final class Pending implements KafkaPublisher.Ack
    {
        final long seq;
        final int sub;
        final long tsNanos;
        volatile boolean done;
        volatile Exception error;

        Pending(final long seq, final int sub, final long tsNanos)
        {
            this.seq = seq;
            this.sub = sub;
            this.tsNanos = tsNanos;
        }

        @Override
        public void onAck(final Exception error)
        {
            if (error == null && ackLatency != NO_ACK_LATENCY)
            {
                ackLatency.accept(ACK_CLOCK.get().nanos() - tsNanos);
            }
            this.error = error;
            done = true;
        }
    }

    /**
     * @param publisherFactory makes a producer: given a transactional.id for exactly-once, null for at-least-once
     * @param topicPrefix      the topics' prefix (part of the transactional.id)
     */
    public ForwarderAgent(
        final Journal journal,
        final Function<String, KafkaPublisher> publisherFactory,
        final Checkpoint checkpoint,
        final String topicPrefix,
        final Collection<String> kinds,
        final int partitions,
        final int replication)
    {
        this.journal = journal;
        this.publisherFactory = publisherFactory;
        this.checkpoint = checkpoint;
        this.topicPrefix = topicPrefix;
        this.records = new KafkaRecords(journal);
        this.kinds = List.copyOf(kinds);
        this.partitions = partitions;
        this.replication = replication;
        final String listener = System.getProperty(ACK_LATENCY_LISTENER_PROPERTY);
        if (listener != null)
        {
            onAckLatency(newListener(listener));
        }
    }

    /** How records reach the topics; set before it starts (default at-least-once). */
    public ForwarderAgent delivery(final Delivery delivery)
    {
        this.delivery = delivery;
        return this;
    }

    /** How its read pipeline is set up beyond kinds and position (snapshots, filters); set before it starts. */
    public ForwarderAgent reading(final UnaryOperator<ReadPipeline.Builder> setup)
    {
        this.reading = setup;
        return this;
    }

    /**
     * Told, for every acknowledged event, wall-clock now minus the event's capture time in ns, on the producer's
     * I/O thread before the agent sees the ack. Set before the agent starts.
     */
    public ForwarderAgent onAckLatency(final LongConsumer listener)
    {
        this.ackLatency = listener == null ? NO_ACK_LATENCY : listener;
        return this;
    }

    private static LongConsumer newListener(final String className)
    {
        try
        {
            return Class.forName(className).asSubclass(LongConsumer.class).getConstructor().newInstance();
        }
        catch (final ReflectiveOperationException | ClassCastException e)
        {
            throw new IllegalArgumentException("Invalid value " + className + " for system property " + ACK_LATENCY_LISTENER_PROPERTY
                + ": not a LongConsumer class with a public no-argument constructor on the class path (" + e + ")", e);
        }
    }

    @Override
    public String roleName()
    {
        return "kafka-forwarder";
    }

    @Override
    public void onStart()
    {
        ackedSeq = checkpoint.seq();
        ackedSub = checkpoint.sub();
        sentSeq = ackedSeq;
        sentSub = ackedSub;
        LOG.info(() -> "forwarding to Kafka (" + delivery.text() + ") from " + (ackedSeq == Checkpoint.NONE ? "the journal's start"
            : "after seq " + ackedSeq + (ackedSub > 0 ? " sub " + ackedSub : "")) + " (checkpoint " + checkpoint.file()
            + (delivery == Delivery.AT_LEAST_ONCE ? "" : "; a position Kafka committed wins") + ")");
    }

    @Override
    public int doWork()
    {
        if (publisher == null && !connect())
        {
            return 0;
        }
        if (reader == null && !reopen())
        {
            return drainAcks();
        }
        int work = drainAcks();
        if (publisher == null || reader == null)
        {
            return work; // failed, or failed records to send again after a backoff
        }
        noticeStall();
        if (failed != null)
        {
            // a record failed: the producer finishes what it holds before anything is sent again
            LockSupport.parkNanos(1_000_000L);
            return work;
        }
        sendFailed = false;
        // whether the reader has nothing more now (not merely this round's budget spent)
        boolean drained = false;
        // a read-ahead has nothing ready yet, but is still reading
        boolean readingAhead = false;
        while (inFlight.size() < MAX_IN_FLIGHT && work < 4096 && !sendFailed && failed == null && !transactionFull())
        {
            final int limit = Math.min(POLL_ENTRIES, MAX_IN_FLIGHT - inFlight.size());
            if (ahead != null)
            {
                final int taken = ahead.poll(limit, taker);
                if (taken > 0)
                {
                    work += taken;
                    continue;
                }
                if (!ahead.finished())
                {
                    readingAhead = true;
                    break;
                }
                // it caught up and ended: the reader is this thread's again
                ahead.join();
                ahead = null;
            }
            final int read = reader.poll(limit, sender);
            if (read == 0)
            {
                drained = true;
                break;
            }
            work += read;
            if (read == POLL_ENTRIES && !sendFailed && failed == null)
            {
                // a backlog: reading and sending overlap until it is read
                ahead = ReadAhead.start(reader, records::prepare, READ_AHEAD_RECORDS, "nlstream-kafka-read-ahead");
            }
        }
        if (sendFailed)
        {
            onSendRefused(sendFailure);
            return work;
        }
        if (transactionEvents > 0 && (drained && System.nanoTime() - transactionStartNanos >= TRANSACTION_MIN_NANOS || transactionFull())
            && !commit())
        {
            return work;
        }
        caughtUp = drained && inFlight.isEmpty() && transactionEvents == 0;
        idle = inFlight.isEmpty() && transactionEvents == 0;
        saveIfDue(false);
        if (work == 0)
        {
            LockSupport.parkNanos(readingAhead ? ReadAhead.waitNanos() : inFlight.isEmpty() ? 5_000_000L : 1_000_000L);
        }
        return work;
    }

    /** An open transaction holds as many events as one should, or has been open long enough: commit it. */
    private boolean transactionFull()
    {
        return transactionEvents >= TRANSACTION_EVENTS
            || transactionEvents > 0 && System.nanoTime() - transactionStartNanos >= TRANSACTION_NANOS;
    }

    /**
     * Acknowledgements can stop without an error for as long as the producer's delivery timeout (minutes): say so
     * within {@link #STALL_NANOS} of the last one, once per stall.
     */
    private void noticeStall()
    {
        if (inFlight.isEmpty() || stallLogged)
        {
            return;
        }
        final long quiet = System.nanoTime() - lastProgressNanos;
        if (quiet >= STALL_NANOS)
        {
            stallLogged = true;
            LOG.warning(() -> "Kafka has acknowledged nothing for " + quiet / 1_000_000_000L + " s (" + inFlight.size()
                + " events in flight, acknowledged up to seq " + ackedSeq + "); capture goes on, events wait in the journal");
        }
    }

    /**
     * How long the broker has been unreachable or silent while there was something to send: 0 when it is
     * working or there is nothing to send. For {@code forward} to give up after a bound.
     */
    public long unreachableNanos()
    {
        return idle ? 0 : System.nanoTime() - lastProgressNanos;
    }

    /** The last failure, as logged, or null. */
    public String lastError()
    {
        return lastError;
    }

    private boolean connect()
    {
        if (fenced)
        {
            // a zombie: the forwarder that fenced it owns the topics now (capture, inside run, goes on)
            LockSupport.parkNanos(100_000_000L);
            return false;
        }
        if (closing != null)
        {
            if (closing.isAlive())
            {
                // the producer before may still hold records: a new one does not send them again until it is gone
                LockSupport.parkNanos(50_000_000L);
                return false;
            }
            closing = null;
        }
        if (System.nanoTime() < retryAtNanos)
        {
            LockSupport.parkNanos(Math.min(retryAtNanos - System.nanoTime(), 50_000_000L));
            return false;
        }
        if (journal.identity() == null)
        {
            // a journal without an entry nor a recorded identity (written before ids were): nothing to send yet
            caughtUp = true;
            idle = true;
            LockSupport.parkNanos(50_000_000L);
            return false;
        }
        KafkaPublisher p = null;
        try
        {
            final boolean wantTransactions = delivery != Delivery.AT_LEAST_ONCE && !transactionsRefused;
            try
            {
                p = publisherFactory.apply(wantTransactions ? transactionalId() : null);
            }
            catch (final RuntimeException e)
            {
                if (!unresolved(e))
                {
                    // the client refused its configuration (a SASL mechanism without JAAS, a bad property): trying
                    // again changes nothing
                    fatal = "the Kafka client cannot be made from its configuration: " + describe(e);
                }
                throw e;
            }
            p.ensureTopics(kinds, partitions, replication, Duration.ofSeconds(10));
            transactional = false;
            if (wantTransactions && verifyOwnership && superseded(p))
            {
                p.abandon();
                return false;
            }
            if (wantTransactions)
            {
                if (!startTransactions(p))
                {
                    p.abandon();
                    p = publisherFactory.apply(null);
                }
            }
        }
        catch (final Exception e)
        {
            if (p != null)
            {
                closing = p.abandon();
            }
            onFailure(timedOut(e)
                ? new java.io.IOException("no answer from the brokers within 10 s while checking the topics (refused, unreachable,"
                    + " or not speaking Kafka's protocol)", e)
                : e);
            return false;
        }
        publisher = p;
        lastProgressNanos = System.nanoTime();
        sentSeq = ackedSeq;
        sentSub = ackedSub;
        return reopen();
    }

    /**
     * Registers the transactional producer (fencing a zombie, aborting what it left open) and takes the position
     * Kafka committed. False when the broker refuses transactions and AUTO may do without them.
     */
    private boolean startTransactions(final KafkaPublisher p) throws Exception
    {
        try
        {
            p.initTransactions();
        }
        catch (final org.apache.kafka.common.errors.UnsupportedVersionException
            | org.apache.kafka.common.errors.TransactionalIdAuthorizationException
            | org.apache.kafka.common.errors.ClusterAuthorizationException e)
        {
            if (delivery == Delivery.EXACTLY_ONCE)
            {
                fatal = "--kafka-delivery exactly-once, but the broker refuses transactions (" + describe(e) + "); use"
                    + " --kafka-delivery at-least-once, or grant the transactional id " + transactionalId();
                throw e;
            }
            transactionsRefused = true;
            LOG.warning("the broker refuses transactions (" + describe(e) + "): forwarding at-least-once (--kafka-delivery auto)");
            return false;
        }
        final byte[] committed = p.committedCheckpoint(checkpointKey(), CHECKPOINT_READ_TIMEOUT);
        if (committed != null)
        {
            final long[] position = parsePosition(committed);
            if (ackedSeq != position[0] || ackedSub != (int)position[1])
            {
                final long before = ackedSeq;
                LOG.info(() -> "Kafka committed up to seq " + position[0] + (position[1] > 0 ? " sub " + position[1] : "")
                    + (before == Checkpoint.NONE ? "" : " (the local checkpoint said " + before + ")") + ": going on after it");
            }
            ackedSeq = position[0];
            ackedSub = (int)position[1];
            dirty = true;
        }
        else if (ackedSeq != Checkpoint.NONE)
        {
            LOG.info("Kafka holds no position committed for journal " + journal.identity().prefix() + "; going on after the local"
                + " checkpoint's (seq " + ackedSeq + ", acknowledged before)");
        }
        // the claim: the position this producer starts from, committed under its name, so that the forwarder it fenced
        // learns it was superseded even when the broker tells it less than that
        p.beginTransaction();
        p.sendCheckpoint(checkpointKey(), positionRecord(ackedSeq, ackedSub));
        p.commitTransaction();
        claimed = true;
        verifyOwnership = false;
        LOG.info(() -> "exactly-once: transactional id " + transactionalId() + " taken (a forwarder before this one, if any, is fenced);"
            + " its position claimed as " + writer);
        transactional = true;
        return true;
    }

    /**
     * After a failure that did not say "fenced": whether the last committed position is another forwarder's, committed
     * after ours (a newer forwarder of this journal took the transactional id). Then this one stops as fenced instead
     * of fencing the newer one back.
     */
    private boolean superseded(final KafkaPublisher p) throws Exception
    {
        final byte[] committed = p.committedCheckpoint(checkpointKey(), CHECKPOINT_READ_TIMEOUT);
        final String by = committed == null ? null : writerOf(committed);
        if (committed == null || writer.equals(by))
        {
            verifyOwnership = false;
            return false;
        }
        final long[] position = parsePosition(committed);
        stopFenced("took the transactional id " + transactionalId() + " (it committed up to seq " + position[0]
            + (by == null ? "" : " as " + by) + " after this one's last commit, as " + writer + "; this one's last failure: "
            + lastError + ")");
        return true;
    }

    /** A newer forwarder of this journal to these topics owns them ({@code how}): this one forwards nothing more. */
    private void stopFenced(final String how)
    {
        fatal = "fenced: another forwarder of journal " + journal.identity().prefix() + " to " + topicPrefix + ".* " + how
            + "; this one forwards nothing more until restarted";
        fenced = true;
        LOG.severe(fatal);
    }

    /** The {@code writer} of a position record, or null (written before records named theirs). */
    static String writerOf(final byte[] value)
    {
        final String text = new String(value, java.nio.charset.StandardCharsets.UTF_8);
        final String name = "\"writer\":\"";
        final int at = text.indexOf(name);
        final int end = at < 0 ? -1 : text.indexOf('"', at + name.length());
        return end < 0 ? null : text.substring(at + name.length(), end);
    }

    /** {@code nlstream-HOST-JOURNAL-PREFIX}: one producer per journal and topics. */
    private String transactionalId()
    {
        return "nlstream-" + journal.identity().host() + "-" + journal.identity().journal() + "-" + topicPrefix;
    }

    private byte[] checkpointKey()
    {
        if (checkpointKey == null)
        {
            checkpointKey = journal.identity().prefix().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return checkpointKey;
    }

    /** The value of a {@code PREFIX.checkpoints} record: the journal position a transaction's events reach. */
    private byte[] positionRecord(final long seq, final int sub)
    {
        final JournalIdentity id = journal.identity();
        return ("{\"host\":\"" + id.host() + "\",\"journal\":\"" + id.journal() + "\",\"seq\":" + seq + ",\"sub\":" + sub
            + ",\"writer\":\"" + writer + "\",\"committed_at\":\"" + java.time.Instant.now() + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {seq, sub} from a position record. */
    static long[] parsePosition(final byte[] value)
    {
        final String text = new String(value, java.nio.charset.StandardCharsets.UTF_8);
        return new long[] {number(text, "\"seq\":"), number(text, "\"sub\":")};
    }

    private static long number(final String text, final String name)
    {
        final int at = text.indexOf(name);
        if (at < 0)
        {
            throw new IllegalStateException("a checkpoint record without " + name + " in it: " + text);
        }
        int end = at + name.length();
        while (end < text.length() && (Character.isDigit(text.charAt(end)) || text.charAt(end) == '-'))
        {
            end++;
        }
        return Long.parseLong(text.substring(at + name.length(), end));
    }

    /** Stops a read-ahead (dropping what it read and was not sent) and closes the reader. */
    private void closeReader()
    {
        if (ahead != null)
        {
            ahead.stop();
            ahead = null;
        }
        if (reader != null)
        {
            reader.close();
            reader = null;
        }
    }

    /** A reader that goes on after the last event the producer took. */
    private boolean reopen()
    {
        if (System.nanoTime() < retryAtNanos)
        {
            LockSupport.parkNanos(Math.min(retryAtNanos - System.nanoTime(), 50_000_000L));
            return false;
        }
        // the state before that position from the journal itself (or a snapshot), so the events (and their ids)
        // are those every reader emits
        reader = reading.apply(ReadPipeline.from(journal))
            .kinds(Kind.of(kinds))
            .emitFromIndex(sentSeq)
            .problems(new ReadPipeline.ProblemListener()
            {
                @Override
                public void onProblem(final long index, final String reason)
                {
                    skipped++;
                    LOG.warning("journal index " + index + ": " + reason + " (not forwarded)");
                }
            })
            .build();
        if (reader.baseIndex() >= 0 && sentSeq < reader.baseIndex())
        {
            // retention deleted files this forwarder had not forwarded (--retention-force): the events there are gone
            LOG.warning("journal " + journal.dir() + " no longer holds " + (sentSeq == Checkpoint.NONE ? "its start"
                : "what followed seq " + sentSeq) + " (retention deleted its oldest files): forwarding goes on after index "
                + reader.baseIndex() + ", its base; the events before it were not forwarded");
        }
        return true;
    }

    /** An event read inline: encoded only when it is to be sent. */
    private void onEvent(final EventView event)
    {
        if (!wanted(event.seq(), event.sub()))
        {
            return;
        }
        records.prepare(event, inline);
        if (!send(inline))
        {
            sendFailed = true;
        }
        inline.clear();
    }

    /** A record the read-ahead prepared. */
    private void onPrepared(final KafkaRecords.Prepared record)
    {
        if (wanted(record.seq(), record.sub()) && !send(record))
        {
            sendFailed = true;
        }
    }

    private boolean wanted(final long seq, final int sub)
    {
        if (sendFailed || failed != null || covered(seq, sub))
        {
            return false; // taken by the producer before (or acknowledged before this start), or the producer failed within this poll
        }
        // acknowledged after a record that failed: sent again are only the failed ones
        return ackedBeyond.isEmpty() || !ackedBeyond.remove(new Position(seq, sub));
    }

    private boolean send(final KafkaRecords.Prepared event)
    {
        if (transactional && transactionEvents == 0)
        {
            try
            {
                publisher.beginTransaction();
            }
            catch (final RuntimeException ex)
            {
                sendFailure = ex;
                return false;
            }
            transactionStartNanos = System.nanoTime();
        }
        final Pending pending = transactional ? null : new Pending(event.seq(), event.sub(), event.tsNanos());
        try
        {
            KafkaRecords.send(publisher, event, false, pending != null ? pending : transactionAck(event.tsNanos()));
        }
        catch (final RuntimeException ex)
        {
            // handled once the pipeline's poll has returned: it closes the pipeline
            sendFailure = ex;
            return false;
        }
        if (pending != null)
        {
            inFlight.add(pending);
            if (pending.done && pending.error != null)
            {
                // refused at once (a topic's metadata not known within max.block.ms): send nothing more for now
                noteRecordFailure(pending);
            }
        }
        else
        {
            transactionEvents++;
        }
        sentSeq = event.seq();
        sentSub = event.sub();
        if (published++ == 0)
        {
            firstSendNanos = System.nanoTime();
        }
        return true;
    }

    /**
     * A record's acknowledgement inside a transaction: only timed for the listener (a failure shows at the commit), and
     * no object per event without one.
     */
    private KafkaPublisher.Ack transactionAck(final long tsNanos)
    {
        return ackLatency == NO_ACK_LATENCY ? IGNORE_ACK : error ->
        {
            if (error == null)
            {
                ackLatency.accept(ACK_CLOCK.get().nanos() - tsNanos);
            }
        };
    }

    private static final KafkaPublisher.Ack IGNORE_ACK = error ->
    {};

    /**
     * Ends the open transaction with the position its events reach; false (after {@link #onFailure}) when it
     * could not be committed: a new producer then aborts it and goes on after the last committed position.
     */
    private boolean commit()
    {
        try
        {
            publisher.sendCheckpoint(checkpointKey(), positionRecord(sentSeq, sentSub));
            final long start = System.nanoTime();
            publisher.commitTransaction();
            commitNanos += System.nanoTime() - start;
        }
        catch (final RuntimeException e)
        {
            onFailure(e);
            return false;
        }
        lastProgressNanos = System.nanoTime();
        stallLogged = false;
        ackedSeq = sentSeq;
        ackedSub = sentSub;
        acknowledged += transactionEvents;
        lastAckNanos = lastProgressNanos;
        transactionEvents = 0;
        transactions++;
        dirty = true;
        if (inOutage)
        {
            inOutage = false;
            backoffNanos = MIN_BACKOFF_NANOS;
            LOG.info("Kafka reachable again; forwarding resumed, committed up to seq " + ackedSeq);
        }
        return true;
    }

    private int drainAcks()
    {
        int n = 0;
        Pending head;
        while ((head = inFlight.peek()) != null && head.done)
        {
            inFlight.poll();
            n++;
            if (head.error != null)
            {
                onRecordFailed(head);
                continue;
            }
            lastProgressNanos = System.nanoTime();
            stallLogged = false;
            acknowledged++;
            lastAckNanos = lastProgressNanos;
            if (failed == null)
            {
                ackedSeq = head.seq;
                ackedSub = head.sub;
                dirty = true;
            }
            else
            {
                // acknowledged after one that failed: not sent again when the failed ones are
                ackedBeyond.add(new Position(head.seq, head.sub));
            }
        }
        if (n > 0 && inOutage && failed == null)
        {
            inOutage = false;
            backoffNanos = MIN_BACKOFF_NANOS;
            LOG.info("Kafka reachable again; forwarding resumed, acknowledged up to seq " + ackedSeq);
        }
        if (failed != null && inFlight.isEmpty())
        {
            retryFailed();
        }
        return n;
    }

    /** A journal position: (seq, sub). */
    private record Position(long seq, int sub)
    {
    }

    /**
     * The producer gave up on a record (a topic's metadata unknown while the broker is away, a delivery timeout, a
     * producer error): the records it still holds are its to deliver, and sending them again now would land them
     * twice. So nothing new is sent; once every record in flight has its answer, the failed ones are sent again
     * ({@link #retryFailed}), and only those.
     */
    private void onRecordFailed(final Pending p)
    {
        noteRecordFailure(p);
        failedRecords++;
    }

    /** Stops sending at the first record that failed (its answer may come before those in flight before it). */
    private void noteRecordFailure(final Pending p)
    {
        if (failed == null)
        {
            failed = p.error;
            failedRecords = 0;
            noteOutage(p.error);
            LOG.warning("Kafka did not take the event at seq " + p.seq + " (" + describe(p.error) + "); " + inFlight.size()
                + " events the producer holds are left to it, then the events it did not take are sent again");
        }
        if (!producerUsable(p.error))
        {
            failedProducer = true;
        }
    }

    /**
     * Every record in flight has its answer: reads again from the first that failed, skipping those acknowledged
     * after it. A producer in a state it cannot leave is closed first (and only then a new one sends).
     */
    private void retryFailed()
    {
        final Exception e = failed;
        LOG.info(() -> "sending again the " + failedRecords + " events Kafka did not take, from seq " + ackedSeq + " (" + ackedBeyond.size()
            + " acknowledged after them are not sent again)");
        resent += failedRecords;
        failed = null;
        failedRecords = 0;
        closeReader();
        sentSeq = ackedSeq;
        sentSub = ackedSub;
        if (failedProducer && publisher != null)
        {
            closing = publisher.abandon();
            publisher = null;
        }
        failedProducer = false;
        idle = false;
        saveIfDue(true);
        retryAtNanos = System.nanoTime() + backoffNanos;
        backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
        lastError = describe(e);
    }

    /**
     * A record that timed out (its topic's metadata, the delivery timeout, the producer's memory) leaves the producer
     * as it was; anything else may not (a sequence error, a fenced or failed producer): that one is closed.
     */
    private static boolean producerUsable(final Exception e)
    {
        return e instanceof org.apache.kafka.common.errors.TimeoutException
            || e instanceof org.apache.kafka.common.errors.RetriableException;
    }

    /**
     * The producer did not take an event (its memory full, a topic's metadata unknown while the broker is away):
     * what it holds is still its to deliver. At-least-once keeps it and reads on after the last event it took, after
     * a backoff; exactly-once starts the open transaction again (nothing of it is visible to read_committed consumers).
     */
    private void onSendRefused(final Exception e)
    {
        if (transactional || fatalCause(e))
        {
            onFailure(e);
            return;
        }
        noteOutage(e);
        closeReader();
        retryAtNanos = System.nanoTime() + backoffNanos;
        backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
    }

    /** A send that cannot work however long one waits: the producer fenced or in a state it cannot leave. */
    private static boolean fatalCause(final Throwable e)
    {
        return causedBy(e, t -> t instanceof IllegalStateException || t instanceof org.apache.kafka.common.errors.ProducerFencedException
            || t instanceof org.apache.kafka.common.errors.AuthenticationException
            || t instanceof org.apache.kafka.common.errors.AuthorizationException);
    }

    private void noteOutage(final Exception e)
    {
        lastError = describe(e);
        if (fatal == null && notRetriable(e))
        {
            fatal = "Kafka refused us: " + lastError;
        }
        if (fatal == null && transactional && causedBy(e, t -> t instanceof org.apache.kafka.common.errors.ProducerFencedException
            || t instanceof org.apache.kafka.common.errors.InvalidProducerEpochException))
        {
            // another forwarder of this journal to these topics started (a copy of the journal, a second process):
            // the newer one owns the transactional id; this one stops rather than fence it back
            stopFenced("started with the transactional id " + transactionalId() + " (" + lastError + ")");
        }
        if (fatal == null && claimed)
        {
            verifyOwnership = true;
        }
        if (!inOutage)
        {
            probeEndpoints();
            inOutage = true;
            LOG.warning("Kafka unavailable (" + describe(e) + "); capture goes on, events wait in the journal; retrying with backoff"
                + " up to " + MAX_BACKOFF_NANOS / 1_000_000_000L + " s (logged once per outage)");
        }
    }

    /**
     * The producer failed (a record it gave up on, a transaction that did not commit): it is closed, and once it is
     * gone a new one starts after the last acknowledged (committed) event.
     */
    private void onFailure(final Exception e)
    {
        noteOutage(e);
        final int again = inFlight.size() + transactionEvents;
        if (again > 0)
        {
            LOG.warning("the Kafka producer failed with " + again + " events unacknowledged (" + describe(e) + "): closing it; once it is"
                + " gone they are sent again from seq " + ackedSeq + (transactional ? " (its open transaction is aborted: nothing of it"
                    + " reaches read_committed consumers)" : " (those the broker had written arrive twice)"));
        }
        resent += again;
        inFlight.clear();
        failed = null;
        failedRecords = 0;
        failedProducer = false;
        ackedBeyond.clear();
        transactionEvents = 0;
        idle = false;
        if (publisher != null)
        {
            closing = publisher.abandon();
            publisher = null;
        }
        closeReader();
        saveIfDue(true);
        retryAtNanos = System.nanoTime() + backoffNanos;
        backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
    }

    private void saveIfDue(final boolean force)
    {
        if (!dirty || !force && System.nanoTime() - lastSaveNanos < SAVE_INTERVAL_NANOS)
        {
            return;
        }
        try
        {
            checkpoint.save(ackedSeq, ackedSub);
            dirty = false;
            lastSaveNanos = System.nanoTime();
        }
        catch (final IOException e)
        {
            // the acknowledged position stays in memory; at worst a restart sends more again
            LOG.warning("cannot write checkpoint " + checkpoint.file() + ": " + e);
            lastSaveNanos = System.nanoTime();
        }
    }

    /**
     * Probes the bootstrap servers once per outage, off this thread: the client reports a listener of another protocol
     * (TLS against plaintext, an HTTP server) only as a timeout. A mismatch found is fatal for {@code forward} and
     * logged by {@code run}, which keeps retrying.
     */
    public ForwarderAgent endpointProbe(final java.util.function.Supplier<String> probe)
    {
        this.endpointProbe = probe;
        return this;
    }

    private void probeEndpoints()
    {
        if (endpointProbe == null || probing || fatal != null)
        {
            return;
        }
        probing = true;
        final Thread t = new Thread(() ->
        {
            try
            {
                final String mismatch = endpointProbe.get();
                if (mismatch != null && fatal == null)
                {
                    fatal = "Kafka at the bootstrap servers does not match the client: " + mismatch;
                    LOG.severe(fatal);
                }
            }
            finally
            {
                probing = false;
            }
        }, "nlstream-kafka-probe");
        t.setDaemon(true);
        t.start();
    }

    /** Authentication (TLS, SASL) or authorization refused: the broker answers the same until someone changes something. */
    private static boolean notRetriable(final Throwable e)
    {
        return causedBy(e, t -> t instanceof org.apache.kafka.common.errors.AuthenticationException
            || t instanceof org.apache.kafka.common.errors.AuthorizationException);
    }

    /**
     * The client could not be made because no bootstrap server's name resolves yet (a broker's DNS name before its
     * Service exists): that changes by itself, so it is retried, not fatal.
     */
    static boolean unresolved(final Throwable e)
    {
        return causedBy(e, t -> t instanceof org.apache.kafka.common.config.ConfigException && t.getMessage() != null
            && t.getMessage().startsWith("No resolvable bootstrap urls"));
    }

    /**
     * Why retrying cannot help (the client's configuration, authentication or authorization refused), or null.
     * {@code run} goes on retrying (someone may fix the broker's side); {@code forward} stops.
     */
    public String fatal()
    {
        return fatal;
    }

    /** A timeout, ours or the Kafka client's, possibly wrapped (ExecutionException). */
    private static boolean timedOut(final Throwable e)
    {
        return causedBy(e, t -> t instanceof java.util.concurrent.TimeoutException
            || t instanceof org.apache.kafka.common.errors.TimeoutException);
    }

    /** Whether {@code e} or one of its causes is what {@code what} looks for. */
    private static boolean causedBy(final Throwable e, final java.util.function.Predicate<Throwable> what)
    {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            if (what.test(t))
            {
                return true;
            }
        }
        return false;
    }

    private static String describe(final Throwable e)
    {
        final StringBuilder sb = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause())
        {
            sb.append(": ").append(c);
        }
        return sb.toString();
    }

    private boolean covered(final long seq, final int sub)
    {
        return seq < sentSeq || seq == sentSeq && sub <= sentSub;
    }

    /** Everything journalled so far has been published and acknowledged. */
    public boolean caughtUp()
    {
        return caughtUp;
    }

    @Override
    public void onClose()
    {
        if (publisher != null)
        {
            try
            {
                if (transactionEvents > 0)
                {
                    commit();
                }
                else
                {
                    publisher.flush();
                }
            }
            catch (final RuntimeException e)
            {
                LOG.warning("flush to Kafka failed at shutdown: " + e);
            }
            drainAcks();
            if (publisher != null)
            {
                publisher.close(Duration.ofSeconds(5));
            }
        }
        saveIfDue(true);
        closeReader();
        if (ackLatency instanceof AutoCloseable)
        {
            try
            {
                ((AutoCloseable)ackLatency).close();
            }
            catch (final Exception e)
            {
                LOG.warning("ack-latency listener failed to close: " + e);
            }
        }
        LOG.info(() -> "forwarder stopped: " + published + " published, " + acknowledged + (transactional ? " committed in "
            + transactions + String.format(java.util.Locale.ROOT, " transactions (their commits took %.3f s), ", commitNanos / 1e9)
            : " acknowledged, ") + resent + " to send again after failures, " + skipped
            + " journal entries skipped as unreadable; checkpoint seq " + ackedSeq + sendingRate());
    }

    /**
     * {@code ; N acknowledged in S s from the first send (R/s)}, the rate over the sending period, or "" before any
     * acknowledgement.
     */
    private String sendingRate()
    {
        final long nanos = lastAckNanos - firstSendNanos;
        if (acknowledged == 0 || published == 0 || nanos <= 0)
        {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "; %d acknowledged in %.3f s from the first send (%.0f/s)", acknowledged, nanos / 1e9,
            acknowledged * 1e9 / nanos);
    }

    /**
     * Journal entries the reader could not read or decode, and so did not forward (each logged with its index). This
     * and the other counts are read opaque: /metrics reads them on another thread, the forwarder writes them plainly.
     */
    public long skipped()
    {
        return (long)SKIPPED.getOpaque(this);
    }

    /** The journal index of the last entry whose events Kafka acknowledged (or committed), or {@link Checkpoint#NONE}. */
    public long acknowledgedIndex()
    {
        return (long)ACKED_SEQ.getOpaque(this);
    }

    public long acknowledged()
    {
        return (long)ACKNOWLEDGED.getOpaque(this);
    }

    /** Events handed to the producer (sent again after a failure: counted again). */
    public long published()
    {
        return (long)PUBLISHED.getOpaque(this);
    }

    private static java.lang.invoke.VarHandle counter(final String name)
    {
        try
        {
            return java.lang.invoke.MethodHandles.lookup().findVarHandle(ForwarderAgent.class, name, long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }
}
