package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.FixtureMessages;
import io.nlstream.netlink.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static io.nlstream.netlink.rtnl.Neighbour.*;
import static io.nlstream.netlink.rtnl.Route.RTN_MULTICAST;
import static io.nlstream.netlink.rtnl.Route.RTN_UNICAST;
import static io.nlstream.netlink.rtnl.Rtnetlink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes the captured neighbour messages (fixtures/neigh/README.md) and checks them against what
 * capture_dfx.py set up and against what {@code ip -s -j neigh} printed for the same entries.
 */
class NeighDecoderTest
{
    private final NeighDecoder neigh = new NeighDecoder();
    private final Map<String, String> ip = FixtureMessages.keyValues("neigh/ip-neigh-expected.txt");
    private final int vA = Integer.parseInt(ip.get("link.vA.ifindex"));

    private void wrap(final String fixture)
    {
        final ByteBuffer buf = Fixtures.buffer("neigh/" + fixture);
        assertTrue(neigh.wrap(buf, 0, buf.limit()), () -> fixture + ": " + neigh.error());
    }

    @Test
    void permanent()
    {
        wrap("permanent-newneigh.hex");
        assertEquals(RTM_NEWNEIGH, neigh.messageType());
        assertFalse(neigh.isDelete());
        assertEquals(AF_INET, neigh.family());
        assertEquals(vA, neigh.ifindex());
        assertEquals("10.88.0.9", neigh.dst());
        assertEquals("02:00:00:00:88:09", neigh.lladdr());
        assertEquals(NUD_PERMANENT, neigh.state());
        assertEquals(List.of("PERMANENT"), NeighStates.names(neigh.state()));
        assertEquals(0, neigh.flags());
        assertEquals(RTN_UNICAST, neigh.type());
        assertTrue(neigh.hasCacheInfo());
        assertEquals(0, neigh.master());
        assertNull(neigh.error());
    }

    @Test
    void learnedReachable()
    {
        wrap("reachable-newneigh.hex");
        assertEquals("10.88.0.2", neigh.dst());
        assertEquals("02:00:00:00:88:02", neigh.lladdr());
        assertEquals(List.of("REACHABLE"), NeighStates.names(neigh.state()));

        wrap("ipv6-reachable-newneigh.hex");
        assertEquals(AF_INET6, neigh.family());
        assertEquals("fd00:88::2", neigh.dst());
        assertEquals(NUD_REACHABLE, neigh.state());
    }

    @Test
    void staleFailedNoarp()
    {
        wrap("stale-newneigh.hex");
        assertEquals(List.of("STALE"), NeighStates.names(neigh.state()));

        wrap("failed-newneigh.hex");
        assertEquals("10.88.0.77", neigh.dst());
        assertEquals(List.of("FAILED"), NeighStates.names(neigh.state()));
        assertFalse(neigh.hasLladdr(), "nobody answered");
        assertNull(neigh.lladdr());

        wrap("noarp-newneigh.hex");
        assertEquals("ff02::2", neigh.dst());
        assertEquals("33:33:00:00:00:02", neigh.lladdr());
        assertEquals(List.of("NOARP"), NeighStates.names(neigh.state()));
        assertEquals(RTN_MULTICAST, neigh.type());
    }

    @Test
    void routerAndProxyFlags()
    {
        wrap("router-newneigh.hex");
        assertEquals("fd00:88::9", neigh.dst());
        assertEquals(NTF_ROUTER, neigh.flags());
        assertEquals(List.of("router"), NeighStates.flagNames(neigh.flags(), neigh.flagsExt()));

        wrap("proxy-newneigh.hex");
        assertEquals("10.88.0.20", neigh.dst());
        assertEquals(NUD_NONE, neigh.state());
        assertEquals(List.of(), NeighStates.names(neigh.state()), "ip prints no state for NUD_NONE");
        assertEquals("NONE", NeighStates.name(neigh.state()));
        assertEquals(List.of("proxy"), NeighStates.flagNames(neigh.flags(), neigh.flagsExt()));
        assertEquals(ip.get("proxy.10.88.0.20.flags"), "proxy");
        assertFalse(neigh.hasCacheInfo());
        assertEquals(-1, neigh.confirmed());
    }

    @Test
    void events()
    {
        wrap("reachable-event.hex");
        assertEquals("10.88.0.2", neigh.dst());
        assertEquals(NUD_REACHABLE, neigh.state());

        wrap("failed-event.hex");
        assertEquals("10.88.0.77", neigh.dst());
        assertEquals(NUD_FAILED, neigh.state());

        wrap("delneigh-event.hex");
        assertEquals(RTM_DELNEIGH, neigh.messageType());
        assertTrue(neigh.isDelete());
        assertEquals("10.88.0.9", neigh.dst());
    }

    /**
     * Every entry of the captured dump against what {@code ip -s -j neigh show nud all} printed.
     */
    @Test
    void dumpMatchesIpJsonNeigh()
    {
        final ByteBuffer buf = Fixtures.buffer("neigh/getneigh-dump.hex");
        int n = 0;
        for (final int[] span : FixtureMessages.messages(buf, RTM_NEWNEIGH))
        {
            assertTrue(neigh.wrap(buf, span[0], span[1]), neigh::error);
            final String p = "neigh." + neigh.dst() + ".";
            assertTrue(ip.containsKey(p + "state"), () -> p + " not printed by ip");
            assertEquals(vA == neigh.ifindex() ? "vA" : "lo", ip.get(p + "dev"), p);
            assertEquals(ip.get(p + "lladdr"), neigh.lladdr(), p);
            assertEquals(ip.get(p + "state"), String.join(",", NeighStates.names(neigh.state())), p);
            assertEquals(ip.get(p + "flags"), String.join(",", NeighStates.flagNames(neigh.flags(), neigh.flagsExt())), p);
            // ip -s prints clock ticks / USER_HZ; it ran just after the dump
            assertClose(ip.get(p + "confirmed"), neigh.confirmed(), p + "confirmed");
            n++;
        }
        final long printed = ip.keySet().stream().filter(k -> k.startsWith("neigh.") && k.endsWith(".state")).count();
        assertEquals(printed, n, "every entry ip printed is in the dump, and no more");
        assertEquals(11, n, "5 IPv4 (lo 0.0.0.0 NOARP too), 2 IPv6 unicast, 4 IPv6 multicast NOARP");
    }

    private static void assertClose(final String ipSeconds, final long ticks, final String what)
    {
        final long seconds = Long.parseLong(ipSeconds);
        assertTrue(ticks >= 0 && Math.abs(ticks / 100 - seconds) <= 1, () -> what + ": " + ticks + " vs ip " + seconds);
    }

    @Test
    void stateAndFlagNames()
    {
        assertEquals(List.of("INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP", "PERMANENT",
            "ff00"), NeighStates.names(0xFFFF));
        assertEquals(List.of("DELAY"), NeighStates.names(NUD_DELAY));
        assertEquals("PROBE", NeighStates.name(NUD_PROBE));
        assertEquals("INCOMPLETE", NeighStates.name(NUD_INCOMPLETE));
        assertEquals("3", NeighStates.name(3), "not a single state");
        assertEquals(List.of("router", "proxy", "extern_learn", "offload", "managed"),
            NeighStates.flagNames(0xFF, NTF_EXT_MANAGED));
        assertEquals(List.of(), NeighStates.flagNames(NTF_SELF | NTF_MASTER | NTF_STICKY | NTF_USE, 0));
    }

    @Test
    void wrapFailingAfterSuccessForgetsThePreviousMessage()
    {
        wrap("permanent-newneigh.hex");
        final ByteBuffer route = Fixtures.buffer("route/default-newroute.hex");
        assertFalse(neigh.wrap(route, 0, route.limit()));
        assertEquals(NeighDecoder.ERR_NOT_NEIGH, neigh.error());
        assertNull(neigh.dst());
        assertNull(neigh.lladdr());
        assertEquals(0, neigh.state());
    }
}
