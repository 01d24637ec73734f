package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.ConnJournal;
import io.nlstream.monitor.journal.RtnlMessages;
import io.nlstream.monitor.testing.JsonEvent;
import io.nlstream.monitor.testing.Replayed;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.rtnl.Neighbour;
import io.nlstream.netlink.rtnl.Route;
import io.nlstream.netlink.rtnl.Rtnetlink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.nlstream.monitor.journal.TestJournal.NETNS_A;
import static io.nlstream.netlink.rtnl.Rtnetlink.AF_INET;
import static io.nlstream.netlink.rtnl.Rtnetlink.AF_INET6;
import static io.nlstream.netlink.rtnl.Rtnetlink.AF_UNSPEC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Route and neighbour events from the captured fixtures ({@code fixtures/route}, {@code fixtures/neigh}),
 * journalled as capture journals them and read back through the read pipeline ({@link Replayed}). Expected values are what
 * iproute2 printed for the same objects ({@code ip-route-expected.txt}, {@code ip-neigh-expected.txt}).
 */
class RouteNeighEventsTest
{
    private static final int RTNL_FAMILY_IPMR = 128;
    private static final int RT_TABLE_DEFAULT = 253;
    private static final int RTPROT_MROUTED = 17;
    private static final int RTN_MULTICAST = 5;
    private static final int RT_TABLE_MAIN = 254;
    private static final int RTPROT_KERNEL = 2;
    private static final int RTN_UNICAST = 1;

    @TempDir
    Path tmp;

    @Test
    void routesOfBothDumpsHaveWhatIpPrinted()
    {
        final Replayed r = replay(j ->
        {
            j.routeDump(NETNS_A, 1, AF_INET, routeDump("getroute-dump.hex"));
            j.routeDump(NETNS_A, 2, AF_INET6, routeDump("getroute6-dump.hex"));
        });
        assertEquals(List.of(), r.malformed());
        final Map<String, Map<String, String>> ip = ipRoutes();
        final Map<String, Long> ifindex = ifindexes("route/ip-route-expected.txt");
        final List<JsonEvent> routes = r.of("route");
        assertEquals(ip.size(), routes.size(), "one event per route ip printed: " + ip.keySet());
        for (final Map.Entry<String, Map<String, String>> route : ip.entrySet())
        {
            final String[] k = route.getKey().split(" ");
            final Map<String, String> f = route.getValue();
            final String family = "4".equals(k[0]) ? "inet" : "inet6";
            final String dst = "default".equals(k[3]) || k[3].contains("/") ? k[3] : k[3] + ("4".equals(k[0]) ? "/32" : "/128");
            final Map<String, Object> e = json(routes.stream()
                .filter(x -> family.equals(x.get("family")) && k[1].equals(x.get("table")) && k[2].equals(x.get("type"))
                    && dst.equals(x.get("dst")))
                .findFirst().orElseThrow(() -> new AssertionError("no event for " + route.getKey())));
            final String what = route.getKey() + " " + e;
            assertEquals("new", e.get("op"), what);
            assertEquals("dump", e.get("origin"), what);
            final String via = f.get("via") == null ? null : f.get("via").replaceFirst("^inet6? ", "");
            assertEquals(f.get("gateway") != null ? f.get("gateway") : via, e.get("gateway"), what);
            assertEquals(f.get("dev") == null ? null : ifindex.get(f.get("dev")), e.get("oif"), what);
            // ip leaves out what is the default: protocol boot, scope global
            assertEquals(f.getOrDefault("protocol", "boot"), e.get("protocol"), what);
            assertEquals(f.getOrDefault("scope", "global"), e.get("scope"), what);
            assertEquals(f.get("metric") == null ? null : Long.valueOf(f.get("metric")), e.get("metric"), what);
            assertEquals(f.get("prefsrc"), e.get("prefsrc"), what);
            assertEquals(f.get("nhid") == null ? null : Long.valueOf(f.get("nhid")), e.get("nh_id"), what);
            assertEquals(f.get("pref"), e.get("pref"), what);
            assertEquals(f.get("nexthops") == null ? null : nexthops(f.get("nexthops"), ifindex), e.get("nexthops"), what);
        }
    }

    @Test
    void routeFieldsOneByOne()
    {
        final long[] at = new long[3];
        final Replayed r = replay(j ->
        {
            at[0] = j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV4_ROUTE, route("default-newroute.hex"));
            at[1] = j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV4_ROUTE, route("host-newroute.hex"));
            at[2] = j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV4_ROUTE, route("table1000-newroute.hex"));
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV4_ROUTE, route("newroute-event.hex"));
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV4_ROUTE, route("metric-newroute.hex"));
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV4_ROUTE, route("delroute-event.hex"));
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV6_ROUTE, route("newroute6-event.hex"));
        });
        final List<Map<String, Object>> json = r.of("route").stream().map(RouteNeighEventsTest::json).toList();
        assertEquals(7, json.size());
        final Map<String, Object> def = json.get(0);
        assertEquals(at[0], def.get("seq"));
        assertEquals(List.of("seq", "ts", "kind", "op", "netns", "host", "origin", "family", "dst", "gateway", "oif", "table", "protocol",
            "scope", "type"), List.copyOf(def.keySet()), "contract order; absent attributes absent");
        assertEquals("event", def.get("origin"));
        assertEquals("default", def.get("dst"));
        assertEquals("10.88.0.2", def.get("gateway"));
        assertEquals("main", def.get("table"));
        assertEquals("unicast", def.get("type"));
        assertEquals("10.99.0.1/32", json.get(1).get("dst"), "the prefix length always written");
        assertEquals("dhcp", json.get(1).get("protocol"));
        assertEquals("1000", json.get(2).get("table"), "RTA_TABLE, not rtm_table's RT_TABLE_COMPAT");
        assertEquals("200", json.get(2).get("protocol"), "a protocol without a name prints as its number");
        assertEquals("prohibit", json.get(2).get("type"));
        assertNull(json.get(2).get("oif"));
        assertEquals("10.44.0.0/16", json.get(3).get("dst"));
        assertEquals("static", json.get(3).get("protocol"));
        assertEquals(List.of("new", "del"), List.of(json.get(4).get("op"), json.get(5).get("op")));
        assertEquals(json.get(4).get("dst"), json.get(5).get("dst"));
        assertEquals(100L, json.get(5).get("metric"));
        assertEquals("inet6", json.get(6).get("family"));
        assertEquals("2001:db8:4::/64", json.get(6).get("dst"));
        assertEquals(1024L, json.get(6).get("metric"));

        assertEquals(List.of("default", "10.99.0.1/32", "10.55.0.0/16", "10.44.0.0/16", "2001:db8:4::/64"),
            r.objects("route").stream().map(e -> e.get("dst")).toList(), "the deleted route is gone");
    }

    @Test
    void nexthopObjectAndRouterPreference()
    {
        final Replayed r = replay(j ->
        {
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV4_ROUTE, route("nhid-newroute.hex"));
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV6_ROUTE, route("ipv6-pref-newroute.hex"));
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV6_ROUTE, route("ipv6-default-newroute.hex"));
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV4_ROUTE, route("default-newroute.hex"));
        });
        final List<Map<String, Object>> json = r.of("route").stream().map(RouteNeighEventsTest::json).toList();
        assertEquals(4, json.size());
        assertEquals("10.77.0.0/16", json.get(0).get("dst"));
        assertEquals(10L, json.get(0).get("nh_id"), "RTA_NH_ID: ip route ... nhid 10");
        assertEquals(List.of("family", "dst", "nh_id", "gateway"), List.copyOf(json.get(0).keySet()).subList(7, 11),
            "nh_id after dst, as ip prints nhid");
        assertNull(json.get(0).get("pref"), "IPv4 has no RTA_PREF");
        assertEquals("2001:db8:1::/48", json.get(1).get("dst"));
        assertEquals("high", json.get(1).get("pref"), "ip -6 route ... pref high");
        assertNull(json.get(1).get("nh_id"));
        assertEquals("default", json.get(2).get("dst"));
        assertEquals("medium", json.get(2).get("pref"));
        assertNull(json.get(3).get("nh_id"));
        assertNull(json.get(3).get("pref"));
    }

    @Test
    void neighboursOfTheDumpHaveWhatIpPrinted()
    {
        final Replayed r = replay(j -> j.neighDump(NETNS_A, 1, AF_UNSPEC, neighDump()));
        assertEquals(List.of(), r.malformed());
        final Map<String, Map<String, String>> ip = ipNeighbours("neigh.");
        final Map<String, Long> ifindex = ifindexes("neigh/ip-neigh-expected.txt");
        final List<JsonEvent> neighbours = r.of("neigh");
        assertEquals(ip.size(), neighbours.size(), ip.keySet().toString());
        for (final Map.Entry<String, Map<String, String>> n : ip.entrySet())
        {
            final Map<String, String> f = n.getValue();
            final Map<String, Object> e = json(neighbours.stream().filter(x -> n.getKey().equals(x.get("address"))).findFirst()
                .orElseThrow(() -> new AssertionError("no event for " + n.getKey())));
            final String what = n.getKey() + " " + e;
            assertEquals("new", e.get("op"), what);
            assertEquals("dump", e.get("origin"), what);
            assertEquals(n.getKey().contains(":") ? "inet6" : "inet", e.get("family"), what);
            assertEquals(ifindex.get(f.get("dev")), e.get("ifindex"), what);
            assertEquals(f.get("lladdr"), e.get("lladdr"), what);
            assertEquals(f.get("state"), e.get("state"), what);
            assertEquals(f.get("flags").isEmpty() ? null : List.of(f.get("flags").split(",")), e.get("neigh_flags"), what);
        }
    }

    @Test
    void neighbourEventsAndTheProxyEntry()
    {
        final Replayed r = replay(j ->
        {
            j.neighDump(NETNS_A, 1, AF_UNSPEC, neighDump());
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_NEIGH, neigh("failed-event.hex"));
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_NEIGH, neigh("delneigh-event.hex"));
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_NEIGH, neigh("proxy-newneigh.hex"));
        });
        final List<Map<String, Object>> events = r.emitted().stream().filter(e -> "event".equals(e.get("origin")))
            .map(RouteNeighEventsTest::json).toList();
        assertEquals(3, events.size());
        assertEquals("10.88.0.77", events.get(0).get("address"));
        assertEquals("FAILED", events.get(0).get("state"));
        assertNull(events.get(0).get("lladdr"), "a failed resolution has no link-layer address");
        assertEquals("del", events.get(1).get("op"));
        assertEquals("10.88.0.9", events.get(1).get("address"));
        final Map<String, String> proxy = ipNeighbours("proxy.").get("10.88.0.20");
        assertEquals("10.88.0.20", events.get(2).get("address"));
        assertEquals(List.of(proxy.get("flags")), events.get(2).get("neigh_flags"));
        assertEquals("NONE", events.get(2).get("state"), "ip prints an empty state for NUD_NONE");
        assertFalse(r.objects("neigh").stream().anyMatch(e -> "10.88.0.9".equals(e.get("address"))));
        assertTrue(r.objects("neigh").stream().anyMatch(e -> "10.88.0.20".equals(e.get("address"))));
    }

    @Test
    void bridgeNeighboursAndMulticastRoutesGiveNoEvent()
    {
        final List<byte[]> routes = new ArrayList<>(routeDump("getroute-dump.hex"));
        routes.add(0, ipmrRoute());
        final List<byte[]> neighbours = new ArrayList<>(neighDump());
        neighbours.add(0, bridgeFdb(Rtnetlink.RTM_NEWNEIGH, "02:00:00:00:88:02"));
        final Replayed r = replay(j ->
        {
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV4_MROUTE, ipmrRoute());
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_NEIGH, bridgeFdb(Rtnetlink.RTM_NEWNEIGH, "02:00:00:00:00:01"));
            j.routeDump(NETNS_A, 1, AF_UNSPEC, routes);
            j.neighDump(NETNS_A, 2, AF_UNSPEC, neighbours);
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_NEIGH, bridgeFdb(Rtnetlink.RTM_DELNEIGH, "02:00:00:00:88:02"));
        });
        assertEquals(List.of(), r.malformed(), "well-formed, only not (yet) events");
        assertEquals(routes.size() - 2, r.of("route").size(), "every route of the dump but the IPMR one and NLMSG_DONE");
        assertEquals(neighbours.size() - 2, r.of("neigh").size());
        assertEquals(routes.size() + neighbours.size() - 4, r.emitted().size(), "nothing else: " + r.emitted());
        assertEquals(Arrays.asList("inet"), r.objects("route").stream().map(e -> e.get("family")).distinct().toList());
        assertEquals(neighbours.size() - 2, r.objects("neigh").size(), "the bridge entry's deletion ended no neighbour");
    }

    @Test
    void dumpRepeatingKnownRoutesEmitsNothingAndAChangedRouteEmits()
    {
        final List<byte[]> v4 = routeDump("getroute-dump.hex");
        final List<byte[]> changed = new ArrayList<>(v4);
        final int def = indexOf(v4, route("default-newroute.hex"));
        changed.set(def, withAttribute(v4.get(def), Route.RTA_GATEWAY, new byte[] {10, 88, 0, 3}));
        final long[] end = new long[3];
        final Replayed r = replay(j ->
        {
            end[0] = j.routeDump(NETNS_A, 1, AF_INET, v4);
            end[1] = j.routeDump(NETNS_A, 2, AF_INET, v4);
            end[2] = j.routeDump(NETNS_A, 3, AF_INET, changed);
        });
        final List<JsonEvent> routes = r.of("route");
        assertEquals(v4.size() - 1, routes.stream().filter(e -> e.seq() <= end[0]).count());
        assertEquals(0, routes.stream().filter(e -> e.seq() > end[0] && e.seq() <= end[1]).count(), "a quiet host prints nothing");
        final List<JsonEvent> third = routes.stream().filter(e -> e.seq() > end[1]).toList();
        assertEquals(1, third.size(), third.toString());
        final Map<String, Object> e = json(third.get(0));
        assertEquals("new", e.get("op"));
        assertEquals("dump", e.get("origin"));
        assertEquals("default", e.get("dst"));
        assertEquals("10.88.0.3", e.get("gateway"));
        assertNull(e.get("synthesized"));
        assertEquals(v4.size() - 1, r.objects("route").size(), "changed in place, not added");
    }

    @Test
    void dumpRepeatingKnownNeighboursEmitsNothingAndAChangedOneEmits()
    {
        final List<byte[]> dump = neighDump();
        final List<byte[]> changed = new ArrayList<>(dump);
        final int stale = indexOf(dump, neigh("stale-newneigh.hex"));
        final byte[] reachable = dump.get(stale).clone();
        ByteBuffer.wrap(reachable).order(ByteOrder.nativeOrder())
            .putShort(Netlink.NLMSG_HDRLEN + Neighbour.NDM_STATE_OFFSET, (short)Neighbour.NUD_REACHABLE);
        changed.set(stale, reachable);
        final long[] end = new long[3];
        final Replayed r = replay(j ->
        {
            end[0] = j.neighDump(NETNS_A, 1, AF_UNSPEC, dump);
            end[1] = j.neighDump(NETNS_A, 2, AF_UNSPEC, dump);
            end[2] = j.neighDump(NETNS_A, 3, AF_UNSPEC, changed);
        });
        final List<JsonEvent> after = r.of("neigh").stream().filter(e -> e.seq() > end[0]).toList();
        assertEquals(1, after.size(), after.toString());
        assertEquals("10.88.0.8", after.get(0).get("address"));
        assertEquals("REACHABLE", after.get(0).get("state"));
        assertEquals("dump", after.get(0).get("origin"));
        assertTrue(after.get(0).seq() > end[1] && after.get(0).seq() < end[2]);
        assertEquals(dump.size() - 1, r.objects("neigh").size());
    }

    @Test
    void routeDumpOfOneFamilyEndsOnlyRoutesOfThatFamily()
    {
        final List<byte[]> v4 = routeDump("getroute-dump.hex");
        final int lost = indexOf(v4, route("metric-newroute.hex"));
        final List<byte[]> without = new ArrayList<>(v4);
        without.remove(lost);
        final long[] end = new long[2];
        final Replayed r = replay(j ->
        {
            j.routeDump(NETNS_A, 1, AF_INET, v4);
            j.routeDump(NETNS_A, 2, AF_INET6, routeDump("getroute6-dump.hex"));
            j.rtnl().gap(NETNS_A, 1);
            end[0] = j.routeDump(NETNS_A, 3, AF_INET, without);
            end[1] = j.routeDump(NETNS_A, 4, AF_INET, List.of());
        });
        final List<JsonEvent> first = r.at(end[0]);
        assertEquals(1, first.size(), first.toString());
        final Map<String, Object> e = json(first.get(0));
        assertEquals("del", e.get("op"));
        assertEquals("192.0.2.0/24", e.get("dst"));
        assertEquals(100L, e.get("metric"));
        assertEquals(Boolean.TRUE, e.get("synthesized"));
        assertEquals("resync", e.get("origin"));
        assertEquals(1L, e.get("sub"));

        final List<JsonEvent> all = r.at(end[1]);
        assertEquals(v4.size() - 2, all.size(), "every other IPv4 route");
        for (int i = 0; i < all.size(); i++)
        {
            assertEquals("inet", all.get(i).get("family"));
            assertEquals(i + 1, all.get(i).sub());
        }
        assertEquals(List.of("inet6"), r.objects("route").stream().map(x -> x.get("family")).distinct().toList());
        assertEquals(routeDump("getroute6-dump.hex").size() - 1, r.objects("route").size());
    }

    @Test
    void routesOfOnePrefixOnSeveralDevicesAreSeveralObjects()
    {
        final long[] end = new long[1];
        final Replayed r = replay(j ->
        {
            // IPv6 puts fe80::/64 on every link: one route per device, told apart by the kernel by RTA_OIF
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV6_ROUTE, linkLocalRoute(Rtnetlink.RTM_NEWROUTE, 2));
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV6_ROUTE, linkLocalRoute(Rtnetlink.RTM_NEWROUTE, 3));
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV6_ROUTE, linkLocalRoute(Rtnetlink.RTM_NEWROUTE, 4));
            j.rtnlEvent(NETNS_A, Rtnetlink.RTNLGRP_IPV6_ROUTE, linkLocalRoute(Rtnetlink.RTM_DELROUTE, 2));
            end[0] = j.routeDump(NETNS_A, 1, AF_INET6, List.of(linkLocalRoute(Rtnetlink.RTM_NEWROUTE, 3)));
        });
        assertEquals(List.of(), r.malformed());
        // changed on purpose: a route's identity includes its output device (before: one object per family,
        // table, destination, tos and metric, so the second device's route replaced the first, the deletion
        // ended the one that was left, and the dump brought it back as new)
        assertEquals(List.of("new", "new", "new", "del"), r.of("route").stream().filter(e -> e.seq() < end[0]).map(JsonEvent::op).toList(),
            "the dump's route 3 was known: nothing new");
        final List<JsonEvent> ended = r.at(end[0]);
        assertEquals(1, ended.size(), ended.toString());
        assertEquals("del", ended.get(0).op());
        assertEquals(4L, ended.get(0).get("oif"), "the device the dump no longer has a route on");
        assertEquals(Boolean.TRUE, ended.get(0).get("synthesized"));
        assertEquals(List.of(3L), r.objects("route").stream().map(e -> e.get("oif")).toList());
    }

    // ---- helpers

    /** fe80::/64 in table main on one device, as the kernel adds it for every link with IPv6. */
    private static byte[] linkLocalRoute(final int type, final int oif)
    {
        final byte[] fe80 = new byte[16];
        fe80[0] = (byte)0xfe;
        fe80[1] = (byte)0x80;
        return RtnlMessages.message(type, 0, 0, 0)
            .u8(AF_INET6).u8(64).u8(0).u8(0)
            .u8(RT_TABLE_MAIN).u8(RTPROT_KERNEL).u8(0).u8(RTN_UNICAST).u32(0)
            .attrU32(Route.RTA_TABLE, RT_TABLE_MAIN)
            .attr(Route.RTA_DST, fe80)
            .attrU32(Route.RTA_PRIORITY, 256)
            .attrU32(Route.RTA_OIF, oif)
            .build();
    }

    private interface Script
    {
        void write(ConnJournal journal);
    }

    private Replayed replay(final Script script)
    {
        final Path dir = tmp.resolve("journal");
        try (ConnJournal journal = ConnJournal.create(dir))
        {
            script.write(journal);
        }
        return Replayed.of(dir);
    }

    private static byte[] route(final String name)
    {
        return RtnlMessages.fixture("route/" + name);
    }

    private static byte[] neigh(final String name)
    {
        return RtnlMessages.fixture("neigh/" + name);
    }

    /** A captured dump's messages, its NLMSG_DONE last. */
    private static List<byte[]> routeDump(final String name)
    {
        return RtnlMessages.messages(route(name));
    }

    private static List<byte[]> neighDump()
    {
        return RtnlMessages.messages(neigh("getneigh-dump.hex"));
    }

    private static int indexOf(final List<byte[]> messages, final byte[] message)
    {
        for (int i = 0; i < messages.size(); i++)
        {
            if (Arrays.equals(messages.get(i), message))
            {
                return i;
            }
        }
        throw new AssertionError("not in the dump");
    }

    /** A copy with the payload of the first attribute of {@code type} (same length) replaced. */
    private static byte[] withAttribute(final byte[] message, final int type, final byte[] payload)
    {
        final byte[] copy = message.clone();
        final ByteBuffer b = ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder());
        int at = Netlink.NLMSG_HDRLEN + Rtnetlink.RTMSG_LEN;
        while (at + Netlink.NLA_HDRLEN <= copy.length)
        {
            final int len = b.getShort(at) & 0xFFFF;
            if ((b.getShort(at + 2) & 0x3FFF) == type)
            {
                assertEquals(Netlink.NLA_HDRLEN + payload.length, len);
                System.arraycopy(payload, 0, copy, at + Netlink.NLA_HDRLEN, payload.length);
                return copy;
            }
            at += (len + 3) & ~3;
        }
        throw new AssertionError("no attribute " + type);
    }

    /** A route of the IPv4 multicast routing table, as an AF_UNSPEC route dump or RTNLGRP_IPV4_MROUTE gives it. */
    private static byte[] ipmrRoute()
    {
        return RtnlMessages.message(Rtnetlink.RTM_NEWROUTE, Netlink.NLM_F_MULTI, 1, 0)
            .u8(RTNL_FAMILY_IPMR).u8(32).u8(32).u8(0)
            .u8(RT_TABLE_DEFAULT).u8(RTPROT_MROUTED).u8(0).u8(RTN_MULTICAST).u32(0)
            .attrU32(Route.RTA_TABLE, RT_TABLE_DEFAULT)
            .attr(Route.RTA_SRC, new byte[] {10, 88, 0, 2})
            .attr(Route.RTA_DST, new byte[] {(byte)239, 1, 1, 1})
            .attrU32(Route.RTA_IIF, 2)
            .build();
    }

    /** A bridge forwarding entry (PF_BRIDGE), as `bridge fdb` shows: NDA_LLADDR and NDA_MASTER, no NDA_DST. */
    private static byte[] bridgeFdb(final int type, final String mac)
    {
        final byte[] lladdr = new byte[6];
        final String[] parts = mac.split(":");
        for (int i = 0; i < 6; i++)
        {
            lladdr[i] = (byte)Integer.parseInt(parts[i], 16);
        }
        return RtnlMessages.message(type, Netlink.NLM_F_MULTI, 2, 0)
            .u8(Rtnetlink.AF_BRIDGE).u8(0).u16(0).u32(2)
            .u16(Neighbour.NUD_PERMANENT).u8(Neighbour.NTF_SELF | Neighbour.NTF_MASTER).u8(0)
            .attr(Neighbour.NDA_LLADDR, lladdr)
            .attrU32(Neighbour.NDA_MASTER, 3)
            .build();
    }

    /** ip -j route as "4 main unicast 192.0.2.0/24" -> {field: value}. */
    private static Map<String, Map<String, String>> ipRoutes()
    {
        final Map<String, Map<String, String>> routes = new LinkedHashMap<>();
        for (final Map.Entry<String, String> kv : keyValues("route/ip-route-expected.txt", "route."))
        {
            final String key = kv.getKey();
            final int dot = key.lastIndexOf('.');
            final String[] id = key.substring(0, dot).split("\\.", 4);
            routes.computeIfAbsent(String.join(" ", id), x -> new HashMap<>()).put(key.substring(dot + 1), kv.getValue());
        }
        return routes;
    }

    /** ip -j neigh as address -> {field: value}, for lines starting with {@code prefix}. */
    private static Map<String, Map<String, String>> ipNeighbours(final String prefix)
    {
        final Map<String, Map<String, String>> neighbours = new LinkedHashMap<>();
        for (final Map.Entry<String, String> kv : keyValues("neigh/ip-neigh-expected.txt", prefix))
        {
            final String key = kv.getKey();
            final int dot = key.lastIndexOf('.');
            neighbours.computeIfAbsent(key.substring(0, dot), x -> new HashMap<>()).put(key.substring(dot + 1), kv.getValue());
        }
        return neighbours;
    }

    private static Map<String, Long> ifindexes(final String file)
    {
        final Map<String, Long> out = new HashMap<>();
        for (final Map.Entry<String, String> kv : keyValues(file, "link."))
        {
            out.put(kv.getKey().substring(0, kv.getKey().indexOf('.')), Long.valueOf(kv.getValue()));
        }
        assertNotNull(out.get("vA"));
        return out;
    }

    /** "key=value" lines whose key starts with {@code prefix}, the prefix cut off; split at the first '='. */
    private static List<Map.Entry<String, String>> keyValues(final String file, final String prefix)
    {
        final List<Map.Entry<String, String>> out = new ArrayList<>();
        for (final String line : RtnlMessages.fixtureLines(file))
        {
            final int eq = line.indexOf('=');
            if (line.startsWith(prefix) && eq > 0)
            {
                out.add(Map.entry(line.substring(prefix.length(), eq), line.substring(eq + 1)));
            }
        }
        return out;
    }

    /** "10.88.0.2,vA,1;10.88.0.3,vA,3" as the event's nexthops. */
    private static List<Map<String, Object>> nexthops(final String ip, final Map<String, Long> ifindex)
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final String hop : ip.split(";"))
        {
            final String[] f = hop.split(",");
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("gateway", f[0]);
            m.put("oif", ifindex.get(f[1]));
            m.put("weight", Long.valueOf(f[2]));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> json(final JsonEvent e)
    {
        return e.json();
    }
}
