package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.sinks.Event;
import io.nlstream.sinks.EventEncoder;
import io.nlstream.sinks.StreamSink;

import java.io.PrintStream;
import java.util.Set;

/**
 * {@code replay}: prints the journalled events between --since and --until (by capture time), then exits.
 * Also prints the ends that a resync dump implies (marked synthesized), so a consumer of the stream sees
 * every object end even when its deletion event was lost.
 */
final class ReplayCommand
{
    private final NlstreamConfig config;
    private final PrintStream out;
    private final PrintStream err;

    ReplayCommand(final NlstreamConfig config, final PrintStream out, final PrintStream err)
    {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    int call()
    {
        final long since = config.sinceNanos().orElse(Long.MIN_VALUE);
        final long until = config.untilNanos().orElse(Long.MAX_VALUE);
        final Set<String> kinds = config.kinds();
        try (StreamSink sink = new StreamSink(EventEncoder.forFormat(config.format()), out))
        {
            JournalScan.scan(config.journalDir(), until, err, (entry, event, ended) ->
            {
                if (entry.wallNanos() < since)
                {
                    return;
                }
                if (event != null && kinds.contains(event.kind()))
                {
                    sink.accept(event);
                }
                for (final Event e : ended)
                {
                    if (kinds.contains(e.kind()))
                    {
                        sink.accept(e);
                    }
                }
            });
        }
        return Main.EXIT_OK;
    }
}
