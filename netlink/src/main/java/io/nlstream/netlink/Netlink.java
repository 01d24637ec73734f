package io.nlstream.netlink;

/**
 * Constants from {@code linux/netlink.h}, named as the kernel names them.
 */
public final class Netlink
{
    // protocols
    /** The socket address family of netlink (struct sockaddr_nl). */
    public static final int AF_NETLINK = 16;
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_SOCK_DIAG = 4;
    public static final int NETLINK_NETFILTER = 12;

    // struct nlmsghdr: u32 len, u16 type, u16 flags, u32 seq, u32 pid
    public static final int NLMSG_ALIGNTO = 4;
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_LENGTH_OFFSET = 0;
    public static final int NLMSG_TYPE_OFFSET = 4;
    public static final int NLMSG_FLAGS_OFFSET = 6;
    public static final int NLMSG_SEQ_OFFSET = 8;
    public static final int NLMSG_PID_OFFSET = 12;

    // control message types
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    public static final int NLMSG_MIN_TYPE = 0x10;

    // nlmsg_flags
    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ECHO = 0x08;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP_FILTERED = 0x20;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    // modifiers of NEW requests, the same bits as ROOT / MATCH / ATOMIC; ctnetlink also sets
    // NLM_F_CREATE | NLM_F_EXCL on the event for a new conntrack entry
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;

    // socket options (level SOL_NETLINK)
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_DROP_MEMBERSHIP = 2;
    public static final int NETLINK_PKTINFO = 3;
    public static final int NETLINK_BROADCAST_ERROR = 4;
    public static final int NETLINK_NO_ENOBUFS = 5;
    public static final int NETLINK_LISTEN_ALL_NSID = 8;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int NETLINK_GET_STRICT_CHK = 12;

    // struct nlattr: u16 len, u16 type
    public static final int NLA_ALIGNTO = 4;
    public static final int NLA_HDRLEN = 4;
    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xFFFF;

    private Netlink()
    {
    }

    public static int nlmsgAlign(final int length)
    {
        return (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
    }

    public static int nlaAlign(final int length)
    {
        return (length + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1);
    }
}
