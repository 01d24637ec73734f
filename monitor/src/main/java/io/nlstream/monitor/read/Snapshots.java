package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The snapshots beside a journal ({@code JOURNAL/snapshots/state-INDEX.snap}) and when to write the next
 * one. The schedule is a function of the journal, so every reader that reads past a point where one is due
 * finds the same point and can write a missing or damaged snapshot there: one is due after the entry that
 * brings {@code interval} of journal time or {@code entries} entries since the last one, whichever comes
 * first, but not before a quarter as many entries as there are live objects were applied since (reading
 * fewer entries back costs less than reading the snapshot, and this bounds the snapshots' share of the disk).
 */
final class Snapshots
{
    static final String DIR = "snapshots";
    private static final Logger LOG = Logger.getLogger(Snapshots.class.getName());

    /** How and whether a pipeline uses snapshots. */
    static final class Settings
    {
        final boolean read;
        final boolean write;
        final long intervalNanos;
        final long entries;

        Settings(final boolean read, final boolean write, final long intervalNanos, final long entries)
        {
            this.read = read;
            this.write = write;
            this.intervalNanos = intervalNanos;
            this.entries = entries;
        }
    }

    private final Journal journal;
    private final Path dir;
    private final Settings settings;
    private final Set<Path> damaged = new HashSet<>();
    private boolean cannotWrite;
    private boolean writable = true;

    // the schedule, as of the last entry applied
    private long lastSnapshotTs = Long.MIN_VALUE;
    private long sinceSnapshot;
    private long entries;
    private long lastIndex = -1;
    private long lastTs;
    private long maxTs = Long.MIN_VALUE;
    private boolean eligible;
    private long live;
    private long written;

    Snapshots(final Journal journal, final Settings settings)
    {
        this.journal = journal;
        this.dir = journal.dir().resolve(DIR);
        this.settings = settings;
    }

    /**
     * Whether no snapshot beside the journal can be used: none there, or none this build reads (their header
     * damaged, or of another format or policy version, as after an upgrade).
     */
    boolean none()
    {
        if (!Files.isDirectory(dir))
        {
            return true;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Snapshot.PREFIX + "*" + Snapshot.SUFFIX))
        {
            final String[] why = new String[1];
            for (final Path f : files)
            {
                if (Snapshot.readHeader(f, why) != null)
                {
                    return false;
                }
            }
            return true;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    /** Whether this reader's state is complete enough to be saved. */
    void writable(final boolean writable)
    {
        this.writable = writable;
    }

    long written()
    {
        return written;
    }

    /**
     * Loads the newest snapshot that holds no entry the reader would emit, checking it against the journal: a
     * reader emits the entries at or after {@code emitFromIndex} captured at or after {@code since}, and stops at
     * the first captured after {@code until}; so a snapshot fits when all its entries were captured by
     * {@code until} and either its last entry is before {@code emitFromIndex} or all were captured before
     * {@code since}.
     *
     * @return the snapshot loaded (the pipeline continues after its last entry), or null: start from the journal's start
     */
    Snapshot.Header load(final long emitFromIndex, final long since, final long until, final StatePolicy policy,
        final EventReader events, final Set<Kind> kinds)
    {
        if (!settings.read || !Files.isDirectory(dir))
        {
            return null;
        }
        final List<Long> indexes = indexes(dir);
        if (indexes == null)
        {
            LOG.warning("cannot list snapshots in " + dir + "; reading the journal from its start");
            return null;
        }
        final long firstIndex = journal.firstIndex();
        final String[] why = new String[1];
        for (int i = indexes.size() - 1; i >= 0 && indexes.get(i) >= firstIndex; i--)
        {
            // (those before the journal's first entry are of files deleted: retention deletes them with the files)
            final Path file = dir.resolve(Snapshot.fileName(indexes.get(i)));
            final Snapshot.Header h = Snapshot.readHeader(file, why);
            if (h == null)
            {
                unusable(file, why[0]);
                continue;
            }
            if (h.maxTs > until || h.lastIndex >= emitFromIndex && (since == Long.MIN_VALUE || h.maxTs >= since))
            {
                continue;
            }
            if (tryLoad(file, h, indexes.get(i), firstIndex, policy, events, kinds))
            {
                return h;
            }
        }
        return null;
    }

    /**
     * The journal's base, for a reader of a journal that lacks its start (its oldest files were deleted, see
     * {@link Journal#predecessor()}) and that no snapshot fits: the oldest snapshot this build loads whose entry is in
     * the journal and whose objects all lie in the files kept. State is known from it on, not before; a reader starts
     * there rather than at the journal's first entry, whose state would lack what the deleted files held.
     *
     * @return the snapshot loaded, or null (none is a base: the state lacks what the deleted files held)
     */
    Snapshot.Header loadBase(final StatePolicy policy, final EventReader events, final Set<Kind> kinds)
    {
        final List<Long> indexes = indexes(dir);
        if (indexes == null)
        {
            return null;
        }
        final long firstIndex = journal.firstIndex();
        final String[] why = new String[1];
        for (final long index : indexes)
        {
            if (index < firstIndex)
            {
                continue; // of files deleted: retention deletes it with them
            }
            final Path file = dir.resolve(Snapshot.fileName(index));
            final Snapshot.Header h = Snapshot.readHeader(file, why);
            if (h == null)
            {
                unusable(file, why[0]);
                continue;
            }
            if (tryLoad(file, h, index, firstIndex, policy, events, kinds))
            {
                return h;
            }
        }
        return null;
    }

    /** Checks a snapshot against the journal and loads it; false (reported, the policy reset) when it is not usable. */
    private boolean tryLoad(final Path file, final Snapshot.Header h, final long index, final long firstIndex, final StatePolicy policy,
        final EventReader events, final Set<Kind> kinds)
    {
        if (h.lastIndex != index)
        {
            unusable(file, "named for index " + index + " but holds the state after index " + h.lastIndex);
            return false;
        }
        final String mismatch = checkAgainstJournal(h);
        if (mismatch != null)
        {
            unusable(file, mismatch);
            return false;
        }
        final String problem = Snapshot.load(h, policy, events, kinds, firstIndex);
        if (problem != null)
        {
            unusable(file, problem);
            policy.reset();
            events.sockDumpProtocols.clear();
            return false;
        }
        entries = h.entries;
        lastIndex = h.lastIndex;
        lastTs = h.lastTs;
        maxTs = h.maxTs;
        lastSnapshotTs = h.lastTs;
        sinceSnapshot = 0;
        eligible = false;
        return true;
    }

    /** The indexes of the snapshots in {@code dir}, ascending; empty when there is none; null when it cannot be listed. */
    static List<Long> indexes(final Path dir)
    {
        final List<Long> indexes = new ArrayList<>();
        if (!Files.isDirectory(dir))
        {
            return indexes;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Snapshot.PREFIX + "*" + Snapshot.SUFFIX))
        {
            for (final Path f : files)
            {
                final long index = Snapshot.indexOf(f.getFileName().toString());
                if (index >= 0)
                {
                    indexes.add(index);
                }
            }
        }
        catch (final IOException e)
        {
            return null;
        }
        indexes.sort(null);
        return indexes;
    }

    private void unusable(final Path file, final String why)
    {
        damaged.add(file);
        LOG.warning("snapshot " + file + " is not usable (" + why + "); reading from an earlier one, and writing it again when it is due");
    }

    private String checkAgainstJournal(final Snapshot.Header h)
    {
        return checkAgainstJournal(journal, h);
    }

    /** Why the snapshot is not of this journal's entry it names (gone, or captured at another time), or null. */
    static String checkAgainstJournal(final Journal journal, final Snapshot.Header h)
    {
        try (JournalReader r = journal.reader())
        {
            final JournalEntry e = new JournalEntry();
            if (!r.moveToIndex(h.lastIndex) || !r.next(e) || e.index() != h.lastIndex)
            {
                return "its last entry, index " + h.lastIndex + ", is not in the journal";
            }
            if (e.wallNanos() != h.lastTs)
            {
                return "its last entry, index " + h.lastIndex + ", was captured at " + e.wallNanos() + ", not " + h.lastTs
                    + ": the snapshot is of another journal";
            }
            return null;
        }
    }

    /**
     * Called after each entry applied; writes a snapshot when one is due (and missing or damaged here).
     */
    void afterEntry(final long index, final long ts, final StatePolicy policy, final EventReader events)
    {
        entries++;
        sinceSnapshot++;
        lastIndex = index;
        lastTs = ts;
        if (ts > maxTs)
        {
            maxTs = ts;
        }
        if (lastSnapshotTs == Long.MIN_VALUE)
        {
            lastSnapshotTs = ts;
        }
        if (sinceSnapshot < settings.entries && ts - lastSnapshotTs < settings.intervalNanos)
        {
            return;
        }
        // counted at points that depend only on the entries since the last snapshot, so every reader finds the
        // same points
        if (!eligible || (sinceSnapshot & 4095) == 0)
        {
            live = policy.liveObjects();
            eligible = true;
        }
        if (sinceSnapshot < live / 4)
        {
            return;
        }
        lastSnapshotTs = ts;
        sinceSnapshot = 0;
        eligible = false;
        if (settings.write && writable)
        {
            save(policy, events);
        }
    }

    private void save(final StatePolicy policy, final EventReader events)
    {
        if (cannotWrite)
        {
            return;
        }
        final Path file = dir.resolve(Snapshot.fileName(lastIndex));
        if (Files.exists(file) && !damaged.contains(file))
        {
            // one that is there is trusted as far as its header goes; a damaged body shows when it is loaded
            final Snapshot.Header h = Snapshot.readHeader(file, new String[1]);
            if (h != null && h.lastIndex == lastIndex && h.lastTs == lastTs)
            {
                return;
            }
        }
        final Snapshot.Header h = new Snapshot.Header();
        h.lastIndex = lastIndex;
        h.lastTs = lastTs;
        h.maxTs = maxTs;
        h.entries = entries;
        h.objects = policy.liveObjects();
        try
        {
            Files.createDirectories(dir);
            final long start = System.nanoTime();
            Snapshot.write(file, h, policy, events);
            damaged.remove(file);
            written++;
            LOG.fine(() -> "wrote snapshot " + file + " (" + h.objects + " objects) in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
        catch (final IOException | RuntimeException e)
        {
            // a reader that cannot write here still answers, only slower next time
            cannotWrite = true;
            LOG.fine(() -> "cannot write snapshots in " + dir + " (" + e + "); queries will read more of the journal");
        }
    }
}
