package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.sinks.Event;
import io.nlstream.sinks.EventEncoder;
import io.nlstream.sinks.StreamSink;

import java.io.PrintStream;
import java.util.Set;

/**
 * {@code replay}: prints the events between --since and --until (by capture time), then exits: what
 * {@link io.nlstream.monitor.state.StateBuilder} emits for each entry, so dumps print only what they add,
 * and the ends a resync dump implies print as synthesized events.
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
            JournalScan.scan(config.journalDir(), until, err, (entry, event, emitted) ->
            {
                if (entry.wallNanos() < since)
                {
                    return;
                }
                for (final Event e : emitted)
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
