package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.Json;
import io.nlstream.monitor.testing.KafkaBroker;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.netlink.testing.Await;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel and a real Kafka broker (a separate KRaft process): {@code nlstream run --kafka} in a
 * test namespace while links and addresses churn; every journalled event must reach its topic with the
 * replay JSON as value, through a broker outage and through a SIGKILL of the monitor: exactly once for a
 * read_committed consumer (the default delivery), and without duplicates from an outage at-least-once.
 */
@org.junit.jupiter.api.Tag("kernel")
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
            final int port;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
            {
                port = free.getLocalPort();
            }
            try (MonitorProcess monitor = startMonitor(ns, journal, broker, "m1", "--http", "127.0.0.1:" + port))
            {
                churn(ns, 0, 5);
                ns.ip("addr", "add", "10.232.0.1/24", "dev", "c0a");
                // the forwarder's lag, in entries and seconds, comes back to 0 once Kafka has everything
                final String[] metrics = {""};
                Await.until("the forwarder's lag in entries and seconds to be 0", Duration.ofSeconds(30), () ->
                {
                    metrics[0] = new String(java.net.URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openStream().readAllBytes(),
                        StandardCharsets.UTF_8);
                    return metrics[0].contains("\nnlstream_forward_lag_entries 0.0\n") && metrics[0].contains("\nnlstream_forward_lag_seconds 0.0\n");
                }, () -> metrics[0]);
                assertEquals(0, monitor.terminate(30_000), monitor::toString);
            }
            final List<Map<String, Object>> replay = replayJson(journal);
            final Map<String, Integer> copies = new HashMap<>();
            final Map<String, ConsumerRecord<byte[], byte[]>> records = consumeAll(broker, replay.size(), copies);
            assertEquals(replay.size(), records.size(), "one record per event");
            assertEquals(0, copies.values().stream().filter(n -> n > 1).count(), "records twice: " + copies);
            final String journalId = journalId(journal);
            assertTrue(journalId.matches("[0-9a-f]{16}"), journalId);
            for (final Map<String, Object> e : replay)
            {
                assertEquals(HOST, e.get("host"), "the host in the value");
                final String id = eventId(journalId, e);
                final ConsumerRecord<byte[], byte[]> r = records.get(id);
                assertNotNull(r, "no record for " + id + " " + e);
                assertEquals("nlstream." + e.get("kind"), r.topic());
                assertEquals(Json.object(new String(r.value(), StandardCharsets.UTF_8)), e, "value is the replay JSON");
                assertEquals(e.get("kind"), header(r, "kind"));
                assertEquals("2", header(r, "schema"));
                assertEquals(expectedKey(e), new String(r.key(), StandardCharsets.UTF_8));
                assertEquals(tsMillis((String)e.get("ts")), r.timestamp());
            }
            assertTrue(records.values().stream().anyMatch(r -> r.topic().equals("nlstream.link")));
            assertTrue(records.values().stream().anyMatch(r -> r.topic().equals("nlstream.addr")));
            // replay values are byte for byte what replay --format json prints
            final String firstLine = Cli.run("replay", "--journal", journal.toString(), "--format", "json").split("\n")[0];
            assertTrue(records.values().stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).equals(firstLine)));
            // the position the last transaction reached, under the journal's key
            final Map<String, Object> position = Json.object(lastCheckpoint(broker, HOST + ":" + journalId));
            assertEquals(replay.get(replay.size() - 1).get("seq"), position.get("seq"), "committed position: " + position);
            // re-published (to other topics here, to tell them apart): the same ids and values, marked replay=true
            Cli.run("replay", "--journal", journal.toString(), "--to-kafka", broker.bootstrap(), "--kafka-topic-prefix", "again",
                "--host-id", "another-host");
            final Map<String, ConsumerRecord<byte[], byte[]>> again = consumeAll(broker, "again", replay.size(), new HashMap<>());
            assertEquals(records.keySet(), again.keySet(), "the same event ids, whoever sends them again");
            for (final Map.Entry<String, ConsumerRecord<byte[], byte[]>> e : again.entrySet())
            {
                assertEquals("true", header(e.getValue(), "replay"));
                assertEquals(new String(records.get(e.getKey()).value(), StandardCharsets.UTF_8),
                    new String(e.getValue().value(), StandardCharsets.UTF_8), "the same value");
            }
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
            // at-least-once: the idempotent producer rides the outage out; nothing is sent again because of it
            try (MonitorProcess monitor = startMonitor(ns, journal, broker, "m1", "--kafka-delivery", "at-least-once"))
            {
                churn(ns, 0, 5);
                // the producer has the topics' metadata before the kill: a send after it then times out on metadata, while
                // the records it holds wait for the broker (before the fix, those were sent twice: 185 of 603 in one run); it has
                // the metadata once the broker acknowledged what was journalled
                awaitCheckpointPast(journal, lastSeq(journal), 30_000);
                broker.kill();
                final long killed = System.nanoTime();
                churnFor(ns, 100, killed, 15_000_000_000L, () ->
                {
                    // the outage shows in the log within 15 s of the kill (issue 11), though the producer would wait minutes
                    final String log = monitor.stderr();
                    return log.contains("Kafka has acknowledged nothing for") || log.contains("Kafka unavailable");
                });
                broker.restart();
                churn(ns, 200, 5);
                awaitCheckpointPast(journal, lastSeq(journal), 90_000);
                assertEquals(0, monitor.terminate(30_000), monitor::toString);
                final String log = monitor.stderr();
                assertTrue(count(log, "Kafka unavailable") <= 1, "at most one log line for the outage:\n" + log);
            }
            assertExactlyOnce(broker, journal);
        }
    }

    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void exactlyOnceThroughABrokerOutageAndASigkillOfTheMonitor() throws Exception
    {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             Netns ns = Netns.create("kafkaeos"))
        {
            final Path journal = tmp.resolve("journal");
            try (MonitorProcess first = startMonitor(ns, journal, broker, "m1"))
            {
                churn(ns, 0, 5);
                broker.kill();
                final long killed = System.nanoTime();
                churnFor(ns, 100, killed, 15_000_000_000L, () -> first.stderr().contains("Kafka unavailable"));
                broker.restart();
                // churn and a SIGKILL while transactions are open
                churn(ns, 300, 10);
                Netns.run("kill", "-9", Long.toString(first.pid()));
                first.awaitExit(10_000);
            }
            churn(ns, 400, 4); // while no monitor runs: the next one's dump sees the result
            try (MonitorProcess second = startMonitor(ns, journal, broker, "m2"))
            {
                churn(ns, 500, 6);
                awaitCheckpointPast(journal, lastSeq(journal), 90_000);
                assertEquals(0, second.terminate(30_000), second::toString);
            }
            assertExactlyOnce(broker, journal);
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void twoJournalsOnOneHostNeverShareAnEventId() throws Exception
    {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             Netns a = Netns.create("kafkaja");
             Netns b = Netns.create("kafkajb"))
        {
            final Path ja = tmp.resolve("journal-a");
            final Path jb = tmp.resolve("journal-b");
            try (MonitorProcess ma = startMonitor(a, ja, broker, "ma");
                 MonitorProcess mb = startMonitor(b, jb, broker, "mb"))
            {
                churn(a, 0, 4);
                churn(b, 0, 4);
                awaitCheckpointPast(ja, lastSeq(ja), 60_000);
                awaitCheckpointPast(jb, lastSeq(jb), 60_000);
                assertEquals(0, ma.terminate(30_000), ma::toString);
                assertEquals(0, mb.terminate(30_000), mb::toString);
            }
            assertTrue(!journalId(ja).equals(journalId(jb)), "two journals, one id: " + journalId(ja));
            final List<Map<String, Object>> ea = replayJson(ja);
            final List<Map<String, Object>> eb = replayJson(jb);
            final Map<String, Integer> copies = new HashMap<>();
            final Map<String, ConsumerRecord<byte[], byte[]>> records = consumeAll(broker, ea.size() + eb.size(), copies);
            assertEquals(ea.size() + eb.size(), records.size(), "every event of both journals under an id of its own");
            for (final Map<String, Object> e : ea)
            {
                assertEquals(e, Json.object(new String(records.get(eventId(journalId(ja), e)).value(), StandardCharsets.UTF_8)));
            }
            for (final Map<String, Object> e : eb)
            {
                assertEquals(e, Json.object(new String(records.get(eventId(journalId(jb), e)).value(), StandardCharsets.UTF_8)));
            }
            // replaying a journal again gives the same ids
            assertEquals(eventId(journalId(ja), ea.get(0)), eventId(journalId(ja), replayJson(ja).get(0)));
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void filteredForwardOfADamagedJournalPublishesTheMatchesOnceAndSaysWhatItSkipped() throws Exception
    {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka")))
        {
            // a journal the kernel made (the v1 fixture: every kind, NAT'd flows), one entry's bytes damaged
            final Path journal = fixtureJournal();
            final Path file;
            try (java.util.stream.Stream<Path> files = Files.list(journal))
            {
                file = files.filter(f -> f.toString().endsWith(".cq4")).max(java.util.Comparator.comparingLong(f -> f.toFile().length()))
                    .orElseThrow();
            }
            final byte[] bytes = Files.readAllBytes(file);
            int last = bytes.length - 1;
            while (bytes[last] == 0)
            {
                last--;
            }
            bytes[last / 2] ^= 0x10;
            Files.write(file, bytes);
            final String[] filter = {"--proto", "tcp"};
            final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            final int replayExit = Main.run(new String[] {"replay", "--journal", journal.toString(), "--host-id", HOST, "--format", "json",
                filter[0], filter[1]}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(Main.EXIT_DAMAGED, replayExit, "the flipped bit is damage every reader reports: " + err);
            final List<Map<String, Object>> expected = new ArrayList<>();
            for (final String line : out.toString(StandardCharsets.UTF_8).split("\n"))
            {
                if (!line.isBlank())
                {
                    expected.add(Json.object(line));
                }
            }
            assertTrue(expected.size() >= 5 && expected.stream().allMatch(e -> "tcp".equals(e.get("proto"))), "tcp events: " + expected.size());
            for (final String name : List.of("f1", "f2"))
            {
                // twice: the second forward finds everything committed and publishes nothing again
                try (MonitorProcess forward = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve(name)), "forward", "--journal",
                    journal.toString(), "--kafka", broker.bootstrap(), "--host-id", HOST, filter[0], filter[1]))
                {
                    final int exit = forward.awaitExit(120_000);
                    assertTrue(exit == 0 || exit == 4, forward.toString());
                    final String log = forward.stderr();
                    assertTrue(log.contains("(not forwarded)"), "the damaged entry is named in the log:\n" + log);
                    assertTrue(java.util.regex.Pattern.compile("[1-9]\\d* journal entries skipped as unreadable").matcher(log).find(), log);
                }
            }
            final Map<String, Integer> copies = new HashMap<>();
            final Map<String, ConsumerRecord<byte[], byte[]>> records = consumeAll(broker, expected.size(), copies);
            // the journal records no id: the forwarder derived one from its first entry, the same on both runs
            final java.util.Set<String> prefixes = new java.util.HashSet<>();
            for (final String id : records.keySet())
            {
                prefixes.add(id.substring(0, id.indexOf(':', HOST.length() + 1)));
            }
            assertEquals(1, prefixes.size(), "one journal id: " + prefixes);
            final String journalId = prefixes.iterator().next().substring(HOST.length() + 1);
            assertTrue(journalId.matches("[0-9a-f]{16}"), journalId);
            assertEquals(expected.size(), records.size(), "the matching events, nothing else");
            for (final Map<String, Object> e : expected)
            {
                final ConsumerRecord<byte[], byte[]> r = records.get(eventId(journalId, e));
                assertNotNull(r, "missing " + e);
                assertEquals(e, Json.object(new String(r.value(), StandardCharsets.UTF_8)));
            }
            assertEquals(0, copies.values().stream().filter(n -> n > 1).count(), "records twice: " + copies);
        }
    }

    private Path fixtureJournal() throws Exception
    {
        final Path archive = tmp.resolve("journal.tar.gz");
        try (java.io.InputStream in = KafkaKernelIT.class.getResourceAsStream("/journals/v1-kernel/journal.tar.gz"))
        {
            Files.copy(in, archive);
        }
        final Process tar = new ProcessBuilder("tar", "-C", tmp.toString(), "-xzf", archive.toString()).inheritIO().start();
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar -xzf " + archive);
        return tmp.resolve("journal");
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aSecondForwarderOfTheSameJournalFencesTheFirstWhichStops() throws Exception
    {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             Netns ns = Netns.create("kafkafence"))
        {
            final Path journal = tmp.resolve("journal");
            try (MonitorProcess zombie = startMonitor(ns, journal, broker, "m1"))
            {
                try (MonitorProcess newer = forwarderOfACopy(ns, journal, broker))
                {
                    newer.awaitLog("forwarding to Kafka", 30_000);
                    final long deadline = System.nanoTime() + 60_000_000_000L;
                    int i = 100;
                    while (!zombie.stderr().contains("fenced: another forwarder of journal"))
                    {
                        assertTrue(System.nanoTime() < deadline, "the first forwarder never noticed it was fenced:\n" + zombie.stderr());
                        churn(ns, i++, 1); // the first one's next transaction meets the fence
                        Thread.sleep(500); // fixed: paces the churn
                    }
                    assertTrue(zombie.isAlive(), "capture goes on in the fenced run");
                    assertTrue(newer.isAlive(), newer.toString());
                    assertEquals(0, newer.terminate(30_000), newer::toString);
                }
                assertEquals(0, zombie.terminate(30_000), zombie::toString);
            }
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aForwarderThatLostTheBrokerWhileANewerOneTookOverStopsInsteadOfFencingItBack() throws Exception
    {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             Netns ns = Netns.create("kafkaown"))
        {
            final Path journal = tmp.resolve("journal");
            try (MonitorProcess older = startMonitor(ns, journal, broker, "m1"))
            {
                try (MonitorProcess newer = forwarderOfACopy(ns, journal, broker))
                {
                    // the newer one holds the transactional id now; the older, idle, has not been told
                    newer.awaitLog("its position claimed as", 30_000);
                    broker.kill();
                    final long killed = System.nanoTime();
                    // the older one's next transaction fails without the word "fenced": the broker is away. How soon it
                    // says so depends on where the outage meets its transaction (the 15 s bound is the outage tests'):
                    // up to 30 s here; if it has not by then, it learns of the fence from the broker after the restart
                    churnUntil(ns, 100, killed, 30_000_000_000L, () -> older.stderr().contains("Kafka unavailable"));
                    final boolean outageSeen = older.stderr().contains("Kafka unavailable");
                    broker.restart();
                    Await.until("the older forwarder, back, to see the newer one's claim", Duration.ofSeconds(90),
                        () -> older.stderr().contains("fenced: another forwarder of journal"),
                        () -> older + "\n== newer:\n" + newer);
                    final String olderLog = older.stderr();
                    final String newerLog = newer.stderr();
                    // after an outage it noticed, only the check of the committed position tells it (the broker does not)
                    assertTrue(!outageSeen || olderLog.contains("took the transactional id"), olderLog);
                    assertFalse(newerLog.contains("fenced: another forwarder"), newerLog);
                    // the older one never took the id back: the newer one's claim is still the last committed position
                    assertTrue(lastCheckpoint(broker, HOST + ":" + journalId(journal)).contains(writerClaimedBy(newerLog)), newerLog);
                    assertTrue(older.isAlive(), "capture goes on in the fenced run");
                    assertEquals(0, newer.terminate(30_000), newer::toString);
                }
                assertEquals(0, older.terminate(30_000), older::toString);
            }
        }
    }

    /**
     * Once the first forwarder (a run on {@code journal}) has forwarded some churn: a second one, {@code forward
     * --follow} of a copy of the journal (its nlstream.id under another path: the same transactional id).
     */
    private MonitorProcess forwarderOfACopy(final Netns ns, final Path journal, final KafkaBroker broker) throws Exception
    {
        churn(ns, 0, 4);
        awaitCheckpointPast(journal, lastSeq(journal), 60_000);
        final Path copy = tmp.resolve("copy");
        Netns.run("cp", "-a", journal.toString(), copy.toString());
        Files.deleteIfExists(copy.resolve("nlstream.lock"));
        return MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("f")), "forward", "--journal", copy.toString(), "--kafka",
            broker.bootstrap(), "--follow");
    }

    /** The writer name a forwarder logged when it claimed the transactional id. */
    private static String writerClaimedBy(final String log)
    {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("its position claimed as (\\S+)").matcher(log);
        String last = null;
        while (m.find())
        {
            last = m.group(1);
        }
        assertNotNull(last, log);
        return last;
    }

    /** Every event of the journal in Kafka once (read_committed), nothing else. */
    /** stderr of every monitor this test started (each in a directory of its own under tmp). */
    private String monitorLogs()
    {
        final StringBuilder logs = new StringBuilder();
        try (java.util.stream.Stream<Path> files = Files.walk(tmp, 2))
        {
            for (final Path f : (Iterable<Path>)files.filter(f -> f.getFileName().toString().equals("monitor.stderr"))::iterator)
            {
                logs.append("== ").append(f).append('\n').append(Files.readString(f));
            }
        }
        catch (final java.io.IOException e)
        {
            logs.append(e);
        }
        return logs.toString();
    }

    private void assertExactlyOnce(final KafkaBroker broker, final Path journal)
    {
        final List<Map<String, Object>> replay = replayJson(journal);
        final Map<String, Integer> copies = new HashMap<>();
        final Map<String, ConsumerRecord<byte[], byte[]>> records = consumeAll(broker, replay.size(), copies);
        final String journalId = journalId(journal);
        final List<String> missing = new ArrayList<>();
        for (final Map<String, Object> e : replay)
        {
            final ConsumerRecord<byte[], byte[]> r = records.get(eventId(journalId, e));
            if (r == null)
            {
                missing.add(eventId(journalId, e));
            }
            else
            {
                assertEquals(e, Json.object(new String(r.value(), StandardCharsets.UTF_8)));
            }
        }
        final Map<String, Integer> twice = new HashMap<>(copies);
        twice.values().removeIf(n -> n < 2);
        System.out.println(getClass().getSimpleName() + ": " + replay.size() + " events journalled, " + records.size() + " distinct in Kafka, "
            + missing.size() + " missing, " + twice.size() + " duplicated");
        assertEquals(List.of(), missing, "missing from Kafka");
        // the monitors' logs say which failures made the forwarder send again (rare: 1 duplicate in many CI runs)
        assertEquals(Map.of(), twice, () -> "records in Kafka more than once; the monitors' logs:\n" + monitorLogs());
        assertEquals(replay.size(), records.size(), "records in Kafka that are no journalled event");
    }

    /** Churns from {@code from} on until {@code seen} holds or {@code nanos} after {@code since}, whichever is first. */
    private static void churnUntil(final Netns ns, final int from, final long since, final long nanos,
        final java.util.concurrent.Callable<Boolean> seen) throws Exception
    {
        int i = from;
        while (!seen.call() && System.nanoTime() - since < nanos)
        {
            churn(ns, i++, 1);
            Thread.sleep(250); // fixed: paces the churn
        }
    }

    /** Churns from {@code from} on until {@code nanos} after {@code since}; {@code seen} must hold by then. */
    private static void churnFor(final Netns ns, final int from, final long since, final long nanos,
        final java.util.concurrent.Callable<Boolean> seen) throws Exception
    {
        int i = from;
        boolean noted = false;
        while (System.nanoTime() - since < nanos)
        {
            churn(ns, i, 1);
            i++;
            noted |= seen.call();
            Thread.sleep(250); // fixed: paces the churn, which goes on for the whole span
        }
        assertTrue(noted || seen.call(), "no outage logged within " + nanos / 1_000_000_000L + " s of the kill");
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
                // fixed: the kill comes while the forwarder is at some point of sending the churn, whichever
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
            // exactly-once (the default): nothing the killed monitor sent is visible twice
            assertExactlyOnce(broker, journal);
        }
    }

    private MonitorProcess startMonitor(final Netns ns, final Path journal, final KafkaBroker broker, final String name, final String... more)
        throws Exception
    {
        final Path work = Files.createDirectories(tmp.resolve(name));
        // in the host namespace, watching the test namespace: the broker listens on the host's loopback
        final List<String> args = new ArrayList<>(List.of("run", "--netns", ns.name(), "--journal", journal.toString(), "--stdout", "none",
            "--kafka", broker.bootstrap(), "--host-id", HOST, "--kafka-linger", "5ms", "--capture", "rtnl"));
        args.addAll(List.of(more));
        final MonitorProcess monitor = MonitorProcess.startInHost(work, args.toArray(new String[0]));
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
    private static void awaitCheckpointPast(final Path journal, final long seq, final long timeoutMillis)
    {
        final Path file = journal.resolve("kafka-nlstream.checkpoint");
        Await.until("checkpoint " + file + " to reach seq " + seq, Duration.ofMillis(timeoutMillis),
            () -> Files.exists(file) && Long.parseLong(Files.readString(file).trim().split("\\s+")[0]) >= seq,
            () -> Files.exists(file) ? quietlyRead(file) : "absent");
    }

    private static String quietlyRead(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final java.io.IOException e)
        {
            return e.toString();
        }
    }

    private Map<String, ConsumerRecord<byte[], byte[]>> consumeAll(final KafkaBroker broker, final int expected)
    {
        return consumeAll(broker, expected, new HashMap<>());
    }

    /** Every record of every nlstream topic, by event_id; {@code copies} counts records per event_id. */
    private static Map<String, ConsumerRecord<byte[], byte[]>> consumeAll(
        final KafkaBroker broker, final int expected, final Map<String, Integer> copies)
    {
        return consumeAll(broker, "nlstream", expected, copies);
    }

    /** As above, for the topics of another prefix. */
    private static Map<String, ConsumerRecord<byte[], byte[]>> consumeAll(
        final KafkaBroker broker, final String prefix, final int expected, final Map<String, Integer> copies)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final Map<String, ConsumerRecord<byte[], byte[]>> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            consumer.subscribe(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix) + "\\..*"));
            final long deadline = System.currentTimeMillis() + 30_000;
            int quietPolls = 0;
            while (System.currentTimeMillis() < deadline && (out.size() < expected || quietPolls < 3))
            {
                int n = 0;
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)))
                {
                    if (r.topic().equals(prefix + ".checkpoints"))
                    {
                        continue; // positions, not events
                    }
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

    private static String eventId(final String journalId, final Map<String, Object> e)
    {
        return HOST + ":" + journalId + ":" + e.get("seq") + (e.get("sub") != null ? ":" + e.get("sub") : "");
    }

    /** The journal id the journal records (nlstream.id). */
    private static String journalId(final Path journal)
    {
        try
        {
            for (final String line : Files.readAllLines(journal.resolve("nlstream.id")))
            {
                if (line.startsWith("journal="))
                {
                    return line.substring("journal=".length());
                }
            }
        }
        catch (final java.io.IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no journal= in " + journal.resolve("nlstream.id"));
    }

    /** The last committed value under {@code key} in nlstream.checkpoints. */
    private static String lastCheckpoint(final KafkaBroker broker, final String key)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        String last = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final TopicPartition tp = new TopicPartition("nlstream.checkpoints", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            final long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end)
            {
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)))
                {
                    if (key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                    {
                        last = new String(r.value(), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        assertNotNull(last, "no checkpoint under " + key);
        return last;
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
