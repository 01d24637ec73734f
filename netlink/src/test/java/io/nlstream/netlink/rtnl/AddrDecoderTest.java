package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.Fixtures;
import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static io.nlstream.netlink.rtnl.IfAddr.*;
import static io.nlstream.netlink.rtnl.Rtnetlink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes the captured address messages (fixtures/README.md) and checks them against what capture.py
 * set up and against what {@code ip -j addr} printed for the same addresses.
 */
class AddrDecoderTest
{
    private final AddrDecoder addr = new AddrDecoder();
    private final Map<String, String> ip = Fixtures.ipExpected();

    private int ifindex(final String name)
    {
        return Integer.parseInt(ip.get("link." + name + ".ifindex"));
    }

    private void wrap(final String fixture)
    {
        final ByteBuffer buf = Fixtures.buffer(fixture);
        assertTrue(addr.wrap(buf, 0, buf.limit()), () -> fixture + ": " + addr.error());
    }

    @Test
    void ipv4WithBroadcastAndLabel()
    {
        wrap("ipv4-newaddr.hex");
        assertEquals(RTM_NEWADDR, addr.messageType());
        assertFalse(addr.isDelete());
        assertEquals(AF_INET, addr.family());
        assertEquals(24, addr.prefixlen());
        assertEquals(RT_SCOPE_UNIVERSE, addr.scope());
        assertEquals("global", AddrScope.name(addr.scope()));
        assertEquals(ifindex("br0"), addr.ifindex());
        assertEquals("192.0.2.1", addr.address());
        assertEquals("192.0.2.1", addr.local());
        assertEquals("192.0.2.1", addr.primaryAddress());
        assertEquals("192.0.2.255", addr.broadcast());
        assertEquals("br0:web", addr.label());
        assertEquals(IFA_F_PERMANENT, addr.flags());
        assertEquals(List.of(), AddrFlags.names(addr.family(), addr.flags()));
        assertTrue(addr.hasCacheInfo());
        assertEquals(INFINITY_LIFE_TIME, addr.validLft());
        assertEquals(INFINITY_LIFE_TIME, addr.preferredLft());
    }

    @Test
    void ipv6WithFiniteLifetimes()
    {
        wrap("ipv6-newaddr.hex");
        assertEquals(AF_INET6, addr.family());
        assertEquals(64, addr.prefixlen());
        assertEquals("global", AddrScope.name(addr.scope()));
        assertEquals(ifindex("br0"), addr.ifindex());
        assertEquals("2001:db8::1", addr.address());
        assertFalse(addr.hasLocal(), "IPv6 sends IFA_ADDRESS only");
        assertEquals("2001:db8::1", addr.primaryAddress());
        assertNull(addr.label());
        assertFalse(addr.hasBroadcast());
        assertEquals(IFA_F_NODAD, addr.flags() & IFA_F_NODAD);
        assertEquals(0, addr.flags() & IFA_F_PERMANENT, "finite lifetime");
        assertEquals(List.of("nodad", "dynamic"), AddrFlags.names(addr.family(), addr.flags()));
        // valid_lft 3600 preferred_lft 1800 when added, counting down until the dump
        assertTrue(addr.validLft() > 3500 && addr.validLft() <= 3600, () -> "valid " + addr.validLft());
        assertTrue(addr.preferredLft() > 1700 && addr.preferredLft() <= 1800, () -> "preferred " + addr.preferredLft());
    }

    @Test
    void ipv6LinkLocal()
    {
        wrap("ipv6-linklocal-newaddr.hex");
        assertEquals("fe80::ff:fe00:1", addr.primaryAddress());
        assertEquals(64, addr.prefixlen());
        assertEquals(RT_SCOPE_LINK, addr.scope());
        assertEquals("link", AddrScope.name(addr.scope()));
        assertEquals(ifindex("veth0"), addr.ifindex());
        assertEquals(List.of(), AddrFlags.names(addr.family(), addr.flags()));
    }

    @Test
    void deleteEvent()
    {
        wrap("deladdr.hex");
        assertEquals(RTM_DELADDR, addr.messageType());
        assertTrue(addr.isDelete());
        assertEquals("198.51.100.7", addr.primaryAddress());
        assertEquals(32, addr.prefixlen());
        assertEquals(ifindex("veth2"), addr.ifindex());
        assertEquals("veth2", addr.label());
    }

    @Test
    void dumpMatchesIpJsonAddr()
    {
        final ByteBuffer buf = Fixtures.buffer("getaddr-dump.hex");
        int n = 0;
        for (int off = 0; off < buf.limit();)
        {
            final int len = NetlinkFraming.check(buf, off, buf.limit() - off);
            assertTrue(len > 0);
            if (NetlinkFraming.type(buf, off) == RTM_NEWADDR)
            {
                assertTrue(addr.wrap(buf, off, len), addr::error);
                final String p = "addr." + addr.primaryAddress() + ".";
                assertEquals(ip.get(p + "family"), addr.family() == AF_INET ? "inet" : "inet6", p);
                assertEquals(ip.get(p + "prefixlen"), Integer.toString(addr.prefixlen()), p);
                assertEquals(ip.get(p + "scope"), AddrScope.name(addr.scope()), p);
                assertEquals(ip.get(p + "broadcast"), addr.broadcast(), p);
                assertEquals(ip.get(p + "label"), addr.label(), p);
                assertEquals(ip.get(p + "flags"), String.join(",", AddrFlags.names(addr.family(), addr.flags())), p);
                // ip ran just after the dump: a finite lifetime may have ticked once
                final long ipValid = Long.parseLong(ip.get(p + "valid_life_time"));
                assertTrue(Math.abs(ipValid - addr.validLft()) <= 2, p + " valid " + addr.validLft());
                final long ipPreferred = Long.parseLong(ip.get(p + "preferred_life_time"));
                assertTrue(Math.abs(ipPreferred - addr.preferredLft()) <= 2, p + " preferred " + addr.preferredLft());
                n++;
            }
            off = NetlinkFraming.nextOffset(off, len, buf.limit());
        }
        assertEquals(8, n, "lo 127.0.0.1 and ::1, 192.0.2.1, 198.51.100.7, 2001:db8::1, three fe80::");
    }

    @Test
    void notALinkDecoderInput()
    {
        final ByteBuffer buf = Fixtures.buffer("veth-newlink.hex");
        assertFalse(addr.wrap(buf, 0, buf.limit()));
        assertEquals(AddrDecoder.ERR_NOT_ADDR, addr.error());
        assertEquals(0, addr.errorOffset());
        assertNull(addr.primaryAddress());
        assertEquals(-1, addr.validLft());
    }
}
