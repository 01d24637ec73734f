package io.nlstream.monitor.cli;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.Json;
import io.nlstream.monitor.testing.KafkaBroker;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.monitor.testing.Traffic;
import io.nlstream.netlink.testing.Await;
import io.nlstream.sinks.Timestamps;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Touches the kernel and a real Kafka broker: the readers agree. {@code nlstream run --stdout json --kafka}
 * watches a test namespace (links, addresses, a route, TCP and UDP through conntrack, sockets) twice on one
 * journal, with changes made while no monitor runs, so that the second run's start-up dumps end what vanished
 * and begin what appeared. Then run's stdout (both runs, one after the other), the Kafka records (by event_id)
 * and {@code replay} of the same range are the same events, byte for byte; replay of a sub-range is the slice
 * of the full replay; and {@code state --at T} from the snapshots run wrote equals it read from the journal's
 * start.
 */
@org.junit.jupiter.api.Tag("kernel")
class ReadersAgreeKernelIT
{
    private static final String HOST = "test-host";
    private static final String SERVER = "10.234.0.2";
    private static final String CLIENT = "10.234.0.1";


    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void runStdoutAcrossARestartKafkaAndReplayAreTheSameEvents() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        final List<Process> servers = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             Netns ns = Netns.create("agree");
             Netns peer = Netns.create("agreep"))
        {
            try
            {
                wire(ns, peer);
                Traffic.startServer(ns, servers, Traffic.TCP_ECHO, SERVER, "80");

                // ---- run 1
                final long midRun1;
                final String stdout1;
                try (MonitorProcess run1 = startRun(ns, journal, broker, "run1"))
                {
                    final Process udp = Traffic.startServer(ns, servers, Traffic.UDP_ECHO, SERVER, "9999"); // a listener started after run
                    ns.ip("link", "add", "d0", "type", "veth", "peer", "name", "d0p");
                    ns.ip("link", "set", "d0p", "up");
                    ns.ip("link", "set", "d0", "up");
                    ns.ip("link", "set", "d0", "mtu", "1400");
                    ns.ip("addr", "add", "10.235.0.1/24", "dev", "d0");
                    ns.ip("addr", "add", "fd00:235::1/64", "dev", "d0");
                    ns.ip("route", "add", "10.236.0.0/24", "via", "10.235.0.2", "dev", "d0");
                    ns.ip("link", "add", "d1", "type", "veth", "peer", "name", "d1p");
                    ns.ip("addr", "add", "10.237.0.1/24", "dev", "d1");
                    ns.ip("link", "set", "d1", "up");
                    peer.exec("python3", "-c", Traffic.TCP_CLIENT, SERVER, "80");
                    peer.exec("python3", "-c", Traffic.UDP_CLIENT, SERVER, "9999");
                    // what each capture sees last: the socket dumps (every second) the listener, conntrack the flows, rtnetlink d1 up
                    awaitEvents(run1, "run 1 to print the UDP listener, the flows and d1 up", List.of(
                        sock("udp", "UNCONN", 9999), conn("new", "tcp", 80), conn("new", "udp", 9999), link("d1", null, true),
                        event("addr", "new", "address", "10.237.0.1"), event("route", "new", "dst", "10.236.0.0/24")));
                    midRun1 = quietInstant();
                    ns.ip("addr", "del", "10.235.0.1/24", "dev", "d0");
                    ns.ip("link", "set", "d0", "down");
                    peer.exec("python3", "-c", Traffic.TCP_CLIENT, SERVER, "80");
                    awaitEvents(run1, "run 1 to print 10.235.0.1 deleted, d0 down and the second TCP flow", List.of(
                        event("addr", "del", "address", "10.235.0.1"), link("d0", 1400L, false)), flows("tcp", 80, 2));
                    assertEquals(0, run1.terminate(30_000), run1::toString);
                    assertTrue(run1.stderr().contains("journal complete"), run1::toString);
                    stdout1 = run1.stdout();

                    // ---- while no monitor runs: what the next run's start-up dumps find gone or new
                    ns.ip("link", "del", "d1");
                    ns.ip("addr", "add", "10.234.0.9/24", "dev", "eth0");
                    udp.destroy();
                    assertTrue(udp.waitFor(5, TimeUnit.SECONDS));
                    ns.exec("conntrack", "-D");
                }
                final List<Path> snapshotsOfRun1 = snapshots(journal);
                final long betweenRuns = quietInstant();

                // ---- run 2, same journal, same options
                final long midRun2;
                final String stdout2;
                final String stderr2;
                try (MonitorProcess run2 = startRun(ns, journal, broker, "run2"))
                {
                    Traffic.startServer(ns, servers, Traffic.TCP_ECHO, SERVER, "8081");
                    ns.ip("link", "set", "d0", "up");
                    ns.ip("link", "set", "d0", "mtu", "1300");
                    ns.ip("addr", "add", "10.235.0.5/24", "dev", "d0");
                    ns.ip("route", "add", "10.238.0.0/24", "via", "10.235.0.6", "dev", "d0");
                    peer.exec("python3", "-c", Traffic.TCP_CLIENT, SERVER, "8081");
                    awaitEvents(run2, "run 2 to print the listener on 8081, its flow, d0 up with mtu 1300 and the new address and route",
                        List.of(sock("tcp", "LISTEN", 8081), conn("new", "tcp", 8081), link("d0", 1300L, true),
                            event("addr", "new", "address", "10.235.0.5"), event("route", "new", "dst", "10.238.0.0/24")));
                    midRun2 = quietInstant();
                    ns.ip("route", "del", "10.238.0.0/24");
                    ns.ip("link", "del", "d0");
                    peer.exec("python3", "-c", Traffic.UDP_SEND, SERVER, "9999"); // nobody listens: unreplied, no socket
                    awaitEvents(run2, "run 2 to print the route deleted, d0 deleted and the unreplied UDP flow", List.of(
                        event("route", "del", "dst", "10.238.0.0/24"), event("link", "del", "ifname", "d0"), conn("new", "udp", 9999)));
                    assertEquals(0, run2.terminate(30_000), run2::toString);
                    stdout2 = run2.stdout();
                    stderr2 = run2.stderr();
                }
                final List<Path> snapshotsOfRuns = snapshots(journal);

                // (a) run's stdout, run 1 then run 2, is replay of the whole journal, line for line
                final List<String> replay = lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json"));
                final List<String> stdout = new ArrayList<>(lines(stdout1));
                stdout.addAll(lines(stdout2));
                assertSameLines(replay, stdout, "run 1's stdout followed by run 2's vs replay");
                assertRestartFoundEndsAndNews(replay, betweenRuns, stderr2);

                // (b) the Kafka records, ordered by event_id, are the replay lines with their ids
                assertKafkaRecordsAreReplay(broker, replay, journal);

                // (c) a range around run 2 is the slice of the full replay
                final List<String> range = lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json",
                    "--since", Timestamps.rfc3339(betweenRuns), "--until", Timestamps.rfc3339(midRun2)));
                assertSameLines(slice(replay, betweenRuns, midRun2), range, "replay --since (between runs) --until (mid run 2)");
                final List<String> acrossRestart = lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json",
                    "--since", Timestamps.rfc3339(midRun1), "--until", Timestamps.rfc3339(midRun2)));
                assertSameLines(slice(replay, midRun1, midRun2), acrossRestart, "replay --since (mid run 1) --until (mid run 2)");
                final List<String> tail = lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json",
                    "--since", Timestamps.rfc3339(midRun2)));
                assertSameLines(slice(replay, midRun2, Long.MAX_VALUE), tail, "replay --since (mid run 2)");
                assertTrue(startsFromSnapshot(journal, Long.MIN_VALUE, midRun2),
                    "replay --since a time in run 2 starts from a snapshot: " + snapshotsOfRuns);

                // (d) run's snapshot agent wrote snapshots; state from them equals state from the journal's start
                assertFalse(snapshotsOfRun1.isEmpty(), "run 1 (--snapshot-interval 1s) wrote no snapshot");
                assertTrue(snapshotsOfRuns.size() > snapshotsOfRun1.size(), "run 2 wrote no snapshot: " + snapshotsOfRuns);
                for (final long at : List.of(midRun1, betweenRuns, midRun2, quietInstant()))
                {
                    final String t = Timestamps.rfc3339(at);
                    final String fromSnapshots = Cli.run("state", "--journal", journal.toString(), "--format", "json", "--at", t);
                    final String fromStart = Cli.run("state", "--journal", journal.toString(), "--format", "json", "--at", t,
                        "--snapshots", "false");
                    assertFalse(fromStart.isBlank(), "state at " + t);
                    assertSameLines(lines(fromStart), lines(fromSnapshots), "state --at " + t + " with and without snapshots");
                    assertTrue(at == midRun1 || startsFromSnapshot(journal, at, Long.MIN_VALUE), "state --at " + t + " starts from a snapshot");
                }
            }
            finally
            {
                for (final Process p : servers)
                {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private MonitorProcess startRun(final Netns ns, final Path journal, final KafkaBroker broker, final String name) throws Exception
    {
        final Path work = Files.createDirectories(tmp.resolve(name));
        // in the host namespace, watching the test namespace: the broker listens on the host's loopback
        final MonitorProcess run = MonitorProcess.startInHost(work, "run", "--journal", journal.toString(), "--stdout", "json",
            "--kafka", broker.bootstrap(), "--kafka-linger", "5ms", "--netns", ns.name(), "--sock-interval", "1s", "--host-id", HOST,
            "--snapshot-interval", "1s", "--snapshot-entries", "1000");
        try
        {
            run.awaitLog("capture rtnl: initial dumps complete", 30_000);
            run.awaitLog("capture conntrack: initial dumps complete", 30_000);
            run.awaitLog("capture sock_diag: initial dumps complete", 30_000);
        }
        catch (final AssertionError | IOException | InterruptedException e)
        {
            run.close();
            throw e;
        }
        return run;
    }

    /** The test namespace (eth0, conntrack on) and a peer namespace (its eth0) to send traffic from. */
    private static void wire(final Netns ns, final Netns peer)
    {
        // link-local IPv6 addresses appear at once instead of after DAD, so the namespace settles quickly
        for (final Netns n : List.of(ns, peer))
        {
            n.exec("sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0");
            n.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0");
        }
        Traffic.wire(peer, ns, CLIENT, SERVER);
        Traffic.trackConnections(ns);
    }

    /**
     * Waits until run's stdout has, for each of {@code events}, an event it matches and, if {@code flows} is not null,
     * the flows it counts; the failure shows stdout.
     */
    private static void awaitEvents(final MonitorProcess run, final String what, final List<Predicate<Map<String, Object>>> events,
        final Predicate<List<Map<String, Object>>> flows)
    {
        Await.until(what, Duration.ofSeconds(30), () ->
        {
            if (!run.isAlive())
            {
                throw new AssertionError("monitor exited while waiting for " + what + "; " + run);
            }
            final String out = run.stdout();
            final List<Map<String, Object>> printed = new ArrayList<>();
            for (final String line : lines(out.substring(0, out.lastIndexOf('\n') + 1))) // whole lines only
            {
                printed.add(Json.object(line));
            }
            return events.stream().allMatch(p -> printed.stream().anyMatch(p)) && (flows == null || flows.test(printed));
        }, () ->
        {
            try
            {
                return "stdout:\n" + run.stdout();
            }
            catch (final IOException e)
            {
                return "(stdout unreadable: " + e + ")";
            }
        });
    }

    private static void awaitEvents(final MonitorProcess run, final String what, final List<Predicate<Map<String, Object>>> events)
    {
        awaitEvents(run, what, events, null);
    }

    private static Predicate<Map<String, Object>> event(final String kind, final String op, final String field, final Object value)
    {
        return e -> kind.equals(e.get("kind")) && op.equals(e.get("op")) && value.equals(e.get(field));
    }

    /** A conn event of a flow to {@code dport} (the original direction's). */
    private static Predicate<Map<String, Object>> conn(final String op, final String proto, final long dport)
    {
        return e -> "conn".equals(e.get("kind")) && op.equals(e.get("op")) && proto.equals(e.get("proto"))
            && Long.valueOf(dport).equals(((Map<?, ?>)e.get("orig")).get("dport"));
    }

    /** At least {@code count} flows to {@code dport}: as many conn new events. */
    private static Predicate<List<Map<String, Object>>> flows(final String proto, final long dport, final int count)
    {
        final Predicate<Map<String, Object>> isNew = conn("new", proto, dport);
        return events -> events.stream().filter(isNew).count() >= count;
    }

    private static Predicate<Map<String, Object>> sock(final String proto, final String state, final long sport)
    {
        return e -> "sock".equals(e.get("kind")) && !"destroy".equals(e.get("op")) && proto.equals(e.get("proto")) && state.equals(e.get("state"))
            && Long.valueOf(sport).equals(e.get("sport"));
    }

    /** A link event of {@code ifname}, up or not, with that mtu (any if null). */
    private static Predicate<Map<String, Object>> link(final String ifname, final Long mtu, final boolean up)
    {
        return e -> "link".equals(e.get("kind")) && !"del".equals(e.get("op")) && ifname.equals(e.get("ifname"))
            && (mtu == null || mtu.equals(e.get("mtu"))) && up == ((List<?>)e.get("flags")).contains("UP");
    }

    /** An instant with a second of nothing changing on either side of it. */
    private static long quietInstant() throws InterruptedException
    {
        Thread.sleep(1_000);
        final long at = System.currentTimeMillis() * 1_000_000L;
        Thread.sleep(1_000);
        return at;
    }

    /** The restart's dumps ended what vanished while no monitor ran and began what appeared, as synthesized or dumped events. */
    private static void assertRestartFoundEndsAndNews(final List<String> replay, final long betweenRuns, final String stderr2)
    {
        boolean linkEnded = false;
        boolean sockEnded = false;
        boolean connEnded = false;
        boolean addrBegun = false;
        for (final String line : replay)
        {
            final Map<String, Object> e = Json.object(line);
            if (tsNanos(e) < betweenRuns)
            {
                continue;
            }
            final boolean synthesized = Boolean.TRUE.equals(e.get("synthesized"));
            linkEnded |= synthesized && "link".equals(e.get("kind")) && "del".equals(e.get("op")) && "d1".equals(e.get("ifname"));
            sockEnded |= synthesized && "sock".equals(e.get("kind")) && "destroy".equals(e.get("op")) && Long.valueOf(9999).equals(e.get("sport"));
            connEnded |= synthesized && "conn".equals(e.get("kind")) && "destroy".equals(e.get("op"));
            addrBegun |= "addr".equals(e.get("kind")) && "new".equals(e.get("op")) && "10.234.0.9".equals(e.get("address"))
                && !"event".equals(e.get("origin"));
        }
        final String all = String.join("\n", replay) + "\nrun 2's stderr:\n" + stderr2;
        assertTrue(linkEnded, "d1, deleted while no monitor ran, ends at run 2's start:\n" + all);
        assertTrue(sockEnded, "the UDP listener closed while no monitor ran ends at run 2's start:\n" + all);
        assertTrue(connEnded, "the flows deleted while no monitor ran end at run 2's start:\n" + all);
        assertTrue(addrBegun, "the address added while no monitor ran begins with run 2's dump:\n" + all);
    }

    private static void assertKafkaRecordsAreReplay(final KafkaBroker broker, final List<String> replay, final Path journal) throws IOException
    {
        final String journalId = Files.readAllLines(journal.resolve("nlstream.id")).stream().filter(l -> l.startsWith("journal="))
            .findFirst().orElseThrow().substring("journal=".length());
        final List<ConsumerRecord<byte[], byte[]>> records = broker.consumeAll("nlstream", replay.size());
        final Map<String, List<String>> byId = new HashMap<>();
        for (final ConsumerRecord<byte[], byte[]> r : records)
        {
            byId.computeIfAbsent(header(r, "event_id"), k -> new ArrayList<>()).add(new String(r.value(), StandardCharsets.UTF_8));
        }
        final List<String> duplicated = new ArrayList<>();
        for (final Map.Entry<String, List<String>> e : byId.entrySet())
        {
            if (e.getValue().size() > 1)
            {
                duplicated.add(e.getKey());
                assertTrue(e.getValue().stream().allMatch(v -> v.equals(e.getValue().get(0))), "one event_id, different values: " + e);
            }
        }
        final List<String> ids = new ArrayList<>(byId.keySet());
        ids.sort(Comparator.comparingLong((String id) -> Long.parseLong(id.split(":")[2]))
            .thenComparingLong(id -> id.split(":").length > 3 ? Long.parseLong(id.split(":")[3]) : 0));
        final List<String> values = new ArrayList<>();
        for (final String id : ids)
        {
            values.add(byId.get(id).get(0));
        }
        assertSameLines(replay, values, "Kafka record values ordered by event_id vs replay");
        for (int i = 0; i < ids.size(); i++)
        {
            final Map<String, Object> e = Json.object(replay.get(i));
            final boolean synthesized = Boolean.TRUE.equals(e.get("synthesized"));
            assertEquals(synthesized, e.get("sub") != null, "sub only on synthesized ends: " + e);
            assertEquals(HOST + ":" + journalId + ":" + e.get("seq") + (synthesized ? ":" + e.get("sub") : ""), ids.get(i), "event_id of " + e);
        }
        for (final ConsumerRecord<byte[], byte[]> r : records)
        {
            final Map<String, Object> e = Json.object(new String(r.value(), StandardCharsets.UTF_8));
            assertEquals("nlstream." + e.get("kind"), r.topic(), "topic of " + e);
            assertEquals(e.get("kind"), header(r, "kind"));
        }
        System.out.println("ReadersAgreeKernelIT: " + replay.size() + " events; records sent twice (same event_id, same value): " + duplicated);
        // exactly-once (the default delivery), read_committed: across the restart nothing is there twice
        assertEquals(List.of(), duplicated, "records in Kafka twice");
    }

    private static String header(final ConsumerRecord<byte[], byte[]> r, final String name)
    {
        final Header h = r.headers().lastHeader(name);
        assertNotNull(h, "record without header " + name + " in " + r.topic());
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Whether a reader of this range (state at {@code at}, or replay since {@code since}) starts from a snapshot. */
    private static boolean startsFromSnapshot(final Path dir, final long at, final long since)
    {
        try (Journal journal = Journal.openForReading(dir))
        {
            final ReadPipeline.Builder b = ReadPipeline.from(journal).kinds(EnumSet.allOf(Kind.class))
                .snapshots(true, false, 60_000_000_000L, 1_000_000L);
            if (since == Long.MIN_VALUE)
            {
                b.until(at).emitFromIndex(Long.MAX_VALUE);
            }
            else
            {
                b.since(since);
            }
            try (ReadPipeline pipeline = b.build())
            {
                return pipeline.startedFrom() != null;
            }
        }
    }

    private static List<Path> snapshots(final Path journal) throws IOException
    {
        final Path dir = journal.resolve("snapshots");
        if (!Files.isDirectory(dir))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files.sorted().toList();
        }
    }

    /** The lines of a replay whose ts is in [since, until]. */
    private static List<String> slice(final List<String> replay, final long since, final long until)
    {
        final List<String> out = new ArrayList<>();
        for (final String line : replay)
        {
            final long ts = tsNanos(Json.object(line));
            if (ts >= since && ts <= until)
            {
                out.add(line);
            }
        }
        return out;
    }

    private static long tsNanos(final Map<String, Object> e)
    {
        final Instant i = Instant.parse((String)e.get("ts"));
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static List<String> lines(final String text)
    {
        final List<String> out = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            if (!line.isBlank())
            {
                out.add(line);
            }
        }
        return out;
    }

    /** Equal lists of lines, or a failure showing the first difference with the lines around it. */
    static void assertSameLines(final List<String> expected, final List<String> actual, final String what)
    {
        if (expected.equals(actual))
        {
            return;
        }
        int i = 0;
        while (i < expected.size() && i < actual.size() && expected.get(i).equals(actual.get(i)))
        {
            i++;
        }
        final StringBuilder sb = new StringBuilder(what).append(": ").append(expected.size()).append(" lines expected, ")
            .append(actual.size()).append(" got; first difference at line ").append(i).append('\n');
        for (int k = Math.max(0, i - 2); k < Math.min(Math.max(expected.size(), actual.size()), i + 4); k++)
        {
            sb.append("expected ").append(k).append(": ").append(k < expected.size() ? expected.get(k) : "(none)").append('\n');
            sb.append("actual   ").append(k).append(": ").append(k < actual.size() ? actual.get(k) : "(none)").append('\n');
        }
        fail(sb.toString());
    }
}
