package io.nlstream.netlink.conntrack;

import io.nlstream.netlink.MessageBuilder;
import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.nlstream.netlink.AttributeIterator.*;
import static io.nlstream.netlink.FixtureMessages.buffers;
import static io.nlstream.netlink.MessageBuilder.message;
import static io.nlstream.netlink.Netlink.NLA_F_NESTED;
import static io.nlstream.netlink.Netlink.NLMSG_DONE;
import static io.nlstream.netlink.Netlink.NLM_F_CREATE;
import static io.nlstream.netlink.Netlink.NLM_F_DUMP;
import static io.nlstream.netlink.Netlink.NLM_F_EXCL;
import static io.nlstream.netlink.Netlink.NLM_F_MULTI;
import static io.nlstream.netlink.Netlink.NLM_F_REQUEST;
import static io.nlstream.netlink.conntrack.CtDecoder.*;
import static io.nlstream.netlink.conntrack.CtProtoInfo.CT_DCCP_OPEN;
import static io.nlstream.netlink.conntrack.CtProtoInfo.SCTP_CONNTRACK_ESTABLISHED;
import static io.nlstream.netlink.conntrack.CtProtoInfo.TCP_CONNTRACK_ESTABLISHED;
import static io.nlstream.netlink.conntrack.Ctnetlink.*;
import static io.nlstream.netlink.conntrack.IpProto.IPPROTO_ICMPV6;
import static io.nlstream.netlink.conntrack.IpProto.IPPROTO_TCP;
import static io.nlstream.netlink.conntrack.Nfnetlink.*;
import static io.nlstream.netlink.rtnl.Rtnetlink.RTM_NEWLINK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctnetlink messages built a field at a time ({@link MessageBuilder}: lengths and padding counted; netlink's
 * header in host order, ctnetlink's own numbers big-endian, as the kernel writes them), each with the outcome
 * the decoder must give: false with the named error at the named offset, or true. struct nfgenmsg ends at 20,
 * where the attributes start.
 */
class CtMalformedMessagesTest
{
    private static final String OK = null;

    private static final int CT_NEW = nlmsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW);
    private static final int CT_GET = nlmsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET);
    private static final int CT_DELETE = nlmsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE);

    /** The netlink header, then struct nfgenmsg: family, NFNETLINK_V0, res_id 0. */
    private static MessageBuilder nfgenmsg(final int type, final int flags, final int family)
    {
        return message(type).flags(flags).u8(family).u8(NFNETLINK_V0).be16(0);
    }

    /** A NEW event: IPCTNL_MSG_CT_NEW with NLM_F_CREATE | NLM_F_EXCL. */
    private static MessageBuilder created(final int family)
    {
        return nfgenmsg(CT_NEW, NLM_F_CREATE | NLM_F_EXCL, family);
    }

    /** An UPDATE event: IPCTNL_MSG_CT_NEW without flags. */
    private static MessageBuilder updated(final int family)
    {
        return nfgenmsg(CT_NEW, 0, family);
    }

    /** A DESTROY event: IPCTNL_MSG_CT_DELETE. */
    private static MessageBuilder destroyed(final int family)
    {
        return nfgenmsg(CT_DELETE, 0, family);
    }

    /** A tuple's CTA_TUPLE_IP nest holding {@code addresses}. */
    private static Consumer<MessageBuilder> ip(final Consumer<MessageBuilder> addresses)
    {
        return tuple -> tuple.nest(CTA_TUPLE_IP | NLA_F_NESTED, addresses);
    }

    /** A tuple's CTA_TUPLE_PROTO nest holding {@code attributes}. */
    private static Consumer<MessageBuilder> proto(final Consumer<MessageBuilder> attributes)
    {
        return tuple -> tuple.nest(CTA_TUPLE_PROTO | NLA_F_NESTED, attributes);
    }

    /** A DESTROY of an ICMPv6 echo flow in zone 5, with a u32 id and mark that do not fit an int. */
    static final byte[] ICMPV6_DESTROY = destroyed(AF_INET6)
        .nest(CTA_TUPLE_ORIG | NLA_F_NESTED, t -> t
            .nest(CTA_TUPLE_IP | NLA_F_NESTED, a -> a
                .attr(CTA_IP_V6_SRC, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
                .attr(CTA_IP_V6_DST, 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1))
            .nest(CTA_TUPLE_PROTO | NLA_F_NESTED, p -> p
                .attrU8(CTA_PROTO_NUM, IPPROTO_ICMPV6)
                .attrBe16(CTA_PROTO_ICMPV6_ID, 0x1234)
                .attrU8(CTA_PROTO_ICMPV6_TYPE, 128) // echo request
                .attrU8(CTA_PROTO_ICMPV6_CODE, 0))
            .attrBe16(CTA_TUPLE_ZONE, 5))           // a zone for this direction only
        .attrBe16(CTA_ZONE, 5)
        .attrBe32(CTA_ID, 4294967294L)              // a u32, not -2
        .attrBe32(CTA_MARK, 0xffffffffL)            // a u32, not "absent"
        .bytes();

    /** A dump reply for an SCTP flow with a helper, sequence adjustment, security context and a NAT nest. */
    static final byte[] SCTP_DUMP = nfgenmsg(CT_NEW, NLM_F_MULTI, AF_INET).seq(7).pid(12345) // pid: the requester
        .nest(CTA_PROTOINFO | NLA_F_NESTED, i -> i
            .nest(CTA_PROTOINFO_SCTP | NLA_F_NESTED, s -> s
                .attrU8(CTA_PROTOINFO_SCTP_STATE, SCTP_CONNTRACK_ESTABLISHED)
                .attrBe32(CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, 0xdeadbeefL)
                .attrBe32(CTA_PROTOINFO_SCTP_VTAG_REPLY, 42))
            .nest(CTA_PROTOINFO_DCCP | NLA_F_NESTED, d -> d
                .attrU8(CTA_PROTOINFO_DCCP_STATE, CT_DCCP_OPEN)
                .attrU8(CTA_PROTOINFO_DCCP_ROLE, 1)
                .attrBe64(CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ, 0x0000010000000002L)))
        .nest(CTA_HELP | NLA_F_NESTED, h -> h.attrString(CTA_HELP_NAME, "ftp"))
        .nest(CTA_SEQ_ADJ_ORIG | NLA_F_NESTED, s -> s
            .attrBe32(CTA_SEQADJ_CORRECTION_POS, 4096)
            .attrBe32(CTA_SEQADJ_OFFSET_BEFORE, 0)
            .attrBe32(CTA_SEQADJ_OFFSET_AFTER, 4))
        .nest(CTA_SECCTX | NLA_F_NESTED, s -> s.attrString(CTA_SECCTX_NAME, "kernel"))
        .nest(CTA_TIMESTAMP | NLA_F_NESTED, t -> t
            .attrBe64(CTA_TIMESTAMP_START, 0x18ec10fa6fc8140fL) // ns
            .attrBe64(CTA_TIMESTAMP_STOP, 0))                   // alive
        .nest(CTA_NAT_SRC | NLA_F_NESTED, n -> n
            .attr(CTA_NAT_V4_MINIP, 192, 0, 2, 1)
            .nest(CTA_NAT_PROTO | NLA_F_NESTED, p -> p
                .attrBe16(CTA_PROTONAT_PORT_MIN, 1024)
                .attrBe16(CTA_PROTONAT_PORT_MAX, 65535)))
        .bytes();

    static Stream<Arguments> messages()
    {
        return Stream.of(
            Arguments.of("truncated header",
                // cut short in nlmsg_pid, 14 bytes in all
                Arrays.copyOf(created(AF_INET).bytes(), 14),
                NetlinkFraming.SHORT_HEADER, 0),

            Arguments.of("nlmsg_len < 16",
                message(CT_NEW).flags(NLM_F_CREATE | NLM_F_EXCL).nlmsgLen(12).bytes(), // shorter than a header
                NetlinkFraming.LENGTH_TOO_SMALL, 0),

            Arguments.of("nlmsg_len past the buffer",
                created(AF_INET).nlmsgLen(64).bytes(), // only 20 bytes given
                NetlinkFraming.LENGTH_PAST_END, 0),

            Arguments.of("RTM_NEWLINK is not conntrack",
                nfgenmsg(RTM_NEWLINK, 0, AF_INET).bytes(),
                ERR_NOT_CONNTRACK, 0),

            Arguments.of("IPCTNL_MSG_CT_GET is a request, not an entry",
                nfgenmsg(CT_GET, NLM_F_REQUEST | NLM_F_DUMP, AF_UNSPEC).seq(1).bytes(),
                ERR_NOT_CONNTRACK, 0),

            Arguments.of("an expectation (NFNL_SUBSYS_CTNETLINK_EXP) is not an entry",
                nfgenmsg(nlmsgType(NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_NEW), NLM_F_CREATE | NLM_F_EXCL, AF_INET)
                    .bytes(),
                ERR_NOT_CONNTRACK, 0),

            Arguments.of("NLMSG_DONE closing a dump",
                message(NLMSG_DONE).flags(NLM_F_MULTI).seq(1).pid(12345).u32(0).bytes(), // int error: 0
                ERR_NOT_CONNTRACK, 0),

            Arguments.of("short nfgenmsg",
                // nlmsg_len 18: room for 2 of nfgenmsg's 4 bytes, res_id missing; 2 bytes of padding outside nlmsg_len
                message(CT_NEW).flags(NLM_F_CREATE | NLM_F_EXCL).u8(AF_INET).u8(NFNETLINK_V0).zeros(2).nlmsgLen(18).bytes(),
                ERR_SHORT_NFGENMSG, 16),

            Arguments.of("tuple IPv4 address of 3 bytes",
                created(AF_INET).nest(CTA_TUPLE_ORIG | NLA_F_NESTED, ip(a -> a.attr(CTA_IP_V4_SRC, 10, 77, 0))).bytes(),
                ERR_IPV4_LENGTH, 28),

            Arguments.of("tuple IPv6 address of 4 bytes",
                // an IPv4-sized payload
                created(AF_INET6).nest(CTA_TUPLE_REPLY | NLA_F_NESTED, ip(a -> a.attr(CTA_IP_V6_DST, 10, 77, 0, 1))).bytes(),
                ERR_IPV6_LENGTH, 28),

            Arguments.of("port of 1 byte",
                // a be16 needs 6
                created(AF_INET).nest(CTA_TUPLE_ORIG | NLA_F_NESTED, proto(p -> p.attrU8(CTA_PROTO_SRC_PORT, 80))).bytes(),
                ERR_NOT_U16, 28),

            Arguments.of("CTA_PROTO_NUM of 2 bytes",
                // a u8 has nla_len 5
                created(AF_INET).nest(CTA_TUPLE_ORIG | NLA_F_NESTED, proto(p -> p.attrBe16(CTA_PROTO_NUM, IPPROTO_TCP)))
                    .bytes(),
                ERR_NOT_U8, 28),

            Arguments.of("ICMP type of 2 bytes",
                // a u8 has nla_len 5
                created(AF_INET).nest(CTA_TUPLE_ORIG | NLA_F_NESTED, proto(p -> p.attr(CTA_PROTO_ICMP_TYPE, 8, 0))).bytes(),
                ERR_NOT_U8, 28),

            Arguments.of("ICMP id of 1 byte",
                // a be16 needs 6
                created(AF_INET).nest(CTA_TUPLE_ORIG | NLA_F_NESTED, proto(p -> p.attrU8(CTA_PROTO_ICMP_ID, 0x4e))).bytes(),
                ERR_NOT_U16, 28),

            Arguments.of("CTA_TUPLE_ZONE of 4 bytes",
                // a be16 needs 6
                created(AF_INET).nest(CTA_TUPLE_ORIG | NLA_F_NESTED, t -> t.attrBe32(CTA_TUPLE_ZONE, 7)).bytes(),
                ERR_NOT_U16, 24),

            Arguments.of("nested tuple of 2 bytes",
                created(AF_INET).attr(CTA_TUPLE_ORIG | NLA_F_NESTED, 0, 0).bytes(), // no room for a header
                ERR_NOT_NESTED, 20),

            Arguments.of("nested CTA_TUPLE_IP of 3 bytes",
                // 3 bytes: no room for a header
                created(AF_INET).nest(CTA_TUPLE_ORIG | NLA_F_NESTED, t -> t.attr(CTA_TUPLE_IP | NLA_F_NESTED, 10, 77, 0))
                    .bytes(),
                ERR_NOT_NESTED, 24),

            Arguments.of("CTA_STATUS of 2 bytes",
                created(AF_INET).attrBe16(CTA_STATUS, 0x0188).bytes(), // a be32 needs 8
                ERR_NOT_U32, 20),

            Arguments.of("CTA_ID of 8 bytes",
                created(AF_INET).attrBe64(CTA_ID, 0x12345678L).bytes(), // exactly 4 bytes, as mnl_attr_validate
                ERR_NOT_U32, 20),

            Arguments.of("CTA_ZONE of 4 bytes",
                created(AF_INET).attrBe32(CTA_ZONE, 7).bytes(), // a be16 needs 6
                ERR_NOT_U16, 20),

            Arguments.of("CTA_TIMESTAMP_EVENT of 4 bytes",
                updated(AF_INET).attrBe32(CTA_TIMESTAMP_EVENT, 0x18ec10faL).bytes(), // a be64 needs 12
                ERR_NOT_U64, 20),

            Arguments.of("attribute length past end of message",
                // nla_len 12 with 8 bytes left in the message: the last 4 in the buffer, past nlmsg_len
                created(AF_INET).attrHeader(12, CTA_ID).be32(0x12345678L).zeros(4).nlmsgLen(28).bytes(),
                ERR_LENGTH_PAST_END, 20),

            Arguments.of("CTA_PROTO_NUM past the end of CTA_TUPLE_PROTO",
                // CTA_TUPLE_ORIG ends at 36, CTA_TUPLE_PROTO at 32: CTA_PROTO_NUM runs past its nest, not the message
                created(AF_INET).nest(CTA_TUPLE_ORIG | NLA_F_NESTED, t -> t
                    .attrHeader(8, CTA_TUPLE_PROTO | NLA_F_NESTED)
                    .attrHeader(8, CTA_PROTO_NUM).raw(IPPROTO_TCP, 0, 0, 0)).bytes(),
                ERR_LENGTH_PAST_END, 28),

            Arguments.of("nla_len 0 inside CTA_TUPLE_PROTO",
                // a naive walker never advances
                created(AF_INET).nest(CTA_TUPLE_ORIG | NLA_F_NESTED, proto(p -> p.attrHeader(0, CTA_PROTO_NUM))).bytes(),
                ERR_SHORT_ATTRIBUTE, 28),

            Arguments.of("trailing bytes after the last attribute",
                // 2 bytes: not even an attribute header
                created(AF_INET).attrBe32(CTA_ID, 0x12345678L).zeros(2).bytes(),
                ERR_TRAILING_BYTES, 28),

            Arguments.of("CTA_COUNTERS_PACKETS of 4 bytes",
                // a be64 needs 12
                destroyed(AF_INET).nest(CTA_COUNTERS_ORIG | NLA_F_NESTED, c -> c.attrBe32(CTA_COUNTERS_PACKETS, 6)).bytes(),
                ERR_NOT_U64, 24),

            Arguments.of("CTA_TIMESTAMP_START of 4 bytes",
                // a be64 needs 12
                destroyed(AF_INET).nest(CTA_TIMESTAMP | NLA_F_NESTED, t -> t.attrBe32(CTA_TIMESTAMP_START, 0x18ec10faL))
                    .bytes(),
                ERR_NOT_U64, 24),

            Arguments.of("CTA_PROTOINFO_TCP_STATE of 4 bytes",
                // a u8 has nla_len 5
                updated(AF_INET).nest(CTA_PROTOINFO | NLA_F_NESTED, i -> i.nest(CTA_PROTOINFO_TCP | NLA_F_NESTED, t -> t
                    .attr(CTA_PROTOINFO_TCP_STATE, TCP_CONNTRACK_ESTABLISHED, 0, 0, 0))).bytes(),
                ERR_NOT_U8, 28),

            Arguments.of("CTA_PROTOINFO_TCP_FLAGS_ORIGINAL of 1 byte",
                // struct nf_ct_tcp_flags is 2 bytes
                updated(AF_INET).nest(CTA_PROTOINFO | NLA_F_NESTED, i -> i.nest(CTA_PROTOINFO_TCP | NLA_F_NESTED, t -> t
                    .attrU8(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, 0x23))).bytes(),
                ERR_TCP_FLAGS_LENGTH, 28),

            Arguments.of("CTA_PROTOINFO_SCTP_VTAG_REPLY of 2 bytes",
                // a be32 needs 8
                updated(AF_INET).nest(CTA_PROTOINFO | NLA_F_NESTED, i -> i.nest(CTA_PROTOINFO_SCTP | NLA_F_NESTED, s -> s
                    .attrBe16(CTA_PROTOINFO_SCTP_VTAG_REPLY, 42))).bytes(),
                ERR_NOT_U32, 28),

            Arguments.of("CTA_HELP_NAME without NUL",
                updated(AF_INET)
                    .nest(CTA_HELP | NLA_F_NESTED, h -> h.attr(CTA_HELP_NAME, "ftp!".getBytes(StandardCharsets.US_ASCII)))
                    .bytes(),
                ERR_NOT_NUL_STRING, 24),

            Arguments.of("CTA_SEQADJ_OFFSET_AFTER of 1 byte",
                // a be32 needs 8
                updated(AF_INET).nest(CTA_SEQ_ADJ_REPLY | NLA_F_NESTED, s -> s.attrU8(CTA_SEQADJ_OFFSET_AFTER, 4)).bytes(),
                ERR_NOT_U32, 24),

            Arguments.of("CTA_NAT_V4_MINIP of 5 bytes inside CTA_NAT_DST",
                updated(AF_INET).nest(CTA_NAT_DST | NLA_F_NESTED, n -> n.attr(CTA_NAT_V4_MINIP, 10, 77, 0, 2, 0)).bytes(),
                ERR_IPV4_LENGTH, 24),

            Arguments.of("good tuple, then a bad CTA_STATUS: no half object",
                created(AF_INET)
                    .nest(CTA_TUPLE_ORIG | NLA_F_NESTED, ip(a -> a
                        .attr(CTA_IP_V4_SRC, 10, 77, 0, 1)
                        .attr(CTA_IP_V4_DST, 10, 77, 0, 2)))
                    .attrU8(CTA_STATUS, 8) // 1 byte
                    .bytes(),
                ERR_NOT_U32, 44),

            Arguments.of("ok: header and nfgenmsg, no attributes",
                destroyed(AF_INET).bytes(),
                OK, -1),

            Arguments.of("ok: unknown attributes skipped at any depth, last attribute unpadded",
                updated(AF_INET)
                    .attr(0x3fff, 1, 2, 3)                                  // unknown, any size
                    .nest(CTA_TUPLE_ORIG | NLA_F_NESTED, t -> t
                        .attrBe32(9, 0xdeadbeefL))                          // type 9: not a tuple attribute (yet)
                    .attrHeader(5, 31).raw(0x2a)                            // unknown, the last, ends the message unpadded
                    .bytes(),
                OK, -1),

            Arguments.of("ok: empty nests, CTA_LABELS of any size",
                updated(AF_INET)
                    .nest(CTA_TUPLE_ORIG | NLA_F_NESTED, t ->
                    {})
                    .nest(CTA_PROTOINFO | NLA_F_NESTED, i ->
                    {})
                    .attr(CTA_LABELS, 0x21, 0x00, 0x80) // 3 bytes, a bitmap
                    .bytes(),
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
        assertEquals(7, ct.seq());
        assertEquals(12345, ct.portId());
        assertEquals(CtProtoInfo.SCTP_CONNTRACK_ESTABLISHED, ct.sctpState());
        assertEquals("ESTABLISHED", CtProtoInfo.sctpStateName(ct.sctpState()));
        assertEquals(CtProtoInfo.CT_DCCP_OPEN, ct.dccpState());
        assertEquals(-1, ct.tcpState());
        assertEquals("ftp", ct.helperName());
        assertTrue(ct.hasSeqAdj(IP_CT_DIR_ORIGINAL));
        assertFalse(ct.hasSeqAdj(IP_CT_DIR_REPLY));
        assertTrue(ct.hasTimestamp());
        assertEquals(0x18ec10fa6fc8140fL, ct.timestampStart());
        assertEquals(-1, ct.timestampStop(), "a stop of 0 is no stop");
        assertFalse(ct.orig().present());
        assertFalse(ct.hasStatus());
    }
}
