package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.nlstream.netlink.AttributeIterator.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-written messages, one field a line, each with the outcome the decoder must give: false with
 * the named error at the named offset, or true. Bytes are little-endian, as on the capture machine.
 */
class MalformedMessagesTest
{
    private static final String OK = null;

    private static byte[] b(final int... bytes)
    {
        final byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            out[i] = (byte)bytes[i];
        }
        return out;
    }

    private static final byte[] INFINIBAND_LINK = b(
        0x3c, 0x00, 0x00, 0x00, // nlmsg_len: 60
        0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
        0x00, 0x00,             // nlmsg_flags
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid
        0x00, 0x00,             // ifi_family, pad
        0x20, 0x00,             // ifi_type: ARPHRD_INFINIBAND
        0x02, 0x00, 0x00, 0x00, // ifi_index
        0x00, 0x00, 0x00, 0x00, // ifi_flags
        0x00, 0x00, 0x00, 0x00, // ifi_change
        0x04, 0x00, 0x12, 0x80, // nla_len 4, IFLA_LINKINFO | NLA_F_NESTED, empty
        0x18, 0x00, 0x01, 0x00, // nla_len 24, IFLA_ADDRESS: an InfiniBand hardware address
        0x80, 0x00, 0x00, 0x48,
        0xfe, 0x80, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x02, 0xc9, 0x03,
        0x00, 0x0a, 0xbc, 0xde);

    private static final byte[] MCTP_ADDR = b(
        0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
        0x15, 0x00,             // nlmsg_type: RTM_DELADDR
        0x00, 0x00,             // nlmsg_flags
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid
        0x2d, 0x00, 0x00, 0x00, // ifa_family: AF_MCTP (45)
        0x02, 0x00, 0x00, 0x00, // ifa_index
        0x05, 0x00, 0x02, 0x00, // nla_len 5, IFA_LOCAL: a one-byte MCTP endpoint id
        0x08, 0x00, 0x00, 0x00);

    private static final byte[] IFA_FLAGS_ADDR = b(
        0x34, 0x00, 0x00, 0x00, // nlmsg_len: 52
        0x14, 0x00,             // nlmsg_type: RTM_NEWADDR
        0x00, 0x00,             // nlmsg_flags
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid
        0x0a,                   // ifa_family: AF_INET6
        0x40,                   // ifa_prefixlen: 64
        0x80,                   // ifa_flags: IFA_F_PERMANENT, the low byte only
        0x00,                   // ifa_scope: RT_SCOPE_UNIVERSE
        0x02, 0x00, 0x00, 0x00, // ifa_index: 2
        0x14, 0x00, 0x01, 0x00, // nla_len 20, IFA_ADDRESS
        0x20, 0x01, 0x0d, 0xb8, //   2001:db8::1
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01,
        0x08, 0x00, 0x08, 0x00, // nla_len 8, IFA_FLAGS
        0x80, 0x02, 0x00, 0x00);//   IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE (0x200, above the u8)

    static Stream<Arguments> linkMessages()
    {
        return Stream.of(
            Arguments.of("truncated header", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00),      // nlmsg_pid: cut short, 15 bytes in all
                NetlinkFraming.SHORT_HEADER, 0),

            Arguments.of("nlmsg_len past the buffer", b(
                0x40, 0x00, 0x00, 0x00, // nlmsg_len: 64, only 32 bytes given
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type: ARPHRD_ETHER
                0x02, 0x00, 0x00, 0x00, // ifi_index: 2
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00),// ifi_change
                NetlinkFraming.LENGTH_PAST_END, 0),

            Arguments.of("nlmsg_len < 16", b(
                0x0c, 0x00, 0x00, 0x00, // nlmsg_len: 12, shorter than a header
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00),// nlmsg_pid
                NetlinkFraming.LENGTH_TOO_SMALL, 0),

            Arguments.of("not a link message", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x14, 0x00,             // nlmsg_type: RTM_NEWADDR
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x80, 0x00, // an ifaddrmsg ...
                0x02, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00),
                LinkDecoder.ERR_NOT_LINK, 0),

            Arguments.of("NLMSG_ERROR is not a link message", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x02, 0x00,             // nlmsg_type: NLMSG_ERROR
                0x00, 0x00,             // nlmsg_flags
                0x01, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0xed, 0xff, 0xff, 0xff, // error: -19 (ENODEV)
                0x10, 0x00, 0x00, 0x00, // the request's header ...
                0x12, 0x00, 0x01, 0x00,
                0x01, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00),
                LinkDecoder.ERR_NOT_LINK, 0),

            Arguments.of("short ifinfomsg", b(
                0x18, 0x00, 0x00, 0x00, // nlmsg_len: 24, room for 8 of ifinfomsg's 16 bytes
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00),// ifi_index; ifi_flags and ifi_change missing
                LinkDecoder.ERR_SHORT_IFINFOMSG, 16),

            Arguments.of("attribute nla_len 0", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x00, 0x00, 0x04, 0x00, // nla_len: 0 (a naive walker never advances), IFLA_MTU
                0xdc, 0x05, 0x00, 0x00),
                ERR_SHORT_ATTRIBUTE, 32),

            Arguments.of("attribute nla_len < 4", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x03, 0x00, 0x04, 0x00, // nla_len: 3, shorter than its own header
                0xdc, 0x05, 0x00, 0x00),
                ERR_SHORT_ATTRIBUTE, 32),

            Arguments.of("attribute nla_len past end of message", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x0c, 0x00, 0x03, 0x00, // nla_len: 12, 8 bytes left in the message, IFLA_IFNAME
                0x65, 0x74, 0x68, 0x30, // "eth0"
                0x00, 0x00, 0x00, 0x00),// past nlmsg_len: in the buffer, not in the message
                ERR_LENGTH_PAST_END, 32),

            Arguments.of("trailing bytes after the last attribute", b(
                0x2a, 0x00, 0x00, 0x00, // nlmsg_len: 42
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x08, 0x00, 0x04, 0x00, // nla_len 8, IFLA_MTU
                0xdc, 0x05, 0x00, 0x00, //   1500
                0x00, 0x00),            // 2 bytes: not even an attribute header
                ERR_TRAILING_BYTES, 40),

            Arguments.of("IFLA_MTU of 2 bytes", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x06, 0x00, 0x04, 0x00, // nla_len 6, IFLA_MTU: a u32 needs 8
                0xdc, 0x05, 0x00, 0x00),//   1500 as u16, padding
                ERR_NOT_U32, 32),

            Arguments.of("IFLA_MTU of 8 bytes", b(
                0x2c, 0x00, 0x00, 0x00, // nlmsg_len: 44
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x0c, 0x00, 0x04, 0x00, // nla_len 12, IFLA_MTU: exactly 4 bytes, as mnl_attr_validate
                0xdc, 0x05, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00),
                ERR_NOT_U32, 32),

            Arguments.of("IFLA_IFNAME without NUL", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x08, 0x00, 0x03, 0x00, // nla_len 8, IFLA_IFNAME
                0x65, 0x74, 0x68, 0x30),//   "eth0", no NUL
                ERR_NOT_NUL_STRING, 32),

            Arguments.of("empty IFLA_IFNAME", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x04, 0x00, 0x03, 0x00),// nla_len 4, IFLA_IFNAME: no payload, not even the NUL
                ERR_NOT_NUL_STRING, 32),

            Arguments.of("IFLA_OPERSTATE of 4 bytes", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x08, 0x00, 0x10, 0x00, // nla_len 8, IFLA_OPERSTATE: a u8 has nla_len 5
                0x06, 0x00, 0x00, 0x00),
                ERR_NOT_U8, 32),

            Arguments.of("IFLA_LINK_NETNSID of 1 byte", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x05, 0x00, 0x25, 0x00, // nla_len 5, IFLA_LINK_NETNSID: an s32 needs 8
                0x01, 0x00, 0x00, 0x00),
                ERR_NOT_U32, 32),

            Arguments.of("nested IFLA_LINKINFO of 2 bytes", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x06, 0x00, 0x12, 0x00, // nla_len 6, IFLA_LINKINFO: 2 bytes, no room for a header
                0x01, 0x00, 0x00, 0x00),
                ERR_NOT_NESTED, 32),

            Arguments.of("IFLA_INFO_KIND without NUL inside IFLA_LINKINFO", b(
                0x30, 0x00, 0x00, 0x00, // nlmsg_len: 48
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x10, 0x00, 0x12, 0x00, // nla_len 16, IFLA_LINKINFO
                0x0c, 0x00, 0x01, 0x00, //   nla_len 12, IFLA_INFO_KIND
                0x76, 0x65, 0x74, 0x68, //     "veth"
                0x76, 0x65, 0x74, 0x68),//     "veth", no NUL
                ERR_NOT_NUL_STRING, 36),

            Arguments.of("inner attribute past the end of IFLA_LINKINFO", b(
                0x34, 0x00, 0x00, 0x00, // nlmsg_len: 52
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x0c, 0x00, 0x12, 0x00, // nla_len 12, IFLA_LINKINFO: the nest ends at 44
                0x0d, 0x00, 0x01, 0x00, //   nla_len 13, IFLA_INFO_KIND: past the nest, not the message
                0x62, 0x72, 0x69, 0x64, //     "brid"
                0x67, 0x65, 0x00, 0x00, // "ge\0" outside the nest
                0x08, 0x00, 0x04, 0x00),
                ERR_LENGTH_PAST_END, 36),

            Arguments.of("good IFLA_IFNAME, then a bad IFLA_MTU: no half object", b(
                0x34, 0x00, 0x00, 0x00, // nlmsg_len: 52
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x09, 0x00, 0x03, 0x00, // nla_len 9, IFLA_IFNAME
                0x65, 0x74, 0x68, 0x30, //   "eth0\0"
                0x00, 0x00, 0x00, 0x00, //   NUL, padding
                0x05, 0x00, 0x04, 0x00, // nla_len 5, IFLA_MTU of 1 byte
                0xdc, 0x00, 0x00, 0x00),
                ERR_NOT_U32, 44),

            Arguments.of("ok: header and ifinfomsg, no attributes", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x11, 0x00,             // nlmsg_type: RTM_DELLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00),// ifi_change
                OK, -1),

            Arguments.of("ok: unknown attribute skipped, last attribute unpadded", b(
                0x2d, 0x00, 0x00, 0x00, // nlmsg_len: 45
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00,             // ifi_family, pad
                0x01, 0x00,             // ifi_type
                0x02, 0x00, 0x00, 0x00, // ifi_index
                0x00, 0x00, 0x00, 0x00, // ifi_flags
                0x00, 0x00, 0x00, 0x00, // ifi_change
                0x07, 0x00, 0xff, 0x3f, // nla_len 7, type 0x3fff: unknown, any size
                0x01, 0x02, 0x03, 0x00, //   3 bytes, padding
                0x05, 0x00, 0x10, 0x00, // nla_len 5, IFLA_OPERSTATE
                0x06),                  //   IF_OPER_UP, end of message without padding
                OK, -1),

            Arguments.of("ok: empty IFLA_LINKINFO, 20-byte IFLA_ADDRESS", INFINIBAND_LINK, OK, -1));
    }

    static Stream<Arguments> addrMessages()
    {
        return Stream.of(
            Arguments.of("short ifaddrmsg", b(
                0x14, 0x00, 0x00, 0x00, // nlmsg_len: 20, room for 4 of ifaddrmsg's 8 bytes
                0x14, 0x00,             // nlmsg_type: RTM_NEWADDR
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x80, 0x00),// family, prefixlen, flags, scope; ifa_index missing
                AddrDecoder.ERR_SHORT_IFADDRMSG, 16),

            Arguments.of("not an address message", b(
                0x18, 0x00, 0x00, 0x00, // nlmsg_len: 24
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x80, 0x00,
                0x02, 0x00, 0x00, 0x00),
                AddrDecoder.ERR_NOT_ADDR, 0),

            Arguments.of("IFA_ADDRESS of 5 bytes for AF_INET", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x14, 0x00,             // nlmsg_type: RTM_NEWADDR
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02,                   // ifa_family: AF_INET
                0x18,                   // ifa_prefixlen: 24
                0x80,                   // ifa_flags: IFA_F_PERMANENT
                0x00,                   // ifa_scope: RT_SCOPE_UNIVERSE
                0x02, 0x00, 0x00, 0x00, // ifa_index: 2
                0x09, 0x00, 0x01, 0x00, // nla_len 9, IFA_ADDRESS: 5 bytes
                0xc0, 0x00, 0x02, 0x01, //   192.0.2.1 ...
                0x07, 0x00, 0x00, 0x00),//   ... and one more, padding
                AddrDecoder.ERR_ADDRESS_LENGTH, 24),

            Arguments.of("IFA_LOCAL of 4 bytes for AF_INET6", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x14, 0x00,             // nlmsg_type: RTM_NEWADDR
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x0a,                   // ifa_family: AF_INET6
                0x40,                   // ifa_prefixlen: 64
                0x80,                   // ifa_flags
                0x00,                   // ifa_scope
                0x02, 0x00, 0x00, 0x00, // ifa_index
                0x08, 0x00, 0x02, 0x00, // nla_len 8, IFA_LOCAL: an IPv4 address in an IPv6 message
                0xc0, 0x00, 0x02, 0x01),
                AddrDecoder.ERR_ADDRESS_LENGTH, 24),

            Arguments.of("IFA_CACHEINFO of 12 bytes", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x14, 0x00,             // nlmsg_type: RTM_NEWADDR
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x80, 0x00, // AF_INET, /24, permanent, global
                0x02, 0x00, 0x00, 0x00, // ifa_index
                0x10, 0x00, 0x06, 0x00, // nla_len 16, IFA_CACHEINFO: struct ifa_cacheinfo is 16
                0xff, 0xff, 0xff, 0xff, //   ifa_prefered
                0xff, 0xff, 0xff, 0xff, //   ifa_valid
                0x00, 0x01, 0x00, 0x00),//   cstamp; tstamp missing
                AddrDecoder.ERR_CACHEINFO_LENGTH, 24),

            Arguments.of("IFA_FLAGS of 1 byte", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x14, 0x00,             // nlmsg_type: RTM_NEWADDR
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x80, 0x00, // AF_INET, /24, permanent, global
                0x02, 0x00, 0x00, 0x00, // ifa_index
                0x05, 0x00, 0x08, 0x00, // nla_len 5, IFA_FLAGS: a u32 needs 8
                0x80, 0x00, 0x00, 0x00),
                ERR_NOT_U32, 24),

            Arguments.of("IFA_LABEL without NUL", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x14, 0x00,             // nlmsg_type: RTM_NEWADDR
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x80, 0x00, // AF_INET, /24, permanent, global
                0x02, 0x00, 0x00, 0x00, // ifa_index
                0x08, 0x00, 0x03, 0x00, // nla_len 8, IFA_LABEL
                0x65, 0x74, 0x68, 0x30),//   "eth0", no NUL
                ERR_NOT_NUL_STRING, 24),

            Arguments.of("IFA_PROTO of 4 bytes", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x14, 0x00,             // nlmsg_type: RTM_NEWADDR
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x0a, 0x40, 0x80, 0xfd, // AF_INET6, /64, permanent, link
                0x02, 0x00, 0x00, 0x00, // ifa_index
                0x08, 0x00, 0x0b, 0x00, // nla_len 8, IFA_PROTO: a u8 has nla_len 5
                0x03, 0x00, 0x00, 0x00),
                ERR_NOT_U8, 24),

            Arguments.of("ok: another family, address of any length", MCTP_ADDR, OK, -1),

            Arguments.of("ok: IFA_FLAGS overrides ifa_flags", IFA_FLAGS_ADDR, OK, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linkMessages")
    void linkDecoder(final String name, final byte[] bytes, final String error, final int errorOffset)
    {
        for (final ByteBuffer buf : buffers(bytes))
        {
            final LinkDecoder link = new LinkDecoder();
            assertEquals(error == null, link.wrap(buf, 0, bytes.length), name);
            assertEquals(error, link.error());
            assertEquals(errorOffset, link.errorOffset());
            if (error != null)
            {
                assertFalse(link.hasIfname());
                assertEquals(-1, link.mtu());
                assertNull(link.linkKind());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addrMessages")
    void addrDecoder(final String name, final byte[] bytes, final String error, final int errorOffset)
    {
        for (final ByteBuffer buf : buffers(bytes))
        {
            final AddrDecoder addr = new AddrDecoder();
            assertEquals(error == null, addr.wrap(buf, 0, bytes.length), name);
            assertEquals(error, addr.error());
            assertEquals(errorOffset, addr.errorOffset());
            if (error != null)
            {
                assertNull(addr.primaryAddress());
                assertNull(addr.label());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linkMessages")
    void framingAgreesWithTheDecoders(final String name, final byte[] bytes, final String error, final int errorOffset)
    {
        final int len = NetlinkFraming.check(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0, bytes.length);
        final boolean framingError = error != null && Set.of(
            NetlinkFraming.SHORT_HEADER, NetlinkFraming.LENGTH_TOO_SMALL, NetlinkFraming.LENGTH_PAST_END).contains(error);
        assertEquals(framingError, len < 0, NetlinkFraming.describe(len));
    }

    /**
     * The same bytes in a heap and a direct buffer, in both orders: the decoders read host order
     * whatever order the buffer is set to.
     */
    private static ByteBuffer[] buffers(final byte[] bytes)
    {
        final ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(0, bytes);
        final ByteBuffer directLe = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        directLe.put(0, bytes);
        return new ByteBuffer[] {
            ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()),
            ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN),
            direct,
            directLe,
        };
    }

    @Test
    void okMessagesDecodeToTheirValues()
    {
        final LinkDecoder link = new LinkDecoder();
        assertTrue(link.wrap(ByteBuffer.wrap(INFINIBAND_LINK), 0, INFINIBAND_LINK.length));
        assertEquals("80:00:00:48:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:bc:de", link.address());
        assertNull(link.linkKind(), "empty IFLA_LINKINFO");
        assertEquals(IfLink.ARPHRD_INFINIBAND, link.deviceType());

        final AddrDecoder addr = new AddrDecoder();
        assertTrue(addr.wrap(ByteBuffer.wrap(MCTP_ADDR), 0, MCTP_ADDR.length));
        assertEquals("08", addr.primaryAddress());
        assertTrue(addr.isDelete());

        assertTrue(addr.wrap(ByteBuffer.wrap(IFA_FLAGS_ADDR), 0, IFA_FLAGS_ADDR.length));
        assertEquals("2001:db8::1", addr.primaryAddress());
        assertEquals(IfAddr.IFA_F_PERMANENT | IfAddr.IFA_F_NOPREFIXROUTE, addr.flags());
        assertEquals(List.of("noprefixroute"), AddrFlags.names(addr.family(), addr.flags()));
    }
}
