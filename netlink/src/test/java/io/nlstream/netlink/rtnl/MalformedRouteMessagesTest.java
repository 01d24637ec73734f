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
import static io.nlstream.netlink.rtnl.RouteDecoder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-written route messages, one field a line, each with the outcome RouteDecoder must give: false
 * with the named error at the named offset, or true. Bytes are little-endian, as on the capture
 * machine. struct rtmsg ends at 28, where the attributes start.
 */
class MalformedRouteMessagesTest
{
    private static final String OK = null;

    private static final byte[] MPLS_ROUTE = b(
        0x38, 0x00, 0x00, 0x00, // nlmsg_len: 56
        0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
        0x00, 0x00,             // nlmsg_flags
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid
        0x1c,                   // rtm_family: AF_MPLS
        0x14,                   // rtm_dst_len: 20, one label
        0x00,                   // rtm_src_len
        0x00,                   // rtm_tos
        0xfe,                   // rtm_table: RT_TABLE_MAIN
        0x04,                   // rtm_protocol: RTPROT_STATIC
        0x00,                   // rtm_scope: RT_SCOPE_UNIVERSE
        0x01,                   // rtm_type: RTN_UNICAST
        0x00, 0x00, 0x00, 0x00, // rtm_flags
        0x08, 0x00, 0x01, 0x00, // nla_len 8, RTA_DST: an MPLS label entry, not an address
        0x00, 0x06, 0x41, 0x00, //   label 100, bottom of stack
        0x0a, 0x00, 0x12, 0x00, // nla_len 10, RTA_VIA
        0x02, 0x00,             //   rtvia_family: AF_INET
        0x0a, 0x58, 0x00, 0x02, //   10.88.0.2
        0x00, 0x00,             //   padding
        0x08, 0x00, 0x04, 0x00, // nla_len 8, RTA_OIF
        0x02, 0x00, 0x00, 0x00);//   2

    private static final byte[] UNEVEN_MULTIPATH = b(
        0x38, 0x00, 0x00, 0x00, // nlmsg_len: 56
        0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
        0x00, 0x00,             // nlmsg_flags
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid
        0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
        0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
        0x00, 0x00, 0x00, 0x00, // rtm_flags
        0x1c, 0x00, 0x09, 0x00, // nla_len 28, RTA_MULTIPATH
        0x08, 0x00,             //   rtnh_len 8: a nexthop with no attributes
        0x00,                   //   rtnh_flags
        0x00,                   //   rtnh_hops: weight 1
        0x03, 0x00, 0x00, 0x00, //   rtnh_ifindex 3
        0x10, 0x00,             //   rtnh_len 16
        0x04,                   //   rtnh_flags: RTNH_F_ONLINK
        0x02,                   //   rtnh_hops: weight 3
        0x02, 0x00, 0x00, 0x00, //   rtnh_ifindex 2
        0x08, 0x00, 0x05, 0x00, //     nla_len 8, RTA_GATEWAY
        0x0a, 0x58, 0x00, 0x03);//     10.88.0.3

    static Stream<Arguments> messages()
    {
        return Stream.of(
            Arguments.of("truncated header", b(
                0x1c, 0x00, 0x00, 0x00, // nlmsg_len: 28
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00),      // nlmsg_pid: cut short, 15 bytes in all
                NetlinkFraming.SHORT_HEADER, 0),

            Arguments.of("nlmsg_len past the buffer", b(
                0x40, 0x00, 0x00, 0x00, // nlmsg_len: 64, only 28 bytes given
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00),// rtm_flags
                NetlinkFraming.LENGTH_PAST_END, 0),

            Arguments.of("not a route message", b(
                0x1c, 0x00, 0x00, 0x00, // nlmsg_len: 28
                0x1c, 0x00,             // nlmsg_type: RTM_NEWNEIGH
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // an ndmsg ...
                0x02, 0x00, 0x00, 0x00,
                0x80, 0x00, 0x00, 0x01),
                ERR_NOT_ROUTE, 0),

            Arguments.of("short rtmsg", b(
                0x18, 0x00, 0x00, 0x00, // nlmsg_len: 24, room for 8 of rtmsg's 12 bytes
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02,                   // rtm_family: AF_INET
                0x18,                   // rtm_dst_len: 24
                0x00,                   // rtm_src_len
                0x00,                   // rtm_tos
                0xfe,                   // rtm_table: RT_TABLE_MAIN
                0x04,                   // rtm_protocol: RTPROT_STATIC
                0x00,                   // rtm_scope: RT_SCOPE_UNIVERSE
                0x01),                  // rtm_type: RTN_UNICAST; rtm_flags missing
                ERR_SHORT_RTMSG, 16),

            Arguments.of("RTA_OIF of 2 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x06, 0x00, 0x04, 0x00, // nla_len 6, RTA_OIF: a u32 needs 8
                0x02, 0x00, 0x00, 0x00),//   2 as a u16, padding
                ERR_NOT_U32, 28),

            Arguments.of("RTA_DST of 5 bytes for AF_INET", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x09, 0x00, 0x01, 0x00, // nla_len 9, RTA_DST: 5 bytes
                0x0a, 0x58, 0x00, 0x00, //   10.88.0.0 ...
                0x07, 0x00, 0x00, 0x00),//   ... and one more, padding
                ERR_ADDRESS_LENGTH, 28),

            Arguments.of("RTA_GATEWAY of 4 bytes for AF_INET6", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x0a, 0x40, 0x00, 0x00, // AF_INET6, dst_len 64, src_len 0, tos 0
                0xfe, 0x03, 0x00, 0x01, // table main, proto boot, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x08, 0x00, 0x05, 0x00, // nla_len 8, RTA_GATEWAY: an IPv4 address in an IPv6 route
                0x0a, 0x58, 0x00, 0x02),
                ERR_ADDRESS_LENGTH, 28),

            Arguments.of("attribute past the end of the message", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x10, 0x00, 0x04, 0x00, // nla_len: 16, 12 bytes left in the message, RTA_OIF
                0x02, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00),
                ERR_LENGTH_PAST_END, 28),

            Arguments.of("attribute nla_len 0", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x00, 0x00, 0x04, 0x00, // nla_len: 0 (a naive walker never advances), RTA_OIF
                0x02, 0x00, 0x00, 0x00),
                ERR_SHORT_ATTRIBUTE, 28),

            Arguments.of("trailing bytes after the last attribute", b(
                0x26, 0x00, 0x00, 0x00, // nlmsg_len: 38
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x08, 0x00, 0x04, 0x00, // nla_len 8, RTA_OIF
                0x02, 0x00, 0x00, 0x00, //   2
                0x00, 0x00),            // 2 bytes: not even an attribute header
                ERR_TRAILING_BYTES, 36),

            Arguments.of("RTA_TABLE of 1 byte", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x05, 0x00, 0x0f, 0x00, // nla_len 5, RTA_TABLE: a u32 needs 8
                0xfe, 0x00, 0x00, 0x00),
                ERR_NOT_U32, 28),

            Arguments.of("RTA_PREF of 4 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x0a, 0x30, 0x00, 0x00, // AF_INET6, dst_len 48, src_len 0, tos 0
                0xfe, 0x03, 0x00, 0x01, // table main, proto boot, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x08, 0x00, 0x14, 0x00, // nla_len 8, RTA_PREF: a u8 has nla_len 5
                0x01, 0x00, 0x00, 0x00),
                ERR_NOT_U8, 28),

            Arguments.of("RTA_EXPIRES of 4 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x08, 0x00, 0x17, 0x00, // nla_len 8, RTA_EXPIRES: the kernel sends a u64
                0x2c, 0x01, 0x00, 0x00),
                ERR_NOT_U64, 28),

            Arguments.of("RTA_CACHEINFO of 16 bytes", b(
                0x30, 0x00, 0x00, 0x00, // nlmsg_len: 48
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x0a, 0x30, 0x00, 0x00, // AF_INET6, dst_len 48, src_len 0, tos 0
                0xfe, 0x03, 0x00, 0x01, // table main, proto boot, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x14, 0x00, 0x0c, 0x00, // nla_len 20, RTA_CACHEINFO: struct rta_cacheinfo is 32
                0x00, 0x00, 0x00, 0x00, //   rta_clntref
                0x00, 0x00, 0x00, 0x00, //   rta_lastuse
                0x30, 0x75, 0x00, 0x00, //   rta_expires
                0x00, 0x00, 0x00, 0x00),//   rta_error; used, id, ts, tsage missing
                ERR_CACHEINFO_LENGTH, 28),

            Arguments.of("RTA_VIA of 1 byte", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x05, 0x00, 0x12, 0x00, // nla_len 5, RTA_VIA: half of rtvia_family
                0x0a, 0x00, 0x00, 0x00),
                ERR_VIA_LENGTH, 28),

            Arguments.of("RTA_VIA AF_INET6 with 4 address bytes", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x0a, 0x00, 0x12, 0x00, // nla_len 10, RTA_VIA
                0x0a, 0x00,             //   rtvia_family: AF_INET6, which needs 16 address bytes
                0xfd, 0x00, 0x00, 0x88, //   4 of them
                0x00, 0x00),            //   padding
                ERR_VIA_LENGTH, 28),

            Arguments.of("RTA_METRICS of 2 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x06, 0x00, 0x08, 0x00, // nla_len 6, RTA_METRICS: no room for a nested header
                0x02, 0x00, 0x00, 0x00),
                ERR_NOT_NESTED, 28),

            Arguments.of("RTA_MULTIPATH shorter than struct rtnexthop", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x08, 0x00, 0x09, 0x00, // nla_len 8, RTA_MULTIPATH
                0x08, 0x00, 0x00, 0x00),//   rtnh_len, flags, hops: half an rtnexthop
                ERR_RTNH_TRAILING, 32),

            Arguments.of("rtnh_len shorter than struct rtnexthop", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x0c, 0x00, 0x09, 0x00, // nla_len 12, RTA_MULTIPATH
                0x04, 0x00,             //   rtnh_len: 4, less than its own 8 bytes
                0x00,                   //   rtnh_flags
                0x00,                   //   rtnh_hops
                0x02, 0x00, 0x00, 0x00),//   rtnh_ifindex
                ERR_RTNH_LENGTH, 32),

            Arguments.of("rtnh_len past the end of RTA_MULTIPATH", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x0c, 0x00, 0x09, 0x00, // nla_len 12, RTA_MULTIPATH: 8 bytes of nexthops
                0x10, 0x00,             //   rtnh_len: 16
                0x00,                   //   rtnh_flags
                0x00,                   //   rtnh_hops
                0x02, 0x00, 0x00, 0x00),//   rtnh_ifindex
                ERR_RTNH_PAST_END, 32),

            Arguments.of("RTA_GATEWAY of 5 bytes inside a nexthop", b(
                0x34, 0x00, 0x00, 0x00, // nlmsg_len: 52
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x18, 0x00, 0x09, 0x00, // nla_len 24, RTA_MULTIPATH
                0x14, 0x00,             //   rtnh_len 20
                0x00,                   //   rtnh_flags
                0x00,                   //   rtnh_hops
                0x02, 0x00, 0x00, 0x00, //   rtnh_ifindex
                0x09, 0x00, 0x05, 0x00, //     nla_len 9, RTA_GATEWAY: 5 bytes
                0x0a, 0x58, 0x00, 0x02,
                0x07, 0x00, 0x00, 0x00),
                ERR_ADDRESS_LENGTH, 40),

            Arguments.of("attribute past the end of its rtnexthop, not of the message", b(
                0x38, 0x00, 0x00, 0x00, // nlmsg_len: 56
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x14, 0x00, 0x09, 0x00, // nla_len 20, RTA_MULTIPATH
                0x10, 0x00,             //   rtnh_len 16: 8 bytes of attributes
                0x00,                   //   rtnh_flags
                0x00,                   //   rtnh_hops
                0x02, 0x00, 0x00, 0x00, //   rtnh_ifindex
                0x0c, 0x00, 0x05, 0x00, //     nla_len 12, RTA_GATEWAY: 4 bytes past the rtnexthop
                0x0a, 0x58, 0x00, 0x02,
                0x08, 0x00, 0x04, 0x00, // nla_len 8, RTA_OIF
                0x02, 0x00, 0x00, 0x00),
                ERR_LENGTH_PAST_END, 40),

            Arguments.of("good RTA_DST, then a bad RTA_PRIORITY: no half object", b(
                0x2c, 0x00, 0x00, 0x00, // nlmsg_len: 44
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // AF_INET, dst_len 24, src_len 0, tos 0
                0xfe, 0x04, 0x00, 0x01, // table main, proto static, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x08, 0x00, 0x01, 0x00, // nla_len 8, RTA_DST
                0xc0, 0x00, 0x02, 0x00, //   192.0.2.0
                0x06, 0x00, 0x06, 0x00, // nla_len 6, RTA_PRIORITY of 2 bytes
                0x64, 0x00, 0x00, 0x00),
                ERR_NOT_U32, 36),

            Arguments.of("ok: RTM_DELROUTE, rtmsg and no attributes", b(
                0x1c, 0x00, 0x00, 0x00, // nlmsg_len: 28
                0x19, 0x00,             // nlmsg_type: RTM_DELROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // AF_INET, dst_len 0, src_len 0, tos 0
                0xfe, 0x03, 0x00, 0x01, // table main, proto boot, scope universe, unicast
                0x00, 0x00, 0x00, 0x00),// rtm_flags
                OK, -1),

            Arguments.of("ok: unknown attribute skipped, last attribute unpadded", b(
                0x29, 0x00, 0x00, 0x00, // nlmsg_len: 41
                0x18, 0x00,             // nlmsg_type: RTM_NEWROUTE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x0a, 0x30, 0x00, 0x00, // AF_INET6, dst_len 48, src_len 0, tos 0
                0xfe, 0x03, 0x00, 0x01, // table main, proto boot, scope universe, unicast
                0x00, 0x00, 0x00, 0x00, // rtm_flags
                0x07, 0x00, 0xff, 0x3f, // nla_len 7, type 0x3fff: unknown, any size
                0x01, 0x02, 0x03, 0x00, //   3 bytes, padding
                0x05, 0x00, 0x14, 0x00, // nla_len 5, RTA_PREF
                0x01),                  //   ICMPV6_ROUTER_PREF_HIGH, end of message without padding
                OK, -1),

            Arguments.of("ok: MPLS route, label as RTA_DST, RTA_VIA inet", MPLS_ROUTE, OK, -1),

            Arguments.of("ok: a nexthop without attributes, then one with a gateway", UNEVEN_MULTIPATH, OK, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void routeDecoder(final String name, final byte[] bytes, final String error, final int errorOffset)
    {
        for (final ByteBuffer buf : buffers(bytes))
        {
            final RouteDecoder route = new RouteDecoder();
            assertEquals(error == null, route.wrap(buf, 0, bytes.length), name);
            assertEquals(error, route.error());
            assertEquals(errorOffset, route.errorOffset());
            if (error != null)
            {
                assertNull(route.dst());
                assertNull(route.dstCidr());
                assertEquals(-1, route.priority());
                assertEquals(0, route.nexthopCount());
            }
        }
    }

    @Test
    void okMessagesDecodeToTheirValues()
    {
        final RouteDecoder route = new RouteDecoder();
        assertTrue(route.wrap(ByteBuffer.wrap(MPLS_ROUTE).order(ByteOrder.nativeOrder()), 0, MPLS_ROUTE.length));
        assertEquals(Rtnetlink.AF_MPLS, route.family());
        assertEquals("00:06:41:00", route.dst(), "a label entry, not an IPv4 address");
        assertEquals("00:06:41:00", route.dstIp(), "dst_len 20 is an MPLS host route");
        assertEquals(Rtnetlink.AF_INET, route.viaFamily());
        assertEquals("10.88.0.2", route.via());
        assertEquals(2, route.oif());

        assertTrue(route.wrap(ByteBuffer.wrap(UNEVEN_MULTIPATH).order(ByteOrder.nativeOrder()), 0,
            UNEVEN_MULTIPATH.length));
        assertEquals(2, route.nexthopCount());
        assertNull(route.nexthopGateway(0));
        assertEquals(3, route.nexthopIfindex(0));
        assertEquals(1, route.nexthopWeight(0));
        assertEquals("10.88.0.3", route.nexthopGateway(1));
        assertEquals(2, route.nexthopIfindex(1));
        assertEquals(3, route.nexthopWeight(1));
        assertEquals(Route.RTNH_F_ONLINK, route.nexthopFlags(1));
        assertFalse(route.hasGateway());
    }
}
