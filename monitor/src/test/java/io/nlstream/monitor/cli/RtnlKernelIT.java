package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.Json;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.netlink.testing.Await;
import io.nlstream.sinks.Timestamps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Touches the kernel: runs {@code nlstream run} inside a fresh network namespace, makes link and address
 * changes there with iproute2, then checks that {@code replay} reproduces them in order and that
 * {@code state --at T} equals what {@code ip -j} reported at T.
 */
@org.junit.jupiter.api.Tag("kernel")
class RtnlKernelIT
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void capturesLinkAndAddressChangesAndReconstructsState() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        try (Netns ns = Netns.create("rtnl");
             MonitorProcess monitor = MonitorProcess.start(ns, tmp, "run", "--journal", journal.toString(), "--stdout", "json"))
        {
            // link-local IPv6 addresses appear at once instead of after DAD, so the namespace settles quickly
            ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0");
            ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0");
            monitor.awaitLog("initial dumps complete", 30_000);

            ns.ip("link", "add", "br0", "type", "bridge");
            ns.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
            ns.ip("link", "set", "v0", "master", "br0");
            ns.ip("link", "set", "br0", "up");
            ns.ip("link", "set", "v0", "up");
            ns.ip("link", "set", "v1", "up");
            ns.ip("link", "set", "v1", "mtu", "1400");
            ns.ip("addr", "add", "10.200.0.1/24", "dev", "br0");
            ns.ip("addr", "add", "fd00:200::1/64", "dev", "br0");
            ns.ip("addr", "add", "10.200.1.1/24", "dev", "v1");
            // v1 stays up with its peer down: ip prints NO-CARRIER and M-DOWN for it
            ns.ip("link", "set", "v0", "down");
            final Snapshot middle = Snapshot.take(ns);
            assertEquals(4, middle.links.size(), "lo, br0, v0, v1: " + middle.links);
            assertTrue(middle.addrs.size() >= 7, "lo's two, three added, link-locals: " + middle.addrs);

            ns.ip("addr", "del", "10.200.0.1/24", "dev", "br0");
            ns.ip("addr", "del", "fd00:200::1/64", "dev", "br0");
            ns.ip("link", "set", "v1", "mtu", "1300");
            ns.ip("link", "del", "v0");
            ns.ip("link", "del", "br0");
            final Snapshot end = Snapshot.take(ns);
            assertEquals(1, end.links.size(), "only lo is left: " + end.links);

            assertEquals(0, monitor.terminate(20_000), () -> "exit code; stderr:\n" + monitor.toString());
            assertTrue(monitor.stderr().contains("journal complete"), monitor::toString);

            final List<Map<String, Object>> events = Cli.lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json"));
            assertSeqSubStrictlyIncreasing(events);
            assertOrderedOps(events);

            // run's stdout is the same stream as replay
            assertEquals(events, Cli.lines(monitor.stdout()), "run's stdout and replay differ");

            assertStateEquals(middle, journal);
            assertStateEquals(end, journal);
        }
    }

    /**
     * A veth pair created down: the end registered first names no peer in its message (the peer does not exist
     * yet); the state knows it from the other end, as iproute2 shows {@code v1@v0} with M-DOWN.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @SuppressWarnings("unchecked")
    void aVethsPeerIsKnownFromEitherEnd() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        try (Netns ns = Netns.create("peer");
             MonitorProcess monitor = MonitorProcess.start(ns, tmp, "run", "--journal", journal.toString(), "--stdout", "none",
                 "--capture", "rtnl"))
        {
            monitor.awaitLog("initial dumps complete", 30_000);
            ns.ip("link", "add", "p0", "type", "veth", "peer", "name", "p1");
            // (a veth is announced after its peer)
            Await.until("p0 to be journalled", Duration.ofSeconds(30), () -> Cli.run("replay", "--journal", journal.toString(), "--kind", "link",
                "--format", "kv").contains(" ifname=p0 "));
            final Map<String, String> expected = new TreeMap<>();
            final Map<String, Long> index = new HashMap<>();
            final List<Object> links = Json.array(ns.ip("-j", "link", "show"));
            for (final Object o : links)
            {
                index.put((String)((Map<String, Object>)o).get("ifname"), (Long)((Map<String, Object>)o).get("ifindex"));
            }
            for (final Object o : links)
            {
                final Map<String, Object> l = (Map<String, Object>)o;
                if (l.get("link") != null)
                {
                    expected.put((String)l.get("ifname"), index.get((String)l.get("link")) + " " + l.get("flags"));
                }
            }
            final long at = System.currentTimeMillis() * 1_000_000L;
            Thread.sleep(300); // fixed: the monitor goes on past the instant
            assertEquals(0, monitor.terminate(20_000), monitor::toString);
            final Map<String, String> state = new TreeMap<>();
            for (final Map<String, Object> l : Cli.lines(Cli.run("state", "--journal", journal.toString(), "--format", "json", "--kind", "link",
                "--at", Timestamps.rfc3339(at))))
            {
                if (l.get("link") != null)
                {
                    state.put((String)l.get("ifname"), l.get("link") + " " + l.get("flags"));
                }
            }
            assertEquals(2, expected.size(), "ip names both peers: " + expected);
            assertEquals(expected, state);
        }
    }

    private static void assertSeqSubStrictlyIncreasing(final List<Map<String, Object>> events)
    {
        // (seq, sub): the ends a dump implies are synthesized at its end entry's seq, numbered by sub
        long last = Long.MIN_VALUE;
        long lastSub = 0;
        for (final Map<String, Object> e : events)
        {
            final long seq = (Long)e.get("seq");
            final long sub = e.get("sub") == null ? 0 : (Long)e.get("sub");
            assertTrue(seq > last || seq == last && sub > lastSub, "(seq, sub) not increasing at " + e);
            last = seq;
            lastSub = sub;
            assertTrue(((String)e.get("ts")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z"), "ts " + e);
            assertTrue(e.get("netns") instanceof Long, "netns " + e);
        }
    }

    /** The changes made, in the order made, each found among the events after the previous one. */
    private static void assertOrderedOps(final List<Map<String, Object>> events)
    {
        final List<Map<String, Object>> live = new ArrayList<>();
        for (final Map<String, Object> e : events)
        {
            if ("event".equals(e.get("origin")))
            {
                live.add(e);
            }
        }
        int at = 0;
        at = find(live, at, "link", "new", "ifname", "br0", "link_kind", "bridge");
        final long br0 = (Long)live.get(at - 1).get("ifindex");
        at = find(live, at, "link", "new", "ifname", "v0", "link_kind", "veth");
        at = find(live, at, "link", "new", "ifname", "v0", "master", br0);
        at = find(live, at, "link", "new", "ifname", "v1", "mtu", 1400L);
        at = find(live, at, "addr", "new", "address", "10.200.0.1", "prefixlen", 24L, "family", "inet", "scope", "global");
        at = find(live, at, "addr", "new", "address", "fd00:200::1", "prefixlen", 64L, "family", "inet6");
        at = find(live, at, "addr", "new", "address", "10.200.1.1");
        at = find(live, at, "addr", "del", "address", "10.200.0.1");
        at = find(live, at, "addr", "del", "address", "fd00:200::1");
        at = find(live, at, "link", "new", "ifname", "v1", "mtu", 1300L);
        final int v0Deleted = find(live, at, "link", "del", "ifname", "v0");
        find(live, at, "link", "del", "ifname", "v1");
        find(live, v0Deleted, "link", "del", "ifname", "br0");
    }

    private static int find(final List<Map<String, Object>> events, final int from, final String kind, final String op, final Object... kv)
    {
        outer:
        for (int i = from; i < events.size(); i++)
        {
            final Map<String, Object> e = events.get(i);
            if (!kind.equals(e.get("kind")) || !op.equals(e.get("op")))
            {
                continue;
            }
            for (int k = 0; k < kv.length; k += 2)
            {
                if (!kv[k + 1].equals(e.get((String)kv[k])))
                {
                    continue outer;
                }
            }
            return i + 1;
        }
        final StringBuilder all = new StringBuilder();
        events.forEach(e -> all.append(e).append('\n'));
        return fail("no " + kind + " " + op + " " + List.of(kv) + " after event #" + from + " in:\n" + all);
    }

    private static void assertStateEquals(final Snapshot expected, final Path journal)
    {
        final List<Map<String, Object>> state = Cli.lines(Cli.run("state", "--journal", journal.toString(), "--format", "json",
            "--at", Timestamps.rfc3339(expected.atNanos)));
        final Map<Long, Map<String, Object>> links = new TreeMap<>();
        final Map<String, Map<String, Object>> addrs = new TreeMap<>();
        for (final Map<String, Object> o : state)
        {
            if ("link".equals(o.get("kind")))
            {
                links.put((Long)o.get("ifindex"), linkFields(o.get("ifname"), o.get("mtu"), o.get("flags"), o.get("operstate"),
                    o.get("address"), o.get("master"), o.get("link_kind")));
            }
            else if ("addr".equals(o.get("kind")))
            {
                addrs.put(o.get("ifindex") + " " + o.get("address") + "/" + o.get("prefixlen"),
                    new TreeMap<>(Map.of("family", o.get("family"), "scope", o.get("scope"))));
            }
        }
        assertEquals(expected.links, links, "links at " + Timestamps.rfc3339(expected.atNanos));
        assertEquals(expected.addrs, addrs, "addresses at " + Timestamps.rfc3339(expected.atNanos));
    }

    private static Map<String, Object> linkFields(final Object ifname, final Object mtu, final Object flags, final Object operstate,
        final Object address, final Object master, final Object linkKind)
    {
        final Map<String, Object> m = new TreeMap<>();
        m.put("ifname", ifname);
        m.put("mtu", mtu);
        m.put("flags", flags);
        m.put("operstate", operstate);
        m.put("address", address);
        m.put("master", master);
        m.put("link_kind", linkKind);
        return m;
    }

    /** What iproute2 reports for the namespace, taken at a quiet moment. */
    static final class Snapshot
    {
        final Map<Long, Map<String, Object>> links = new TreeMap<>();
        final Map<String, Map<String, Object>> addrs = new TreeMap<>();
        long atNanos;

        @SuppressWarnings("unchecked")
        static Snapshot take(final Netns ns) throws InterruptedException
        {
            // only addresses the kernel has announced; let linkwatch settle operstate (it batches changes for up to a second)
            ns.awaitNoTentativeAddresses();
            Thread.sleep(1500); // fixed: nothing tells when linkwatch has run
            final Snapshot s = new Snapshot();
            final List<Object> ipLinks = Json.array(ns.ip("-d", "-j", "link", "show"));
            final Map<String, Long> indexByName = new HashMap<>();
            for (final Object o : ipLinks)
            {
                final Map<String, Object> l = (Map<String, Object>)o;
                indexByName.put((String)l.get("ifname"), (Long)l.get("ifindex"));
            }
            for (final Object o : ipLinks)
            {
                final Map<String, Object> l = (Map<String, Object>)o;
                final Map<String, Object> info = (Map<String, Object>)l.get("linkinfo");
                s.links.put((Long)l.get("ifindex"), linkFields(l.get("ifname"), l.get("mtu"), l.get("flags"), l.get("operstate"),
                    l.get("address"), l.get("master") == null ? null : indexByName.get((String)l.get("master")),
                    info == null ? null : info.get("info_kind")));
            }
            for (final Object o : Json.array(ns.ip("-j", "addr", "show")))
            {
                final Map<String, Object> l = (Map<String, Object>)o;
                for (final Object a : (List<Object>)l.get("addr_info"))
                {
                    final Map<String, Object> ai = (Map<String, Object>)a;
                    s.addrs.put(l.get("ifindex") + " " + ai.get("local") + "/" + ai.get("prefixlen"),
                        new TreeMap<>(Map.of("family", ai.get("family"), "scope", ai.get("scope"))));
                }
            }
            // iproute2 answered from the kernel before this instant; nothing changes until after the pause
            s.atNanos = System.currentTimeMillis() * 1_000_000L;
            Thread.sleep(300);
            return s;
        }
    }

}
