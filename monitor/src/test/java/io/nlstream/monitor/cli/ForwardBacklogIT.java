package io.nlstream.monitor.cli;

import io.nlstream.monitor.read.HourlyJournal;
import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.KafkaBroker;
import io.nlstream.monitor.testing.MonitorProcess;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code forward} of a journal with a backlog (a day of hourly files, written before it starts: its first poll reads a
 * full batch, so the rest is read ahead on a thread of its own while its own thread sends), exactly-once and
 * at-least-once: the records are {@code replay}'s lines, each once, with their event ids.
 */
class ForwardBacklogIT
{
    private static final long START_MS = Instant.parse("2026-11-30T00:00:00Z").toEpochMilli();

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aBacklogReadAheadGivesReplaysEventsOnceInEitherDelivery() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        HourlyJournal.write(journal, new SetTimeProvider(Instant.ofEpochMilli(START_MS)), START_MS, 0, 24, true, 3);
        final List<String> replay = Cli.run("replay", "--journal", journal.toString(), "--format", "json").lines().toList();
        assertTrue(replay.size() > 1_000, "events: " + replay.size());
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka")))
        {
            for (final String delivery : new String[] {"exactly-once", "at-least-once"})
            {
                final String prefix = "backlog-" + delivery.replace('-', '_');
                try (MonitorProcess forward = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve(prefix)), "forward",
                    "--journal", journal.toString(), "--kafka", broker.bootstrap(), "--kafka-topic-prefix", prefix,
                    "--kafka-delivery", delivery))
                {
                    assertEquals(0, forward.awaitExit(120_000), forward::toString);
                    assertTrue(forward.stderr().contains(replay.size() + " published"), forward::toString);
                }
                final TreeMap<String, List<String>> byId = new TreeMap<>(ForwardBacklogIT::bySeqAndSub);
                for (final ConsumerRecord<byte[], byte[]> r : broker.consumeAll(prefix, replay.size()))
                {
                    byId.computeIfAbsent(new String(r.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(new String(r.value(), StandardCharsets.UTF_8));
                }
                final List<String> values = new ArrayList<>();
                byId.forEach((id, v) ->
                {
                    assertEquals(1, v.size(), delivery + ": records of " + id);
                    values.add(v.get(0));
                });
                assertEquals(replay, values, delivery + ": record values by event_id vs replay");
            }
        }
    }

    /** {@code HOST:JOURNAL:SEQ[:SUB]} in journal order. */
    private static int bySeqAndSub(final String a, final String b)
    {
        return Comparator.<String>comparingLong(id -> Long.parseLong(id.split(":")[2]))
            .thenComparingLong(id -> id.split(":").length > 3 ? Long.parseLong(id.split(":")[3]) : 0).compare(a, b);
    }
}
