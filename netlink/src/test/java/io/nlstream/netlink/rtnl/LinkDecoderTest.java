package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.Fixtures;
import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.nlstream.netlink.rtnl.IfLink.*;
import static io.nlstream.netlink.rtnl.Rtnetlink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes the captured link messages (fixtures/README.md) and checks them against what capture.py set
 * up and against what {@code ip -j link} printed for the same links.
 */
class LinkDecoderTest
{
    private final LinkDecoder link = new LinkDecoder();
    private final Map<String, String> ip = Fixtures.ipExpected();

    private int ifindex(final String name)
    {
        return Integer.parseInt(ip.get("link." + name + ".ifindex"));
    }

    private void wrap(final String fixture)
    {
        final ByteBuffer buf = Fixtures.buffer(fixture);
        assertTrue(link.wrap(buf, 0, buf.limit()), () -> fixture + ": " + link.error());
    }

    @Test
    void vethEnslavedToABridge()
    {
        wrap("veth-newlink.hex");
        assertEquals(RTM_NEWLINK, link.messageType());
        assertFalse(link.isDelete());
        assertEquals(AF_UNSPEC, link.family());
        assertEquals(ARPHRD_ETHER, link.deviceType());
        assertEquals(ifindex("veth0"), link.ifindex());
        assertEquals("veth0", link.ifname());
        assertTrue(link.hasMtu());
        assertEquals(1400, link.mtu());
        assertEquals(68, link.minMtu());
        assertEquals(65535, link.maxMtu());
        assertEquals(ifindex("br0"), link.master());
        assertEquals(ifindex("veth1"), link.link());
        assertFalse(link.hasLinkNetnsid(), "peer in the same netns");
        assertEquals("veth", link.linkKind());
        assertEquals("bridge", link.slaveKind());
        assertEquals("02:00:00:00:00:01", link.address());
        assertEquals("ff:ff:ff:ff:ff:ff", link.broadcast());
        assertEquals(List.of("BROADCAST", "MULTICAST", "UP", "LOWER_UP"), LinkFlags.names(link.flags()));
        assertEquals(IF_OPER_UP, link.operstate());
        assertEquals("UP", OperState.name(link.operstate()));
        assertEquals(1, link.carrier());
        assertEquals("uplink-to-br0", link.ifalias());
        assertEquals("noqueue", link.qdisc());
        assertEquals(1000, link.txqlen());
        assertEquals(0, link.group());
        assertNull(link.error());
        assertEquals(-1, link.errorOffset());
    }

    @Test
    void bridge()
    {
        wrap("bridge-newlink.hex");
        assertEquals("br0", link.ifname());
        assertEquals(1400, link.mtu());
        assertEquals("bridge", link.linkKind());
        assertNull(link.slaveKind());
        assertEquals(0, link.master());
        assertEquals(0, link.link());
        assertEquals("02:00:00:00:0b:00", link.address());
        assertEquals(List.of("BROADCAST", "MULTICAST", "UP", "LOWER_UP"), LinkFlags.names(link.flags()));
        assertEquals("UP", OperState.name(link.operstate()));
        assertNull(link.ifalias());
    }

    @Test
    void loopback()
    {
        wrap("lo-newlink.hex");
        assertEquals(1, link.ifindex());
        assertEquals("lo", link.ifname());
        assertEquals(ARPHRD_LOOPBACK, link.deviceType());
        assertEquals(65536, link.mtu());
        assertNull(link.linkKind(), "lo has no rtnl_link_ops, so no IFLA_LINKINFO");
        assertEquals("00:00:00:00:00:00", link.address());
        assertEquals(List.of("LOOPBACK", "UP", "LOWER_UP"), LinkFlags.names(link.flags()));
        assertEquals("UNKNOWN", OperState.name(link.operstate()));
    }

    @Test
    void upWithoutCarrier()
    {
        wrap("nocarrier-newlink.hex");
        assertEquals("veth2", link.ifname());
        assertEquals(List.of("NO-CARRIER", "BROADCAST", "MULTICAST", "UP"), LinkFlags.names(link.flags()));
        assertEquals("LOWERLAYERDOWN", OperState.name(link.operstate()));
        assertEquals(0, link.carrier());
        assertEquals(ifindex("veth3"), link.link());
    }

    @Test
    void deleteEvent()
    {
        wrap("dellink.hex");
        assertEquals(RTM_DELLINK, link.messageType());
        assertTrue(link.isDelete());
        assertEquals("veth2", link.ifname());
        assertEquals(ifindex("veth2"), link.ifindex());
        assertEquals("veth", link.linkKind());
        assertFalse(link.hasNewNetnsid(), "deleted, not moved to another netns");
    }

    /** netns-move-dellink.hex: mv1 moved to namespace B (id 7 here), where it got index 4 (fixtures README). */
    @Test
    void movedToAnotherNamespace()
    {
        wrap("netns-move-dellink.hex");
        assertTrue(link.isDelete());
        assertEquals("mv1", link.ifname());
        assertEquals(2, link.ifindex());
        assertTrue(link.hasNewNetnsid());
        assertEquals(7, link.newNetnsid());
        assertEquals(4, link.newIfindex());
    }

    /**
     * Every link of the captured dump, against what iproute2 printed for it; M-DOWN computed as
     * iproute2 does, from the flags of the IFLA_LINK device.
     */
    @Test
    void dumpMatchesIpJsonLink()
    {
        final ByteBuffer buf = Fixtures.buffer("getlink-dump.hex");
        final List<int[]> spans = new ArrayList<>();
        for (int off = 0; off < buf.limit();)
        {
            final int len = NetlinkFraming.check(buf, off, buf.limit() - off);
            assertTrue(len > 0);
            if (NetlinkFraming.type(buf, off) == RTM_NEWLINK)
            {
                spans.add(new int[] {off, len});
            }
            off = NetlinkFraming.nextOffset(off, len, buf.limit());
        }
        final Map<Integer, Integer> flagsByIndex = new HashMap<>();
        final Map<Integer, String> nameByIndex = new HashMap<>();
        for (final int[] span : spans)
        {
            assertTrue(link.wrap(buf, span[0], span[1]), link::error);
            flagsByIndex.put(link.ifindex(), link.flags());
            nameByIndex.put(link.ifindex(), link.ifname());
        }
        assertEquals(6, spans.size());

        for (final int[] span : spans)
        {
            assertTrue(link.wrap(buf, span[0], span[1]), link::error);
            final String p = "link." + link.ifname() + ".";
            assertEquals(ip.get(p + "ifindex"), Integer.toString(link.ifindex()), p);
            assertEquals(ip.get(p + "mtu"), Integer.toString(link.mtu()), p);
            assertEquals(ip.get(p + "operstate"), OperState.name(link.operstate()), p);
            assertEquals(ip.get(p + "address"), link.address(), p);
            assertEquals(ip.get(p + "broadcast"), link.broadcast(), p);
            assertEquals(ip.get(p + "qdisc"), link.qdisc(), p);
            assertEquals(ip.get(p + "txqlen"), Integer.toString(link.txqlen()), p);
            assertEquals(ip.get(p + "ifalias"), link.ifalias(), p);
            assertEquals(ip.get(p + "master"), link.master() == 0 ? null : nameByIndex.get(link.master()), p);
            assertEquals(ip.get(p + "link"), link.link() != 0 ? nameByIndex.get(link.link()) : null, p);
            final boolean mdown = link.link() != 0 && !link.hasLinkNetnsid()
                && (flagsByIndex.get(link.link()) & IFF_UP) == 0;
            assertEquals(ip.get(p + "flags"), String.join(",", LinkFlags.names(link.flags(), mdown)), p);
        }
    }

    @Test
    void readsTheSameFromAnyBufferKindOrderAndOffset()
    {
        final byte[] bytes = Fixtures.bytes("veth-newlink.hex");
        final ByteBuffer[] buffers = {
            ByteBuffer.allocate(bytes.length + 13),
            ByteBuffer.allocate(bytes.length + 13).order(ByteOrder.LITTLE_ENDIAN),
            ByteBuffer.allocateDirect(bytes.length + 13),
            ByteBuffer.allocateDirect(bytes.length + 13).order(ByteOrder.nativeOrder()),
        };
        for (final ByteBuffer buf : buffers)
        {
            buf.put(13, bytes);
            final ByteOrder order = buf.order();
            assertTrue(link.wrap(buf, 13, bytes.length), link::error);
            assertEquals("veth0", link.ifname());
            assertEquals(1400, link.mtu());
            assertEquals(List.of("BROADCAST", "MULTICAST", "UP", "LOWER_UP"), LinkFlags.names(link.flags()));
            assertEquals("veth", link.linkKind());
            assertEquals(order, buf.order());
            assertEquals(0, buf.position());
            assertEquals(buf.capacity(), buf.limit());
        }
    }

    @Test
    void wrapFailingAfterSuccessForgetsThePreviousMessage()
    {
        wrap("veth-newlink.hex");
        final ByteBuffer addr = Fixtures.buffer("ipv4-newaddr.hex");
        assertFalse(link.wrap(addr, 0, addr.limit()));
        assertEquals(LinkDecoder.ERR_NOT_LINK, link.error());
        assertFalse(link.hasIfname());
        assertNull(link.ifname());
        assertNull(link.linkKind());
        assertEquals(-1, link.operstate());
        assertEquals(0, link.master());
        assertEquals(0, link.ifindex());
    }

    @Test
    void freshDecoderAnswersAbsent()
    {
        final LinkDecoder fresh = new LinkDecoder();
        assertNull(fresh.ifname());
        assertEquals(-1, fresh.mtu());
        assertEquals(0, fresh.messageType());
    }
}
