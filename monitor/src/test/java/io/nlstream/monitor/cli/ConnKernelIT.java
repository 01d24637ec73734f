package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.Json;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.monitor.testing.Traffic;
import io.nlstream.netlink.testing.Await;
import io.nlstream.sinks.Timestamps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Touches the kernel: two namespaces joined by a veth pair, conntrack on in the server's (an nftables ct
 * rule) with a DNAT of port 8080 to 80; {@code nlstream run} in the server namespace; real TCP through the
 * DNAT, UDP and ICMP from the client. Checks the conn events (tuples, NAT, TCP states, ids), the sockets
 * with their processes, and that state equals conntrack -L, ip -j route and ip -j neigh.
 */
@org.junit.jupiter.api.Tag("kernel")
class ConnKernelIT
{
    private static final String SERVER = "10.231.0.2";
    private static final String CLIENT = "10.231.0.1";


    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void connectionsThroughDnatWithSocketsAndProcesses() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        final List<Process> servers = new ArrayList<>();
        try (Netns client = Netns.create("cli");
             Netns server = Netns.create("srv"))
        {
            try
            {
                wire(client, server);
                final Process before = Traffic.startServer(server, servers, Traffic.TCP_ECHO, SERVER, "80");
                try (MonitorProcess monitor = MonitorProcess.start(server, tmp, "run", "--journal", journal.toString(),
                    "--stdout", "none", "--sock-interval", "1s"))
                {
                    monitor.awaitLog("capture rtnl: initial dumps complete", 30_000);
                    monitor.awaitLog("capture conntrack: initial dumps complete", 30_000);
                    monitor.awaitLog("capture sock_diag: initial dumps complete", 30_000);
                    final Process after = Traffic.startServer(server, servers, Traffic.UDP_ECHO, SERVER, "9999");

                    client.exec("python3", "-c", Traffic.TCP_CLIENT, SERVER, "8080");
                    client.exec("python3", "-c", Traffic.UDP_CLIENT, SERVER, "9999");
                    client.exec("ping", "-c", "1", "-W", "2", SERVER);
                    // socket dumps (every second) find the listener started after run and the closed connection gone
                    Await.until("a dump to find the UDP listener and the closed TCP connection's socket gone", Duration.ofSeconds(30),
                        () -> Cli.lines(Cli.run("state", "--journal", journal.toString(), "--format", "json", "--kind", "sock")).stream()
                            .anyMatch(o -> "udp".equals(o.get("proto")) && "UNCONN".equals(o.get("state")) && Long.valueOf(9999).equals(o.get("sport")))
                            && Cli.lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json", "--kind", "sock")).stream()
                                .anyMatch(e -> "destroy".equals(e.get("op")) && "tcp".equals(e.get("proto")) && Long.valueOf(80).equals(e.get("sport"))
                                    && CLIENT.equals(e.get("dst"))));

                    final long quiet = System.currentTimeMillis() * 1_000_000L;
                    final Set<String> conntrackL = conntrackList(server);
                    final Set<String> routes = ipRoutes(server);
                    final Set<String> neighbours = ipNeighbours(server);
                    assertTrue(neighbours.contains("2 10.231.0.77 02:00:00:00:00:77 PERMANENT"), neighbours.toString());
                    Thread.sleep(300); // fixed: nothing changes until after the instant

                    // ends every flow now, so the destroy events come while we watch
                    server.exec("conntrack", "-D");
                    final Set<String> destroyed = new TreeSet<>();
                    Await.until("a destroy event in the journal for every flow conntrack -L listed", Duration.ofSeconds(30), () ->
                    {
                        destroyed.clear();
                        destroyed.addAll(destroyedConns(journal));
                        return destroyed.containsAll(conntrackL);
                    }, () -> "conntrack -L listed " + conntrackL + "; destroyed: " + destroyed);
                    assertEquals(0, monitor.terminate(20_000), monitor::toString);

                    final List<Map<String, Object>> events = Cli.lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json"));
                    assertTcpThroughDnat(events);
                    assertUdpAndIcmp(events);
                    assertSockets(journal, events, before.pid(), after.pid());

                    final String at = Timestamps.rfc3339(quiet);
                    assertEquals(conntrackL, stateConns(journal, at), "state --kind conn vs conntrack -L");
                    assertEquals(routes, stateRoutes(journal, at), "state --kind route vs ip -j route");
                    assertEquals(neighbours, stateNeighbours(journal, at), "state --kind neigh vs ip -j neigh");
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

    private static void wire(final Netns client, final Netns server)
    {
        Traffic.wire(client, server, CLIENT, SERVER);
        server.ip("neigh", "add", "10.231.0.77", "lladdr", "02:00:00:00:00:77", "dev", "eth0", "nud", "permanent");
        server.exec("sysctl", "-q", "-w", "net.netfilter.nf_conntrack_acct=1");
        server.exec("sysctl", "-q", "-w", "net.netfilter.nf_conntrack_timestamp=1");
        // conntrack tracks nothing until a rule uses it; the DNAT makes NAT visible in the reply tuple
        server.execWithInput(String.join("\n",
            "table inet nlstest {",
            "  chain pre { type nat hook prerouting priority -100; policy accept; tcp dport 8080 dnat ip to " + SERVER + ":80; }",
            "  chain in { type filter hook input priority 0; policy accept; ct state new counter; }",
            "}", ""), "nft", "-f", "-");
    }

    private static void assertTcpThroughDnat(final List<Map<String, Object>> events)
    {
        final List<Map<String, Object>> tcp = conns(events, "tcp", 8080);
        assertFalse(tcp.isEmpty(), "no conn event for the TCP flow to :8080 in " + events);
        final Map<String, Object> first = tcp.get(0);
        assertEquals("new", first.get("op"), first.toString());
        final Object id = first.get("id");
        assertNotNull(id);
        final Map<?, ?> orig = (Map<?, ?>)first.get("orig");
        final Map<?, ?> reply = (Map<?, ?>)first.get("reply");
        assertEquals(CLIENT, orig.get("src"));
        assertEquals(SERVER, orig.get("dst"));
        assertEquals(8080L, orig.get("dport"));
        // the DNAT is visible: the reply comes from port 80
        assertEquals(SERVER, reply.get("src"));
        assertEquals(80L, reply.get("sport"));
        assertEquals(CLIENT, reply.get("dst"));
        assertEquals(orig.get("sport"), reply.get("dport"));
        assertTrue(((String)first.get("community_id")).matches("1:[A-Za-z0-9+/]{27}="), first.toString());
        final List<String> states = new ArrayList<>();
        boolean dstNat = false;
        for (final Map<String, Object> e : tcp)
        {
            assertEquals(id, e.get("id"), "one flow, one id: " + e);
            states.add(e.get("op") + ":" + e.get("tcp_state"));
            dstNat |= ((List<?>)e.get("status")).contains("DST_NAT");
            assertEquals(first.get("community_id"), e.get("community_id"));
        }
        assertTrue(dstNat, "DST_NAT in status: " + tcp);
        assertTrue(states.contains("update:ESTABLISHED"), states.toString());
        assertEquals("destroy", tcp.get(tcp.size() - 1).get("op"), states.toString());
        assertTrue(states.indexOf("update:ESTABLISHED") < states.size() - 1, states.toString());
    }

    private static void assertUdpAndIcmp(final List<Map<String, Object>> events)
    {
        final List<Map<String, Object>> udp = conns(events, "udp", 9999);
        assertFalse(udp.isEmpty(), "no conn event for the UDP flow");
        assertEquals("new", udp.get(0).get("op"));
        assertEquals(SERVER, ((Map<?, ?>)udp.get(0).get("reply")).get("src"));
        boolean icmp = false;
        for (final Map<String, Object> e : events)
        {
            if ("conn".equals(e.get("kind")) && "icmp".equals(e.get("proto")) && "new".equals(e.get("op")))
            {
                final Map<?, ?> orig = (Map<?, ?>)e.get("orig");
                assertEquals(8L, orig.get("type"), e.toString());
                assertEquals(0L, orig.get("code"), e.toString());
                assertNotNull(orig.get("icmp_id"), e.toString());
                icmp = true;
            }
        }
        assertTrue(icmp, "no ICMP echo flow");
    }

    private void assertSockets(final Path journal, final List<Map<String, Object>> events, final long beforePid, final long afterPid)
    {
        final List<Map<String, Object>> socks = Cli.lines(Cli.run("state", "--journal", journal.toString(), "--format", "json", "--kind", "sock"));
        final Map<String, Object> tcpListener = find(socks, "tcp", "LISTEN", 80);
        assertEquals(beforePid, tcpListener.get("pid"), tcpListener.toString());
        assertEquals("python3", tcpListener.get("comm"), tcpListener.toString());
        final Map<String, Object> udpListener = find(socks, "udp", "UNCONN", 9999);
        assertEquals(afterPid, udpListener.get("pid"), udpListener.toString());
        assertEquals("python3", udpListener.get("comm"), udpListener.toString());

        // the accepted connection closed: its socket's destroy event
        boolean destroyed = false;
        for (final Map<String, Object> e : events)
        {
            if ("sock".equals(e.get("kind")) && "destroy".equals(e.get("op")) && "tcp".equals(e.get("proto"))
                && Long.valueOf(80).equals(e.get("sport")) && CLIENT.equals(e.get("dst")))
            {
                destroyed = true;
            }
        }
        assertTrue(destroyed, "no sock destroy for the closed TCP connection");
    }

    private static Map<String, Object> find(final List<Map<String, Object>> socks, final String proto, final String state, final long port)
    {
        for (final Map<String, Object> s : socks)
        {
            if (proto.equals(s.get("proto")) && state.equals(s.get("state")) && Long.valueOf(port).equals(s.get("sport")))
            {
                return s;
            }
        }
        return fail("no " + proto + " " + state + " socket on port " + port + " in " + socks);
    }

    private static List<Map<String, Object>> conns(final List<Map<String, Object>> events, final String proto, final long origDport)
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Map<String, Object> e : events)
        {
            if ("conn".equals(e.get("kind")) && proto.equals(e.get("proto"))
                && Long.valueOf(origDport).equals(((Map<?, ?>)e.get("orig")).get("dport")))
            {
                out.add(e);
            }
        }
        return out;
    }

    private static final Pattern CONNTRACK_LINE = Pattern.compile(
        "^(\\w+)\\s+\\d+\\s.*?src=(\\S+) dst=(\\S+) (?:sport=(\\d+) dport=(\\d+) |type=\\d+ code=\\d+ id=(\\d+) )"
            + ".*?src=(\\S+) dst=(\\S+) (?:sport=(\\d+) dport=(\\d+)|type=\\d+ code=\\d+ id=(\\d+))");

    private static Set<String> conntrackList(final Netns server)
    {
        final Set<String> out = new TreeSet<>();
        for (final String line : server.exec("conntrack", "-L").split("\n"))
        {
            final Matcher m = CONNTRACK_LINE.matcher(line);
            if (m.find())
            {
                out.add(m.group(1) + " " + m.group(2) + ":" + port(m.group(4), m.group(6)) + ">" + m.group(3) + ":" + port(m.group(5), m.group(6))
                    + " " + m.group(7) + ":" + port(m.group(9), m.group(11)) + ">" + m.group(8) + ":" + port(m.group(10), m.group(11)));
            }
        }
        assertFalse(out.isEmpty(), "conntrack -L is empty");
        return out;
    }

    private static String port(final String port, final String icmpId)
    {
        return port != null ? port : "id" + icmpId;
    }

    private Set<String> stateConns(final Path journal, final String at)
    {
        final Set<String> out = new TreeSet<>();
        for (final Map<String, Object> c : Cli.lines(Cli.run("state", "--journal", journal.toString(), "--format", "json", "--kind", "conn", "--at", at)))
        {
            out.add(connKey(c));
        }
        return out;
    }

    /** The flows the journal has a destroy event for, as {@link #conntrackList} names them. */
    private static Set<String> destroyedConns(final Path journal)
    {
        final Set<String> out = new TreeSet<>();
        for (final Map<String, Object> e : Cli.lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json", "--kind", "conn")))
        {
            if ("destroy".equals(e.get("op")))
            {
                out.add(connKey(e));
            }
        }
        return out;
    }

    /** A flow as {@link #conntrackList} names it: proto, then the original and the reply tuple. */
    private static String connKey(final Map<String, Object> c)
    {
        final Map<?, ?> o = (Map<?, ?>)c.get("orig");
        final Map<?, ?> r = (Map<?, ?>)c.get("reply");
        return c.get("proto") + " " + o.get("src") + ":" + port(o) + ">" + o.get("dst") + ":" + dport(o)
            + " " + r.get("src") + ":" + port(r) + ">" + r.get("dst") + ":" + dport(r);
    }

    private static String port(final Map<?, ?> t)
    {
        return t.get("sport") != null ? String.valueOf(t.get("sport")) : "id" + t.get("icmp_id");
    }

    private static String dport(final Map<?, ?> t)
    {
        return t.get("dport") != null ? String.valueOf(t.get("dport")) : "id" + t.get("icmp_id");
    }

    @SuppressWarnings("unchecked")
    private static Set<String> ipRoutes(final Netns ns)
    {
        final Set<String> out = new TreeSet<>();
        for (final String family : List.of("-4", "-6"))
        {
            for (final Object o : Json.array(ns.ip(family, "-j", "route", "show", "table", "all")))
            {
                final Map<String, Object> r = (Map<String, Object>)o;
                final String table = r.get("table") == null ? "main" : (String)r.get("table");
                final String type = r.get("type") == null ? "unicast" : (String)r.get("type");
                out.add(table + " " + type + " " + hostRoute((String)r.get("dst")));
            }
        }
        return out;
    }

    private Set<String> stateRoutes(final Path journal, final String at)
    {
        final Set<String> out = new TreeSet<>();
        for (final Map<String, Object> r : Cli.lines(Cli.run("state", "--journal", journal.toString(), "--format", "json", "--kind", "route", "--at", at)))
        {
            out.add(r.get("table") + " " + r.get("type") + " " + hostRoute((String)r.get("dst")));
        }
        return out;
    }

    /** ip prints a host route without its /32 or /128. */
    private static String hostRoute(final String dst)
    {
        return dst.endsWith("/32") || dst.endsWith("/128") ? dst.substring(0, dst.lastIndexOf('/')) : dst;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> ipNeighbours(final Netns ns)
    {
        final Map<String, Long> index = new HashMap<>();
        for (final Object o : Json.array(ns.ip("-j", "link", "show")))
        {
            index.put((String)((Map<String, Object>)o).get("ifname"), (Long)((Map<String, Object>)o).get("ifindex"));
        }
        final Set<String> out = new TreeSet<>();
        for (final Object o : Json.array(ns.ip("-j", "neigh", "show", "nud", "all")))
        {
            final Map<String, Object> n = (Map<String, Object>)o;
            if ("NOARP".equals(((List<?>)n.get("state")).get(0)))
            {
                continue; // multicast entries made on first use: the kernel does not announce them
            }
            out.add(index.get((String)n.get("dev")) + " " + n.get("dst") + " " + n.get("lladdr") + " "
                + Traffic.stableNeighbourState(((List<?>)n.get("state")).get(0)));
        }
        return out;
    }

    private Set<String> stateNeighbours(final Path journal, final String at)
    {
        final Set<String> out = new TreeSet<>();
        for (final Map<String, Object> n : Cli.lines(Cli.run("state", "--journal", journal.toString(), "--format", "json", "--kind", "neigh", "--at", at)))
        {
            if (!"NOARP".equals(n.get("state")))
            {
                out.add(n.get("ifindex") + " " + n.get("address") + " " + n.get("lladdr") + " " + Traffic.stableNeighbourState(n.get("state")));
            }
        }
        return out;
    }

}
