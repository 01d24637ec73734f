package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.JournalBase;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.monitor.read.TimeIndex;
import io.nlstream.sinks.Timestamps;

import java.io.PrintStream;
import java.util.Set;

/**
 * The read pipeline as the commands configure it: what cannot be read or decoded is reported on stderr with
 * its index and skipped.
 */
final class Reading
{
    private Reading()
    {
    }

    static ReadPipeline.Builder pipeline(final NlstreamConfig config, final Journal journal, final Set<Kind> kinds, final PrintStream err)
    {
        final boolean snapshots = snapshotsEnabled(config);
        return ReadPipeline.from(journal)
            .kinds(kinds)
            .snapshots(snapshots, snapshots, snapshotIntervalNanos(config), snapshotEntries(config))
            .problems(new ReadPipeline.ProblemListener()
            {
                @Override
                public void onProblem(final long index, final String reason)
                {
                    Logging.error(err, "journal " + journal.dir() + " index " + index + ": " + reason + " (skipped)");
                }

                @Override
                public void onDamage(final long index, final String reason)
                {
                    DAMAGE.get()[0]++;
                    onProblem(index, reason);
                }
            });
    }

    /**
     * Journal entries this command's readers skipped as damaged. A command runs its readers on the thread that
     * called {@link Main#run}; Main resets the count before a command and turns a count above 0 into
     * {@link Main#EXIT_DAMAGED} after it.
     */
    private static final ThreadLocal<long[]> DAMAGE = ThreadLocal.withInitial(() -> new long[1]);

    static long damaged()
    {
        return DAMAGE.get()[0];
    }

    static void resetDamaged()
    {
        DAMAGE.get()[0] = 0;
    }

    static boolean snapshotsEnabled(final NlstreamConfig config)
    {
        return config.snapshotsEnabled();
    }

    static long snapshotIntervalNanos(final NlstreamConfig config)
    {
        return config.snapshotInterval().toNanos();
    }

    static long snapshotEntries(final NlstreamConfig config)
    {
        return config.snapshotEntries();
    }

    /**
     * Whether the journal may hold entries captured in [since, until]; if not, says on stderr what it holds
     * (an empty answer is an answer: the caller exits 0). A journal whose oldest files were deleted (retention) holds
     * state and events from its base on: a range that ends before it holds nothing, one that begins at an instant
     * before it is answered from it, and stderr says so.
     */
    static boolean covers(final Journal journal, final long since, final long until, final PrintStream err)
    {
        try (TimeIndex index = new TimeIndex(journal))
        {
            final JournalBase base = index.isEmpty() ? null : JournalBase.of(journal);
            if (base != null && base.found())
            {
                if (until < base.fromNanos())
                {
                    Logging.note(err, coverage(journal, index, base) + "; what was captured " + range(since, until) + " is no longer held");
                    return false;
                }
                if (since != Long.MIN_VALUE && since < base.fromNanos())
                {
                    // (asked from the journal's start, the answer is from its start as it is now: nothing to say)
                    Logging.note(err, coverage(journal, index, base) + "; what was captured before " + Timestamps.rfc3339(base.fromNanos())
                        + " is no longer held");
                }
            }
            if (index.mayHaveEntriesIn(since, until))
            {
                return true;
            }
            if (index.isEmpty())
            {
                Logging.note(err, coverage(journal, index, null));
                return false;
            }
            Logging.note(err, coverage(journal, index, base) + "; nothing was captured " + range(since, until));
            return false;
        }
    }

    private static String range(final long since, final long until)
    {
        return since == Long.MIN_VALUE ? "until " + Timestamps.rfc3339(until)
            : until == Long.MAX_VALUE ? "from " + Timestamps.rfc3339(since) + " on"
            : "from " + Timestamps.rfc3339(since) + " to " + Timestamps.rfc3339(until);
    }

    /**
     * Whether the journal holds anything captured at or before {@code at}, and its state there; if not, says on stderr
     * what it holds.
     */
    static boolean coversUntil(final Journal journal, final long at, final PrintStream err)
    {
        try (TimeIndex index = new TimeIndex(journal))
        {
            if (index.isEmpty())
            {
                Logging.note(err, coverage(journal, index, null));
                return false;
            }
            if (at == Long.MAX_VALUE)
            {
                return true;
            }
            final JournalBase base = JournalBase.of(journal);
            if (!stateKnownAt(journal, index, base, at, err))
            {
                return false;
            }
            final long first = index.firstTime();
            if (first != Long.MIN_VALUE && first - TimeIndex.disorderNanos() <= at)
            {
                return true;
            }
            Logging.note(err, coverage(journal, index, base) + "; nothing was captured at or before " + Timestamps.rfc3339(at));
            return false;
        }
    }

    /**
     * Whether the journal still holds the state at {@code at}: false (said on stderr) when its oldest files were
     * deleted and {@code at} is before its base. Before the journal's first entry, without deletion, nothing was alive:
     * that state is known (empty).
     */
    static boolean stateKnownAt(final Journal journal, final long at, final PrintStream err)
    {
        try (TimeIndex index = new TimeIndex(journal))
        {
            return index.isEmpty() || stateKnownAt(journal, index, JournalBase.of(journal), at, err);
        }
    }

    private static boolean stateKnownAt(final Journal journal, final TimeIndex index, final JournalBase base, final long at,
        final PrintStream err)
    {
        if (base != null && base.found() && at < base.fromNanos())
        {
            Logging.note(err, coverage(journal, index, base) + "; the state at " + Timestamps.rfc3339(at) + " is no longer held");
            return false;
        }
        return true;
    }

    private static String coverage(final Journal journal, final TimeIndex index, final JournalBase base)
    {
        if (index.isEmpty())
        {
            return "journal " + journal.dir() + " holds no entries";
        }
        if (base != null && base.found())
        {
            return "journal " + journal.dir() + " holds entries captured from " + Timestamps.rfc3339(base.fromNanos()) + " to "
                + Timestamps.rfc3339(index.lastTime()) + " (its files up to " + base.gone().file() + " were deleted; its state is"
                + " known from its base, snapshot " + base.file().getFileName() + ")";
        }
        return "journal " + journal.dir() + " holds entries captured from " + Timestamps.rfc3339(index.firstTime())
            + " to " + Timestamps.rfc3339(index.lastTime());
    }

    /** Reads the pipeline until the range is done or nothing more is journalled. */
    static void drain(final ReadPipeline pipeline, final ReadPipeline.Consumer consumer)
    {
        while (!pipeline.done() && pipeline.poll(4096, consumer) > 0)
        {
            // poll does the work
        }
    }
}
