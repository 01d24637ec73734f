package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.journal.AnnotationRecord;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.GapEvent;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.sinks.Timestamps;

import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code stats}: what the journal holds, counted from the journal itself: entries by protocol and origin,
 * events by kind, gaps, the time span, the oldest instant kept (its first entry's, or its base's once retention
 * deleted its oldest files), its disk use, and what capture counted per family (datagrams, messages,
 * malformed, overruns, dumps, appends), summed over every run that wrote the journal.
 */
final class StatsCommand
{
    private final NlstreamConfig config;
    private final PrintStream out;
    private final PrintStream err;

    private static void addInto(final long[] into, final long[] values)
    {
        for (int i = 0; i < into.length; i++)
        {
            into[i] += values[i];
        }
    }

    StatsCommand(final NlstreamConfig config, final PrintStream out, final PrintStream err)
    {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    int call()
    {
        final Map<String, Long> counts = new TreeMap<>();
        final Map<String, long[]> runTotals = new TreeMap<>();
        final Map<String, long[]> runLast = new TreeMap<>();
        final long[] span = {Long.MAX_VALUE, Long.MIN_VALUE, 0, 0};
        final ReadPipeline.EntryObserver observer = (entry, event) ->
        {
            span[0] = Math.min(span[0], entry.wallNanos());
            span[1] = Math.max(span[1], entry.wallNanos());
            span[2]++;
            span[3] += entry.length();
            counts.merge("entries." + GapEvent.protocolName(entry.protocol()) + "." + CaptureHeader.originName(entry.origin()), 1L, Long::sum);
            if (entry.origin() == CaptureHeader.ORIGIN_ANNOTATION
                && AnnotationRecord.type(entry.buffer(), entry.payloadOffset(), entry.payloadLength()) == AnnotationRecord.TYPE_CAPTURE_COUNTERS
                && entry.payloadLength() >= AnnotationRecord.CAPTURE_COUNTERS_LENGTH)
            {
                final String family = GapEvent.protocolName(entry.protocol());
                final long[] values = new long[AnnotationRecord.COUNTER_NAMES.length];
                for (int i = 0; i < values.length; i++)
                {
                    values[i] = entry.buffer().getLong(entry.payloadOffset() + AnnotationRecord.COUNTERS_OFFSET + 8 * i);
                }
                final String key = family + "/" + entry.netns();
                final long[] last = runLast.get(key);
                if (last != null && values[values.length - 1] < last[last.length - 1])
                {
                    // counters start again at each run: the previous run's last values are its totals
                    addInto(runTotals.computeIfAbsent(key, k -> new long[values.length]), last);
                }
                runLast.put(key, values);
            }
            if (event != null)
            {
                counts.merge("events." + event.kind().text(), 1L, Long::sum);
            }
        };
        // the oldest instant the journal keeps: its first entry, or, when its oldest files were deleted, its base
        final long[] kept = {Long.MIN_VALUE};
        try (Journal journal = Journal.openForReading(config.journalDir()).configuredHost(config.hostId());
             ReadPipeline pipeline = Reading.pipeline(config, journal, EnumSet.allOf(Kind.class), err).observer(observer).build())
        {
            kept[0] = pipeline.baseNanos();
            Reading.drain(pipeline, e ->
            {
                if (e.synthesized())
                {
                    counts.merge("synthesized_ends", 1L, Long::sum);
                }
            });
            if (pipeline.corrupt() > 0)
            {
                // entries that could not be read: damaged ones, ones skipped over zeros, ones a repair marked lost
                counts.put("unreadable_entries", pipeline.corrupt());
            }
        }
        out.println("journal " + config.journalDir());
        out.println("entries " + span[2]);
        out.println("entry_bytes " + span[3]);
        if (span[2] > 0)
        {
            out.println("first " + Timestamps.rfc3339(span[0]));
            out.println("last " + Timestamps.rfc3339(span[1]));
            out.println("oldest_kept " + Timestamps.rfc3339(kept[0] != Long.MIN_VALUE ? kept[0] : span[0]));
        }
        // what the journal directory takes on disk (cycle files, snapshots, metadata), as du counts it
        out.println("disk_bytes " + io.nlstream.netlink.DiskUsage.tree(config.journalDir()));
        for (final Map.Entry<String, Long> c : counts.entrySet())
        {
            out.println(c.getKey() + " " + c.getValue());
        }
        // what capture itself counted (received, malformed, overruns, dumps, appends), per family and namespace
        final Map<String, long[]> capture = new TreeMap<>();
        runLast.forEach((key, last) ->
        {
            final long[] sum = last.clone();
            final long[] before = runTotals.get(key);
            if (before != null)
            {
                addInto(sum, before);
            }
            final String family = key.substring(0, key.indexOf('/'));
            addInto(capture.computeIfAbsent(family, k -> new long[sum.length]), sum);
        });
        capture.forEach((family, values) ->
        {
            for (int i = 0; i < values.length; i++)
            {
                out.println("capture." + family + "." + AnnotationRecord.COUNTER_NAMES[i] + " " + values[i]);
            }
        });
        return Main.EXIT_OK;
    }
}
