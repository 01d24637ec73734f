package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.monitor.testing.Traffic;
import io.nlstream.netlink.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: one {@code run --netns all} in the host namespace captures namespaces made after it started,
 * named ones ({@code ip netns add}) and one held only by a process ({@code unshare -n}): their links, addresses,
 * a TCP connection (conntrack) and the listening socket (sock_diag), each event stamped with its namespace. The
 * capture threads stay three however many namespaces there are; a namespace that ends ends its objects in
 * {@code state}, with synthesized ends in {@code replay}.
 */
@org.junit.jupiter.api.Tag("kernel")
class NetnsAllKernelIT
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void oneProcessCapturesEveryNamespaceAsItComesAndGoes() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        final int port = freePort();
        final List<Process> started = new ArrayList<>();
        final List<Path> cgroups = new ArrayList<>();
        final List<Netns> many = new ArrayList<>();
        try (MonitorProcess run = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("run")), "run", "--netns", "all",
            "--journal", journal.toString(), "--stdout", "none", "--http", "127.0.0.1:" + port, "--sock-interval", "1s");
             Netns client = Netns.create("all-c");
             Netns server = Netns.create("all-s"))
        {
            run.awaitLog("watching every network namespace", 30_000);
            awaitReady(port);
            final int threadsBefore = threads(run.pid(), t -> true);

            // named namespaces made after the start: a veth between them, conntrack on in the server, a TCP exchange
            Traffic.wire(client, server, "10.231.0.1", "10.231.0.2");
            Traffic.trackConnections(server);
            Traffic.startServer(server, started, Traffic.TCP_ECHO, "10.231.0.2", "7007");
            // one held only by a process: no name, no mount; the process in a cgroup named as the kubelet's systemd
            // driver names a pod's container (cgroup v2), which the namespace's events then carry
            final Path unified = ContainerIdentityKernelIT.mountOf("cgroup2", null);
            final String podUid = java.util.UUID.randomUUID().toString();
            final String containerId = ContainerIdentityKernelIT.hex64();
            Path scope = null;
            if (unified != null)
            {
                scope = ContainerIdentityKernelIT.make(unified, cgroups, "kubepods.slice", "kubepods-besteffort.slice",
                    "kubepods-besteffort-pod" + podUid.replace('-', '_') + ".slice", "cri-containerd-" + containerId + ".scope");
            }
            final Process holder = scope == null ? new ProcessBuilder("unshare", "-n", "sleep", "600").start()
                : new ProcessBuilder("sh", "-c", "echo $$ > " + scope.resolve("cgroup.procs") + " && exec unshare -n sleep 600").start();
            started.add(holder);
            final long unnamed = awaitNetnsOf(holder);
            Netns.run("nsenter", "-t", Long.toString(holder.pid()), "-n", "ip", "link", "add", "nlu0", "type", "veth", "peer", "name", "nlu1");

            final long clientNs = inode(client);
            final long serverNs = inode(server);
            // the flow is made once the server's namespace is watched (a flow older than that shows in its dump too)
            awaitEvents(journal, e -> "link".equals(e.get("kind")) && number(e, "netns") == serverNs, "a link in " + server.name());
            client.exec("python3", "-c", Traffic.TCP_CLIENT, "10.231.0.2", "7007");

            awaitEvents(journal, e -> "link".equals(e.get("kind")) && number(e, "netns") == clientNs && "eth0".equals(e.get("ifname"))
                && client.name().equals(e.get("netns_name")), "client's eth0, named");
            awaitEvents(journal, e -> "addr".equals(e.get("kind")) && number(e, "netns") == serverNs && "10.231.0.2".equals(e.get("address")),
                "server's address");
            awaitEvents(journal, e -> "conn".equals(e.get("kind")) && number(e, "netns") == serverNs
                && "10.231.0.1".equals(tuple(e, "src")) && number(e, "orig", "dport") instanceof Number
                && ((Number)number(e, "orig", "dport")).longValue() == 7007, "the TCP flow");
            awaitEvents(journal, e -> "sock".equals(e.get("kind")) && number(e, "netns") == serverNs && "LISTEN".equals(e.get("state"))
                && number(e, "sport") == 7007, "the listening socket");
            awaitEvents(journal, e -> "link".equals(e.get("kind")) && number(e, "netns") == unnamed && "nlu0".equals(e.get("ifname"))
                && !e.containsKey("netns_name"), "a link in the unnamed namespace");
            if (scope != null)
            {
                awaitEvents(journal, e -> number(e, "netns") == unnamed && podUid.equals(e.get("pod_uid"))
                    && containerId.equals(e.get("container_id")) && "containerd".equals(e.get("container_runtime")),
                    "the unnamed namespace's pod and container");
            }

            // more namespaces, no more threads: three capture threads serve them all
            for (int i = 0; i < 20; i++)
            {
                many.add(Netns.create("all-n" + i));
            }
            final long last = inode(many.get(many.size() - 1));
            awaitEvents(journal, e -> "link".equals(e.get("kind")) && number(e, "netns") == last, "the last namespace's loopback");
            assertEquals(3, threads(run.pid(), t -> t.startsWith("nlstream-captur")), "capture threads");
            final int threadsAfter = threads(run.pid(), t -> true);
            assertTrue(threadsAfter - threadsBefore < 10, "threads " + threadsBefore + " -> " + threadsAfter + " with 22 more namespaces");
            final String metrics = get(port, "/metrics");
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("nlstream_netns_watched ") && Double.parseDouble(l.split(" ")[1]) >= 24),
                () -> metrics.lines().filter(l -> l.startsWith("nlstream_netns")).toList() + "\n" + stderr(run));

            // namespaces end: the client's is deleted, the unnamed one's process exits
            client.close();
            holder.destroy();
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
            run.awaitLog("network namespace " + unnamed + " ended", 20_000);
            run.awaitLog("network namespace " + clientNs + " ended", 20_000);
            awaitEvents(journal, e -> "link".equals(e.get("kind")) && number(e, "netns") == clientNs && "eth0".equals(e.get("ifname"))
                && "del".equals(e.get("op")) && Boolean.TRUE.equals(e.get("synthesized")), "the client's eth0 ended");
            // the kernel frees a namespace (and the veth peer in the server's) after nlstream's sockets there close
            awaitEvents(journal, e -> "link".equals(e.get("kind")) && number(e, "netns") == serverNs && "eth0".equals(e.get("ifname"))
                && "del".equals(e.get("op")), "the server's eth0 deleted with its peer");
            // each source's capture thread ends the namespace's objects when it closes its socket there: polled for
            final List<List<Map<String, Object>>> polled = new ArrayList<>(List.of(List.of()));
            final List<Map<String, Object>> state = Await.value("no objects of ended namespaces left in state", Duration.ofSeconds(10), () ->
            {
                polled.set(0, Cli.json("state", "--journal", journal.toString()));
                return polled.get(0).stream().anyMatch(o -> number(o, "netns") == clientNs || number(o, "netns") == unnamed)
                    ? Optional.empty() : Optional.of(polled.get(0));
            }, () -> polled.get(0).stream().filter(o -> number(o, "netns") == clientNs || number(o, "netns") == unnamed).toList());
            // the server's namespace goes on (its eth0 went with the peer deleted with the client's namespace)
            assertTrue(state.stream().anyMatch(o -> number(o, "netns") == serverNs && "sock".equals(o.get("kind"))
                && "LISTEN".equals(o.get("state")) && number(o, "sport") == 7007), () -> "the server's listening socket not in "
                    + state.stream().filter(o -> number(o, "netns") == serverNs).toList());
            assertTrue(state.stream().noneMatch(o -> number(o, "netns") == serverNs && "eth0".equals(o.get("ifname"))), "eth0 left");

            // idle namespaces dump their sockets every second, but a dump that finds nothing again is not journalled
            final long idle = inode(many.get(0));
            // fixed: what is asserted is that four rounds of dumps journal nothing
            Thread.sleep(4_000);
            assertEquals(0, run.terminate(30_000), run::toString);
            assertEquals(4, sockDumps(journal, idle), "the first dumps of an idle namespace only (tcp, tcp6, udp, udp6)");
            assertTrue(sockDumps(journal, serverNs) > 8, "a namespace with a listening socket: every dump journalled");
        }
        finally
        {
            for (final Process p : started)
            {
                p.destroyForcibly();
            }
            for (final Netns ns : many)
            {
                ns.close();
            }
            for (int i = cgroups.size() - 1; i >= 0; i--)
            {
                ContainerIdentityKernelIT.removeCgroup(cgroups.get(i));
            }
        }
    }

    private static String stderr(final MonitorProcess run)
    {
        try
        {
            return run.stderr();
        }
        catch (final IOException e)
        {
            return e.toString();
        }
    }

    /** sock_diag dumps journalled in namespace {@code netns}. */
    private static int sockDumps(final Path journal, final long netns)
    {
        int n = 0;
        try (io.nlstream.monitor.journal.Journal j = io.nlstream.monitor.journal.Journal.openForReading(journal);
             io.nlstream.monitor.journal.JournalReader r = j.reader().toStart())
        {
            final io.nlstream.monitor.journal.JournalEntry e = new io.nlstream.monitor.journal.JournalEntry();
            while (r.next(e))
            {
                if (e.netns() == netns && e.protocol() == io.nlstream.netlink.Netlink.NETLINK_SOCK_DIAG
                    && e.origin() == io.nlstream.monitor.journal.CaptureHeader.ORIGIN_DUMP_BEGIN)
                {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * A namespace where nothing happens, with a listener in it: its socket dump rounds (every 200 ms here) are passed
     * over while the kernel's counts there stay the same, one in 16 dumping anyway; a second listener moves the counts
     * and shows at the next round, as does the first's end.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aQuietNamespacesDumpRoundsArePassedOverUntilItsSocketCountsMove() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        final int port = freePort();
        try (MonitorProcess run = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("run")), "run", "--netns", "all",
            "--journal", journal.toString(), "--stdout", "none", "--http", "127.0.0.1:" + port, "--sock-interval", "200ms",
            "--capture", "sock");
             Netns quiet = Netns.create("all-quiet"))
        {
            run.awaitLog("watching every network namespace", 30_000);
            quiet.ip("link", "set", "lo", "up");
            final long ns = inode(quiet);
            final Process first = listener(quiet, 7071);
            final Process second;
            try
            {
                awaitEvents(journal, e -> "sock".equals(e.get("kind")) && number(e, "netns") == ns && number(e, "sport") == 7071
                    && "LISTEN".equals(e.get("state")), "the first listener");
                final long from = dumps(port, ns);
                final long t0 = System.nanoTime();
                Thread.sleep(6_400); // 32 rounds of 200 ms: two of them dump, the rest are passed over
                final long rounds = (System.nanoTime() - t0) / 200_000_000L;
                final long dumped = dumps(port, ns) - from;
                // four requests a round (tcp, tcp6, udp, udp6): without passing over, 4 x 32 = 128
                assertTrue(dumped <= 4 * (rounds / 16 + 2), dumped + " dumps in " + rounds + " rounds");
                assertTrue(dumped >= 4, "one round in 16 still dumps: " + dumped + " in " + rounds + " rounds");

                second = listener(quiet, 7072);
                final long opened = System.nanoTime();
                awaitEvents(journal, e -> "sock".equals(e.get("kind")) && number(e, "netns") == ns && number(e, "sport") == 7072
                    && "LISTEN".equals(e.get("state")), "the second listener");
                System.out.println("NetnsAllKernelIT: a listener in a quiet namespace journalled " + (System.nanoTime() - opened) / 1_000_000
                    + " ms after it was opened (dump rounds every 200 ms)");
            }
            finally
            {
                first.destroy();
                first.waitFor();
            }
            try
            {
                // its end is announced (a destroy), and the round after dumps what is left
                awaitEvents(journal, e -> "sock".equals(e.get("kind")) && number(e, "netns") == ns && number(e, "sport") == 7071
                    && ("destroy".equals(e.get("op")) || "del".equals(e.get("op"))), "the first listener's end");
            }
            finally
            {
                second.destroy();
                second.waitFor();
            }
            assertEquals(0, run.terminate(30_000), run::toString);
        }
    }

    /** A TCP listener on 127.0.0.1:{@code port} in {@code ns}, up when this returns. */
    private static Process listener(final Netns ns, final int port) throws IOException
    {
        final Process p = new ProcessBuilder(ns.prefix("python3", "-c", "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', "
            + port + ")); s.listen(); print('up', flush=True); sys.stdin.read()")).redirectErrorStream(true).start();
        final String up = new String(p.getInputStream().readNBytes(2), StandardCharsets.US_ASCII);
        assertEquals("up", up, "listener on " + port);
        return p;
    }

    /** The sock_diag dumps requested in namespace {@code ns}, from /metrics. */
    private static long dumps(final int port, final long ns) throws Exception
    {
        return get(port, "/metrics").lines().filter(l -> l.startsWith("nlstream_capture_dumps_total{") && l.contains("source=\"sock_diag\"")
            && l.contains("netns=\"" + ns + "\"")).mapToLong(l -> (long)Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static void awaitEvents(final Path journal, final Predicate<Map<String, Object>> wanted, final String what)
    {
        final int[] events = {0};
        Await.until("an event: " + what, Duration.ofSeconds(30), () ->
        {
            final List<Map<String, Object>> replayed = Cli.json("replay", "--journal", journal.toString());
            events[0] = replayed.size();
            return replayed.stream().anyMatch(wanted);
        }, () -> "none among " + events[0]);
    }

    private static long awaitNetnsOf(final Process p) throws Exception
    {
        final Path link = Path.of("/proc", Long.toString(p.pid()), "ns", "net");
        final long host = netnsOf(Path.of("/proc/self/ns/net"));
        return Await.value("unshare -n to move into a namespace of its own", Duration.ofSeconds(10), () ->
        {
            final long ns = netnsOf(link);
            return ns != host && ns != 0 ? Optional.of(ns) : Optional.empty();
        });
    }

    private static long netnsOf(final Path link)
    {
        try
        {
            final String target = Files.readSymbolicLink(link).toString();
            return Long.parseLong(target.substring(target.indexOf('[') + 1, target.indexOf(']')));
        }
        catch (final IOException | RuntimeException e)
        {
            return 0;
        }
    }

    private static long inode(final Netns ns) throws IOException
    {
        return ((Number)Files.getAttribute(Path.of("/run/netns", ns.name()), "unix:ino")).longValue();
    }

    /** Threads of {@code pid} whose name (as /proc shows it, 15 bytes) passes {@code name}. */
    private static int threads(final long pid, final Predicate<String> name) throws IOException
    {
        int n = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task")))
        {
            for (final Path t : (Iterable<Path>)tasks::iterator)
            {
                try
                {
                    if (name.test(Files.readString(t.resolve("comm")).trim()))
                    {
                        n++;
                    }
                }
                catch (final IOException e)
                {
                    // a thread that ended while listed
                }
            }
        }
        return n;
    }

    private static long number(final Map<String, Object> e, final String field)
    {
        return e.get(field) instanceof Number ? ((Number)e.get(field)).longValue() : -1;
    }

    @SuppressWarnings("unchecked")
    private static Object number(final Map<String, Object> e, final String tuple, final String field)
    {
        final Object t = e.get(tuple);
        return t instanceof Map ? ((Map<String, Object>)t).get(field) : null;
    }

    @SuppressWarnings("unchecked")
    private static Object tuple(final Map<String, Object> e, final String field)
    {
        final Object t = e.get("orig");
        return t instanceof Map ? ((Map<String, Object>)t).get(field) : null;
    }

    private static void awaitReady(final int port) throws Exception
    {
        final String[] last = {""};
        Await.until("/readyz to answer ok", Duration.ofSeconds(30), () -> "ok".equals(last[0] = get(port, "/readyz").trim()), () -> last[0]);
    }

    private static String get(final int port, final String path) throws Exception
    {
        final HttpResponse<String> r = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return r.body();
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }
}
