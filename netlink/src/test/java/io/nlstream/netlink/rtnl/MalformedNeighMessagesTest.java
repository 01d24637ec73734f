package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.MessageBuilder;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;

import static io.nlstream.netlink.AttributeIterator.*;
import static io.nlstream.netlink.FixtureMessages.buffers;
import static io.nlstream.netlink.MessageBuilder.message;
import static io.nlstream.netlink.rtnl.Neighbour.*;
import static io.nlstream.netlink.rtnl.Route.RTN_UNICAST;
import static io.nlstream.netlink.rtnl.Rtnetlink.*;
import static io.nlstream.netlink.rtnl.NeighDecoder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Neighbour messages built a field at a time ({@link MessageBuilder}: lengths and padding counted, in host
 * order), each with the outcome NeighDecoder must give. struct ndmsg ends at 28, where the attributes start.
 */
class MalformedNeighMessagesTest
{
    private static final String OK = null;

    /** struct ndmsg: family, two pads, ifindex, state, flags, type. */
    private static MessageBuilder ndmsg(final int type, final int family, final int ifindex, final int state, final int flags,
        final int ndmType)
    {
        return message(type).u8(family).u8(0).u16(0).u32(ifindex).u16(state).u8(flags).u8(ndmType);
    }

    private static MessageBuilder neigh(final int family, final int ifindex, final int state)
    {
        return ndmsg(RTM_NEWNEIGH, family, ifindex, state, 0, RTN_UNICAST);
    }

    /** A bridge fdb entry of a vxlan port (ifindex 5): its MAC, the remote tunnel end (IPv6), VLAN 100, port 4789. */
    private static final byte[] VXLAN_FDB = ndmsg(RTM_NEWNEIGH, AF_BRIDGE, 5, NUD_PERMANENT, NTF_SELF, 0)
        .attr(NDA_LLADDR, 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa)
        .attr(NDA_DST, 0xfd, 0x00, 0x00, 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02)
        .attrU16(NDA_VLAN, 100)
        .attrBe16(NDA_PORT, 4789)
        .bytes();

    static Stream<Arguments> messages()
    {
        return Stream.of(
            Arguments.of("nlmsg_len < 16", message(RTM_NEWNEIGH).nlmsgLen(12).bytes(), NetlinkFraming.LENGTH_TOO_SMALL, 0),

            Arguments.of("not a neighbour message",
                // an rtmsg
                message(RTM_NEWROUTE).raw(0x02, 0x18, 0x00, 0x00, 0xfe, 0x04, 0x00, 0x01).u32(0).bytes(),
                ERR_NOT_NEIGH, 0),

            Arguments.of("short ndmsg",
                // room for 8 of ndmsg's 12 bytes: state, flags, type missing
                message(RTM_NEWNEIGH).u8(AF_INET).u8(0).u16(0).u32(2).bytes(),
                ERR_SHORT_NDMSG, 16),

            Arguments.of("NDA_DST of 16 bytes for AF_INET",
                neigh(AF_INET, 2, NUD_REACHABLE).attr(NDA_DST, 0xfd, 0x00, 0x00, 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02).bytes(),
                ERR_ADDRESS_LENGTH, 28),

            Arguments.of("NDA_DST of 4 bytes for AF_INET6",
                neigh(AF_INET6, 2, NUD_REACHABLE).attr(NDA_DST, 10, 88, 0, 2).bytes(),
                ERR_ADDRESS_LENGTH, 28),

            Arguments.of("NDA_CACHEINFO of 12 bytes",
                // struct nda_cacheinfo is 16: ndm_confirmed, ndm_used, ndm_updated; ndm_refcnt missing
                neigh(AF_INET, 2, NUD_STALE).attr(NDA_CACHEINFO, 0x10, 0, 0, 0, 0x20, 0, 0, 0, 0x30, 0, 0, 0).bytes(),
                ERR_CACHEINFO_LENGTH, 28),

            Arguments.of("NDA_PROBES of 2 bytes",
                neigh(AF_INET, 2, NUD_FAILED).attrU16(NDA_PROBES, 3).bytes(), // a u32 needs nla_len 8
                ERR_NOT_U32, 28),

            Arguments.of("NDA_VLAN of 4 bytes",
                ndmsg(RTM_NEWNEIGH, AF_BRIDGE, 5, NUD_PERMANENT, NTF_SELF, 0).attrU32(NDA_VLAN, 100).bytes(), // a u16 has nla_len 6
                ERR_NOT_U16, 28),

            Arguments.of("NDA_PROTOCOL of 2 bytes",
                neigh(AF_INET, 2, NUD_PERMANENT).attrU16(NDA_PROTOCOL, 4).bytes(), // a u8 has nla_len 5
                ERR_NOT_U8, 28),

            Arguments.of("NDA_FDB_EXT_ATTRS of 1 byte",
                // nested, and no room for an attribute header inside
                ndmsg(RTM_NEWNEIGH, AF_BRIDGE, 5, NUD_PERMANENT, NTF_SELF, 0).attr(NDA_FDB_EXT_ATTRS | Netlink.NLA_F_NESTED, 1).bytes(),
                ERR_NOT_NESTED, 28),

            Arguments.of("attribute past the end of the message",
                // nla_len 10, NDA_LLADDR: 8 bytes left in the message
                neigh(AF_INET, 2, NUD_REACHABLE).attrHeader(10, NDA_LLADDR).raw(0x02, 0, 0, 0).bytes(),
                ERR_LENGTH_PAST_END, 28),

            Arguments.of("good NDA_DST, then trailing bytes: no half object",
                // 3 bytes after it: not even an attribute header
                neigh(AF_INET, 2, NUD_REACHABLE).attr(NDA_DST, 10, 88, 0, 2).zeros(3).bytes(),
                ERR_TRAILING_BYTES, 36),

            Arguments.of("ok: RTM_DELNEIGH, ndmsg and no attributes",
                ndmsg(RTM_DELNEIGH, AF_INET, 2, NUD_FAILED, 0, RTN_UNICAST).bytes(),
                OK, -1),

            Arguments.of("ok: empty NDA_LLADDR",
                // a tunnel without link-layer addresses
                neigh(AF_INET, 3, NUD_NOARP).attr(NDA_LLADDR).bytes(),
                OK, -1),

            Arguments.of("ok: bridge fdb entry of a vxlan port", VXLAN_FDB, OK, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void neighDecoder(final String name, final byte[] bytes, final String error, final int errorOffset)
    {
        for (final ByteBuffer buf : buffers(bytes))
        {
            final NeighDecoder neigh = new NeighDecoder();
            assertEquals(error == null, neigh.wrap(buf, 0, bytes.length), name);
            assertEquals(error, neigh.error());
            assertEquals(errorOffset, neigh.errorOffset());
            if (error != null)
            {
                assertNull(neigh.dst());
                assertNull(neigh.lladdr());
                assertEquals(0, neigh.state());
            }
        }
    }

    @Test
    void okMessagesDecodeToTheirValues()
    {
        final NeighDecoder neigh = new NeighDecoder();
        assertTrue(neigh.wrap(ByteBuffer.wrap(VXLAN_FDB).order(ByteOrder.nativeOrder()), 0, VXLAN_FDB.length));
        assertEquals(Rtnetlink.AF_BRIDGE, neigh.family());
        assertEquals("02:00:00:00:00:aa", neigh.lladdr());
        assertEquals("fd00:88::2", neigh.dst());
        assertEquals(4789, neigh.port());
        assertEquals(Neighbour.NTF_SELF, neigh.flags());
        assertEquals(5, neigh.ifindex());
    }
}
