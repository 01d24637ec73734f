package io.nlstream.monitor.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads entries in journal order. Works while the writer is appending: {@link #next} returns false when
 * it has caught up, and true again once more was written.
 */
public final class JournalReader implements AutoCloseable
{
    private final Journal journal;
    private final ExcerptTailer tailer;
    private long corrupt;
    /** The index of the last entry of origin LOST reported (a run of them is reported once). */
    private long lastLost = Long.MIN_VALUE;
    /** Where in its cycle file the last entry read ended, for naming where damage begins. */
    private long lastEnd = -1;
    private int lastEndCycle = Integer.MIN_VALUE;
    /** The same for the entry before it (where a fault while reading an entry begins). */
    private long goodEnd = -1;
    private int goodEndCycle = Integer.MIN_VALUE;
    /** A reader caught up in the newest file, with entries after it it cannot reach: where, and since when. */
    private long suspectIndex = -1;
    private long suspectSinceNanos;
    /** The last entry read (any, damaged or not), or -1 after a reposition. */
    private long previousIndex = -1;
    /** The cycle of the entries being read, and the last entry read before it (-1: reading began in it). */
    private int currentCycle = Integer.MIN_VALUE;
    private long enteredFrom = -1;
    private boolean linkChecked;
    /** A follower caught up finds nothing new most of the time: look for damage at most this often then. */
    private long nextDamageCheckNanos;
    private static final long MIN_DAMAGE_CHECK_NANOS = 50_000_000L;
    private static final long MAX_DAMAGE_CHECK_NANOS = 1_000_000_000L;
    private long damageCheckEvery = MIN_DAMAGE_CHECK_NANOS;
    /** Where the reader stood at the last check that found no damage. */
    private long lastDamageCheckIndex = -1;
    private CorruptEntryListener corruptListener = (index, reason) ->
    {};

    /** Told of each entry that cannot be read; reading goes on with the next one. */
    public interface CorruptEntryListener
    {
        void onCorrupt(long index, String reason);
    }

    JournalReader(final Journal journal, final ExcerptTailer tailer)
    {
        this.journal = journal;
        this.tailer = tailer;
        this.rollCycle = journal.queue().rollCycle();
    }

    private final net.openhft.chronicle.queue.RollCycle rollCycle;
    /** The indexes of {@link #currentCycle}'s file, so an entry's cycle is two compares, not the roll cycle's arithmetic. */
    private long cycleStart = Long.MAX_VALUE;
    private long nextCycleStart = Long.MIN_VALUE;

    /**
     * Another thread reads on from here: Chronicle's tailer remembers the thread that used it first and refuses
     * another, so a reader handed from one thread to the next (the forwarder's read-ahead) says so between them.
     * Only while neither thread uses it.
     */
    public void handOver()
    {
        tailer.singleThreadedCheckReset();
    }

    public JournalReader onCorrupt(final CorruptEntryListener listener)
    {
        this.corruptListener = listener;
        return this;
    }

    public JournalReader toStart()
    {
        previousIndex = -1;
        recovered.clear();
        final net.openhft.chronicle.queue.impl.single.SingleChronicleQueue queue =
            (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)journal.queue();
        final java.util.NavigableSet<Long> cycles = journal.cycles();
        final int first = cycles.isEmpty() ? queue.firstCycle() : cycles.first().intValue();
        if (journal.hasCutFiles() && journal.readableEntries(first) == 0)
        {
            // the first file is empty: start at the first with entries, without opening it
            passEmpty(first);
            final int next = journal.nextReadableCycle(first, this::passEmpty);
            if (next >= 0)
            {
                tailer.moveToCycle(next);
            }
            return this;
        }
        if (!cycles.isEmpty() && first != queue.firstCycle())
        {
            // the metadata names a first file that is gone (retention deleted it a moment ago): Chronicle would find nothing
            tailer.moveToCycle(first);
            return this;
        }
        tailer.toStart();
        return this;
    }

    public JournalReader toEnd()
    {
        previousIndex = -1;
        recovered.clear();
        tailer.toEnd();
        return this;
    }

    /** Positions so that the next entry read is the one at {@code index}, or the first after it. */
    public boolean moveToIndex(final long index)
    {
        previousIndex = -1;
        recovered.clear();
        try
        {
            return tailer.moveToIndex(index);
        }
        catch (final Exception | AssertionError | InternalError e) // a damaged index (Chronicle throws checked ones unchecked)
        {
            corrupt++;
            corruptListener.onCorrupt(index, "cannot find entry " + index + " in journal " + journal.dir() + " (" + e + "): its file's index"
                + " is damaged; `nlstream repair --journal " + journal.dir() + "` rewrites it");
            return false;
        }
    }

    /** The index the next read would return (approximately, before it exists). */
    public long index()
    {
        return tailer.index();
    }

    /**
     * Reads the next well-formed entry into {@code entry}. Entries that cannot be read are reported to the
     * listener with their index and skipped.
     */
    public boolean next(final JournalEntry entry)
    {
        return next(entry, null);
    }

    /**
     * As {@link #next(JournalEntry)}, but an entry whose netlink protocol is not in {@code protocols} (indexed by
     * protocol; null: all) is read as its capture header alone: the caller only counts it or skips it, and its
     * message is not copied. {@link JournalEntry#headerOnly()} tells which.
     */
    public boolean next(final JournalEntry entry, final boolean[] protocols)
    {
        while (true)
        {
            inProgress = -1;
            if (!recovered.isEmpty())
            {
                final byte[] b = recovered.poll();
                final long index = recoveredIndex++;
                crossing(index);
                System.arraycopy(b, 0, entry.ensureCapacity(b.length), 0, b.length);
                final String problem = entry.set(index, b.length);
                if (problem == null)
                {
                    return true;
                }
                corrupt++;
                corruptListener.onCorrupt(index, problem);
                continue;
            }
            if (journal.hasCutFiles())
            {
                final int atCut = atCut();
                if (atCut > 0)
                {
                    continue;
                }
                if (atCut < 0)
                {
                    return false;
                }
            }
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    if (pastDamage())
                    {
                        continue;
                    }
                    return false;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final long index = dc.index();
                final int length = (int)bytes.readRemaining();
                inProgress = index;
                goodEnd = lastEnd;
                goodEndCycle = lastEndCycle;
                lastEnd = bytes.readLimit();
                crossing(index);
                lastEndCycle = currentCycle;
                if (protocols != null && length >= CaptureHeader.LENGTH_V1)
                {
                    final int protocol = bytes.readUnsignedShort(bytes.readPosition() + CaptureHeader.PROTOCOL_OFFSET);
                    final int origin = bytes.readUnsignedByte(bytes.readPosition() + CaptureHeader.ORIGIN_OFFSET);
                    if ((protocol >= protocols.length || !protocols[protocol]) && origin != CaptureHeader.ORIGIN_GAP
                        && origin != CaptureHeader.ORIGIN_ANNOTATION)
                    {
                        final byte[] array = entry.ensureCapacity(CaptureHeader.LENGTH_V1);
                        bytes.read(array, 0, CaptureHeader.LENGTH_V1);
                        final String problem = entry.setHeaderOnly(index, length);
                        if (problem == null)
                        {
                            if (origin == CaptureHeader.ORIGIN_LOST)
                            {
                                lost(index, null);
                                continue;
                            }
                            return true;
                        }
                        corrupt++;
                        corruptListener.onCorrupt(index, problem);
                        continue;
                    }
                }
                final byte[] array = entry.ensureCapacity(length);
                bytes.read(array, 0, length);
                final String problem = entry.set(index, length);
                if (problem == null)
                {
                    if (entry.origin() == CaptureHeader.ORIGIN_LOST)
                    {
                        lost(index, new String(array, entry.payloadOffset(), entry.payloadLength(), java.nio.charset.StandardCharsets.UTF_8));
                        continue;
                    }
                    if (entry.origin() == CaptureHeader.ORIGIN_ANNOTATION && !linkChecked
                        && AnnotationRecord.type(entry.buffer(), entry.payloadOffset(), entry.payloadLength()) == AnnotationRecord.TYPE_CYCLE_LINK)
                    {
                        checkLink(entry);
                    }
                    return true;
                }
                corrupt++;
                corruptListener.onCorrupt(index, problem);
            }
            catch (final Exception | AssertionError | InternalError e)
            {
                // Chronicle throws checked ones unchecked (StreamCorruptedException), asserts on damaged files when
                // assertions are on, and a damaged length sends it past the mapped file (SIGBUS).
                // Chronicle Queue could not read on (a damaged header: "Unexpected magic number", a length past the
                // file): report it and go on after it, at the next entry its index locates or with the next file
                if (pastFault(e))
                {
                    continue;
                }
                if (!pastUnreadableFile(e))
                {
                    // no file after it: what can be read is read; said once, however often a follower asks again
                    final long at = tailer.index();
                    if (at != deadEnd)
                    {
                        deadEnd = at;
                        corrupt++;
                        corruptListener.onCorrupt(at, "journal " + journal.dir() + " cannot be read on at index " + at + " (" + e
                            + "): nothing after it is read; `nlstream repair --journal " + journal.dir() + "` rewrites what is readable");
                    }
                    return false;
                }
            }
        }
    }

    /** Cycles whose cut was reported. */
    private final java.util.Set<Integer> cutReported = new java.util.HashSet<>();

    /**
     * In a cycle file cut short, before the first entry past its readable part: reports the cut once and moves to the
     * next file (1), or ends (-1, no file after it); 0 anywhere else. Chronicle never reads past the cut this way.
     */
    private int atCut()
    {
        final long index = tailer.index();
        final net.openhft.chronicle.queue.RollCycle rollCycle = journal.queue().rollCycle();
        final int cycle = rollCycle.toCycle(index);
        final long readable = journal.readableEntries(cycle);
        if (readable < 0 || rollCycle.toSequenceNumber(index) < readable)
        {
            return 0;
        }
        if (cutReported.add(cycle))
        {
            corruptListener.onCorrupt(index, "journal file " + Journal.cycleFileName(rollCycle, cycle) + " is " + journal.cutSize(cycle)
                + " bytes, cut short: its first " + readable + " entries were read, what followed the cut is lost; `nlstream repair"
                + " --journal " + journal.dir() + "` rewrites the file with them, keeping it aside");
        }
        final int next = journal.nextReadableCycle(cycle, this::passEmpty);
        return next > cycle && tailer.moveToCycle(next) ? 1 : -1;
    }

    /** An empty cycle file passed (never opened: Chronicle would wait for its header): reported once. */
    private void passEmpty(final int cycle)
    {
        if (cutReported.add(cycle))
        {
            final net.openhft.chronicle.queue.RollCycle rollCycle = journal.queue().rollCycle();
            corruptListener.onCorrupt(rollCycle.toIndex(cycle, 0), "journal file " + Journal.cycleFileName(rollCycle, cycle)
                + " is empty (0 bytes): passed; `nlstream repair --journal " + journal.dir() + "` sets it aside");
        }
    }

    /** Notes where the reader crossed into a new cycle file (the last entry before it), for {@link #checkLink}. */
    private void crossing(final long index)
    {
        if (index >= nextCycleStart || index < cycleStart)
        {
            final int cycle = rollCycle.toCycle(index);
            cycleStart = rollCycle.toIndex(cycle, 0);
            nextCycleStart = rollCycle.toIndex(cycle + 1, 0);
            if (cycle != currentCycle)
            {
                enteredFrom = previousIndex >= 0 && rollCycle.toCycle(previousIndex) < cycle ? previousIndex : -1;
                currentCycle = cycle;
                linkChecked = false;
            }
        }
        previousIndex = index;
    }

    /**
     * The first CYCLE_LINK of a cycle file the reader crossed into: the writer says which file came before and how
     * many entries it held. A reader that came from elsewhere, or from fewer entries, reads a hole: a file deleted
     * between the two, or the end of the previous one gone (cut, then repaired). Reported as damage with what is
     * missing; the reader goes on (readers treat it as a loss: the next complete dump settles what changed in it).
     */
    private void checkLink(final JournalEntry entry)
    {
        linkChecked = true;
        if (enteredFrom < 0 || entry.payloadLength() < AnnotationRecord.CYCLE_LINK_LENGTH)
        {
            return;
        }
        final java.nio.ByteBuffer b = entry.buffer();
        final int at = entry.payloadOffset();
        final int previousCycle = b.getInt(at + AnnotationRecord.LINK_PREVIOUS_CYCLE_OFFSET);
        final long previousEntries = b.getLong(at + AnnotationRecord.LINK_PREVIOUS_ENTRIES_OFFSET);
        final net.openhft.chronicle.queue.RollCycle rollCycle = journal.queue().rollCycle();
        final int fromCycle = rollCycle.toCycle(enteredFrom);
        final long fromNumber = rollCycle.toSequenceNumber(enteredFrom);
        if (previousEntries <= 0 || fromCycle == previousCycle && fromNumber >= previousEntries - 1)
        {
            return;
        }
        if (fromCycle == previousCycle)
        {
            final long missing = previousEntries - 1 - fromNumber;
            corrupt += missing;
            corruptListener.onCorrupt(enteredFrom + 1, "hole: journal file " + Journal.cycleFileName(rollCycle, previousCycle) + " ends after "
                + (fromNumber + 1) + " entries, but held " + previousEntries + " when the next file began: its last " + missing
                + " entries are missing");
        }
        else if (fromCycle < previousCycle)
        {
            corrupt += previousEntries;
            corruptListener.onCorrupt(rollCycle.toIndex(previousCycle, 0), "hole: journal file " + Journal.cycleFileName(rollCycle, previousCycle)
                + " is missing (it held " + previousEntries + " entries, between " + Journal.cycleFileName(rollCycle, fromCycle) + " and "
                + Journal.cycleFileName(rollCycle, currentCycle) + ")");
        }
    }

    /** An entry a repair marked as lost: counted, and reported at the first of each run of them. */
    private void lost(final long index, final String keptAs)
    {
        corrupt++;
        if (index != lastLost + 1)
        {
            corruptListener.onCorrupt(index, "entry lost to damage, marked so by a repair"
                + (keptAs == null ? "" : " (the damaged file is kept as " + keptAs + ")") + "; the entries marked after it are not reported again");
        }
        lastLost = index;
    }

    /**
     * Called when nothing more can be read: whether the reader stands in front of damage that entries readable
     * after it prove (a file with later ones after it never reaches its end-of-file mark; in the newest, the index
     * knows of entries further on), and was moved past it, having reported it. Chronicle's tailer stops at such a
     * place for good; this moves it to the next entry the cycle's index locates (at most {@code indexSpacing - 1}
     * readable entries after the damage are lost with it), or else to the next cycle.
     * Cycle files cut short are not read at all (see {@link Journal#openForReading}): mapped reads past their end
     * would crash the process.
     */
    private boolean pastDamage()
    {
        final net.openhft.chronicle.queue.impl.single.SingleChronicleQueue queue =
            (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)journal.queue();
        final int cycle = tailer.cycle();
        final long index = tailer.index();
        final net.openhft.chronicle.queue.RollCycle rollCycle = queue.rollCycle();
        if (index < 0 || rollCycle.toCycle(index) != cycle)
        {
            return false;
        }
        final long now = System.nanoTime();
        if (suspectIndex != index && now < nextDamageCheckNanos)
        {
            return false;
        }
        final int lastCycle = queue.lastCycle();
        if (cycle >= lastCycle)
        {
            // the newest file is where the writer is: only entries the index knows past this point, still
            // unreachable a moment later (not one being written), mean damage
            if (journal.lastIndex() <= index)
            {
                // Chronicle answers lastIndex with a tailer of its own, made and released each time: a reader idle at
                // the same place asks less and less often (50 ms, doubling to 1 s), one that moved on asks soon again
                suspectIndex = -1;
                damageCheckEvery = index == lastDamageCheckIndex ? Math.min(MAX_DAMAGE_CHECK_NANOS, 2 * damageCheckEvery) : MIN_DAMAGE_CHECK_NANOS;
                lastDamageCheckIndex = index;
                nextDamageCheckNanos = now + damageCheckEvery;
                return false;
            }
            if (suspectIndex != index)
            {
                suspectIndex = index;
                suspectSinceNanos = now;
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
                return true;
            }
            if (now - suspectSinceNanos < 50_000_000L)
            {
                return true;
            }
        }
        suspectIndex = -1;
        final long number = rollCycle.toSequenceNumber(index);
        if (journal.hasCutFiles() && number >= journal.entriesIn(cycle))
        {
            // at the end of a whole file whose successor is empty (Chronicle does not move into it): the next one with entries
            final int next = journal.nextReadableCycle(cycle, this::passEmpty);
            return next > cycle && tailer.moveToCycle(next);
        }
        final int spacing = queue.indexSpacing();
        final String where = Journal.cycleFileName(rollCycle, cycle) + (lastEndCycle == cycle ? " after byte " + lastEnd : "");
        long k = (number / spacing + 1) * spacing;
        for (int tries = 0; tries < 16; tries++, k += spacing)
        {
            if (tailer.moveToIndex(rollCycle.toIndex(cycle, k)) && readable())
            {
                final int kept = recover(cycle, lastEndCycle == cycle ? lastEnd : -1, k);
                corrupt += k - kept - number;
                corruptListener.onCorrupt(index, "journal file " + where + " cannot be read on (zeros or a torn entry where entries"
                    + " should be): entries " + index + ".." + (rollCycle.toIndex(cycle, k - kept) - 1) + " (" + (k - kept - number)
                    + ") lost, " + kept + " sound ones after them recovered, reading goes on at the next one its index locates");
                return true;
            }
        }
        if (cycle >= lastCycle)
        {
            tailer.moveToIndex(index);
            return false;
        }
        final int next;
        try
        {
            next = queue.nextCycle(cycle, net.openhft.chronicle.queue.TailerDirection.FORWARD);
        }
        catch (final java.text.ParseException e)
        {
            return false;
        }
        if (next < 0 || !tailer.moveToCycle(next))
        {
            return false;
        }
        // not counted here: the next file's link says how many entries this one held, and counts those missing
        corruptListener.onCorrupt(index, "journal file " + where + " cannot be read on (zeros or a torn entry where entries should be,"
            + " and no index entry past them): the rest of it, from entry " + index + ", is skipped; reading goes on with the next file");
        return true;
    }

    /**
     * After Chronicle failed inside a file (a damaged excerpt length, which it follows past what is mapped): moves to
     * the next entry the file's index locates past the failing one, reporting what was skipped. Safe in a whole file
     * (files cut short are refused at open): every indexed position lies inside it.
     */
    private boolean pastFault(final Throwable e)
    {
        try
        {
            final net.openhft.chronicle.queue.impl.single.SingleChronicleQueue queue =
                (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)journal.queue();
            final net.openhft.chronicle.queue.RollCycle rollCycle = queue.rollCycle();
            final long at = tailer.index();
            final int cycle = rollCycle.toCycle(at);
            if (at < 0 || at == faultedAt)
            {
                return false;
            }
            faultedAt = at;
            // the tailer steps past the entry it fails in: the first not read is the one being read, else the one after
            // the last read
            final long index = inProgress >= 0 && rollCycle.toCycle(inProgress) == cycle ? inProgress
                : previousIndex >= 0 && rollCycle.toCycle(previousIndex) == cycle && previousIndex < at ? previousIndex + 1 : at;
            // where the damage begins: after the entry before the one being read, or after the last one read
            final long damageAt = inProgress >= 0 ? (goodEndCycle == cycle ? goodEnd : -1) : (lastEndCycle == cycle ? lastEnd : -1);
            inProgress = -1;
            final long number = rollCycle.toSequenceNumber(index);
            final int spacing = queue.indexSpacing();
            long k = (number / spacing + 1) * spacing;
            for (int tries = 0; tries < 16; tries++, k += spacing)
            {
                if (tailer.moveToIndex(rollCycle.toIndex(cycle, k)) && readable())
                {
                    final int kept = recover(cycle, damageAt, k);
                    corrupt += k - kept - number;
                    corruptListener.onCorrupt(index, "journal file " + Journal.cycleFileName(rollCycle, cycle) + " cannot be read at entry "
                        + index + " (" + e + "): entries " + index + ".." + (rollCycle.toIndex(cycle, k - kept) - 1) + " (" + (k - kept - number)
                        + ") lost, " + kept + " sound ones after them recovered, reading goes on at the next one its index locates");
                    return true;
                }
            }
            return false;
        }
        catch (final Exception | AssertionError | InternalError again)
        {
            return false;
        }
    }

    /** The entry being read (set before its bytes are copied), for a fault in the copy; -1 between entries. */
    private long inProgress = -1;

    /** The entry at which Chronicle last failed inside a file (so a second failure there goes on to the next file). */
    private long faultedAt = -1;

    /** Where Chronicle last failed with no file after it to go on with (reported once), or -1. */
    private long deadEnd = -1;

    /** The cycle of the last file skipped after Chronicle failed on it (so a file that keeps failing is passed). */
    private int failedCycle = Integer.MIN_VALUE;

    /** After Chronicle failed in a file: moves to the next file, reporting the one skipped; false when there is none. */
    private boolean pastUnreadableFile(final Throwable e)
    {
        final net.openhft.chronicle.queue.impl.single.SingleChronicleQueue queue =
            (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)journal.queue();
        final int cycle = Math.max(tailer.cycle(), failedCycle == Integer.MIN_VALUE ? Integer.MIN_VALUE : failedCycle + 1);
        int next;
        try
        {
            next = journal.hasCutFiles() ? journal.nextReadableCycle(cycle, this::passEmpty)
                : queue.nextCycle(cycle, net.openhft.chronicle.queue.TailerDirection.FORWARD);
        }
        catch (final Exception | AssertionError again)
        {
            return false;
        }
        if (next <= cycle)
        {
            return false;
        }
        failedCycle = cycle;
        try
        {
            if (!tailer.moveToCycle(next))
            {
                return false;
            }
        }
        catch (final Exception | AssertionError again)
        {
            // the next file fails as well: the next call goes past it
            failedCycle = next;
        }
        corruptListener.onCorrupt(tailer.index(), "journal file " + Journal.cycleFileName(queue.rollCycle(), cycle) + " cannot be read (" + e.getMessage()
            + "): the rest of it is skipped; reading goes on with the next file");
        return true;
    }

    /** Whether an entry can be read where the tailer stands (left unread: the next read returns it). */
    private boolean readable()
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            readablePosition = dc.wire().bytes().readPosition() - 4;
            dc.rollbackOnClose();
            return true;
        }
    }

    /** Where the header of the entry {@link #readable} found lies in its file. */
    private long readablePosition = -1;

    /** Sound entries recovered between damage and the next indexed entry, handed out before the tailer's next. */
    private final java.util.ArrayDeque<byte[]> recovered = new java.util.ArrayDeque<>();
    private long recoveredIndex;

    /**
     * Past damage in {@code cycle}'s file, from byte {@code damageAt} to the entry the index located (numbered {@code k},
     * its header at {@link #readablePosition}): the sound entries between, found by a plain scan for a chain of capture
     * frames that ends exactly there; queued to be read before it. Returns how many.
     */
    private int recover(final int cycle, final long damageAt, final long k)
    {
        if (damageAt < 0 || readablePosition <= damageAt)
        {
            return 0;
        }
        final net.openhft.chronicle.queue.RollCycle rollCycle = journal.queue().rollCycle();
        try
        {
            final java.util.List<byte[]> found = CycleFileScan.soundEntriesBefore(
                journal.dir().resolve(Journal.cycleFileName(rollCycle, cycle)), ((damageAt + 3) & ~3L) + 4, readablePosition);
            recovered.addAll(found);
            recoveredIndex = rollCycle.toIndex(cycle, k - found.size());
            return found.size();
        }
        catch (final java.io.IOException | RuntimeException e)
        {
            return 0;
        }
    }


    public long corrupt()
    {
        return corrupt;
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
