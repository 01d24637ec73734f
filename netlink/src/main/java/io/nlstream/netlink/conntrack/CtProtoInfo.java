package io.nlstream.netlink.conntrack;

/**
 * The per-protocol states of CTA_PROTOINFO and their names as conntrack-tools prints them: TCP
 * ({@code enum tcp_conntrack} and the {@code IP_CT_TCP_FLAG_*} bits, {@code linux/netfilter/nf_conntrack_tcp.h}),
 * SCTP ({@code enum sctp_conntrack}, {@code linux/netfilter/nf_conntrack_sctp.h}) and DCCP
 * ({@code enum ct_dccp_states}, the kernel's own {@code include/linux/netfilter/nf_conntrack_dccp.h}; recent
 * kernels dropped DCCP tracking, journals from older ones may still hold it).
 */
public final class CtProtoInfo
{
    public static final int TCP_CONNTRACK_NONE = 0;
    public static final int TCP_CONNTRACK_SYN_SENT = 1;
    public static final int TCP_CONNTRACK_SYN_RECV = 2;
    public static final int TCP_CONNTRACK_ESTABLISHED = 3;
    public static final int TCP_CONNTRACK_FIN_WAIT = 4;
    public static final int TCP_CONNTRACK_CLOSE_WAIT = 5;
    public static final int TCP_CONNTRACK_LAST_ACK = 6;
    public static final int TCP_CONNTRACK_TIME_WAIT = 7;
    public static final int TCP_CONNTRACK_CLOSE = 8;
    /** Obsolete name of {@link #TCP_CONNTRACK_SYN_SENT2}. */
    public static final int TCP_CONNTRACK_LISTEN = 9;
    /** Simultaneous open: a SYN seen in the reply direction after one in the original. */
    public static final int TCP_CONNTRACK_SYN_SENT2 = TCP_CONNTRACK_LISTEN;

    // struct nf_ct_tcp_flags.flags
    public static final int IP_CT_TCP_FLAG_WINDOW_SCALE = 0x01;
    public static final int IP_CT_TCP_FLAG_SACK_PERM = 0x02;
    public static final int IP_CT_TCP_FLAG_CLOSE_INIT = 0x04;
    public static final int IP_CT_TCP_FLAG_BE_LIBERAL = 0x08;
    public static final int IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED = 0x10;
    public static final int IP_CT_TCP_FLAG_MAXACK_SET = 0x20;
    public static final int IP_CT_EXP_CHALLENGE_ACK = 0x40;
    public static final int IP_CT_TCP_SIMULTANEOUS_OPEN = 0x80;

    public static final int SCTP_CONNTRACK_NONE = 0;
    public static final int SCTP_CONNTRACK_CLOSED = 1;
    public static final int SCTP_CONNTRACK_COOKIE_WAIT = 2;
    public static final int SCTP_CONNTRACK_COOKIE_ECHOED = 3;
    public static final int SCTP_CONNTRACK_ESTABLISHED = 4;
    public static final int SCTP_CONNTRACK_SHUTDOWN_SENT = 5;
    public static final int SCTP_CONNTRACK_SHUTDOWN_RECD = 6;
    public static final int SCTP_CONNTRACK_SHUTDOWN_ACK_SENT = 7;
    public static final int SCTP_CONNTRACK_HEARTBEAT_SENT = 8;
    /** No longer used by the kernel. */
    public static final int SCTP_CONNTRACK_HEARTBEAT_ACKED = 9;

    public static final int CT_DCCP_NONE = 0;
    public static final int CT_DCCP_REQUEST = 1;
    public static final int CT_DCCP_RESPOND = 2;
    public static final int CT_DCCP_PARTOPEN = 3;
    public static final int CT_DCCP_OPEN = 4;
    public static final int CT_DCCP_CLOSEREQ = 5;
    public static final int CT_DCCP_CLOSING = 6;
    public static final int CT_DCCP_TIMEWAIT = 7;
    public static final int CT_DCCP_IGNORE = 8;
    public static final int CT_DCCP_INVALID = 9;

    private static final String[] TCP = {
        "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE",
        "SYN_SENT2",
    };
    private static final String[] SCTP = {
        "NONE", "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED", "SHUTDOWN_SENT", "SHUTDOWN_RECD",
        "SHUTDOWN_ACK_SENT", "HEARTBEAT_SENT", "HEARTBEAT_ACKED",
    };
    private static final String[] DCCP = {
        "NONE", "REQUEST", "RESPOND", "PARTOPEN", "OPEN", "CLOSEREQ", "CLOSING", "TIMEWAIT", "IGNORE", "INVALID",
    };

    private CtProtoInfo()
    {
    }

    /**
     * @return the TCP state's name, or the number in decimal for one this code does not know.
     */
    public static String tcpStateName(final int state)
    {
        return name(TCP, state);
    }

    public static String sctpStateName(final int state)
    {
        return name(SCTP, state);
    }

    public static String dccpStateName(final int state)
    {
        return name(DCCP, state);
    }

    private static String name(final String[] names, final int state)
    {
        return state >= 0 && state < names.length ? names[state] : Integer.toString(state);
    }
}
