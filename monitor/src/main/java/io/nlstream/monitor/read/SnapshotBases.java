package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.Retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The snapshots beside a journal as retention's bases. A snapshot is the state after one entry, each object as the
 * index of its latest record: it is a base for the files from the one that holds its oldest such record on, and for
 * none before (a reader could not print those objects). Checked through (every section's checksum, its entry in the
 * journal with its capture time) before it counts; what was learnt of a file is kept while the file is unchanged.
 */
public final class SnapshotBases implements Retention.Bases
{
    private static final Logger LOG = Logger.getLogger(SnapshotBases.class.getName());

    private final Journal journal;
    private final Path dir;
    /** By file name: the file's size and mtime when read, and what it said (null: not a base). */
    private final Map<String, Known> known = new HashMap<>();

    private record Known(long size, long modified, Retention.Base base, String why)
    {
    }

    public SnapshotBases(final Journal journal)
    {
        this.journal = journal;
        this.dir = journal.dir().resolve(Snapshots.DIR);
    }

    @Override
    public Retention.Base oldest(final long firstKept, final long before)
    {
        final List<Long> indexes = Snapshots.indexes(dir);
        if (indexes == null)
        {
            return null;
        }
        for (final long index : indexes)
        {
            if (index >= before)
            {
                return null;
            }
            if (index < firstKept)
            {
                continue;
            }
            final Known k = read(index);
            if (k != null && k.base != null && k.base.oldestReference() >= firstKept)
            {
                return k.base;
            }
        }
        return null;
    }

    @Override
    public String whyNone(final long firstKept)
    {
        final List<Long> indexes = Snapshots.indexes(dir);
        if (indexes == null || indexes.isEmpty() || indexes.get(indexes.size() - 1) < firstKept)
        {
            return "no snapshot after it yet";
        }
        for (int i = indexes.size() - 1; i >= 0; i--)
        {
            final Known k = read(indexes.get(i));
            if (k != null && k.base != null)
            {
                return "the newest snapshot, " + k.base.name() + ", still points to index " + k.base.oldestReference()
                    + ", in " + Journal.cycleFileName(journal.queue().rollCycle(), journal.queue().rollCycle().toCycle(k.base.oldestReference()));
            }
        }
        final Known newest = read(indexes.get(indexes.size() - 1));
        return "no snapshot after it can be read" + (newest == null ? "" : " (" + newest.why + ")");
    }

    @Override
    public int deleteBefore(final Retention.Base base)
    {
        final List<Long> indexes = Snapshots.indexes(dir);
        int deleted = 0;
        for (final long index : indexes == null ? List.<Long>of() : indexes)
        {
            if (index >= base.index())
            {
                break;
            }
            final String name = Snapshot.fileName(index);
            try
            {
                if (Files.deleteIfExists(dir.resolve(name)))
                {
                    deleted++;
                }
                known.remove(name);
            }
            catch (final IOException e)
            {
                LOG.warning("retention: cannot delete snapshot " + dir.resolve(name) + " (" + e + "); readers refuse it: its objects"
                    + " point into deleted files");
            }
        }
        return deleted;
    }

    /** What the snapshot at {@code index} is as a base, read once per version of its file; null when it is gone. */
    private Known read(final long index)
    {
        final String name = Snapshot.fileName(index);
        final Path file = dir.resolve(name);
        final long size;
        final long modified;
        try
        {
            size = Files.size(file);
            modified = Files.getLastModifiedTime(file).toMillis();
        }
        catch (final IOException e)
        {
            known.remove(name);
            return null;
        }
        final Known k = known.get(name);
        if (k != null && k.size == size && k.modified == modified)
        {
            return k;
        }
        final String[] why = new String[1];
        final Snapshot.Header h = Snapshot.readHeader(file, why);
        Known now;
        if (h == null)
        {
            now = new Known(size, modified, null, why[0]);
        }
        else if (h.lastIndex != index)
        {
            now = new Known(size, modified, null, "named for index " + index + " but holds the state after index " + h.lastIndex);
        }
        else
        {
            final String mismatch = Snapshots.checkAgainstJournal(journal, h);
            final long oldest = mismatch == null ? Snapshot.oldestReference(h, why) : Long.MIN_VALUE;
            now = mismatch != null ? new Known(size, modified, null, mismatch)
                : oldest == Long.MIN_VALUE ? new Known(size, modified, null, why[0])
                : new Known(size, modified, new Retention.Base(index, h.maxTs, Math.min(oldest, index), name), null);
        }
        known.put(name, now);
        return now;
    }
}
