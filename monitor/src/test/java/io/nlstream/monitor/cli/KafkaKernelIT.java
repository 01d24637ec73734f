package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.Json;
import io.nlstream.monitor.testing.KafkaBroker;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Touches the kernel and a real Kafka broker (a separate KRaft process): {@code nlstream run --kafka} in a
 * test namespace while links and addresses churn; every journalled event must reach its topic with the
 * replay JSON as value, through a broker outage and through a SIGKILL of the monitor.
 */
class KafkaKernelIT
{
    private static final String HOST = "test-host";

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void eventsReachTheirTopicsWithKeysHeadersAndReplayJson() throws Exception
    {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             Netns ns = Netns.create("kafka"))
        {
            final Path journal = tmp.resolve("journal");
            try (MonitorProcess monitor = startMonitor(ns, journal, broker, "m1"))
            {
                churn(ns, 0, 5);
                ns.ip("addr", "add", "10.232.0.1/24", "dev", "c0a");
                assertEquals(0, monitor.terminate(30_000), monitor::toString);
            }
            final List<Map<String, Object>> replay = replayJson(journal);
            final Map<String, ConsumerRecord<byte[], byte[]>> records = consumeAll(broker, replay.size());
            assertEquals(replay.size(), records.size(), "one record per event");
            for (final Map<String, Object> e : replay)
            {
                final String id = eventId(e);
                final ConsumerRecord<byte[], byte[]> r = records.get(id);
                assertNotNull(r, "no record for " + id + " " + e);
                assertEquals("nlstream." + e.get("kind"), r.topic());
                assertEquals(Json.object(new String(r.value(), StandardCharsets.UTF_8)), e, "value is the replay JSON");
                assertEquals(e.get("kind"), header(r, "kind"));
                assertEquals("1", header(r, "schema"));
                assertEquals(expectedKey(e), new String(r.key(), StandardCharsets.UTF_8));
                assertEquals(tsMillis((String)e.get("ts")), r.timestamp());
            }
            assertTrue(records.values().stream().anyMatch(r -> r.topic().equals("nlstream.link")));
            assertTrue(records.values().stream().anyMatch(r -> r.topic().equals("nlstream.addr")));
            // replay values are byte for byte what replay --format json prints
            final String firstLine = Cli.run("replay", "--journal", journal.toString(), "--format", "json").split("\n")[0];
            assertTrue(records.values().stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).equals(firstLine)));
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void brokerKilledMidStreamThenRestartedLosesAndDuplicatesNothing() throws Exception
    {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             Netns ns = Netns.create("kafkaout"))
        {
            final Path journal = tmp.resolve("journal");
            try (MonitorProcess monitor = startMonitor(ns, journal, broker, "m1"))
            {
                churn(ns, 0, 5);
                broker.kill();
                final long killed = System.nanoTime();
                churn(ns, 100, 10); // capture goes on while the broker is away
                // the outage shows in the log within 15 s of the kill (issue 11), though the producer would wait minutes
                while (!monitor.stderr().contains("Kafka has acknowledged nothing for") && !monitor.stderr().contains("Kafka unavailable"))
                {
                    assertTrue(System.nanoTime() - killed < 15_000_000_000L, "no outage logged within 15 s of the kill:\n" + monitor.stderr());
                    Thread.sleep(100);
                }
                broker.restart();
                churn(ns, 200, 5);
                awaitCheckpointPast(journal, lastSeq(journal), 90_000);
                assertEquals(0, monitor.terminate(30_000), monitor::toString);
                final String log = monitor.stderr();
                assertEquals(1, count(log, "Kafka unavailable"), "one log line for the outage:\n" + log);
            }
            final List<Map<String, Object>> replay = replayJson(journal);
            final Map<String, Integer> copies = new HashMap<>();
            final Map<String, ConsumerRecord<byte[], byte[]>> records = consumeAll(broker, replay.size(), copies);
            for (final Map<String, Object> e : replay)
            {
                assertTrue(records.containsKey(eventId(e)), "missing from Kafka: " + e);
            }
            final long duplicates = copies.values().stream().filter(n -> n > 1).count();
            assertEquals(0, duplicates, "records sent twice: " + copies);
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void monitorKilledWithSigkillResumesFromItsCheckpoint() throws Exception
    {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             Netns ns = Netns.create("kafkakill"))
        {
            final Path journal = tmp.resolve("journal");
            try (MonitorProcess first = startMonitor(ns, journal, broker, "m1"))
            {
                churn(ns, 0, 8);
                Thread.sleep(1_500);
                Netns.run("kill", "-9", Long.toString(first.pid()));
                first.awaitExit(10_000);
            }
            churn(ns, 100, 4); // while no monitor runs: the next one's dump sees the result
            try (MonitorProcess second = startMonitor(ns, journal, broker, "m2"))
            {
                churn(ns, 200, 4);
                awaitCheckpointPast(journal, lastSeq(journal), 60_000);
                assertEquals(0, second.terminate(30_000), second::toString);
            }
            final List<Map<String, Object>> replay = replayJson(journal);
            final Map<String, Integer> copies = new HashMap<>();
            final Map<String, ConsumerRecord<byte[], byte[]>> records = consumeAll(broker, replay.size(), copies);
            for (final Map<String, Object> e : replay)
            {
                final ConsumerRecord<byte[], byte[]> r = records.get(eventId(e));
                assertNotNull(r, "missing from Kafka: " + e);
                assertEquals(e, Json.object(new String(r.value(), StandardCharsets.UTF_8)), "a record sent again is the same event");
            }
            System.out.println("records sent twice after SIGKILL (same event_id): " + copies.values().stream().filter(n -> n > 1).count());
        }
    }

    private MonitorProcess startMonitor(final Netns ns, final Path journal, final KafkaBroker broker, final String name) throws Exception
    {
        final Path work = Files.createDirectories(tmp.resolve(name));
        // in the host namespace, watching the test namespace: the broker listens on the host's loopback
        final MonitorProcess monitor = MonitorProcess.startInHost(work, "run", "--netns", ns.name(), "--journal", journal.toString(), "--stdout", "none",
            "--kafka", broker.bootstrap(), "--host-id", HOST, "--kafka-linger", "5ms", "--capture", "rtnl");
        monitor.awaitLog("capture rtnl: initial dumps complete", 30_000);
        return monitor;
    }

    /** Link and address changes: veth pairs made, addressed, brought up; every second one deleted. */
    private static void churn(final Netns ns, final int from, final int count)
    {
        for (int i = from; i < from + count; i++)
        {
            final String a = "c" + i + "a";
            ns.ip("link", "add", a, "type", "veth", "peer", "name", "c" + i + "b");
            ns.ip("addr", "add", "10.233." + (i % 250) + ".1/24", "dev", a);
            ns.ip("link", "set", a, "up");
            if (i % 2 == 1)
            {
                ns.ip("link", "del", a);
            }
        }
    }

    private static long lastSeq(final Path journal)
    {
        final List<Map<String, Object>> events = replayJson(journal);
        return (Long)events.get(events.size() - 1).get("seq");
    }

    /** Waits until the forwarder's checkpoint says the broker acknowledged up to seq. */
    private static void awaitCheckpointPast(final Path journal, final long seq, final long timeoutMillis) throws Exception
    {
        final Path file = journal.resolve("kafka-nlstream.checkpoint");
        final long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline)
        {
            if (Files.exists(file) && Long.parseLong(Files.readString(file).trim().split("\\s+")[0]) >= seq)
            {
                return;
            }
            Thread.sleep(200);
        }
        fail("checkpoint " + file + " did not reach seq " + seq + ": " + (Files.exists(file) ? Files.readString(file) : "absent"));
    }

    private Map<String, ConsumerRecord<byte[], byte[]>> consumeAll(final KafkaBroker broker, final int expected)
    {
        return consumeAll(broker, expected, new HashMap<>());
    }

    /** Every record of every nlstream topic, by event_id; {@code copies} counts records per event_id. */
    private static Map<String, ConsumerRecord<byte[], byte[]>> consumeAll(
        final KafkaBroker broker, final int expected, final Map<String, Integer> copies)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final Map<String, ConsumerRecord<byte[], byte[]>> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            consumer.subscribe(java.util.regex.Pattern.compile("nlstream\\..*"));
            final long deadline = System.currentTimeMillis() + 30_000;
            int quietPolls = 0;
            while (System.currentTimeMillis() < deadline && (out.size() < expected || quietPolls < 3))
            {
                int n = 0;
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)))
                {
                    final String id = header(r, "event_id");
                    out.put(id, r);
                    copies.merge(id, 1, Integer::sum);
                    n++;
                }
                quietPolls = n == 0 ? quietPolls + 1 : 0;
            }
        }
        return out;
    }

    private static String header(final ConsumerRecord<byte[], byte[]> r, final String name)
    {
        final Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String eventId(final Map<String, Object> e)
    {
        return HOST + ":" + e.get("seq") + (e.get("sub") != null ? ":" + e.get("sub") : "");
    }

    private static String expectedKey(final Map<String, Object> e)
    {
        switch ((String)e.get("kind"))
        {
            case "link":
            case "addr":
            case "neigh":
                return e.get("netns") + ":" + e.get("ifindex");
            case "route":
                return e.get("netns") + ":" + e.get("table") + ":" + e.get("dst");
            default:
                return e.get("community_id") != null ? (String)e.get("community_id") : e.get("netns") + ":" + e.get("kind");
        }
    }

    private static long tsMillis(final String ts)
    {
        return java.time.Instant.parse(ts).toEpochMilli();
    }

    private static int count(final String text, final String what)
    {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1))
        {
            n++;
        }
        return n;
    }

    private static List<Map<String, Object>> replayJson(final Path journal)
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final String line : Cli.run("replay", "--journal", journal.toString(), "--format", "json").split("\n"))
        {
            if (!line.isBlank())
            {
                out.add(Json.object(line));
            }
        }
        return out;
    }

}
