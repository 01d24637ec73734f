package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.Json;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: a burst of new UDP flows through conntrack in a test namespace. With the default
 * receive buffer every NEW event is captured and no gap is reported; with a tiny buffer the kernel drops
 * events, gap events say so, and the resync dump repairs the state to equal conntrack -L. (CI-sized: the
 * 200,000-flow run is the storm benchmark, bin/storm.)
 */
class StormKernelIT
{
    private static final int FLOWS = 20_000;
    private static final String SERVER = "10.234.0.2";
    /** One socket, one datagram to each of FLOWS destination ports: FLOWS distinct 5-tuples. */
    private static final String BURST = String.join("\n",
        "import socket, sys",
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
        "for p in range(20000, 20000 + int(sys.argv[2])):",
        "    s.sendto(b'x', (sys.argv[1], p))");

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void burstIsCapturedCompletelyWithDefaultSettings() throws Exception
    {
        try (Netns client = Netns.create("stc");
             Netns server = Netns.create("sts"))
        {
            wire(client, server);
            final Path journal = tmp.resolve("journal");
            try (MonitorProcess monitor = MonitorProcess.start(server, Files.createDirectories(tmp.resolve("m")), "run",
                "--journal", journal.toString(), "--stdout", "none", "--capture", "conntrack"))
            {
                monitor.awaitLog("capture conntrack: initial dumps complete", 30_000);
                client.exec("python3", "-c", BURST, SERVER, Integer.toString(FLOWS));
                final int kernel = awaitStableConntrackCount(server);
                assertTrue(kernel >= FLOWS, "the kernel tracks the burst: " + kernel);
                Thread.sleep(1_000);
                assertEquals(0, monitor.terminate(30_000), monitor::toString);
            }
            final List<Map<String, Object>> conns = Cli.lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json", "--kind", "conn,gap"));
            final Set<Long> ports = new TreeSet<>();
            long gaps = 0;
            for (final Map<String, Object> e : conns)
            {
                if ("gap".equals(e.get("kind")))
                {
                    gaps++;
                }
                else if ("new".equals(e.get("op")) && "event".equals(e.get("origin")) && "udp".equals(e.get("proto")))
                {
                    ports.add((Long)((Map<?, ?>)e.get("orig")).get("dport"));
                }
            }
            assertEquals(0, gaps, "no overrun with the default receive buffer");
            assertEquals(FLOWS, ports.size(), "every NEW event of the burst");
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void overrunGivesGapEventsAndTheResyncRepairsState() throws Exception
    {
        try (Netns client = Netns.create("stc");
             Netns server = Netns.create("sts"))
        {
            wire(client, server);
            final Path journal = tmp.resolve("journal");
            try (MonitorProcess monitor = MonitorProcess.start(server, Files.createDirectories(tmp.resolve("m")), "run",
                "--journal", journal.toString(), "--stdout", "none", "--capture", "conntrack", "--rcvbuf", "4096"))
            {
                monitor.awaitLog("capture conntrack: initial dumps complete", 30_000);
                client.exec("python3", "-c", BURST, SERVER, Integer.toString(FLOWS));
                awaitStableConntrackCount(server);
                Thread.sleep(10_000); // the resync dump after the last overrun has long finished
                final long at = System.currentTimeMillis() * 1_000_000L;
                final Set<String> kernel = conntrackList(server);
                Thread.sleep(300);
                assertEquals(0, monitor.terminate(30_000), monitor::toString);

                final List<Map<String, Object>> gaps = Cli.lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json", "--kind", "gap"));
                assertTrue(!gaps.isEmpty(), "a 4 KiB buffer cannot hold a 20,000-flow burst: gap events expected");
                assertEquals("overrun", gaps.get(0).get("op"));
                assertEquals("netfilter", gaps.get(0).get("protocol"));

                final Set<String> state = new TreeSet<>();
                for (final Map<String, Object> c : Cli.lines(Cli.run("state", "--journal", journal.toString(), "--format", "json", "--kind", "conn",
                    "--at", io.nlstream.sinks.Timestamps.rfc3339(at))))
                {
                    final Map<?, ?> o = (Map<?, ?>)c.get("orig");
                    state.add(c.get("proto") + " " + o.get("src") + ":" + o.get("sport") + ">" + o.get("dst") + ":" + o.get("dport"));
                }
                if (!kernel.equals(state) && System.getenv("NLSTREAM_KEEP_FAILED") != null)
                {
                    Netns.run("cp", "-a", journal.toString(), System.getenv("NLSTREAM_KEEP_FAILED"));
                }
                final Set<String> missing = new TreeSet<>(kernel);
                missing.removeAll(state);
                final Set<String> extra = new TreeSet<>(state);
                extra.removeAll(kernel);
                assertEquals(kernel.size(), state.size(), "as many flows as conntrack -L; missing " + missing + " extra " + extra
                    + " journal " + journal);
                assertEquals(kernel, state, "state --kind conn equals conntrack -L");
            }
        }
    }

    private static void wire(final Netns client, final Netns server)
    {
        final String veth = "nls" + Long.toHexString(System.nanoTime() & 0xffffff);
        client.ip("link", "add", veth + "a", "type", "veth", "peer", "name", veth + "b", "netns", server.name());
        client.ip("addr", "add", "10.234.0.1/24", "dev", veth + "a");
        server.ip("addr", "add", SERVER + "/24", "dev", veth + "b");
        client.ip("link", "set", veth + "a", "up");
        server.ip("link", "set", veth + "b", "up");
        server.execWithInput(String.join("\n",
            "table inet nlstest {",
            "  chain in { type filter hook input priority 0; policy accept; ct state new counter; }",
            "}", ""),
            "nft", "-f", "-");
    }

    private static int awaitStableConntrackCount(final Netns server) throws InterruptedException
    {
        int last = -1;
        for (int i = 0; i < 60; i++)
        {
            final int n = Integer.parseInt(server.exec("conntrack", "-C").trim());
            if (n == last && n > 0)
            {
                return n;
            }
            last = n;
            Thread.sleep(500);
        }
        return last;
    }

    private static Set<String> conntrackList(final Netns server)
    {
        final Set<String> out = new TreeSet<>();
        for (final String line : server.exec("conntrack", "-L", "-p", "udp").split("\n"))
        {
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("src=(\\S+) dst=(\\S+) sport=(\\d+) dport=(\\d+)").matcher(line);
            if (m.find())
            {
                out.add("udp " + m.group(1) + ":" + m.group(3) + ">" + m.group(2) + ":" + m.group(4));
            }
        }
        return out;
    }

}
