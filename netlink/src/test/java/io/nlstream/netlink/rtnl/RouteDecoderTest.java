package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.FixtureMessages;
import io.nlstream.netlink.Fixtures;
import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.nlstream.netlink.rtnl.IfAddr.*;
import static io.nlstream.netlink.rtnl.Route.*;
import static io.nlstream.netlink.rtnl.Rtnetlink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes the captured route messages (fixtures/route/README.md) and checks them against what
 * capture_dfx.py set up and against what {@code ip -j route} printed for the same routes.
 */
class RouteDecoderTest
{
    private final RouteDecoder route = new RouteDecoder();
    private final Map<String, String> ip = FixtureMessages.keyValues("route/ip-route-expected.txt");
    private final int vA = Integer.parseInt(ip.get("link.vA.ifindex"));

    private void wrap(final String fixture)
    {
        final ByteBuffer buf = Fixtures.buffer("route/" + fixture);
        assertTrue(route.wrap(buf, 0, buf.limit()), () -> fixture + ": " + route.error());
    }

    @Test
    void defaultRoute()
    {
        wrap("default-newroute.hex");
        assertEquals(RTM_NEWROUTE, route.messageType());
        assertFalse(route.isDelete());
        assertEquals(AF_INET, route.family());
        assertEquals(0, route.dstLen());
        assertFalse(route.hasDst());
        assertNull(route.dst());
        assertEquals("default", route.dstCidr());
        assertEquals(RT_TABLE_MAIN, route.table());
        assertEquals("main", RouteNames.table(route.table()));
        assertEquals(RTPROT_BOOT, route.protocol());
        assertEquals(RT_SCOPE_UNIVERSE, route.scope());
        assertEquals(RTN_UNICAST, route.type());
        assertEquals("10.88.0.2", route.gateway());
        assertEquals(vA, route.oif());
        assertEquals(-1, route.priority());
        assertEquals(0, route.nexthopCount());
        assertEquals(0, route.flags());
        assertNull(route.error());
        assertEquals(-1, route.errorOffset());
    }

    @Test
    void connectedRouteWithPrefsrc()
    {
        wrap("connected-newroute.hex");
        assertEquals("10.88.0.0/24", route.dstCidr());
        assertEquals("10.88.0.0", route.dst());
        assertEquals(24, route.dstLen());
        assertEquals("kernel", RouteNames.protocol(route.protocol()));
        assertEquals(RT_SCOPE_LINK, route.scope());
        assertEquals("link", AddrScope.name(route.scope()));
        assertEquals("10.88.0.1", route.prefsrc());
        assertFalse(route.hasGateway());
        assertEquals(vA, route.oif());
    }

    @Test
    void hostRouteKeepsItsLengthInCidrButNotInIpSpelling()
    {
        wrap("host-newroute.hex");
        assertEquals(32, route.dstLen());
        assertEquals("10.99.0.1", route.dst());
        assertEquals("10.99.0.1/32", route.dstCidr());
        assertEquals(ip.get("route.4.main.unicast.10.99.0.1.protocol"), RouteNames.protocol(route.protocol()));
        assertEquals(RTPROT_DHCP, route.protocol());
    }

    @Test
    void staticRouteWithMetric()
    {
        wrap("metric-newroute.hex");
        assertEquals(100, route.priority());
        assertEquals("static", RouteNames.protocol(route.protocol()));
        assertEquals("10.88.0.2", route.gateway());
    }

    @Test
    void multipathWithWeights()
    {
        wrap("multipath-newroute.hex");
        assertEquals("198.51.100.0/24", route.dstCidr());
        assertFalse(route.hasGateway(), "each nexthop has its own");
        assertEquals(0, route.oif());
        assertEquals(2, route.nexthopCount());
        assertEquals("10.88.0.2", route.nexthopGateway(0));
        assertEquals(vA, route.nexthopIfindex(0));
        assertEquals(1, route.nexthopWeight(0));
        assertEquals("10.88.0.3", route.nexthopGateway(1));
        assertEquals(vA, route.nexthopIfindex(1));
        assertEquals(3, route.nexthopWeight(1));
        assertNull(route.nexthopGateway(2));
        assertEquals(0, route.nexthopIfindex(2));
        assertEquals(0, route.nexthopWeight(-1));
    }

    @Test
    void rejectRoutes()
    {
        wrap("blackhole-newroute.hex");
        assertEquals(RTN_BLACKHOLE, route.type());
        assertEquals("blackhole", RouteNames.type(route.type()));
        assertEquals(0, route.oif());
        assertEquals("203.0.113.0/25", route.dstCidr());

        wrap("unreachable-newroute.hex");
        assertEquals("unreachable", RouteNames.type(route.type()));
        assertEquals(100, route.table());
        assertEquals("100", RouteNames.table(route.table()));
    }

    @Test
    void tableAbove255IsInRtaTable()
    {
        wrap("table1000-newroute.hex");
        assertEquals(1000, route.table());
        assertEquals("1000", RouteNames.table(route.table()));
        assertEquals(RTN_PROHIBIT, route.type());
        assertEquals(200, route.protocol());
        assertEquals("200", RouteNames.protocol(route.protocol()));
    }

    @Test
    void metricsAreLeftNestedForTheCaller()
    {
        wrap("metrics-newroute.hex");
        assertEquals("bird", RouteNames.protocol(route.protocol()));
        assertTrue(route.hasMetrics());
        final Map<Integer, Integer> rtax = new HashMap<>();
        final AttributeIterator it = new AttributeIterator();
        it.reset(Fixtures.buffer("route/metrics-newroute.hex"), route.metricsOffset(), route.metricsLength());
        while (it.next())
        {
            rtax.put(it.type(), it.u32());
        }
        assertFalse(it.malformed());
        assertEquals(Map.of(2, 1300, 8, 1200), rtax, "RTAX_MTU 1300, RTAX_ADVMSS 1200");
        assertEquals("advmss:1200,mtu:1300", ip.get("route.4.main.unicast.10.66.0.0/16.metrics"));
    }

    @Test
    void gatewayOfAnotherFamilyIsRtaVia()
    {
        wrap("via-newroute.hex");
        assertTrue(route.hasVia());
        assertEquals("fd00:88::2", route.via());
        assertFalse(route.hasGateway());
        assertEquals(ip.get("route.4.main.unicast.192.0.2.128/25.via"), "inet6 " + route.via());
    }

    @Test
    void nexthopObject()
    {
        wrap("nhid-newroute.hex");
        assertEquals(10, route.nhId());
        assertEquals("10.88.0.2", route.gateway(), "the kernel adds the nexthop's gateway");
        assertEquals(vA, route.oif());
    }

    @Test
    void localTable()
    {
        wrap("local-newroute.hex");
        assertEquals(RT_TABLE_LOCAL, route.table());
        assertEquals("local", RouteNames.table(route.table()));
        assertEquals("local", RouteNames.type(route.type()));
        assertEquals("host", AddrScope.name(route.scope()));
        assertEquals("10.88.0.1", route.prefsrc());
    }

    @Test
    void ipv6Routes()
    {
        wrap("ipv6-default-newroute.hex");
        assertEquals(AF_INET6, route.family());
        assertEquals("fd00:88::2", route.gateway());
        assertEquals(1024, route.priority());
        assertEquals(ICMPV6_ROUTER_PREF_MEDIUM, route.pref());
        assertTrue(route.hasCacheInfo());
        assertEquals(0, route.cacheInfoExpires());

        wrap("ipv6-pref-newroute.hex");
        assertEquals("high", RouteNames.pref(route.pref()));

        wrap("ipv6-expires-newroute.hex");
        assertEquals("2001:db8:2::/48", route.dstCidr());
        // added with expires 300; ip, which ran just after the dump, printed rta_expires / USER_HZ
        final int ticks = route.cacheInfoExpires();
        assertTrue(ticks > 0 && ticks <= 300 * 100, () -> "rta_expires " + ticks);
        final int ipSeconds = Integer.parseInt(ip.get("route.6.main.unicast.2001:db8:2::/48.expires"));
        assertTrue(Math.abs(ticks / 100 - ipSeconds) <= 2, () -> ticks + " ticks vs ip " + ipSeconds);

        wrap("ipv6-multipath-newroute.hex");
        assertEquals(2, route.nexthopCount());
        assertEquals("fd00:88::2", route.nexthopGateway(0));
        assertEquals("fd00:88::3", route.nexthopGateway(1));
        assertEquals(1, route.nexthopWeight(1));
        assertEquals(vA, route.nexthopIfindex(1));
    }

    @Test
    void events()
    {
        wrap("newroute-event.hex");
        assertEquals(RTM_NEWROUTE, route.messageType());
        assertEquals("10.44.0.0/16", route.dstCidr());
        assertEquals(RTPROT_STATIC, route.protocol());
        final ByteBuffer event = Fixtures.buffer("route/newroute-event.hex");
        assertEquals(0x600, NetlinkFraming.flags(event, 0), "NLM_F_CREATE | NLM_F_EXCL, as ip sent them");

        wrap("delroute-event.hex");
        assertTrue(route.isDelete());
        assertEquals("192.0.2.0/24", route.dstCidr());
        assertEquals(100, route.priority());

        wrap("newroute6-event.hex");
        assertEquals(AF_INET6, route.family());
        assertEquals("2001:db8:4::/64", route.dstCidr());
    }

    /**
     * Every route of both captured dumps, against what iproute2 printed for it; the keys carry ip's
     * defaults (table main, type unicast), and a field ip left out must be at its default here too.
     */
    @Test
    void dumpsMatchIpJsonRoute()
    {
        final Map<Integer, String> names = new HashMap<>();
        for (final Map.Entry<String, String> e : ip.entrySet())
        {
            if (e.getKey().startsWith("link.") && e.getKey().endsWith(".ifindex"))
            {
                names.put(Integer.parseInt(e.getValue()), e.getKey().substring(5, e.getKey().length() - 8));
            }
        }
        int n = 0;
        for (final String dump : List.of("route/getroute-dump.hex", "route/getroute6-dump.hex"))
        {
            final ByteBuffer buf = Fixtures.buffer(dump);
            for (final int[] span : FixtureMessages.messages(buf, RTM_NEWROUTE))
            {
                assertTrue(route.wrap(buf, span[0], span[1]), route::error);
                final String p = "route." + (route.family() == AF_INET ? 4 : 6) + "." + RouteNames.table(route.table())
                    + "." + RouteNames.type(route.type()) + "." + ipDst(route) + ".";
                assertTrue(ip.containsKey(p + "flags"), () -> p + " not printed by ip");
                assertEquals(ip.get(p + "gateway"), route.gateway(), p);
                assertEquals(ip.get(p + "dev"), route.oif() == 0 ? null : names.get(route.oif()), p);
                assertEquals(ip.getOrDefault(p + "protocol", "boot"), RouteNames.protocol(route.protocol()), p);
                assertEquals(ip.getOrDefault(p + "scope", "global"), AddrScope.name(route.scope()), p);
                assertEquals(ip.get(p + "prefsrc"), route.prefsrc(), p);
                assertEquals(ip.getOrDefault(p + "metric", "-1"), Long.toString(route.priority()), p);
                assertEquals(ip.getOrDefault(p + "nhid", "-1"), Long.toString(route.nhId()), p);
                assertEquals(ip.get(p + "pref"), route.pref() < 0 ? null : RouteNames.pref(route.pref()), p);
                assertEquals(ip.get(p + "via"), route.hasVia() ? "inet6 " + route.via() : null, p);
                assertEquals(ip.containsKey(p + "expires"), route.cacheInfoExpires() != 0, p);
                final List<String> nexthops = new ArrayList<>();
                for (int i = 0; i < route.nexthopCount(); i++)
                {
                    nexthops.add(route.nexthopGateway(i) + "," + names.get(route.nexthopIfindex(i)) + ","
                        + route.nexthopWeight(i));
                }
                assertEquals(ip.get(p + "nexthops"), nexthops.isEmpty() ? null : String.join(";", nexthops), p);
                n++;
            }
        }
        final long printed = ip.keySet().stream().filter(k -> k.startsWith("route.") && k.endsWith(".flags")).count();
        assertEquals(printed, n, "every route ip printed is in the dumps, and no more");
        assertEquals(26, n, "16 IPv4 routes in main, local, 100 and 1000; 10 IPv6");
    }

    /** "dst" as {@code ip -j route} prints it: the prefix, but a host route (/32, /128) as the bare address. */
    private static String ipDst(final RouteDecoder route)
    {
        return route.dstCidr().replaceFirst(route.family() == AF_INET ? "/32$" : "/128$", "");
    }

    @Test
    void protocolNamesAsThisMachinesIpPrintsThem()
    {
        final Map<String, String> names = FixtureMessages.keyValues("route/ip-protocol-names.txt");
        assertEquals(256, names.size());
        for (int p = 0; p < 256; p++)
        {
            assertEquals(names.get(Integer.toString(p)), RouteNames.protocol(p), "protocol " + p);
        }
    }

    @Test
    void namesOutsideTheTables()
    {
        assertEquals("none", RouteNames.type(RTN_UNSPEC));
        assertEquals("nat", RouteNames.type(RTN_NAT));
        assertEquals("xresolve", RouteNames.type(RTN_XRESOLVE));
        assertEquals("12", RouteNames.type(12));
        assertEquals("default", RouteNames.table(RT_TABLE_DEFAULT));
        assertEquals("unspec", RouteNames.table(RT_TABLE_UNSPEC));
        assertEquals("4294967295", RouteNames.table(0xFFFFFFFFL));
        assertEquals("low", RouteNames.pref(ICMPV6_ROUTER_PREF_LOW));
        assertEquals("2", RouteNames.pref(ICMPV6_ROUTER_PREF_INVALID));
        assertEquals("256", RouteNames.protocol(256));
    }

    @Test
    void readsTheSameFromAnyBufferKindOrderAndOffset()
    {
        final byte[] bytes = Fixtures.bytes("route/multipath-newroute.hex");
        for (final ByteBuffer buf : new ByteBuffer[] {
            ByteBuffer.allocate(bytes.length + 13),
            ByteBuffer.allocate(bytes.length + 13).order(ByteOrder.LITTLE_ENDIAN),
            ByteBuffer.allocateDirect(bytes.length + 13),
            ByteBuffer.allocateDirect(bytes.length + 13).order(ByteOrder.nativeOrder()),
        })
        {
            buf.put(13, bytes);
            final ByteOrder order = buf.order();
            assertTrue(route.wrap(buf, 13, bytes.length), route::error);
            assertEquals("198.51.100.0/24", route.dstCidr());
            assertEquals("10.88.0.3", route.nexthopGateway(1));
            assertEquals(3, route.nexthopWeight(1));
            assertEquals(order, buf.order());
            assertEquals(0, buf.position());
            assertEquals(buf.capacity(), buf.limit());
        }
    }

    @Test
    void wrapFailingAfterSuccessForgetsThePreviousMessage()
    {
        wrap("multipath-newroute.hex");
        final ByteBuffer neigh = Fixtures.buffer("neigh/permanent-newneigh.hex");
        assertFalse(route.wrap(neigh, 0, neigh.limit()));
        assertEquals(RouteDecoder.ERR_NOT_ROUTE, route.error());
        assertEquals(0, route.errorOffset());
        assertEquals(0, route.nexthopCount());
        assertNull(route.nexthopGateway(0));
        assertNull(route.dstCidr());
        assertEquals(0, route.table());
        assertEquals(-1, route.priority());
    }
}
