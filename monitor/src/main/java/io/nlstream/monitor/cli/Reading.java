package io.nlstream.monitor.cli;

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

    static ReadPipeline.Builder pipeline(final Journal journal, final Set<Kind> kinds, final PrintStream err)
    {
        return ReadPipeline.from(journal)
            .kinds(kinds)
            .problems((index, reason) -> Logging.error(err, "journal " + journal.dir() + " index " + index + ": " + reason + " (skipped)"));
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
