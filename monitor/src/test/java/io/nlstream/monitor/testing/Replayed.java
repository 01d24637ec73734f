package io.nlstream.monitor.testing;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.EventFilter;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * A whole journal read through the read pipeline every reader uses (stdout, replay, state, Kafka): what it
 * emitted, in order, the objects its state holds at the end (as {@code state} lists them), and the problems
 * it was told of ({@code "index reason"}).
 */
public record Replayed(List<JsonEvent> emitted, List<JsonEvent> objects, List<String> malformed)
{
    /** Every entry of the journal at {@code dir}, every kind, no snapshots. */
    public static Replayed of(final Path dir)
    {
        final List<String> problems = new ArrayList<>();
        final List<JsonEvent> emitted = new ArrayList<>();
        final List<JsonEvent> objects = new ArrayList<>();
        try (Journal journal = Journal.openForReading(dir);
             ReadPipeline pipeline = ReadPipeline.from(journal).problems((index, reason) -> problems.add(index + " " + reason)).build())
        {
            while (pipeline.poll(1000, e -> emitted.add(JsonEvent.of(e))) > 0)
            {
                // poll does the work
            }
            pipeline.state().forEach(EnumSet.allOf(Kind.class), EventFilter.ALL, o -> objects.add(JsonEvent.of(o)));
        }
        return new Replayed(List.copyOf(emitted), List.copyOf(objects), List.copyOf(problems));
    }

    /** The emitted events of one kind. */
    public List<JsonEvent> of(final String kind)
    {
        return emitted.stream().filter(e -> kind.equals(e.kind())).toList();
    }

    /** The emitted events stamped with the entry at {@code seq}. */
    public List<JsonEvent> at(final long seq)
    {
        return emitted.stream().filter(e -> e.seq() == seq).toList();
    }

    /** The emitted ends a dump synthesized, in order. */
    public List<JsonEvent> synthesized()
    {
        return emitted.stream().filter(e -> Boolean.TRUE.equals(e.get("synthesized"))).toList();
    }

    public List<JsonEvent> objects(final String kind)
    {
        return objects.stream().filter(e -> kind.equals(e.kind())).toList();
    }
}
