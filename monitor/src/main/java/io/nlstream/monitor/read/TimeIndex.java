package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;

/**
 * Finds entries by capture time with a binary search over the journal's entries (their capture timestamps,
 * in the order written: capture threads stamp and append in turn, so the order is nearly that of time). What
 * the journal covers, and whether a time range holds any entry, without reading the journal through.
 */
public final class TimeIndex implements AutoCloseable
{
    /** How far apart two capture threads' stamps can be out of order (a thread stamps, then appends). */
    static final long DISORDER_NANOS = 1_000_000_000L;
    /** How many entries before a point are looked at for disorder. */
    static final int DISORDER_ENTRIES = 256;

    private final Journal journal;
    private final JournalReader reader;
    private final JournalEntry entry = new JournalEntry();
    private final List<long[]> cycles = new ArrayList<>();

    public TimeIndex(final Journal journal)
    {
        this.journal = journal;
        this.reader = journal.reader();
        final SingleChronicleQueue queue = (SingleChronicleQueue)journal.queue();
        final RollCycle roll = queue.rollCycle();
        final NavigableSet<Long> all = journal.cycles();
        if (!all.isEmpty())
        {
            try (ExcerptTailer t = queue.createTailer())
            {
                for (final long c : all)
                {
                    // a file cut short counts what is readable before the cut (Chronicle's count would map past it)
                    final long readable = journal.readableEntries((int)c);
                    final long n = readable >= 0 ? readable : t.excerptsInCycle((int)c);
                    if (n > 0)
                    {
                        cycles.add(new long[] {roll.toIndex((int)c, 0), n});
                    }
                }
            }
        }
    }

    public static long disorderNanos()
    {
        return DISORDER_NANOS;
    }

    /** Whether the journal holds no entry. */
    public boolean isEmpty()
    {
        return cycles.isEmpty();
    }

    /** The capture time of the journal's first readable entry, or Long.MIN_VALUE when empty. */
    public long firstTime()
    {
        for (final long[] c : cycles)
        {
            for (long i = 0; i < Math.min(c[1], 64); i++)
            {
                final long ts = timeAt(c[0] + i);
                if (ts != Long.MIN_VALUE)
                {
                    return ts;
                }
            }
        }
        return Long.MIN_VALUE;
    }

    /** The capture time of the journal's last readable entry, or Long.MIN_VALUE when empty. */
    public long lastTime()
    {
        for (int k = cycles.size() - 1; k >= 0; k--)
        {
            final long[] c = cycles.get(k);
            for (long i = c[1] - 1; i >= Math.max(0, c[1] - 64); i--)
            {
                final long ts = timeAt(c[0] + i);
                if (ts != Long.MIN_VALUE)
                {
                    return ts;
                }
            }
        }
        return Long.MIN_VALUE;
    }

    /**
     * The first entry's index whose capture time is at or after {@code nanos} as a binary search finds it, or
     * -1 when every entry is earlier. With disorder between capture threads, an entry a little earlier in the
     * journal may be at or after {@code nanos} too: callers that must not miss one start earlier.
     */
    public long firstAtOrAfter(final long nanos)
    {
        for (final long[] c : cycles)
        {
            final long lastTs = lastTimeOf(c);
            if (lastTs == Long.MIN_VALUE || lastTs < nanos)
            {
                continue;
            }
            long lo = 0;
            long hi = c[1] - 1;
            while (lo < hi)
            {
                final long mid = lo + hi >>> 1;
                final long ts = timeNear(c, mid);
                if (ts >= nanos)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }
            return c[0] + lo;
        }
        return -1;
    }

    /**
     * Whether some entry may have a capture time in [from, to]: a cheap answer for an empty range (replay of
     * a time with nothing in it costs a few reads, not the journal). The first entry at or after {@code from}
     * decides, and the entries just before it, which capture threads may have stamped out of order.
     */
    public boolean mayHaveEntriesIn(final long from, final long to)
    {
        if (isEmpty())
        {
            return false;
        }
        final long first = firstAtOrAfter(from);
        if (first >= 0)
        {
            final long ts = timeAt(first);
            if (ts == Long.MIN_VALUE || ts >= from && ts <= to)
            {
                return true;
            }
        }
        // disorder: a little before that point (or at the journal's end, when every entry seemed earlier)
        final long around = first >= 0 ? first : lastIndex();
        for (long i = around - 1, n = 0; n < DISORDER_ENTRIES && i >= 0; i--, n++)
        {
            final long ts = timeAt(i);
            if (ts == Long.MIN_VALUE)
            {
                continue; // not an entry (before the journal's first, or unreadable)
            }
            if (ts >= from && ts <= to)
            {
                return true;
            }
            if (ts < from - DISORDER_NANOS)
            {
                break;
            }
        }
        return false;
    }

    /** The index of the journal's last entry, or -1. */
    private long lastIndex()
    {
        if (cycles.isEmpty())
        {
            return -1;
        }
        final long[] c = cycles.get(cycles.size() - 1);
        return c[0] + c[1];
    }

    private long lastTimeOf(final long[] c)
    {
        for (long i = c[1] - 1; i >= Math.max(0, c[1] - 64); i--)
        {
            final long ts = timeAt(c[0] + i);
            if (ts != Long.MIN_VALUE)
            {
                return ts;
            }
        }
        return Long.MIN_VALUE;
    }

    /** The time at position {@code i} of a cycle, or of the next readable entry after it. */
    private long timeNear(final long[] c, final long i)
    {
        for (long j = i; j < c[1]; j++)
        {
            final long ts = timeAt(c[0] + j);
            if (ts != Long.MIN_VALUE)
            {
                return ts;
            }
        }
        return Long.MAX_VALUE;
    }

    /** The capture time of the entry at {@code index}, or Long.MIN_VALUE when it cannot be read. */
    long timeAt(final long index)
    {
        if (!reader.moveToIndex(index) || !reader.next(entry) || entry.index() != index)
        {
            return Long.MIN_VALUE;
        }
        return entry.wallNanos();
    }

    @Override
    public void close()
    {
        reader.close();
    }
}
