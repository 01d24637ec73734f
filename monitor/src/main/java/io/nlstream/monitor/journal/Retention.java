package io.nlstream.monitor.journal;

import io.nlstream.netlink.DiskUsage;
import io.nlstream.sinks.Timestamps;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes a journal's oldest cycle files, whole, oldest first, by time ({@code --retention-time}: once the state and
 * events the journal keeps reach back that far without them) and by size ({@code --retention-size}: while the journal
 * directory takes more disk), within three limits:
 * <ul>
 * <li>never the file being written (the newest, and none of the clock's current cycle or later);</li>
 * <li>never past where a forwarder of this journal resumes (its checkpoint, a {@link Pin}) unless forced;</li>
 * <li>never so much that the state at the oldest instant kept lacks its base: a {@link Base} (a snapshot) whose entry
 *     and every object's latest record lie in the files kept. A reader of the kept journal starts there.</li>
 * </ul>
 * Each deletion is logged with the file, the capture times of its first and last entries, its bytes and why. Only the
 * writer ({@code run}) deletes: after a deletion it refreshes Chronicle Queue's directory listing (kept in
 * {@code metadata.cq4t}, which readers in other processes read), then the bases before the new one go
 * ({@link Bases#deleteBefore}). A reader still reading a deleted file reads it to its end (an open file outlives its
 * name on Linux); one that had not reached it reports the hole.
 */
public final class Retention
{
    private static final Logger LOG = Logger.getLogger(Retention.class.getName());

    /** How much to keep; {@link #NONE} keeps everything. */
    public record Limits(Duration time, long bytes, boolean force)
    {
        public static final Limits NONE = new Limits(null, 0, false);

        public boolean any()
        {
            return time != null || bytes > 0;
        }

        @Override
        public String toString()
        {
            return (time == null ? "no time limit" : "time " + time) + ", " + (bytes <= 0 ? "no size limit" : "size " + bytes + " bytes")
                + (force ? ", force" : "");
        }
    }

    /**
     * A point the journal's state can be rebuilt from without what came before it: a snapshot of the state after entry
     * {@code index}, whose objects' latest records lie at or after {@code oldestReference}.
     *
     * @param fromNanos the capture time from which the state is known (the latest among the entries it holds)
     */
    public record Base(long index, long fromNanos, long oldestReference, String name)
    {
    }

    /**
     * Where a reader of this journal resumes (a forwarder's checkpoint): the entry it resumes at, which it must find
     * with a base before it. {@code Long.MIN_VALUE}: from the journal's start (nothing forwarded yet).
     */
    public record Pin(String who, long index)
    {
    }

    /** The bases beside the journal: the read side's snapshots. */
    public interface Bases
    {
        /**
         * The oldest base whose entry is at or after {@code firstKept}, before {@code before}, and whose objects all
         * lie at or after {@code firstKept}; null when there is none (yet).
         */
        Base oldest(long firstKept, long before);

        /** Why no base is found from {@code firstKept} on (for the log), e.g. the newest one's oldest record. */
        String whyNone(long firstKept);

        /** Deletes the bases before {@code base} (theirs are the deleted files' states); returns how many. */
        int deleteBefore(Base base);
    }

    /**
     * One cycle file: its cycle, name, disk use, first index, and when its cycle begins (epoch ns: what is in it was
     * captured then or after, up to a capture thread's second of disorder).
     */
    public record CycleFile(int cycle, Path path, long bytes, long firstIndex, long startNanos)
    {
    }

    /** A file to delete, and the limit that wants it gone: {@code time} or {@code size}. */
    public record Deletion(CycleFile file, String why)
    {
    }

    /**
     * What a check decided: the files to delete (oldest first), the base the journal keeps from, and, when a limit
     * wants more gone than may go, why not (null otherwise); {@code overSize} when that limit is the size.
     */
    public record Plan(List<Deletion> deletions, Base base, String blocked, boolean overSize)
    {
    }

    private final Journal journal;
    private final Bases bases;
    private final Supplier<List<Pin>> pins;
    private final Supplier<Long> clock;
    /** Blocks already logged, so that a check a minute says each once. */
    private final Set<String> said = new HashSet<>();
    private long deletedFiles;
    private long deletedBytes;
    private volatile long journalBytes = -1;

    /**
     * @param pins  where this journal's forwarders resume, asked at each check
     * @param clock wall-clock time, epoch ns
     */
    public Retention(final Journal journal, final Bases bases, final Supplier<List<Pin>> pins, final Supplier<Long> clock)
    {
        this.journal = journal;
        this.bases = bases;
        this.pins = pins;
        this.clock = clock;
    }

    /**
     * Decides which files go: the largest number of the oldest that the limits want gone and that may go (both shrink
     * as more go: later files leave later bases, and less to free), so it stops at the first file that is not wanted
     * or not allowed.
     *
     * @param files      every cycle file, oldest first
     * @param writing    the cycle being written: neither it nor any later one goes, nor the newest file
     * @param totalBytes what the journal directory takes on disk
     */
    static Plan plan(final List<CycleFile> files, final int writing, final Bases bases, final List<Pin> pins, final Limits limits,
        final long nowNanos, final long totalBytes)
    {
        final List<Deletion> deletions = new ArrayList<>();
        if (!limits.any())
        {
            return new Plan(deletions, null, null, false);
        }
        long pinned = Long.MAX_VALUE;
        Pin first = null;
        for (final Pin p : pins)
        {
            if (p.index() < pinned)
            {
                pinned = p.index();
                first = p;
            }
        }
        final long before = limits.force() ? Long.MAX_VALUE : pinned;
        final long cutoff = limits.time() == null ? Long.MIN_VALUE : nowNanos - limits.time().toNanos();
        long freed = 0;
        Base kept = null;
        for (int k = 1; k <= files.size(); k++)
        {
            final CycleFile gone = files.get(k - 1);
            final boolean overSize = limits.bytes() > 0 && totalBytes - freed > limits.bytes();
            if (k == files.size() || gone.cycle() >= writing)
            {
                final String why = overSize ? "the journal takes " + (totalBytes - freed) + " bytes, over " + limits.bytes() + " (retention.size),"
                    + " but its oldest file left, " + gone.path().getFileName() + ", is the one being written" : null;
                return new Plan(deletions, kept, why, why != null);
            }
            final long firstKept = files.get(k).firstIndex();
            final Base base = bases.oldest(firstKept, before);
            // the state kept must reach back to the cutoff; with no base yet, the files after this one beginning by then
            final boolean overTime = base != null ? base.fromNanos() <= cutoff : files.get(k).startNanos() <= cutoff;
            if (!overSize && !overTime)
            {
                return new Plan(deletions, kept, null, false);
            }
            if (base == null)
            {
                final Base unpinned = before == Long.MAX_VALUE ? null : bases.oldest(firstKept, Long.MAX_VALUE);
                final String want = overSize ? "the journal takes " + (totalBytes - freed) + " bytes, over " + limits.bytes() + " (retention.size)"
                    : "its entries are older than " + limits.time() + " (retention.time)";
                final String why = unpinned != null
                    ? want + ", but deleting " + gone.path().getFileName() + " would pass the checkpoint of " + first.who() + " (it resumes at "
                        + (first.index() == Long.MIN_VALUE ? "the journal's start: it has forwarded nothing yet" : "index " + first.index())
                        + "); --retention-force deletes it anyway, and that forwarder goes on from the oldest base kept"
                    : want + ", but no snapshot after " + gone.path().getFileName() + " is a base yet (one whose objects' records all lie"
                        + " in the files after it: " + bases.whyNone(firstKept) + "); the next complete dump (--full-dump-interval) makes one";
                return new Plan(deletions, kept, why, overSize);
            }
            deletions.add(new Deletion(gone, overTime ? "time" : "size"));
            freed += gone.bytes();
            kept = base;
        }
        return new Plan(deletions, kept, null, false);
    }

    /**
     * Checks the limits once and deletes what they want gone and may go; logs each deletion, and once each reason that
     * keeps a file a limit wants gone. Returns the files deleted.
     */
    public synchronized int check(final Limits limits)
    {
        final Path dir = journal.dir();
        final long total = DiskUsage.tree(dir);
        journalBytes = total;
        if (!limits.any())
        {
            return 0;
        }
        // every event id names the journal: recorded before anything that would let a reader derive it is deleted
        journal.identity();
        final SingleChronicleQueue queue = (SingleChronicleQueue)journal.queue();
        final RollCycle roll = queue.rollCycle();
        final List<CycleFile> files = new ArrayList<>();
        final java.util.NavigableSet<Long> cycles = journal.cycles();
        if (cycles.isEmpty())
        {
            return 0;
        }
        final int lastCycle = cycles.last().intValue();
        for (final long c : cycles)
        {
            final Path f = dir.resolve(Journal.cycleFileName(roll, (int)c));
            if (Files.exists(f))
            {
                files.add(new CycleFile((int)c, f, DiskUsage.bytes(f), roll.toIndex((int)c, 0), c * roll.lengthInMillis() * 1_000_000L));
            }
        }
        final int writing = Math.min(lastCycle, queue.cycle());
        final Plan plan = plan(files, writing, bases, pins.get(), limits, clock.get(), total);
        int deleted = 0;
        for (final Deletion d : plan.deletions())
        {
            final String range = timeRange(d.file());
            try
            {
                Files.delete(d.file().path());
            }
            catch (final NoSuchFileException e)
            {
                continue;
            }
            catch (final IOException e)
            {
                LOG.warning("retention: cannot delete " + d.file().path() + ": " + e + "; the files after it are kept");
                break;
            }
            // at once, not after the last: a reader opening now finds the journal's first file in the metadata
            queue.refreshDirectoryListing();
            deleted++;
            deletedFiles++;
            deletedBytes += d.file().bytes();
            LOG.info("retention: deleted journal file " + d.file().path().getFileName() + " (" + range + ", " + d.file().bytes() + " bytes): "
                + ("time".equals(d.why()) ? "older than " + limits.time() + " (retention.time)"
                    : "the journal took more than " + limits.bytes() + " bytes (retention.size)"));
        }
        if (deleted > 0)
        {
            final int snapshots = bases.deleteBefore(plan.base());
            LOG.info("retention: journal " + dir + " keeps its state from " + Timestamps.rfc3339(plan.base().fromNanos())
                + " (base " + plan.base().name() + ")" + (snapshots > 0 ? "; " + snapshots + " snapshots of the deleted files' states deleted" : ""));
            journalBytes = DiskUsage.tree(dir);
            said.clear();
        }
        else if (journal.predecessor() != null)
        {
            // the snapshots of files deleted before (a check cut short between a file and its snapshots, files deleted by
            // hand): refused by every reader, they only cost disk and warnings
            final Base base = bases.oldest(journal.firstIndex(), Long.MAX_VALUE);
            final int snapshots = base == null ? 0 : bases.deleteBefore(base);
            if (snapshots > 0)
            {
                LOG.info("retention: journal " + dir + " keeps its state from " + Timestamps.rfc3339(base.fromNanos()) + " (base "
                    + base.name() + "); " + snapshots + " snapshots of deleted files' states deleted");
            }
        }
        if (plan.blocked() != null && said.add(plan.blocked().replaceAll("[0-9]+ bytes", "")))
        {
            LOG.log(plan.overSize() ? Level.WARNING : Level.INFO, "retention: journal " + dir + ": " + plan.blocked());
        }
        return deleted;
    }

    /** The capture times of a cycle file's first and last entries, for the log. */
    private String timeRange(final CycleFile file)
    {
        final RollCycle roll = journal.queue().rollCycle();
        try (JournalReader r = journal.reader())
        {
            final JournalEntry e = new JournalEntry();
            final long n = journal.entriesIn(file.cycle());
            if (n <= 0 || !r.moveToIndex(file.firstIndex()) || !r.next(e))
            {
                return "no entries";
            }
            final String from = Timestamps.rfc3339(e.wallNanos());
            final long last = roll.toIndex(file.cycle(), n - 1);
            final String to = r.moveToIndex(last) && r.next(e) ? Timestamps.rfc3339(e.wallNanos()) : "?";
            return n + " entries captured from " + from + " to " + to;
        }
        catch (final RuntimeException e)
        {
            return "entries unreadable: " + e.getMessage();
        }
    }

    /** Files deleted so far. */
    public long deletedFiles()
    {
        return deletedFiles;
    }

    public long deletedBytes()
    {
        return deletedBytes;
    }

    /** What the journal directory took on disk at the last check (-1 before the first). */
    public long journalBytes()
    {
        return journalBytes;
    }
}
