package io.nlstream.netlink.conntrack;

import io.nlstream.netlink.AttributePolicy;
import io.nlstream.netlink.Walked;

import static io.nlstream.netlink.conntrack.Ctnetlink.*;

/**
 * The CTA_* attributes of a ctnetlink conntrack message, one policy per nesting level: the kernel's
 * {@code ct_nla_policy} and friends in nf_conntrack_netlink.c. {@link CtDecoder} reads them through the walks
 * generated from these (CtWalk): {@link #TOP} for a whole message, {@link #TUPLES} for the two tuples alone.
 * Adding an attribute is a rule here and a getter there.
 */
@Walked
final class CtPolicies
{
    static final String ERR_IPV4_LENGTH = "IPv4 address attribute is not 4 bytes";
    static final String ERR_IPV6_LENGTH = "IPv6 address attribute is not 16 bytes";
    static final String ERR_TCP_FLAGS_LENGTH =
        "CTA_PROTOINFO_TCP_FLAGS_* payload is not struct nf_ct_tcp_flags (2 bytes)";

    static final AttributePolicy TUPLE_IP = AttributePolicy.level("CTA_TUPLE_IP")
        .exact(CTA_IP_V4_SRC, 4, ERR_IPV4_LENGTH)
        .exact(CTA_IP_V4_DST, 4, ERR_IPV4_LENGTH)
        .exact(CTA_IP_V6_SRC, 16, ERR_IPV6_LENGTH)
        .exact(CTA_IP_V6_DST, 16, ERR_IPV6_LENGTH)
        .build();
    static final AttributePolicy TUPLE_PROTO = AttributePolicy.level("CTA_TUPLE_PROTO")
        .u8(CTA_PROTO_NUM, CTA_PROTO_ICMP_TYPE, CTA_PROTO_ICMP_CODE, CTA_PROTO_ICMPV6_TYPE, CTA_PROTO_ICMPV6_CODE)
        .be16(CTA_PROTO_SRC_PORT, CTA_PROTO_DST_PORT, CTA_PROTO_ICMP_ID, CTA_PROTO_ICMPV6_ID)
        .build();
    static final AttributePolicy TUPLE = AttributePolicy.level("CTA_TUPLE_*")
        .nested(TUPLE_IP, CTA_TUPLE_IP)
        .nested(TUPLE_PROTO, CTA_TUPLE_PROTO)
        .be16(CTA_TUPLE_ZONE)
        .build();
    static final AttributePolicy TCP = AttributePolicy.level("CTA_PROTOINFO_TCP")
        .u8(CTA_PROTOINFO_TCP_STATE, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, CTA_PROTOINFO_TCP_WSCALE_REPLY)
        .exact(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, NF_CT_TCP_FLAGS_LEN, ERR_TCP_FLAGS_LENGTH)
        .exact(CTA_PROTOINFO_TCP_FLAGS_REPLY, NF_CT_TCP_FLAGS_LEN, ERR_TCP_FLAGS_LENGTH)
        .build();
    static final AttributePolicy SCTP = AttributePolicy.level("CTA_PROTOINFO_SCTP")
        .u8(CTA_PROTOINFO_SCTP_STATE)
        .be32(CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, CTA_PROTOINFO_SCTP_VTAG_REPLY)
        .build();
    static final AttributePolicy DCCP = AttributePolicy.level("CTA_PROTOINFO_DCCP")
        .u8(CTA_PROTOINFO_DCCP_STATE, CTA_PROTOINFO_DCCP_ROLE)
        .u64(CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ)
        .build();
    static final AttributePolicy PROTOINFO = AttributePolicy.level("CTA_PROTOINFO")
        .nested(TCP, CTA_PROTOINFO_TCP)
        .nested(SCTP, CTA_PROTOINFO_SCTP)
        .nested(DCCP, CTA_PROTOINFO_DCCP)
        .build();
    static final AttributePolicy COUNTERS = AttributePolicy.level("CTA_COUNTERS_*")
        .u64(CTA_COUNTERS_PACKETS, CTA_COUNTERS_BYTES)
        // not sent by any kernel this code meets; checked, not read
        .u32(CTA_COUNTERS32_PACKETS, CTA_COUNTERS32_BYTES)
        .build();
    static final AttributePolicy TIMESTAMP = AttributePolicy.level("CTA_TIMESTAMP")
        .u64(CTA_TIMESTAMP_START, CTA_TIMESTAMP_STOP)
        .build();
    static final AttributePolicy SEQ_ADJ = AttributePolicy.level("CTA_SEQ_ADJ_*")
        .be32(CTA_SEQADJ_CORRECTION_POS, CTA_SEQADJ_OFFSET_BEFORE, CTA_SEQADJ_OFFSET_AFTER)
        .build();
    // CTA_HELP_INFO is the helper's own binary, any size
    static final AttributePolicy HELP = AttributePolicy.level("CTA_HELP").nulString(CTA_HELP_NAME).build();
    static final AttributePolicy SECCTX = AttributePolicy.level("CTA_SECCTX").nulString(CTA_SECCTX_NAME).build();
    static final AttributePolicy NAT_PROTO = AttributePolicy.level("CTA_NAT_PROTO")
        .be16(CTA_PROTONAT_PORT_MIN, CTA_PROTONAT_PORT_MAX)
        .build();
    static final AttributePolicy NAT = AttributePolicy.level("CTA_NAT_*")
        .exact(CTA_NAT_V4_MINIP, 4, ERR_IPV4_LENGTH)
        .exact(CTA_NAT_V4_MAXIP, 4, ERR_IPV4_LENGTH)
        .exact(CTA_NAT_V6_MINIP, 16, ERR_IPV6_LENGTH)
        .exact(CTA_NAT_V6_MAXIP, 16, ERR_IPV6_LENGTH)
        .nested(NAT_PROTO, CTA_NAT_PROTO)
        .build();
    static final AttributePolicy SYNPROXY = AttributePolicy.level("CTA_SYNPROXY")
        .be32(CTA_SYNPROXY_ISN, CTA_SYNPROXY_ITS, CTA_SYNPROXY_TSOFF)
        .build();
    static final AttributePolicy FILTER = AttributePolicy.level("CTA_FILTER")
        .be32(CTA_FILTER_ORIG_FLAGS, CTA_FILTER_REPLY_FLAGS)
        .build();
    static final AttributePolicy TOP = AttributePolicy.level("CTA_*")
        .nested(TUPLE, CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_TUPLE_MASTER)
        .be32(CTA_STATUS, CTA_TIMEOUT, CTA_MARK, CTA_USE, CTA_ID, CTA_SECMARK)
        // request-only: checked, not kept
        .be32(CTA_MARK_MASK, CTA_STATUS_MASK)
        .be16(CTA_ZONE)
        .u64(CTA_TIMESTAMP_EVENT)
        // a bitmap whose size is the kernel's business (16 bytes today)
        .any(CTA_LABELS)
        .nested(PROTOINFO, CTA_PROTOINFO)
        .nested(COUNTERS, CTA_COUNTERS_ORIG, CTA_COUNTERS_REPLY)
        .nested(TIMESTAMP, CTA_TIMESTAMP)
        .nested(HELP, CTA_HELP)
        // present or not is all a reader asks of these
        .checked(SEQ_ADJ, CTA_SEQ_ADJ_ORIG, CTA_SEQ_ADJ_REPLY)
        .checked(SECCTX, CTA_SECCTX)
        // requests: their contents checked, not read
        .checked(NAT, CTA_NAT_SRC, CTA_NAT_DST)
        .checked(SYNPROXY, CTA_SYNPROXY)
        .checked(FILTER, CTA_FILTER)
        .build();

    /** The original and reply tuples alone: what {@link CtDecoder#wrapTuples} reads, up to the end of both. */
    static final AttributePolicy TUPLES = AttributePolicy.level("CTA_TUPLE_ORIG, CTA_TUPLE_REPLY")
        .nested(TUPLE, CTA_TUPLE_ORIG, CTA_TUPLE_REPLY)
        .build();

    private CtPolicies()
    {
    }
}
