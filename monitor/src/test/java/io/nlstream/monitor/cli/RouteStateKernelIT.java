package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.Json;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.sinks.Timestamps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: {@code state} equals iproute2 for routes (both families, all tables, a multipath route), addresses and
 * neighbours after each change that makes the kernel remove routes or neighbours without announcing each:
 * a link set down, set up again, an address deleted, a route replaced by one on another device, a link
 * deleted. Capture notices those messages and dumps routes and neighbours again; readers end what the dump
 * lacks. Routes are compared with their device's index and name ({@code dev}).
 */
@org.junit.jupiter.api.Tag("kernel")
class RouteStateKernelIT
{
    @TempDir
    Path tmp;

    private record Listing(long atNanos, Set<String> routes, Set<String> addrs, Set<String> neighbours)
    {
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void stateIsIproute2sAfterSilentRemovals() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        try (Netns ns = Netns.create("routes"))
        {
            ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0");
            ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0");
            ns.ip("link", "add", "a0", "type", "veth", "peer", "name", "a1");
            ns.ip("link", "add", "c0", "type", "veth", "peer", "name", "c1");
            for (final String l : List.of("a0", "a1", "c0", "c1"))
            {
                ns.ip("link", "set", l, "up");
            }
            ns.ip("addr", "add", "10.9.0.1/24", "dev", "a0");
            ns.ip("addr", "add", "10.9.1.1/24", "dev", "a1");
            ns.ip("addr", "add", "10.9.2.1/24", "dev", "c0");
            ns.ip("addr", "add", "fd09::1/64", "dev", "a0");
            ns.ip("route", "add", "10.99.0.0/24", "dev", "a0", "table", "100");
            ns.ip("route", "add", "10.98.0.0/24", "via", "10.9.1.2", "dev", "a1");
            ns.ip("route", "add", "10.97.0.0/24", "dev", "c0", "table", "100");
            ns.ip("-6", "route", "add", "fd99::/64", "dev", "a0", "table", "100");
            ns.ip("route", "add", "10.96.0.0/24", "table", "100", "nexthop", "dev", "a0", "nexthop", "dev", "c0");
            ns.ip("neigh", "add", "10.9.0.77", "lladdr", "02:00:00:00:00:77", "dev", "a0", "nud", "permanent");
            ns.ip("neigh", "add", "10.9.2.77", "lladdr", "02:00:00:00:00:78", "dev", "c0", "nud", "permanent");
            final List<Listing> listings = new ArrayList<>();
            final List<String> steps = new ArrayList<>();
            try (MonitorProcess monitor = MonitorProcess.start(ns, tmp, "run", "--journal", journal.toString(), "--stdout", "none",
                "--capture", "rtnl"))
            {
                monitor.awaitLog("capture rtnl: initial dumps complete", 30_000);
                steps.add("start");
                listings.add(list(ns));
                step(ns, steps, listings, "link down", () -> ns.ip("link", "set", "a0", "down"));
                step(ns, steps, listings, "link up", () -> ns.ip("link", "set", "a0", "up"));
                step(ns, steps, listings, "address delete", () -> ns.ip("addr", "del", "10.9.1.1/24", "dev", "a1"));
                step(ns, steps, listings, "route replace", () -> ns.ip("route", "replace", "10.97.0.0/24", "dev", "a0", "table", "100"));
                step(ns, steps, listings, "link delete", () -> ns.ip("link", "del", "c1"));
                assertEquals(0, monitor.terminate(20_000), monitor::toString);
            }
            for (int i = 0; i < listings.size(); i++)
            {
                final Listing l = listings.get(i);
                final String at = Timestamps.rfc3339(l.atNanos);
                final List<Map<String, Object>> state = Cli.lines(Cli.run("state", "--journal", journal.toString(), "--format", "json", "--at", at));
                assertEquals(l.routes, routes(state), "routes after " + steps.get(i));
                assertEquals(l.addrs, addrs(state), "addresses after " + steps.get(i));
                assertEquals(l.neighbours, neighbours(state), "neighbours after " + steps.get(i));
            }
            assertTrue(listings.get(1).routes.size() < listings.get(0).routes.size(), "link down removed routes");
            assertTrue(listings.get(0).routes.stream().anyMatch(r -> r.contains("10.96.0.0/24") && r.endsWith(" via a0,c0")),
                "the multipath route is compared: " + listings.get(0).routes);
        }
    }

    private static void step(final Netns ns, final List<String> steps, final List<Listing> listings, final String name, final Runnable change)
        throws InterruptedException
    {
        change.run();
        steps.add(name);
        listings.add(list(ns));
    }

    private static Set<String> routes(final List<Map<String, Object>> state)
    {
        final Set<String> out = new TreeSet<>();
        for (final Map<String, Object> r : state)
        {
            if ("route".equals(r.get("kind")))
            {
                out.add(r.get("table") + " " + r.get("type") + " " + hostRoute((String)r.get("dst")) + " " + r.get("oif") + " " + r.get("dev")
                    + nexthops(r.get("nexthops")));
            }
        }
        return out;
    }

    private static Set<String> addrs(final List<Map<String, Object>> state)
    {
        final Set<String> out = new TreeSet<>();
        for (final Map<String, Object> a : state)
        {
            if ("addr".equals(a.get("kind")))
            {
                out.add(a.get("ifindex") + " " + a.get("address") + "/" + a.get("prefixlen"));
            }
        }
        return out;
    }

    private static Set<String> neighbours(final List<Map<String, Object>> state)
    {
        final Set<String> out = new TreeSet<>();
        for (final Map<String, Object> n : state)
        {
            if ("neigh".equals(n.get("kind")) && "PERMANENT".equals(n.get("state")))
            {
                out.add(n.get("ifindex") + " " + n.get("address") + " " + n.get("lladdr") + " " + n.get("state"));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Listing list(final Netns ns) throws InterruptedException
    {
        // only addresses the kernel has announced; linkwatch settles operstate within a second; capture dumps routes
        // again 0.2 s after the last change
        ns.awaitNoTentativeAddresses();
        Thread.sleep(1_500); // fixed: nothing tells when linkwatch or the route dump has run
        final Map<String, Long> index = new HashMap<>();
        for (final Object o : Json.array(ns.ip("-j", "link", "show")))
        {
            index.put((String)((Map<String, Object>)o).get("ifname"), (Long)((Map<String, Object>)o).get("ifindex"));
        }
        final Set<String> routes = new TreeSet<>();
        for (final String family : List.of("-4", "-6"))
        {
            for (final Object o : Json.array(ns.ip(family, "-j", "route", "show", "table", "all")))
            {
                final Map<String, Object> r = (Map<String, Object>)o;
                final String table = r.get("table") == null ? "main" : (String)r.get("table");
                final String type = r.get("type") == null ? "unicast" : (String)r.get("type");
                routes.add(table + " " + type + " " + hostRoute((String)r.get("dst")) + " " + index.get((String)r.get("dev")) + " " + r.get("dev")
                    + nexthops(r.get("nexthops")));
            }
        }
        final Set<String> addrs = new TreeSet<>();
        for (final Object o : Json.array(ns.ip("-j", "addr", "show")))
        {
            final Map<String, Object> link = (Map<String, Object>)o;
            for (final Object a : (List<Object>)link.get("addr_info"))
            {
                final Map<String, Object> ai = (Map<String, Object>)a;
                addrs.add(link.get("ifindex") + " " + ai.get("local") + "/" + ai.get("prefixlen"));
            }
        }
        final Set<String> neighbours = new TreeSet<>();
        for (final Object o : Json.array(ns.ip("-j", "neigh", "show", "nud", "permanent")))
        {
            final Map<String, Object> n = (Map<String, Object>)o;
            neighbours.add(index.get((String)n.get("dev")) + " " + n.get("dst") + " " + n.get("lladdr") + " " + ((List<?>)n.get("state")).get(0));
        }
        final long at = System.currentTimeMillis() * 1_000_000L;
        Thread.sleep(300); // fixed: nothing changes until after the instant
        return new Listing(at, routes, addrs, neighbours);
    }

    /** A multipath route's devices, in order: " via dev1,dev2", or "" for a route of one path. */
    private static String nexthops(final Object nexthops)
    {
        if (nexthops == null)
        {
            return "";
        }
        final List<String> devs = new ArrayList<>();
        for (final Object n : (List<?>)nexthops)
        {
            devs.add(String.valueOf(((Map<?, ?>)n).get("dev")));
        }
        return " via " + String.join(",", devs);
    }

    /** ip prints a host route without its /32 or /128. */
    private static String hostRoute(final String dst)
    {
        return dst.endsWith("/32") || dst.endsWith("/128") ? dst.substring(0, dst.lastIndexOf('/')) : dst;
    }
}
