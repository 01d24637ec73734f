package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.monitor.read.TimeIndex;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code timeline --out FILE [--since] [--until]}: a window of the journal as one self-contained HTML page
 * ({@link Timeline}); the window defaults to what the journal holds. The interfaces' spans start from the
 * links' state at --since. Written beside the target and renamed when complete.
 */
final class TimelineCommand
{
    private final NlstreamConfig config;
    private final PrintStream err;

    TimelineCommand(final NlstreamConfig config, final PrintStream err)
    {
        this.config = config;
        this.err = err;
    }

    int call()
    {
        final Path target = config.timelineOut();
        final Set<Kind> kinds = Kind.of(config.kinds());
        try (Journal journal = Journal.openForReading(config.journalDir()).configuredHost(config.hostId()))
        {
            long since = config.sinceNanos().orElse(Long.MIN_VALUE);
            long until = config.untilNanos().orElse(Long.MAX_VALUE);
            if (!Reading.covers(journal, since, until, err))
            {
                return Main.EXIT_OK;
            }
            final io.nlstream.monitor.read.JournalBase base = io.nlstream.monitor.read.JournalBase.of(journal);
            if (base != null && base.found() && since <= base.fromNanos())
            {
                // the oldest files were deleted: the window opens at the base, where the links' state is known
                since = base.fromNanos() + 1;
            }
            try (TimeIndex index = new TimeIndex(journal))
            {
                since = since == Long.MIN_VALUE ? index.firstTime() : since;
                until = until == Long.MAX_VALUE ? index.lastTime() : until;
            }
            final Timeline timeline = new Timeline(since, until);
            if (kinds.contains(Kind.LINK))
            {
                // the links as they were when the window opens: where their spans start
                try (ReadPipeline state = Reading.pipeline(config, journal, EnumSet.of(Kind.LINK), err)
                    .until(since - 1).emitFromIndex(Long.MAX_VALUE).filter(config.filter()).build())
                {
                    Reading.drain(state, event ->
                    {});
                    state.state().forEach(EnumSet.of(Kind.LINK), timeline::linkAtStart);
                }
            }
            try (ReadPipeline events = Reading.pipeline(config, journal, kinds, err).since(since).until(until).filter(config.filter()).build())
            {
                Reading.drain(events, timeline);
            }
            final OutputFile file = new OutputFile(target);
            try
            {
                Files.writeString(file.partial(), timeline.html(), StandardCharsets.UTF_8);
                file.publish();
            }
            catch (final IOException e)
            {
                file.discard();
                Logging.error(err, "cannot write " + target + ": " + e + " (nothing was written there)");
                return Main.EXIT_FAILURE;
            }
            Logging.note(err, "timeline of " + io.nlstream.sinks.Timestamps.rfc3339(since) + " to "
                + io.nlstream.sinks.Timestamps.rfc3339(until) + " written to " + target);
        }
        return Main.EXIT_OK;
    }
}
