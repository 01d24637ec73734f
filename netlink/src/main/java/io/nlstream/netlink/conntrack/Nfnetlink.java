package io.nlstream.netlink.conntrack;

/**
 * Constants from {@code linux/netfilter/nfnetlink.h} and {@code linux/netfilter/nfnetlink_compat.h}
 * (subsystems, multicast groups, {@code struct nfgenmsg}), and the address families from
 * {@code linux/socket.h} that {@code nfgen_family} carries, named as the kernel names them.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   struct nlmsghdr, nlmsg_type = (subsystem &lt;&lt; 8) | message   |
 *  +---------------+---------------+-------------------------------+
 *  | nfgen_family  |   version     |       res_id (be16)           |  struct nfgenmsg
 *  +---------------+---------------+-------------------------------+
 *  |  attributes of the subsystem (CTA_* for ctnetlink)            |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class Nfnetlink
{
    // subsystems, the high byte of nlmsg_type
    public static final int NFNL_SUBSYS_NONE = 0;
    public static final int NFNL_SUBSYS_CTNETLINK = 1;
    public static final int NFNL_SUBSYS_CTNETLINK_EXP = 2;
    public static final int NFNL_SUBSYS_QUEUE = 3;
    public static final int NFNL_SUBSYS_ULOG = 4;
    public static final int NFNL_SUBSYS_OSF = 5;
    public static final int NFNL_SUBSYS_IPSET = 6;
    public static final int NFNL_SUBSYS_ACCT = 7;
    public static final int NFNL_SUBSYS_CTNETLINK_TIMEOUT = 8;
    public static final int NFNL_SUBSYS_CTHELPER = 9;
    public static final int NFNL_SUBSYS_NFTABLES = 10;
    public static final int NFNL_SUBSYS_NFT_COMPAT = 11;
    public static final int NFNL_SUBSYS_HOOK = 12;
    public static final int NFNL_SUBSYS_COUNT = 13;

    // multicast groups (enum nfnetlink_groups): the numbers for NETLINK_ADD_MEMBERSHIP
    public static final int NFNLGRP_NONE = 0;
    public static final int NFNLGRP_CONNTRACK_NEW = 1;
    public static final int NFNLGRP_CONNTRACK_UPDATE = 2;
    public static final int NFNLGRP_CONNTRACK_DESTROY = 3;
    public static final int NFNLGRP_CONNTRACK_EXP_NEW = 4;
    public static final int NFNLGRP_CONNTRACK_EXP_UPDATE = 5;
    public static final int NFNLGRP_CONNTRACK_EXP_DESTROY = 6;
    public static final int NFNLGRP_NFTABLES = 7;
    public static final int NFNLGRP_ACCT_QUOTA = 8;
    public static final int NFNLGRP_NFTRACE = 9;

    // nfnetlink_compat.h: the same groups as bits of sockaddr_nl.nl_groups, for bind()
    public static final int NF_NETLINK_CONNTRACK_NEW = 0x00000001;
    public static final int NF_NETLINK_CONNTRACK_UPDATE = 0x00000002;
    public static final int NF_NETLINK_CONNTRACK_DESTROY = 0x00000004;
    public static final int NF_NETLINK_CONNTRACK_EXP_NEW = 0x00000008;
    public static final int NF_NETLINK_CONNTRACK_EXP_UPDATE = 0x00000010;
    public static final int NF_NETLINK_CONNTRACK_EXP_DESTROY = 0x00000020;

    // struct nfgenmsg: u8 nfgen_family, u8 version, be16 res_id
    public static final int NFGENMSG_LEN = 4;
    public static final int NFGEN_FAMILY_OFFSET = 0;
    public static final int NFGEN_VERSION_OFFSET = 1;
    public static final int NFGEN_RES_ID_OFFSET = 2;
    public static final int NFNETLINK_V0 = 0;

    // nfgen_family, linux/socket.h (the same numbers as Rtnetlink's AF_*)
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    private Nfnetlink()
    {
    }

    /**
     * @return {@code NFNL_SUBSYS_ID(type)}: the subsystem in the high byte of nlmsg_type.
     */
    public static int subsysId(final int nlmsgType)
    {
        return (nlmsgType & 0xFF00) >> 8;
    }

    /**
     * @return {@code NFNL_MSG_TYPE(type)}: the subsystem's message in the low byte of nlmsg_type.
     */
    public static int msgType(final int nlmsgType)
    {
        return nlmsgType & 0x00FF;
    }

    /**
     * @return the nlmsg_type of message {@code msg} of subsystem {@code subsys}, as
     * {@code nfnl_msg_type()} in the kernel.
     */
    public static int nlmsgType(final int subsys, final int msg)
    {
        return (subsys << 8) | msg;
    }

    /**
     * @return the layer-3 family as conntrack-tools prints it: "ipv4", "ipv6", else "unknown".
     */
    public static String familyName(final int family)
    {
        switch (family)
        {
            case AF_INET:
                return "ipv4";
            case AF_INET6:
                return "ipv6";
            default:
                return "unknown";
        }
    }
}
