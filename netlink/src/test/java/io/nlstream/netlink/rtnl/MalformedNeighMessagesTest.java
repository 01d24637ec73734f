package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;

import static io.nlstream.netlink.AttributeIterator.*;
import static io.nlstream.netlink.FixtureMessages.b;
import static io.nlstream.netlink.FixtureMessages.buffers;
import static io.nlstream.netlink.rtnl.NeighDecoder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-written neighbour messages, one field a line, each with the outcome NeighDecoder must give.
 * Bytes are little-endian. struct ndmsg ends at 28, where the attributes start.
 */
class MalformedNeighMessagesTest
{
    private static final String OK = null;

    private static final byte[] VXLAN_FDB = b(
        0x4c, 0x00, 0x00, 0x00, // nlmsg_len: 76
        0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
        0x00, 0x00,             // nlmsg_flags
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid
        0x07,                   // ndm_family: AF_BRIDGE
        0x00,                   // ndm_pad1
        0x00, 0x00,             // ndm_pad2
        0x05, 0x00, 0x00, 0x00, // ndm_ifindex: 5, a vxlan port
        0x80, 0x00,             // ndm_state: NUD_PERMANENT
        0x02,                   // ndm_flags: NTF_SELF
        0x00,                   // ndm_type
        0x0a, 0x00, 0x02, 0x00, // nla_len 10, NDA_LLADDR
        0x02, 0x00, 0x00, 0x00, //   02:00:00:00:00:aa
        0x00, 0xaa, 0x00, 0x00, //   padding
        0x14, 0x00, 0x01, 0x00, // nla_len 20, NDA_DST: the remote tunnel end, IPv6 in a bridge entry
        0xfd, 0x00, 0x00, 0x88, //   fd00:88::2
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x02,
        0x06, 0x00, 0x05, 0x00, // nla_len 6, NDA_VLAN
        0x64, 0x00, 0x00, 0x00, //   100, padding
        0x06, 0x00, 0x06, 0x00, // nla_len 6, NDA_PORT
        0x12, 0xb5, 0x00, 0x00);//   4789 in network order, padding

    static Stream<Arguments> messages()
    {
        return Stream.of(
            Arguments.of("nlmsg_len < 16", b(
                0x0c, 0x00, 0x00, 0x00, // nlmsg_len: 12, shorter than a header
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00),// nlmsg_pid
                NetlinkFraming.LENGTH_TOO_SMALL, 0),

            Arguments.of("not a neighbour message", b(
                0x1c, 0x00, 0x00, 0x00, // nlmsg_len: 28
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // an rtmsg ...
                0xfe, 0x04, 0x00, 0x01,
                0x00, 0x00, 0x00, 0x00),
                ERR_NOT_NEIGH, 0),

            Arguments.of("short ndmsg", b(
                0x18, 0x00, 0x00, 0x00, // nlmsg_len: 24, room for 8 of ndmsg's 12 bytes
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02,                   // ndm_family: AF_INET
                0x00,                   // ndm_pad1
                0x00, 0x00,             // ndm_pad2
                0x02, 0x00, 0x00, 0x00),// ndm_ifindex; state, flags, type missing
                ERR_SHORT_NDMSG, 16),

            Arguments.of("NDA_DST of 16 bytes for AF_INET", b(
                0x30, 0x00, 0x00, 0x00, // nlmsg_len: 48
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // ndm_family AF_INET, pads
                0x02, 0x00, 0x00, 0x00, // ndm_ifindex 2
                0x02, 0x00, 0x00, 0x01, // ndm_state NUD_REACHABLE, flags 0, type RTN_UNICAST
                0x14, 0x00, 0x01, 0x00, // nla_len 20, NDA_DST: an IPv6 address in an IPv4 entry
                0xfd, 0x00, 0x00, 0x88,
                0x00, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x02),
                ERR_ADDRESS_LENGTH, 28),

            Arguments.of("NDA_DST of 4 bytes for AF_INET6", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x0a, 0x00, 0x00, 0x00, // ndm_family AF_INET6, pads
                0x02, 0x00, 0x00, 0x00, // ndm_ifindex 2
                0x02, 0x00, 0x00, 0x01, // ndm_state NUD_REACHABLE, flags 0, type RTN_UNICAST
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NDA_DST
                0x0a, 0x58, 0x00, 0x02),//   10.88.0.2
                ERR_ADDRESS_LENGTH, 28),

            Arguments.of("NDA_CACHEINFO of 12 bytes", b(
                0x2c, 0x00, 0x00, 0x00, // nlmsg_len: 44
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // ndm_family AF_INET, pads
                0x02, 0x00, 0x00, 0x00, // ndm_ifindex 2
                0x04, 0x00, 0x00, 0x01, // ndm_state NUD_STALE, flags 0, type RTN_UNICAST
                0x10, 0x00, 0x03, 0x00, // nla_len 16, NDA_CACHEINFO: struct nda_cacheinfo is 16
                0x10, 0x00, 0x00, 0x00, //   ndm_confirmed
                0x20, 0x00, 0x00, 0x00, //   ndm_used
                0x30, 0x00, 0x00, 0x00),//   ndm_updated; ndm_refcnt missing
                ERR_CACHEINFO_LENGTH, 28),

            Arguments.of("NDA_PROBES of 2 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // ndm_family AF_INET, pads
                0x02, 0x00, 0x00, 0x00, // ndm_ifindex 2
                0x20, 0x00, 0x00, 0x01, // ndm_state NUD_FAILED, flags 0, type RTN_UNICAST
                0x06, 0x00, 0x04, 0x00, // nla_len 6, NDA_PROBES: a u32 needs 8
                0x03, 0x00, 0x00, 0x00),
                ERR_NOT_U32, 28),

            Arguments.of("NDA_VLAN of 4 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x07, 0x00, 0x00, 0x00, // ndm_family AF_BRIDGE, pads
                0x05, 0x00, 0x00, 0x00, // ndm_ifindex 5
                0x80, 0x00, 0x02, 0x00, // ndm_state NUD_PERMANENT, flags NTF_SELF, type 0
                0x08, 0x00, 0x05, 0x00, // nla_len 8, NDA_VLAN: a u16 has nla_len 6
                0x64, 0x00, 0x00, 0x00),
                ERR_NOT_U16, 28),

            Arguments.of("NDA_PROTOCOL of 2 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // ndm_family AF_INET, pads
                0x02, 0x00, 0x00, 0x00, // ndm_ifindex 2
                0x80, 0x00, 0x00, 0x01, // ndm_state NUD_PERMANENT, flags 0, type RTN_UNICAST
                0x06, 0x00, 0x0c, 0x00, // nla_len 6, NDA_PROTOCOL: a u8 has nla_len 5
                0x04, 0x00, 0x00, 0x00),
                ERR_NOT_U8, 28),

            Arguments.of("NDA_FDB_EXT_ATTRS of 1 byte", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x07, 0x00, 0x00, 0x00, // ndm_family AF_BRIDGE, pads
                0x05, 0x00, 0x00, 0x00, // ndm_ifindex 5
                0x80, 0x00, 0x02, 0x00, // ndm_state NUD_PERMANENT, flags NTF_SELF, type 0
                0x05, 0x00, 0x0e, 0x80, // nla_len 5, NDA_FDB_EXT_ATTRS | NLA_F_NESTED: no room for a header
                0x01, 0x00, 0x00, 0x00),
                ERR_NOT_NESTED, 28),

            Arguments.of("attribute past the end of the message", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // ndm_family AF_INET, pads
                0x02, 0x00, 0x00, 0x00, // ndm_ifindex 2
                0x02, 0x00, 0x00, 0x01, // ndm_state NUD_REACHABLE, flags 0, type RTN_UNICAST
                0x0a, 0x00, 0x02, 0x00, // nla_len 10, NDA_LLADDR: 8 bytes left in the message
                0x02, 0x00, 0x00, 0x00),
                ERR_LENGTH_PAST_END, 28),

            Arguments.of("good NDA_DST, then trailing bytes: no half object", b(
                0x27, 0x00, 0x00, 0x00, // nlmsg_len: 39
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // ndm_family AF_INET, pads
                0x02, 0x00, 0x00, 0x00, // ndm_ifindex 2
                0x02, 0x00, 0x00, 0x01, // ndm_state NUD_REACHABLE, flags 0, type RTN_UNICAST
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NDA_DST
                0x0a, 0x58, 0x00, 0x02, //   10.88.0.2
                0x00, 0x00, 0x00),      // 3 bytes: not even an attribute header
                ERR_TRAILING_BYTES, 36),

            Arguments.of("ok: RTM_DELNEIGH, ndmsg and no attributes", b(
                0x1c, 0x00, 0x00, 0x00, // nlmsg_len: 28
                0x1d, 0x00,             // nlmsg_type: RTM_DELNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // ndm_family AF_INET, pads
                0x02, 0x00, 0x00, 0x00, // ndm_ifindex 2
                0x20, 0x00, 0x00, 0x01),// ndm_state NUD_FAILED, flags 0, type RTN_UNICAST
                OK, -1),

            Arguments.of("ok: empty NDA_LLADDR", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // ndm_family AF_INET, pads
                0x03, 0x00, 0x00, 0x00, // ndm_ifindex 3, a tunnel without link-layer addresses
                0x40, 0x00, 0x00, 0x01, // ndm_state NUD_NOARP, flags 0, type RTN_UNICAST
                0x04, 0x00, 0x02, 0x00),// nla_len 4, NDA_LLADDR of no bytes
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
                assertEquals(-1, neigh.vlan());
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
        assertEquals(100, neigh.vlan());
        assertEquals(4789, neigh.port());
        assertEquals(Neighbour.NTF_SELF, neigh.flags());
        assertEquals(5, neigh.ifindex());
    }
}
