package io.nlstream.netlink.diag;

/**
 * Constants from {@code linux/inet_diag.h} (request and reply layouts, {@code INET_DIAG_*}
 * attributes), the TCP states of {@code include/net/tcp_states.h}, the offsets in {@code struct
 * tcp_info} of {@code linux/tcp.h}, and the address families and IP protocol numbers a request
 * names ({@code linux/socket.h}, {@code linux/in.h}).
 */
public final class InetDiag
{
    // address families, linux/socket.h
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    // IPPROTO_*, linux/in.h
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_UDPLITE = 136;
    public static final int IPPROTO_SCTP = 132;
    public static final int IPPROTO_MPTCP = 262;

    /**
     * struct inet_diag_sockid (48 bytes): be16 sport, be16 dport, be32 src[4], be32 dst[4], u32 if,
     * u32 cookie[2]. An IPv4 socket uses the first 4 bytes of src and dst.
     */
    public static final int INET_DIAG_SOCKID_LEN = 48;
    public static final int ID_SPORT_OFFSET = 0;
    public static final int ID_DPORT_OFFSET = 2;
    public static final int ID_SRC_OFFSET = 4;
    public static final int ID_DST_OFFSET = 20;
    public static final int ID_IF_OFFSET = 36;
    public static final int ID_COOKIE_OFFSET = 40;
    /** idiag_cookie[0] and [1] of a request that matches any cookie. */
    public static final int INET_DIAG_NOCOOKIE = 0xFFFFFFFF;

    /**
     * struct inet_diag_req_v2 (56 bytes): u8 sdiag_family, u8 sdiag_protocol, u8 idiag_ext, u8 pad,
     * u32 idiag_states, struct inet_diag_sockid id.
     */
    public static final int INET_DIAG_REQ_V2_LEN = 56;
    public static final int REQ_FAMILY_OFFSET = 0;
    public static final int REQ_PROTOCOL_OFFSET = 1;
    public static final int REQ_EXT_OFFSET = 2;
    public static final int REQ_PAD_OFFSET = 3;
    public static final int REQ_STATES_OFFSET = 4;
    public static final int REQ_ID_OFFSET = 8;

    /**
     * struct inet_diag_msg (72 bytes): u8 family, state, timer, retrans, struct inet_diag_sockid id,
     * u32 expires, rqueue, wqueue, uid, inode.
     */
    public static final int INET_DIAG_MSG_LEN = 72;
    public static final int MSG_FAMILY_OFFSET = 0;
    public static final int MSG_STATE_OFFSET = 1;
    public static final int MSG_TIMER_OFFSET = 2;
    public static final int MSG_RETRANS_OFFSET = 3;
    public static final int MSG_ID_OFFSET = 4;
    public static final int MSG_EXPIRES_OFFSET = 52;
    public static final int MSG_RQUEUE_OFFSET = 56;
    public static final int MSG_WQUEUE_OFFSET = 60;
    public static final int MSG_UID_OFFSET = 64;
    public static final int MSG_INODE_OFFSET = 68;

    // request attributes, after struct inet_diag_req_v2
    public static final int INET_DIAG_REQ_NONE = 0;
    public static final int INET_DIAG_REQ_BYTECODE = 1;
    public static final int INET_DIAG_REQ_SK_BPF_STORAGES = 2;
    public static final int INET_DIAG_REQ_PROTOCOL = 3;

    // reply attributes, after struct inet_diag_msg
    public static final int INET_DIAG_NONE = 0;
    public static final int INET_DIAG_MEMINFO = 1;
    /** struct tcp_info for TCP (sctp_info, mptcp_info for those protocols); grows with the kernel. */
    public static final int INET_DIAG_INFO = 2;
    public static final int INET_DIAG_VEGASINFO = 3;
    public static final int INET_DIAG_CONG = 4;
    public static final int INET_DIAG_TOS = 5;
    public static final int INET_DIAG_TCLASS = 6;
    public static final int INET_DIAG_SKMEMINFO = 7;
    public static final int INET_DIAG_SHUTDOWN = 8;
    // the ones below cannot be requested through the 8 bits of idiag_ext
    public static final int INET_DIAG_DCTCPINFO = 9;
    public static final int INET_DIAG_PROTOCOL = 10;
    public static final int INET_DIAG_SKV6ONLY = 11;
    public static final int INET_DIAG_LOCALS = 12;
    public static final int INET_DIAG_PEERS = 13;
    public static final int INET_DIAG_PAD = 14;
    public static final int INET_DIAG_MARK = 15;
    public static final int INET_DIAG_BBRINFO = 16;
    public static final int INET_DIAG_CLASS_ID = 17;
    public static final int INET_DIAG_MD5SIG = 18;
    public static final int INET_DIAG_ULP_INFO = 19;
    public static final int INET_DIAG_SK_BPF_STORAGES = 20;
    public static final int INET_DIAG_CGROUP_ID = 21;
    public static final int INET_DIAG_SOCKOPT = 22;

    /** struct inet_diag_meminfo: u32 rmem, wmem, fmem, tmem. */
    public static final int INET_DIAG_MEMINFO_LEN = 16;
    /** struct inet_diag_sockopt: two bytes of bit fields. */
    public static final int INET_DIAG_SOCKOPT_LEN = 2;

    // idiag_ext bits: attribute x is asked for with 1 << (x - 1)
    public static final int INET_DIAG_EXT_MEMINFO = 1 << (INET_DIAG_MEMINFO - 1);
    public static final int INET_DIAG_EXT_INFO = 1 << (INET_DIAG_INFO - 1);
    /** Also brings INET_DIAG_DCTCPINFO or INET_DIAG_BBRINFO, per congestion control. */
    public static final int INET_DIAG_EXT_VEGASINFO = 1 << (INET_DIAG_VEGASINFO - 1);
    public static final int INET_DIAG_EXT_CONG = 1 << (INET_DIAG_CONG - 1);
    public static final int INET_DIAG_EXT_TOS = 1 << (INET_DIAG_TOS - 1);
    /** Also brings INET_DIAG_CLASS_ID. */
    public static final int INET_DIAG_EXT_TCLASS = 1 << (INET_DIAG_TCLASS - 1);
    public static final int INET_DIAG_EXT_SKMEMINFO = 1 << (INET_DIAG_SKMEMINFO - 1);
    public static final int INET_DIAG_EXT_SHUTDOWN = 1 << (INET_DIAG_SHUTDOWN - 1);

    // TCP states, include/net/tcp_states.h (UDP sockets report TCP_CLOSE, or TCP_ESTABLISHED when connected)
    public static final int TCP_ESTABLISHED = 1;
    public static final int TCP_SYN_SENT = 2;
    public static final int TCP_SYN_RECV = 3;
    public static final int TCP_FIN_WAIT1 = 4;
    public static final int TCP_FIN_WAIT2 = 5;
    public static final int TCP_TIME_WAIT = 6;
    public static final int TCP_CLOSE = 7;
    public static final int TCP_CLOSE_WAIT = 8;
    public static final int TCP_LAST_ACK = 9;
    public static final int TCP_LISTEN = 10;
    public static final int TCP_CLOSING = 11;
    public static final int TCP_NEW_SYN_RECV = 12;
    public static final int TCP_BOUND_INACTIVE = 13;
    /** idiag_states for every state. */
    public static final int ALL_STATES = 0xFFFFFFFF;

    // struct tcp_info, linux/tcp.h; the kernel sends as much as it knows, older kernels less
    public static final int TCPI_STATE_OFFSET = 0;
    public static final int TCPI_CA_STATE_OFFSET = 1;
    public static final int TCPI_RETRANSMITS_OFFSET = 2;
    public static final int TCPI_PROBES_OFFSET = 3;
    public static final int TCPI_BACKOFF_OFFSET = 4;
    public static final int TCPI_OPTIONS_OFFSET = 5;
    public static final int TCPI_RTO_OFFSET = 8;
    public static final int TCPI_ATO_OFFSET = 12;
    public static final int TCPI_SND_MSS_OFFSET = 16;
    public static final int TCPI_RCV_MSS_OFFSET = 20;
    public static final int TCPI_UNACKED_OFFSET = 24;
    public static final int TCPI_SACKED_OFFSET = 28;
    public static final int TCPI_LOST_OFFSET = 32;
    public static final int TCPI_RETRANS_OFFSET = 36;
    public static final int TCPI_PMTU_OFFSET = 60;
    public static final int TCPI_RCV_SSTHRESH_OFFSET = 64;
    public static final int TCPI_RTT_OFFSET = 68;
    public static final int TCPI_RTTVAR_OFFSET = 72;
    public static final int TCPI_SND_SSTHRESH_OFFSET = 76;
    public static final int TCPI_SND_CWND_OFFSET = 80;
    public static final int TCPI_ADVMSS_OFFSET = 84;
    public static final int TCPI_TOTAL_RETRANS_OFFSET = 100;
    public static final int TCPI_PACING_RATE_OFFSET = 104;
    public static final int TCPI_BYTES_ACKED_OFFSET = 120;
    public static final int TCPI_BYTES_RECEIVED_OFFSET = 128;
    public static final int TCPI_SEGS_OUT_OFFSET = 136;
    public static final int TCPI_SEGS_IN_OFFSET = 140;
    public static final int TCPI_MIN_RTT_OFFSET = 148;
    public static final int TCPI_DELIVERY_RATE_OFFSET = 160;
    public static final int TCPI_BYTES_SENT_OFFSET = 200;
    public static final int TCPI_BYTES_RETRANS_OFFSET = 208;
    public static final int TCPI_SND_WND_OFFSET = 228;

    private InetDiag()
    {
    }
}
