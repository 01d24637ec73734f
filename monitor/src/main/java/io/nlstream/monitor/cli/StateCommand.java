package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.state.LinkView;
import io.nlstream.monitor.state.EventStream;
import io.nlstream.sinks.Event;
import io.nlstream.sinks.EventEncoder;
import io.nlstream.sinks.StreamSink;

import java.io.PrintStream;
import java.util.Set;

/**
 * {@code state}: prints the objects alive at --at (default: the end of the journal), one per line.
 */
final class StateCommand
{
    private final NlstreamConfig config;
    private final PrintStream out;
    private final PrintStream err;

    StateCommand(final NlstreamConfig config, final PrintStream out, final PrintStream err)
    {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    int call()
    {
        final Set<String> kinds = config.kinds();
        final EventStream state = JournalScan.scan(config.journalDir(), config.atNanos().orElse(Long.MAX_VALUE), err,
            (entry, event, ended) -> { });
        try (StreamSink sink = new StreamSink(EventEncoder.forFormat(config.format()), out))
        {
            for (final Event object : LinkView.withDerivedFlags(state.objects()))
            {
                if (kinds.contains(object.kind()))
                {
                    sink.accept(object);
                }
            }
        }
        return Main.EXIT_OK;
    }
}
