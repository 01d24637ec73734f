package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.events.EventDecoder;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.sinks.Event;
import io.nlstream.sinks.Timestamps;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code stats}: what the journal holds, counted from the journal itself: entries by protocol and origin,
 * events by kind, gaps, and the time span.
 */
final class StatsCommand
{
    private final NlstreamConfig config;
    private final PrintStream out;
    private final PrintStream err;

    StatsCommand(final NlstreamConfig config, final PrintStream out, final PrintStream err)
    {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    int call()
    {
        final Map<String, Long> counts = new TreeMap<>();
        final long[] span = {Long.MAX_VALUE, Long.MIN_VALUE, 0, 0};
        JournalScan.scan(config.journalDir(), Long.MAX_VALUE, err, (entry, event, ended) ->
        {
            span[0] = Math.min(span[0], entry.wallNanos());
            span[1] = Math.max(span[1], entry.wallNanos());
            span[2]++;
            span[3] += entry.payloadLength() + CaptureHeader.LENGTH;
            counts.merge("entries." + EventDecoder.protocolName(entry.protocol()) + "." + CaptureHeader.originName(entry.origin()), 1L, Long::sum);
            if (event != null)
            {
                counts.merge("events." + event.kind(), 1L, Long::sum);
            }
            for (final Event e : ended)
            {
                if (Boolean.TRUE.equals(e.get("synthesized")))
                {
                    counts.merge("synthesized_ends", 1L, Long::sum);
                }
            }
        });
        out.println("journal " + config.journalDir());
        out.println("entries " + span[2]);
        out.println("entry_bytes " + span[3]);
        if (span[2] > 0)
        {
            out.println("first " + Timestamps.rfc3339(span[0]));
            out.println("last " + Timestamps.rfc3339(span[1]));
        }
        for (final Map.Entry<String, Long> c : counts.entrySet())
        {
            out.println(c.getKey() + " " + c.getValue());
        }
        return Main.EXIT_OK;
    }
}
