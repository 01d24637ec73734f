package io.nlstream.netlink.conntrack;

import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Stream;

import static io.nlstream.netlink.AttributeIterator.*;
import static io.nlstream.netlink.conntrack.CtDecoder.*;
import static io.nlstream.netlink.conntrack.Ctnetlink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-written ctnetlink messages, one field a line, each with the outcome the decoder must give: false
 * with the named error at the named offset, or true. Netlink headers are little-endian, as on the
 * capture machine; ctnetlink's own numbers are big-endian, as the kernel writes them.
 */
class CtMalformedMessagesTest
{
    private static final String OK = null;

    static byte[] b(final int... bytes)
    {
        final byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            out[i] = (byte)bytes[i];
        }
        return out;
    }

    /** A DESTROY of an ICMPv6 echo flow in zone 5, with a u32 id and mark that do not fit an int. */
    static final byte[] ICMPV6_DESTROY = b(
        0x88, 0x00, 0x00, 0x00, // nlmsg_len: 136
        0x02, 0x01,             // nlmsg_type: (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE
        0x00, 0x00,             // nlmsg_flags
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid
        0x0a, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET6, NFNETLINK_V0, res_id 0
        0x5c, 0x00, 0x01, 0x80, // nla_len 92, CTA_TUPLE_ORIG | NLA_F_NESTED
        0x2c, 0x00, 0x01, 0x80, //   nla_len 44, CTA_TUPLE_IP | NLA_F_NESTED
        0x14, 0x00, 0x03, 0x00, //     nla_len 20, CTA_IP_V6_SRC
        0xfe, 0x80, 0x00, 0x00, //       fe80::1
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01,
        0x14, 0x00, 0x04, 0x00, //     nla_len 20, CTA_IP_V6_DST
        0xff, 0x02, 0x00, 0x00, //       ff02::1
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01,
        0x24, 0x00, 0x02, 0x80, //   nla_len 36, CTA_TUPLE_PROTO | NLA_F_NESTED
        0x05, 0x00, 0x01, 0x00, //     nla_len 5, CTA_PROTO_NUM
        0x3a, 0x00, 0x00, 0x00, //       IPPROTO_ICMPV6, padding
        0x06, 0x00, 0x07, 0x00, //     nla_len 6, CTA_PROTO_ICMPV6_ID
        0x12, 0x34, 0x00, 0x00, //       0x1234 (be16), padding
        0x05, 0x00, 0x08, 0x00, //     nla_len 5, CTA_PROTO_ICMPV6_TYPE
        0x80, 0x00, 0x00, 0x00, //       128, echo request
        0x05, 0x00, 0x09, 0x00, //     nla_len 5, CTA_PROTO_ICMPV6_CODE
        0x00, 0x00, 0x00, 0x00, //       0
        0x06, 0x00, 0x03, 0x00, //   nla_len 6, CTA_TUPLE_ZONE: a zone for this direction only
        0x00, 0x05, 0x00, 0x00, //     5 (be16), padding
        0x06, 0x00, 0x12, 0x00, // nla_len 6, CTA_ZONE
        0x00, 0x05, 0x00, 0x00, //   5 (be16), padding
        0x08, 0x00, 0x0c, 0x00, // nla_len 8, CTA_ID
        0xff, 0xff, 0xff, 0xfe, //   4294967294: a u32, not -2
        0x08, 0x00, 0x08, 0x00, // nla_len 8, CTA_MARK
        0xff, 0xff, 0xff, 0xff);//   0xffffffff: a u32, not "absent"

    /** A dump reply for an SCTP flow with a helper, sequence adjustment, security context and a NAT nest. */
    static final byte[] SCTP_DUMP = b(
        0xc8, 0x00, 0x00, 0x00, // nlmsg_len: 200
        0x00, 0x01,             // nlmsg_type: (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW
        0x02, 0x00,             // nlmsg_flags: NLM_F_MULTI
        0x07, 0x00, 0x00, 0x00, // nlmsg_seq: 7
        0x39, 0x30, 0x00, 0x00, // nlmsg_pid: 12345, the requester
        0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET, NFNETLINK_V0, res_id 0
        0x40, 0x00, 0x04, 0x80, // nla_len 64, CTA_PROTOINFO | NLA_F_NESTED
        0x1c, 0x00, 0x03, 0x80, //   nla_len 28, CTA_PROTOINFO_SCTP | NLA_F_NESTED
        0x05, 0x00, 0x01, 0x00, //     nla_len 5, CTA_PROTOINFO_SCTP_STATE
        0x04, 0x00, 0x00, 0x00, //       SCTP_CONNTRACK_ESTABLISHED, padding
        0x08, 0x00, 0x02, 0x00, //     nla_len 8, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL
        0xde, 0xad, 0xbe, 0xef, //       0xdeadbeef (be32)
        0x08, 0x00, 0x03, 0x00, //     nla_len 8, CTA_PROTOINFO_SCTP_VTAG_REPLY
        0x00, 0x00, 0x00, 0x2a, //       42
        0x20, 0x00, 0x02, 0x80, //   nla_len 32, CTA_PROTOINFO_DCCP | NLA_F_NESTED
        0x05, 0x00, 0x01, 0x00, //     nla_len 5, CTA_PROTOINFO_DCCP_STATE
        0x04, 0x00, 0x00, 0x00, //       CT_DCCP_OPEN, padding
        0x05, 0x00, 0x02, 0x00, //     nla_len 5, CTA_PROTOINFO_DCCP_ROLE
        0x01, 0x00, 0x00, 0x00, //       1, padding
        0x0c, 0x00, 0x03, 0x00, //     nla_len 12, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ
        0x00, 0x00, 0x01, 0x00, //       0x0000010000000002 (be64)
        0x00, 0x00, 0x00, 0x02,
        0x0c, 0x00, 0x05, 0x80, // nla_len 12, CTA_HELP | NLA_F_NESTED
        0x08, 0x00, 0x01, 0x00, //   nla_len 8, CTA_HELP_NAME
        0x66, 0x74, 0x70, 0x00, //     "ftp\0"
        0x1c, 0x00, 0x0f, 0x80, // nla_len 28, CTA_SEQ_ADJ_ORIG | NLA_F_NESTED
        0x08, 0x00, 0x01, 0x00, //   nla_len 8, CTA_SEQADJ_CORRECTION_POS
        0x00, 0x00, 0x10, 0x00, //     4096
        0x08, 0x00, 0x02, 0x00, //   nla_len 8, CTA_SEQADJ_OFFSET_BEFORE
        0x00, 0x00, 0x00, 0x00, //     0
        0x08, 0x00, 0x03, 0x00, //   nla_len 8, CTA_SEQADJ_OFFSET_AFTER
        0x00, 0x00, 0x00, 0x04, //     4
        0x10, 0x00, 0x13, 0x80, // nla_len 16, CTA_SECCTX | NLA_F_NESTED
        0x0b, 0x00, 0x01, 0x00, //   nla_len 11, CTA_SECCTX_NAME
        0x6b, 0x65, 0x72, 0x6e, //     "kern
        0x65, 0x6c, 0x00, 0x00, //      el\0", padding
        0x1c, 0x00, 0x14, 0x80, // nla_len 28, CTA_TIMESTAMP | NLA_F_NESTED
        0x0c, 0x00, 0x01, 0x00, //   nla_len 12, CTA_TIMESTAMP_START
        0x18, 0xec, 0x10, 0xfa, //     0x18ec10fa6fc8140f ns (be64)
        0x6f, 0xc8, 0x14, 0x0f,
        0x0c, 0x00, 0x02, 0x00, //   nla_len 12, CTA_TIMESTAMP_STOP
        0x00, 0x00, 0x00, 0x00, //     0: alive
        0x00, 0x00, 0x00, 0x00,
        0x20, 0x00, 0x06, 0x80, // nla_len 32, CTA_NAT_SRC | NLA_F_NESTED
        0x08, 0x00, 0x01, 0x00, //   nla_len 8, CTA_NAT_V4_MINIP
        0xc0, 0x00, 0x02, 0x01, //     192.0.2.1
        0x14, 0x00, 0x03, 0x80, //   nla_len 20, CTA_NAT_PROTO | NLA_F_NESTED
        0x06, 0x00, 0x01, 0x00, //     nla_len 6, CTA_PROTONAT_PORT_MIN
        0x04, 0x00, 0x00, 0x00, //       1024 (be16), padding
        0x06, 0x00, 0x02, 0x00, //     nla_len 6, CTA_PROTONAT_PORT_MAX
        0xff, 0xff, 0x00, 0x00);//       65535, padding

    static Stream<Arguments> messages()
    {
        return Stream.of(
            Arguments.of("truncated header", b(
                0x14, 0x00, 0x00, 0x00, // nlmsg_len: 20
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00),            // nlmsg_pid: cut short, 14 bytes in all
                NetlinkFraming.SHORT_HEADER, 0),

            Arguments.of("nlmsg_len < 16", b(
                0x0c, 0x00, 0x00, 0x00, // nlmsg_len: 12, shorter than a header
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00),// nlmsg_pid
                NetlinkFraming.LENGTH_TOO_SMALL, 0),

            Arguments.of("nlmsg_len past the buffer", b(
                0x40, 0x00, 0x00, 0x00, // nlmsg_len: 64, only 20 bytes given
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00),// nfgenmsg
                NetlinkFraming.LENGTH_PAST_END, 0),

            Arguments.of("RTM_NEWLINK is not conntrack", b(
                0x14, 0x00, 0x00, 0x00, // nlmsg_len: 20
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00),
                ERR_NOT_CONNTRACK, 0),

            Arguments.of("IPCTNL_MSG_CT_GET is a request, not an entry", b(
                0x14, 0x00, 0x00, 0x00, // nlmsg_len: 20
                0x01, 0x01,             // nlmsg_type: (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET
                0x01, 0x03,             // nlmsg_flags: NLM_F_REQUEST | NLM_F_DUMP
                0x01, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00, 0x00, 0x00),// nfgenmsg: AF_UNSPEC
                ERR_NOT_CONNTRACK, 0),

            Arguments.of("an expectation (NFNL_SUBSYS_CTNETLINK_EXP) is not an entry", b(
                0x14, 0x00, 0x00, 0x00, // nlmsg_len: 20
                0x00, 0x02,             // nlmsg_type: (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00),// nfgenmsg
                ERR_NOT_CONNTRACK, 0),

            Arguments.of("NLMSG_DONE closing a dump", b(
                0x14, 0x00, 0x00, 0x00, // nlmsg_len: 20
                0x03, 0x00,             // nlmsg_type: NLMSG_DONE
                0x02, 0x00,             // nlmsg_flags: NLM_F_MULTI
                0x01, 0x00, 0x00, 0x00, // nlmsg_seq
                0x39, 0x30, 0x00, 0x00, // nlmsg_pid
                0x00, 0x00, 0x00, 0x00),// int error: 0
                ERR_NOT_CONNTRACK, 0),

            Arguments.of("short nfgenmsg", b(
                0x12, 0x00, 0x00, 0x00, // nlmsg_len: 18, room for 2 of nfgenmsg's 4 bytes
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00,             // nfgen_family, version; res_id missing
                0x00, 0x00),            // padding, outside nlmsg_len
                ERR_SHORT_NFGENMSG, 16),

            Arguments.of("tuple IPv4 address of 3 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags: NLM_F_CREATE | NLM_F_EXCL
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x10, 0x00, 0x01, 0x80, // nla_len 16, CTA_TUPLE_ORIG
                0x0c, 0x00, 0x01, 0x80, //   nla_len 12, CTA_TUPLE_IP
                0x07, 0x00, 0x01, 0x00, //     nla_len 7, CTA_IP_V4_SRC: 3 bytes
                0x0a, 0x4d, 0x00, 0x00),//       10.77.0, padding
                ERR_IPV4_LENGTH, 28),

            Arguments.of("tuple IPv6 address of 4 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x0a, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET6
                0x10, 0x00, 0x02, 0x80, // nla_len 16, CTA_TUPLE_REPLY
                0x0c, 0x00, 0x01, 0x80, //   nla_len 12, CTA_TUPLE_IP
                0x08, 0x00, 0x04, 0x00, //     nla_len 8, CTA_IP_V6_DST: an IPv4-sized payload
                0x0a, 0x4d, 0x00, 0x01),
                ERR_IPV6_LENGTH, 28),

            Arguments.of("port of 1 byte", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x10, 0x00, 0x01, 0x80, // nla_len 16, CTA_TUPLE_ORIG
                0x0c, 0x00, 0x02, 0x80, //   nla_len 12, CTA_TUPLE_PROTO
                0x05, 0x00, 0x02, 0x00, //     nla_len 5, CTA_PROTO_SRC_PORT: a be16 needs 6
                0x50, 0x00, 0x00, 0x00),
                ERR_NOT_U16, 28),

            Arguments.of("CTA_PROTO_NUM of 2 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x10, 0x00, 0x01, 0x80, // nla_len 16, CTA_TUPLE_ORIG
                0x0c, 0x00, 0x02, 0x80, //   nla_len 12, CTA_TUPLE_PROTO
                0x06, 0x00, 0x01, 0x00, //     nla_len 6, CTA_PROTO_NUM: a u8 has nla_len 5
                0x00, 0x06, 0x00, 0x00),
                ERR_NOT_U8, 28),

            Arguments.of("ICMP type of 2 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x10, 0x00, 0x01, 0x80, // nla_len 16, CTA_TUPLE_ORIG
                0x0c, 0x00, 0x02, 0x80, //   nla_len 12, CTA_TUPLE_PROTO
                0x06, 0x00, 0x05, 0x00, //     nla_len 6, CTA_PROTO_ICMP_TYPE: a u8 has nla_len 5
                0x08, 0x00, 0x00, 0x00),
                ERR_NOT_U8, 28),

            Arguments.of("ICMP id of 1 byte", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x10, 0x00, 0x01, 0x80, // nla_len 16, CTA_TUPLE_ORIG
                0x0c, 0x00, 0x02, 0x80, //   nla_len 12, CTA_TUPLE_PROTO
                0x05, 0x00, 0x04, 0x00, //     nla_len 5, CTA_PROTO_ICMP_ID: a be16 needs 6
                0x4e, 0x00, 0x00, 0x00),
                ERR_NOT_U16, 28),

            Arguments.of("CTA_TUPLE_ZONE of 4 bytes", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x0c, 0x00, 0x01, 0x80, // nla_len 12, CTA_TUPLE_ORIG
                0x08, 0x00, 0x03, 0x00, //   nla_len 8, CTA_TUPLE_ZONE: a be16 needs 6
                0x00, 0x00, 0x00, 0x07),
                ERR_NOT_U16, 24),

            Arguments.of("nested tuple of 2 bytes", b(
                0x1c, 0x00, 0x00, 0x00, // nlmsg_len: 28
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x06, 0x00, 0x01, 0x80, // nla_len 6, CTA_TUPLE_ORIG: 2 bytes, no room for a header
                0x00, 0x00, 0x00, 0x00),
                ERR_NOT_NESTED, 20),

            Arguments.of("nested CTA_TUPLE_IP of 3 bytes", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x0c, 0x00, 0x01, 0x80, // nla_len 12, CTA_TUPLE_ORIG
                0x07, 0x00, 0x01, 0x80, //   nla_len 7, CTA_TUPLE_IP: 3 bytes
                0x0a, 0x4d, 0x00, 0x00),
                ERR_NOT_NESTED, 24),

            Arguments.of("CTA_STATUS of 2 bytes", b(
                0x1c, 0x00, 0x00, 0x00, // nlmsg_len: 28
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x06, 0x00, 0x03, 0x00, // nla_len 6, CTA_STATUS: a be32 needs 8
                0x01, 0x88, 0x00, 0x00),
                ERR_NOT_U32, 20),

            Arguments.of("CTA_ID of 8 bytes", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x0c, 0x00, 0x0c, 0x00, // nla_len 12, CTA_ID: exactly 4 bytes, as mnl_attr_validate
                0x00, 0x00, 0x00, 0x00,
                0x12, 0x34, 0x56, 0x78),
                ERR_NOT_U32, 20),

            Arguments.of("CTA_ZONE of 4 bytes", b(
                0x1c, 0x00, 0x00, 0x00, // nlmsg_len: 28
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x08, 0x00, 0x12, 0x00, // nla_len 8, CTA_ZONE: a be16 needs 6
                0x00, 0x00, 0x00, 0x07),
                ERR_NOT_U16, 20),

            Arguments.of("CTA_TIMESTAMP_EVENT of 4 bytes", b(
                0x1c, 0x00, 0x00, 0x00, // nlmsg_len: 28
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x08, 0x00, 0x1b, 0x00, // nla_len 8, CTA_TIMESTAMP_EVENT: a be64 needs 12
                0x18, 0xec, 0x10, 0xfa),
                ERR_NOT_U64, 20),

            Arguments.of("attribute length past end of message", b(
                0x1c, 0x00, 0x00, 0x00, // nlmsg_len: 28
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x0c, 0x00, 0x0c, 0x00, // nla_len 12, CTA_ID: 8 bytes left in the message
                0x12, 0x34, 0x56, 0x78,
                0x00, 0x00, 0x00, 0x00),// past nlmsg_len: in the buffer, not in the message
                ERR_LENGTH_PAST_END, 20),

            Arguments.of("CTA_PROTO_NUM past the end of CTA_TUPLE_PROTO", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x10, 0x00, 0x01, 0x80, // nla_len 16, CTA_TUPLE_ORIG: ends at 36
                0x08, 0x00, 0x02, 0x80, //   nla_len 8, CTA_TUPLE_PROTO: ends at 32
                0x08, 0x00, 0x01, 0x00, //     nla_len 8, CTA_PROTO_NUM: past its nest, not the message
                0x06, 0x00, 0x00, 0x00),
                ERR_LENGTH_PAST_END, 28),

            Arguments.of("nla_len 0 inside CTA_TUPLE_PROTO", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x0c, 0x00, 0x01, 0x80, // nla_len 12, CTA_TUPLE_ORIG
                0x08, 0x00, 0x02, 0x80, //   nla_len 8, CTA_TUPLE_PROTO
                0x00, 0x00, 0x01, 0x00),//     nla_len 0 (a naive walker never advances), CTA_PROTO_NUM
                ERR_SHORT_ATTRIBUTE, 28),

            Arguments.of("trailing bytes after the last attribute", b(
                0x1e, 0x00, 0x00, 0x00, // nlmsg_len: 30
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x08, 0x00, 0x0c, 0x00, // nla_len 8, CTA_ID
                0x12, 0x34, 0x56, 0x78,
                0x00, 0x00),            // 2 bytes: not even an attribute header
                ERR_TRAILING_BYTES, 28),

            Arguments.of("CTA_COUNTERS_PACKETS of 4 bytes", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x02, 0x01,             // nlmsg_type: CT_DELETE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x0c, 0x00, 0x09, 0x80, // nla_len 12, CTA_COUNTERS_ORIG
                0x08, 0x00, 0x01, 0x00, //   nla_len 8, CTA_COUNTERS_PACKETS: a be64 needs 12
                0x00, 0x00, 0x00, 0x06),
                ERR_NOT_U64, 24),

            Arguments.of("CTA_TIMESTAMP_START of 4 bytes", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x02, 0x01,             // nlmsg_type: CT_DELETE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x0c, 0x00, 0x14, 0x80, // nla_len 12, CTA_TIMESTAMP
                0x08, 0x00, 0x01, 0x00, //   nla_len 8, CTA_TIMESTAMP_START: a be64 needs 12
                0x18, 0xec, 0x10, 0xfa),
                ERR_NOT_U64, 24),

            Arguments.of("CTA_PROTOINFO_TCP_STATE of 4 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x10, 0x00, 0x04, 0x80, // nla_len 16, CTA_PROTOINFO
                0x0c, 0x00, 0x01, 0x80, //   nla_len 12, CTA_PROTOINFO_TCP
                0x08, 0x00, 0x01, 0x00, //     nla_len 8, CTA_PROTOINFO_TCP_STATE: a u8 has nla_len 5
                0x03, 0x00, 0x00, 0x00),
                ERR_NOT_U8, 28),

            Arguments.of("CTA_PROTOINFO_TCP_FLAGS_ORIGINAL of 1 byte", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x10, 0x00, 0x04, 0x80, // nla_len 16, CTA_PROTOINFO
                0x0c, 0x00, 0x01, 0x80, //   nla_len 12, CTA_PROTOINFO_TCP
                0x05, 0x00, 0x04, 0x00, //     nla_len 5, _FLAGS_ORIGINAL: struct nf_ct_tcp_flags is 2 bytes
                0x23, 0x00, 0x00, 0x00),
                ERR_TCP_FLAGS_LENGTH, 28),

            Arguments.of("CTA_PROTOINFO_SCTP_VTAG_REPLY of 2 bytes", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x10, 0x00, 0x04, 0x80, // nla_len 16, CTA_PROTOINFO
                0x0c, 0x00, 0x03, 0x80, //   nla_len 12, CTA_PROTOINFO_SCTP
                0x06, 0x00, 0x03, 0x00, //     nla_len 6, CTA_PROTOINFO_SCTP_VTAG_REPLY: a be32 needs 8
                0x00, 0x2a, 0x00, 0x00),
                ERR_NOT_U32, 28),

            Arguments.of("CTA_HELP_NAME without NUL", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x0c, 0x00, 0x05, 0x80, // nla_len 12, CTA_HELP
                0x08, 0x00, 0x01, 0x00, //   nla_len 8, CTA_HELP_NAME
                0x66, 0x74, 0x70, 0x21),//     "ftp!", no NUL
                ERR_NOT_NUL_STRING, 24),

            Arguments.of("CTA_SEQADJ_OFFSET_AFTER of 1 byte", b(
                0x20, 0x00, 0x00, 0x00, // nlmsg_len: 32
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x0c, 0x00, 0x10, 0x80, // nla_len 12, CTA_SEQ_ADJ_REPLY
                0x05, 0x00, 0x03, 0x00, //   nla_len 5, CTA_SEQADJ_OFFSET_AFTER: a be32 needs 8
                0x04, 0x00, 0x00, 0x00),
                ERR_NOT_U32, 24),

            Arguments.of("CTA_NAT_V4_MINIP of 5 bytes inside CTA_NAT_DST", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x10, 0x00, 0x0d, 0x80, // nla_len 16, CTA_NAT_DST
                0x09, 0x00, 0x01, 0x00, //   nla_len 9, CTA_NAT_V4_MINIP: 5 bytes
                0x0a, 0x4d, 0x00, 0x02,
                0x00, 0x00, 0x00, 0x00),
                ERR_IPV4_LENGTH, 24),

            Arguments.of("good tuple, then a bad CTA_STATUS: no half object", b(
                0x34, 0x00, 0x00, 0x00, // nlmsg_len: 52
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x06,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x18, 0x00, 0x01, 0x80, // nla_len 24, CTA_TUPLE_ORIG
                0x14, 0x00, 0x01, 0x80, //   nla_len 20, CTA_TUPLE_IP
                0x08, 0x00, 0x01, 0x00, //     nla_len 8, CTA_IP_V4_SRC
                0x0a, 0x4d, 0x00, 0x01, //       10.77.0.1
                0x08, 0x00, 0x02, 0x00, //     nla_len 8, CTA_IP_V4_DST
                0x0a, 0x4d, 0x00, 0x02, //       10.77.0.2
                0x05, 0x00, 0x03, 0x00, // nla_len 5, CTA_STATUS of 1 byte
                0x08, 0x00, 0x00, 0x00),
                ERR_NOT_U32, 44),

            Arguments.of("ok: header and nfgenmsg, no attributes", b(
                0x14, 0x00, 0x00, 0x00, // nlmsg_len: 20
                0x02, 0x01,             // nlmsg_type: CT_DELETE
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00),// nfgenmsg: AF_INET
                OK, -1),

            Arguments.of("ok: unknown attributes skipped at any depth, last attribute unpadded", b(
                0x2d, 0x00, 0x00, 0x00, // nlmsg_len: 45
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x07, 0x00, 0xff, 0x3f, // nla_len 7, type 0x3fff: unknown, any size
                0x01, 0x02, 0x03, 0x00, //   3 bytes, padding
                0x0c, 0x00, 0x01, 0x80, // nla_len 12, CTA_TUPLE_ORIG
                0x08, 0x00, 0x09, 0x00, //   nla_len 8, type 9: not a tuple attribute (yet)
                0xde, 0xad, 0xbe, 0xef,
                0x05, 0x00, 0x1f, 0x00, // nla_len 5, type 31: unknown, the last attribute
                0x2a),                  //   end of message without padding
                OK, -1),

            Arguments.of("ok: empty nests, CTA_LABELS of any size", b(
                0x24, 0x00, 0x00, 0x00, // nlmsg_len: 36
                0x00, 0x01,             // nlmsg_type: CT_NEW
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
                0x04, 0x00, 0x01, 0x80, // nla_len 4, CTA_TUPLE_ORIG: empty
                0x04, 0x00, 0x04, 0x80, // nla_len 4, CTA_PROTOINFO: empty
                0x07, 0x00, 0x16, 0x00, // nla_len 7, CTA_LABELS: 3 bytes, a bitmap
                0x21, 0x00, 0x80, 0x00),//   padding
                OK, -1),

            Arguments.of("ok: ICMPv6 DESTROY with zones, u32 id and mark", ICMPV6_DESTROY, OK, -1),

            Arguments.of("ok: SCTP dump reply with helper, seqadj, secctx, timestamps, NAT", SCTP_DUMP, OK, -1));
    }

    static List<byte[]> okMessages()
    {
        return messages().filter(a -> a.get()[2] == null).map(a -> (byte[])a.get()[1]).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void ctDecoder(final String name, final byte[] bytes, final String error, final int errorOffset)
    {
        for (final ByteBuffer buf : buffers(bytes))
        {
            final CtDecoder ct = new CtDecoder();
            assertEquals(error == null, ct.wrap(buf, 0, bytes.length), name);
            assertEquals(error, ct.error());
            assertEquals(errorOffset, ct.errorOffset());
            if (error != null)
            {
                assertNull(ct.eventType());
                assertFalse(ct.orig().present());
                assertNull(ct.orig().src());
                assertEquals(-1, ct.status());
                assertEquals(-1, ct.id());
            }
        }
    }

    /**
     * The same bytes in a heap and a direct buffer, in both orders: the decoder reads host order for
     * netlink's headers and big-endian for ctnetlink's numbers whatever order the buffer is set to.
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
        final CtDecoder ct = new CtDecoder();
        assertTrue(ct.wrap(ByteBuffer.wrap(ICMPV6_DESTROY), 0, ICMPV6_DESTROY.length), ct::error);
        assertEquals(CtDecoder.EventType.DESTROY, ct.eventType());
        assertEquals(Nfnetlink.AF_INET6, ct.l3family());
        assertEquals("fe80::1", ct.orig().src());
        assertEquals("ff02::1", ct.orig().dst());
        assertEquals(IpProto.IPPROTO_ICMPV6, ct.orig().l4proto());
        assertEquals(128, ct.orig().icmpType());
        assertEquals(0, ct.orig().icmpCode());
        assertEquals(0x1234, ct.orig().icmpId());
        assertEquals(5, ct.orig().zone());
        assertFalse(ct.reply().present());
        assertEquals(5, ct.zone());
        assertEquals(4294967294L, ct.id());
        assertTrue(ct.hasMark());
        assertEquals(0xFFFFFFFFL, ct.mark());

        assertTrue(ct.wrap(ByteBuffer.wrap(SCTP_DUMP), 0, SCTP_DUMP.length), ct::error);
        assertEquals(CtDecoder.EventType.NEW, ct.eventType());
        assertTrue(ct.isDump());
        assertEquals(7, ct.seq());
        assertEquals(12345, ct.portId());
        assertEquals(CtProtoInfo.SCTP_CONNTRACK_ESTABLISHED, ct.sctpState());
        assertEquals("ESTABLISHED", CtProtoInfo.sctpStateName(ct.sctpState()));
        assertEquals(0xdeadbeefL, ct.sctpVtag(IP_CT_DIR_ORIGINAL));
        assertEquals(42, ct.sctpVtag(IP_CT_DIR_REPLY));
        assertEquals(CtProtoInfo.CT_DCCP_OPEN, ct.dccpState());
        assertEquals(1, ct.dccpRole());
        assertEquals(0x0000010000000002L, ct.dccpHandshakeSeq());
        assertEquals(-1, ct.tcpState());
        assertEquals("ftp", ct.helperName());
        assertTrue(ct.hasSeqAdj(IP_CT_DIR_ORIGINAL));
        assertFalse(ct.hasSeqAdj(IP_CT_DIR_REPLY));
        assertEquals(4096, ct.seqAdjCorrectionPos(IP_CT_DIR_ORIGINAL));
        assertEquals(0, ct.seqAdjOffsetBefore(IP_CT_DIR_ORIGINAL));
        assertEquals(4, ct.seqAdjOffsetAfter(IP_CT_DIR_ORIGINAL));
        assertEquals(-1, ct.seqAdjOffsetAfter(IP_CT_DIR_REPLY));
        assertEquals("kernel", ct.secctx());
        assertTrue(ct.hasTimestamp());
        assertEquals(0x18ec10fa6fc8140fL, ct.timestampStart());
        assertEquals(-1, ct.timestampStop(), "a stop of 0 is no stop");
        assertTrue(ct.hasNatSrc());
        assertFalse(ct.hasNatDst());
        assertFalse(ct.orig().present());
        assertFalse(ct.hasStatus());
    }
}
