package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.Journal;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a journal's state is known from, for the commands that say what a journal holds. A journal that has its
 * start holds its state from its first entry. One whose oldest files were deleted (retention, or by hand: see
 * {@link Journal#predecessor()}) holds it from its base: the oldest snapshot beside it that names an entry still in the
 * journal, after which readers start. Its entries before the base are still on disk, but no state is known there.
 * The base is found as a reader finds it ({@link Snapshots#loadBase}): its entry in the journal, its objects' records
 * all in the files kept (a snapshot from before the deletion can point into the files deleted).
 */
public final class JournalBase
{
    private final Journal.Predecessor gone;
    private final long index;
    private final long fromNanos;
    private final Path file;

    private JournalBase(final Journal.Predecessor gone, final long index, final long fromNanos, final Path file)
    {
        this.gone = gone;
        this.index = index;
        this.fromNanos = fromNanos;
        this.file = file;
    }

    /** Null when the journal has its start (its state is known from its first entry). */
    public static JournalBase of(final Journal journal)
    {
        final Journal.Predecessor gone = journal.predecessor();
        if (gone == null)
        {
            return null;
        }
        final Path dir = journal.dir().resolve(Snapshots.DIR);
        final List<Long> indexes = Snapshots.indexes(dir);
        final long first = journal.firstIndex();
        final String[] why = new String[1];
        for (final long index : indexes == null ? List.<Long>of() : indexes)
        {
            if (index < first)
            {
                continue;
            }
            final Snapshot.Header h = Snapshot.readHeader(dir.resolve(Snapshot.fileName(index)), why);
            if (h != null && h.lastIndex == index && Snapshots.checkAgainstJournal(journal, h) == null
                && Snapshot.oldestReference(h, why) >= first)
            {
                return new JournalBase(gone, index, h.maxTs, h.file);
            }
        }
        return new JournalBase(gone, -1, Long.MIN_VALUE, null);
    }

    /** The file before the journal's first one, which is gone. */
    public Journal.Predecessor gone()
    {
        return gone;
    }

    /** Whether a snapshot is there to start from; if not, the state lacks what the deleted files held. */
    public boolean found()
    {
        return index >= 0;
    }

    /** The index of the base's entry (readers start after it), or -1. */
    public long index()
    {
        return index;
    }

    /** The capture time from which the state is known (the latest among the entries the base holds), epoch ns. */
    public long fromNanos()
    {
        return fromNanos;
    }

    public Path file()
    {
        return file;
    }
}
