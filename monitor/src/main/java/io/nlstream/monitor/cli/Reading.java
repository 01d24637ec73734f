package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;

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
            .problems((index, reason) -> Logging.error(err, "journal " + journal.dir() + " index " + index + ": " + reason + " (skipped)"));
    }

    static boolean snapshotsEnabled(final NlstreamConfig config)
    {
        return !"false".equals(System.getProperty("nlstream.snapshots"));
    }

    static long snapshotIntervalNanos(final NlstreamConfig config)
    {
        return Long.getLong("nlstream.snapshot.interval.ms", 60_000L) * 1_000_000L;
    }

    static long snapshotEntries(final NlstreamConfig config)
    {
        return Long.getLong("nlstream.snapshot.entries", 1_000_000L);
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
