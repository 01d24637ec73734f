package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.Json;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.monitor.testing.Traffic;
import io.nlstream.sinks.Timestamps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Touches the kernel: {@code diff --from T1 --to T2} against what iproute2 and conntrack-tools listed at T1 and
 * T2 in a namespace where, between the two, a link's MTU changed, links were created, addresses and routes
 * (table 100) were added and deleted, a flow was deleted with {@code conntrack -D} and new flows began.
 */
@org.junit.jupiter.api.Tag("kernel")
class DiffKernelIT
{
    private static final String SERVER = "10.233.0.2";
    private static final String CLIENT = "10.233.0.1";
    private static final Pattern CONNTRACK_LINE = Pattern.compile("^(\\w+)\\s+\\d+\\s.*?src=(\\S+) dst=(\\S+) sport=(\\d+) dport=(\\d+)");

    @TempDir
    Path tmp;

    /** What iproute2 and conntrack list, by identity, with the fields both show. */
    private static final class Listing
    {
        final Map<Long, String> links = new TreeMap<>();
        final Set<String> addrs = new TreeSet<>();
        final Set<String> routes = new TreeSet<>();
        final Set<String> conns = new TreeSet<>();
        final Map<String, String> neighbours = new TreeMap<>();
        long atNanos;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void diffIsWhatChangedInTheKernelsListings() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        try (Netns client = Netns.create("diffc"); Netns server = Netns.create("diffs"))
        {
            wire(client, server);
            server.ip("link", "add", "a0", "type", "veth", "peer", "name", "a1");
            server.ip("link", "set", "a0", "up");
            server.ip("link", "set", "a1", "up");
            server.ip("addr", "add", "10.97.0.1/24", "dev", "a1");
            server.ip("route", "add", "10.99.0.0/24", "dev", "a0", "table", "100");
            try (MonitorProcess monitor = MonitorProcess.start(server, tmp, "run", "--journal", journal.toString(), "--stdout", "none",
                "--capture", "rtnl,conntrack"))
            {
                monitor.awaitLog("capture rtnl: initial dumps complete", 30_000);
                monitor.awaitLog("capture conntrack: initial dumps complete", 30_000);
                for (final String port : List.of("5001", "5002", "5003"))
                {
                    client.exec("python3", "-c", Traffic.UDP_SEND, SERVER, port);
                }
                final Listing t1 = list(server);

                server.ip("link", "set", "a1", "mtu", "1400");
                server.ip("link", "add", "b0", "type", "veth", "peer", "name", "b1");
                server.ip("addr", "add", "10.66.0.1/24", "dev", "a0");
                server.ip("addr", "del", "10.97.0.1/24", "dev", "a1");
                server.ip("route", "add", "10.98.0.0/24", "dev", "a0", "table", "100");
                server.ip("route", "del", "10.99.0.0/24", "dev", "a0", "table", "100");
                server.exec("conntrack", "-D", "-p", "udp", "--dport", "5001");
                for (final String port : List.of("5004", "5005"))
                {
                    client.exec("python3", "-c", Traffic.UDP_SEND, SERVER, port);
                }
                final Listing t2 = list(server);
                assertEquals(0, monitor.terminate(20_000), monitor::toString);

                final List<Map<String, Object>> diff = Cli.json("diff", "--journal", journal.toString(),
                    "--from", Timestamps.rfc3339(t1.atNanos), "--to", Timestamps.rfc3339(t2.atNanos));
                assertEquals(expected(t1, t2), actual(diff), "diff vs the listings at T1 and T2");
            }
        }
    }

    /** added/removed/changed per kind, from the two listings. */
    private static Set<String> expected(final Listing t1, final Listing t2)
    {
        final Set<String> out = new TreeSet<>();
        for (final Map.Entry<Long, String> l : t1.links.entrySet())
        {
            final String after = t2.links.get(l.getKey());
            if (after == null)
            {
                out.add("removed link " + l.getKey());
            }
            else if (!after.equals(l.getValue()))
            {
                out.add("changed link " + l.getKey());
            }
        }
        t2.links.keySet().stream().filter(i -> !t1.links.containsKey(i)).forEach(i -> out.add("added link " + i));
        for (final Map.Entry<String, String> n : t1.neighbours.entrySet())
        {
            final String after = t2.neighbours.get(n.getKey());
            if (after == null)
            {
                out.add("removed neigh " + n.getKey());
            }
            else if (!after.equals(n.getValue()))
            {
                out.add("changed neigh " + n.getKey());
            }
        }
        t2.neighbours.keySet().stream().filter(k -> !t1.neighbours.containsKey(k)).forEach(k -> out.add("added neigh " + k));
        difference(out, "addr", t1.addrs, t2.addrs);
        difference(out, "route", t1.routes, t2.routes);
        difference(out, "conn", t1.conns, t2.conns);
        assertFalse(out.isEmpty());
        return out;
    }

    private static void difference(final Set<String> out, final String kind, final Set<String> before, final Set<String> after)
    {
        before.stream().filter(x -> !after.contains(x)).forEach(x -> out.add("removed " + kind + " " + x));
        after.stream().filter(x -> !before.contains(x)).forEach(x -> out.add("added " + kind + " " + x));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> actual(final List<Map<String, Object>> diff)
    {
        final Set<String> out = new TreeSet<>();
        for (final Map<String, Object> c : diff)
        {
            final Map<String, Object> o = (Map<String, Object>)(c.get("after") != null ? c.get("after") : c.get("before"));
            final String kind = (String)c.get("kind");
            final String id;
            switch (kind)
            {
                case "link" -> id = String.valueOf(o.get("ifindex"));
                case "addr" -> id = o.get("ifindex") + " " + o.get("address") + "/" + o.get("prefixlen");
                case "neigh" ->
                {
                    if ("NOARP".equals(o.get("state")))
                    {
                        continue; // multicast entries made on first use: the kernel does not announce them, a dump finds them
                    }
                    if ("changed".equals(c.get("change")) && List.of("state").equals(c.get("fields"))
                        && Traffic.stableNeighbourState(((Map<String, Object>)c.get("before")).get("state")).equals("dynamic")
                        && Traffic.stableNeighbourState(((Map<String, Object>)c.get("after")).get("state")).equals("dynamic"))
                    {
                        continue; // REACHABLE to STALE and back: compared as "dynamic" (see Traffic.stableNeighbourState)
                    }
                    id = o.get("ifindex") + " " + o.get("address");
                }
                case "route" ->
                {
                    if (!"100".equals(o.get("table")))
                    {
                        continue; // the kernel's own routes of the addresses: iproute2's listing of them is not compared
                    }
                    id = o.get("dst") + " " + o.get("oif");
                }
                case "conn" ->
                {
                    final Map<String, Object> t = (Map<String, Object>)o.get("orig");
                    id = o.get("proto") + " " + t.get("src") + ":" + t.get("sport") + ">" + t.get("dst") + ":" + t.get("dport");
                }
                default -> id = kind + " " + o;
            }
            out.add(c.get("change") + " " + kind + " " + id);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Listing list(final Netns ns) throws InterruptedException
    {
        // a listing holds only addresses the kernel has announced (CI once saw a link-local address listed at T1,
        // still tentative, and announced after it)
        ns.awaitNoTentativeAddresses();
        // let linkwatch settle operstate (it batches changes for up to a second) and the events reach the journal (fixed:
        // nothing tells when linkwatch has run)
        Thread.sleep(1500);
        final Listing l = new Listing();
        for (final Object o : Json.array(ns.ip("-j", "link", "show")))
        {
            final Map<String, Object> link = (Map<String, Object>)o;
            l.links.put((Long)link.get("ifindex"), link.get("ifname") + " mtu=" + link.get("mtu") + " flags=" + link.get("flags")
                + " " + link.get("operstate") + " " + link.get("address"));
        }
        for (final Object o : Json.array(ns.ip("-j", "addr", "show")))
        {
            final Map<String, Object> link = (Map<String, Object>)o;
            for (final Object a : (List<Object>)link.get("addr_info"))
            {
                final Map<String, Object> ai = (Map<String, Object>)a;
                l.addrs.add(link.get("ifindex") + " " + ai.get("local") + "/" + ai.get("prefixlen"));
            }
        }
        final Map<String, Long> index = new TreeMap<>();
        for (final Object o : Json.array(ns.ip("-j", "link", "show")))
        {
            index.put((String)((Map<String, Object>)o).get("ifname"), (Long)((Map<String, Object>)o).get("ifindex"));
        }
        for (final Object o : Json.array(ns.ip("-j", "route", "show", "table", "100")))
        {
            final Map<String, Object> r = (Map<String, Object>)o;
            final String dst = (String)r.get("dst");
            l.routes.add((dst.contains("/") ? dst : dst + "/32") + " " + index.get((String)r.get("dev")));
        }
        for (final Object o : Json.array(ns.ip("-j", "neigh", "show")))
        {
            final Map<String, Object> n = (Map<String, Object>)o;
            l.neighbours.put(index.get((String)n.get("dev")) + " " + n.get("dst"),
                n.get("lladdr") + " " + Traffic.stableNeighbourState(((List<?>)n.get("state")).get(0)));
        }
        for (final String line : ns.exec("conntrack", "-L", "-p", "udp").split("\n"))
        {
            final Matcher m = CONNTRACK_LINE.matcher(line);
            if (m.find())
            {
                l.conns.add(m.group(1) + " " + m.group(2) + ":" + m.group(4) + ">" + m.group(3) + ":" + m.group(5));
            }
        }
        l.atNanos = System.currentTimeMillis() * 1_000_000L;
        Thread.sleep(300); // fixed: nothing changes until after the instant
        return l;
    }

    private static void wire(final Netns client, final Netns server)
    {
        Traffic.wire(client, server, CLIENT, SERVER);
        Traffic.trackConnections(server);
    }
}
