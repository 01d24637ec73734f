package io.nlstream.netlink.conntrack;

/**
 * Constants from {@code linux/netfilter/nfnetlink_conntrack.h} (ctnetlink message types and every
 * {@code CTA_*} attribute, nested ones included) and the directions of
 * {@code linux/netfilter/nf_conntrack_tuple_common.h}, named as the kernel names them.
 * <p>
 * Byte order: ctnetlink puts its numbers in network order (ports, status, mark, id, timeout, use,
 * zone, counters, timestamps, sequence adjustments), unlike rtnetlink. Addresses are in network
 * order as everywhere.
 */
public final class Ctnetlink
{
    // enum cntl_msg_types: the low byte of nlmsg_type under NFNL_SUBSYS_CTNETLINK
    public static final int IPCTNL_MSG_CT_NEW = 0;
    public static final int IPCTNL_MSG_CT_GET = 1;
    public static final int IPCTNL_MSG_CT_DELETE = 2;
    public static final int IPCTNL_MSG_CT_GET_CTRZERO = 3;
    public static final int IPCTNL_MSG_CT_GET_STATS_CPU = 4;
    public static final int IPCTNL_MSG_CT_GET_STATS = 5;
    public static final int IPCTNL_MSG_CT_GET_DYING = 6;
    public static final int IPCTNL_MSG_CT_GET_UNCONFIRMED = 7;

    // enum ctnl_exp_msg_types, under NFNL_SUBSYS_CTNETLINK_EXP
    public static final int IPCTNL_MSG_EXP_NEW = 0;
    public static final int IPCTNL_MSG_EXP_GET = 1;
    public static final int IPCTNL_MSG_EXP_DELETE = 2;
    public static final int IPCTNL_MSG_EXP_GET_STATS_CPU = 3;

    // enum ctattr_type: top-level attributes after struct nfgenmsg
    public static final int CTA_UNSPEC = 0;
    public static final int CTA_TUPLE_ORIG = 1;
    public static final int CTA_TUPLE_REPLY = 2;
    public static final int CTA_STATUS = 3;
    public static final int CTA_PROTOINFO = 4;
    public static final int CTA_HELP = 5;
    public static final int CTA_NAT_SRC = 6;
    public static final int CTA_NAT = CTA_NAT_SRC;
    public static final int CTA_TIMEOUT = 7;
    public static final int CTA_MARK = 8;
    public static final int CTA_COUNTERS_ORIG = 9;
    public static final int CTA_COUNTERS_REPLY = 10;
    public static final int CTA_USE = 11;
    public static final int CTA_ID = 12;
    public static final int CTA_NAT_DST = 13;
    public static final int CTA_TUPLE_MASTER = 14;
    public static final int CTA_SEQ_ADJ_ORIG = 15;
    public static final int CTA_NAT_SEQ_ADJ_ORIG = CTA_SEQ_ADJ_ORIG;
    public static final int CTA_SEQ_ADJ_REPLY = 16;
    public static final int CTA_NAT_SEQ_ADJ_REPLY = CTA_SEQ_ADJ_REPLY;
    /** Obsolete. */
    public static final int CTA_SECMARK = 17;
    public static final int CTA_ZONE = 18;
    public static final int CTA_SECCTX = 19;
    public static final int CTA_TIMESTAMP = 20;
    public static final int CTA_MARK_MASK = 21;
    /** The connlabel bitmap, {@code sizeof(struct nf_conn_labels.bits)} (16) bytes in host order. */
    public static final int CTA_LABELS = 22;
    public static final int CTA_LABELS_MASK = 23;
    public static final int CTA_SYNPROXY = 24;
    public static final int CTA_FILTER = 25;
    public static final int CTA_STATUS_MASK = 26;
    /** be64 ns (CLOCK_REALTIME) when the event was generated; Linux 6.14 and later, with nf_conntrack_timestamp. */
    public static final int CTA_TIMESTAMP_EVENT = 27;

    // enum ctattr_tuple, inside CTA_TUPLE_ORIG / _REPLY / _MASTER
    public static final int CTA_TUPLE_UNSPEC = 0;
    public static final int CTA_TUPLE_IP = 1;
    public static final int CTA_TUPLE_PROTO = 2;
    public static final int CTA_TUPLE_ZONE = 3;

    // enum ctattr_ip, inside CTA_TUPLE_IP
    public static final int CTA_IP_UNSPEC = 0;
    public static final int CTA_IP_V4_SRC = 1;
    public static final int CTA_IP_V4_DST = 2;
    public static final int CTA_IP_V6_SRC = 3;
    public static final int CTA_IP_V6_DST = 4;

    // enum ctattr_l4proto, inside CTA_TUPLE_PROTO
    public static final int CTA_PROTO_UNSPEC = 0;
    public static final int CTA_PROTO_NUM = 1;
    public static final int CTA_PROTO_SRC_PORT = 2;
    public static final int CTA_PROTO_DST_PORT = 3;
    public static final int CTA_PROTO_ICMP_ID = 4;
    public static final int CTA_PROTO_ICMP_TYPE = 5;
    public static final int CTA_PROTO_ICMP_CODE = 6;
    public static final int CTA_PROTO_ICMPV6_ID = 7;
    public static final int CTA_PROTO_ICMPV6_TYPE = 8;
    public static final int CTA_PROTO_ICMPV6_CODE = 9;

    // enum ctattr_protoinfo, inside CTA_PROTOINFO
    public static final int CTA_PROTOINFO_UNSPEC = 0;
    public static final int CTA_PROTOINFO_TCP = 1;
    public static final int CTA_PROTOINFO_DCCP = 2;
    public static final int CTA_PROTOINFO_SCTP = 3;

    // enum ctattr_protoinfo_tcp
    public static final int CTA_PROTOINFO_TCP_UNSPEC = 0;
    public static final int CTA_PROTOINFO_TCP_STATE = 1;
    public static final int CTA_PROTOINFO_TCP_WSCALE_ORIGINAL = 2;
    public static final int CTA_PROTOINFO_TCP_WSCALE_REPLY = 3;
    /** struct nf_ct_tcp_flags: u8 flags, u8 mask ({@code IP_CT_TCP_FLAG_*}). */
    public static final int CTA_PROTOINFO_TCP_FLAGS_ORIGINAL = 4;
    public static final int CTA_PROTOINFO_TCP_FLAGS_REPLY = 5;
    public static final int NF_CT_TCP_FLAGS_LEN = 2;

    // enum ctattr_protoinfo_dccp
    public static final int CTA_PROTOINFO_DCCP_UNSPEC = 0;
    public static final int CTA_PROTOINFO_DCCP_STATE = 1;
    public static final int CTA_PROTOINFO_DCCP_ROLE = 2;
    public static final int CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ = 3;
    public static final int CTA_PROTOINFO_DCCP_PAD = 4;

    // enum ctattr_protoinfo_sctp
    public static final int CTA_PROTOINFO_SCTP_UNSPEC = 0;
    public static final int CTA_PROTOINFO_SCTP_STATE = 1;
    public static final int CTA_PROTOINFO_SCTP_VTAG_ORIGINAL = 2;
    public static final int CTA_PROTOINFO_SCTP_VTAG_REPLY = 3;

    // enum ctattr_counters, inside CTA_COUNTERS_ORIG / _REPLY
    public static final int CTA_COUNTERS_UNSPEC = 0;
    public static final int CTA_COUNTERS_PACKETS = 1;
    public static final int CTA_COUNTERS_BYTES = 2;
    /** Old 32-bit counters, unused by the kernel since 2.6.x. */
    public static final int CTA_COUNTERS32_PACKETS = 3;
    public static final int CTA_COUNTERS32_BYTES = 4;
    public static final int CTA_COUNTERS_PAD = 5;

    // enum ctattr_tstamp, inside CTA_TIMESTAMP: be64 ns, CLOCK_REALTIME
    public static final int CTA_TIMESTAMP_UNSPEC = 0;
    public static final int CTA_TIMESTAMP_START = 1;
    public static final int CTA_TIMESTAMP_STOP = 2;
    public static final int CTA_TIMESTAMP_PAD = 3;

    // enum ctattr_nat, inside CTA_NAT_SRC / CTA_NAT_DST (requests; not in the kernel's events)
    public static final int CTA_NAT_UNSPEC = 0;
    public static final int CTA_NAT_V4_MINIP = 1;
    public static final int CTA_NAT_MINIP = CTA_NAT_V4_MINIP;
    public static final int CTA_NAT_V4_MAXIP = 2;
    public static final int CTA_NAT_MAXIP = CTA_NAT_V4_MAXIP;
    public static final int CTA_NAT_PROTO = 3;
    public static final int CTA_NAT_V6_MINIP = 4;
    public static final int CTA_NAT_V6_MAXIP = 5;

    // enum ctattr_protonat, inside CTA_NAT_PROTO
    public static final int CTA_PROTONAT_UNSPEC = 0;
    public static final int CTA_PROTONAT_PORT_MIN = 1;
    public static final int CTA_PROTONAT_PORT_MAX = 2;

    // enum ctattr_seqadj, inside CTA_SEQ_ADJ_ORIG / _REPLY: be32 each
    public static final int CTA_SEQADJ_UNSPEC = 0;
    public static final int CTA_SEQADJ_CORRECTION_POS = 1;
    public static final int CTA_SEQADJ_OFFSET_BEFORE = 2;
    public static final int CTA_SEQADJ_OFFSET_AFTER = 3;

    // enum ctattr_natseq, the older names of the same
    public static final int CTA_NAT_SEQ_UNSPEC = 0;
    public static final int CTA_NAT_SEQ_CORRECTION_POS = 1;
    public static final int CTA_NAT_SEQ_OFFSET_BEFORE = 2;
    public static final int CTA_NAT_SEQ_OFFSET_AFTER = 3;

    // enum ctattr_synproxy, inside CTA_SYNPROXY: be32 each
    public static final int CTA_SYNPROXY_UNSPEC = 0;
    public static final int CTA_SYNPROXY_ISN = 1;
    public static final int CTA_SYNPROXY_ITS = 2;
    public static final int CTA_SYNPROXY_TSOFF = 3;

    // enum ctattr_expect, attributes of NFNL_SUBSYS_CTNETLINK_EXP messages
    public static final int CTA_EXPECT_UNSPEC = 0;
    public static final int CTA_EXPECT_MASTER = 1;
    public static final int CTA_EXPECT_TUPLE = 2;
    public static final int CTA_EXPECT_MASK = 3;
    public static final int CTA_EXPECT_TIMEOUT = 4;
    public static final int CTA_EXPECT_ID = 5;
    public static final int CTA_EXPECT_HELP_NAME = 6;
    public static final int CTA_EXPECT_ZONE = 7;
    public static final int CTA_EXPECT_FLAGS = 8;
    public static final int CTA_EXPECT_CLASS = 9;
    public static final int CTA_EXPECT_NAT = 10;
    public static final int CTA_EXPECT_FN = 11;

    // enum ctattr_help, inside CTA_HELP
    public static final int CTA_HELP_UNSPEC = 0;
    public static final int CTA_HELP_NAME = 1;
    public static final int CTA_HELP_INFO = 2;

    // enum ctattr_secctx, inside CTA_SECCTX
    public static final int CTA_SECCTX_UNSPEC = 0;
    public static final int CTA_SECCTX_NAME = 1;

    // enum ctattr_filter, inside CTA_FILTER (dump requests)
    public static final int CTA_FILTER_UNSPEC = 0;
    public static final int CTA_FILTER_ORIG_FLAGS = 1;
    public static final int CTA_FILTER_REPLY_FLAGS = 2;

    // enum ip_conntrack_dir, nf_conntrack_tuple_common.h: the index of the tuple and counters getters
    public static final int IP_CT_DIR_ORIGINAL = 0;
    public static final int IP_CT_DIR_REPLY = 1;

    private Ctnetlink()
    {
    }
}
