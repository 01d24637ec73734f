package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Nest;
import io.nlstream.netlink.Netlink;

import java.nio.ByteBuffer;

import static io.nlstream.netlink.rtnl.IfLink.*;
import static io.nlstream.netlink.rtnl.Rtnetlink.*;

/**
 * Flyweight over an RTM_NEWLINK or RTM_DELLINK message (dump reply or RTNLGRP_LINK event).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   struct nlmsghdr (16 bytes), nlmsg_type RTM_NEWLINK/DELLINK  |
 *  +---------------+---------------+-------------------------------+
 *  |  ifi_family   |   (padding)   |     ifi_type (u16, ARPHRD_*)  |  struct ifinfomsg
 *  +---------------+---------------+-------------------------------+
 *  |                      ifi_index (s32)                          |
 *  +---------------------------------------------------------------+
 *  |                      ifi_flags (u32, IFF_*)                   |
 *  +---------------------------------------------------------------+
 *  |                      ifi_change (u32, flags that changed)     |
 *  +---------------------------------------------------------------+
 *  |  IFLA_* attributes to nlmsg_len:                              |
 *  |    IFLA_IFNAME string    IFLA_MTU u32        IFLA_OPERSTATE u8|
 *  |    IFLA_ADDRESS binary   IFLA_MASTER u32     IFLA_LINK u32 ...|
 *  |    IFLA_LINKINFO nested: IFLA_INFO_KIND string                |
 *  |                          IFLA_INFO_DATA nested (per kind)     |
 *  |                          IFLA_INFO_SLAVE_KIND string          |
 *  |                          IFLA_INFO_SLAVE_DATA nested          |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * {@link #wrap} validates the whole message once: framing, the ifinfomsg size, and the size of every
 * attribute this class reads (nested IFLA_LINKINFO included), as libmnl's {@code mnl_attr_validate}
 * would; types it does not know are skipped. It records where the known attributes are; getters read
 * them in place, so they are valid only while the buffer still holds the message. When an attribute
 * appears twice the last one wins ({@code tb[type] = attr}), though each is validated. On a bad
 * message wrap returns false, {@link #error()} names what failed, and the getters answer as if every
 * attribute were absent: never half an object.
 * <p>
 * Reusable and allocation-free except for the String getters. Not thread safe.
 */
public final class LinkDecoder extends MessageDecoder
{
    public static final String ERR_NOT_LINK = "not a link message";
    public static final String ERR_SHORT_IFINFOMSG = "message shorter than struct ifinfomsg";

    private static final int ATTRIBUTES_OFFSET = Netlink.NLMSG_HDRLEN + Netlink.nlmsgAlign(IFINFOMSG_LEN);

    private final LinkWalk walk = new LinkWalk();
    // payload offsets by attribute type, -1 when absent, one table per level; the last IFLA_LINKINFO wins as a
    // whole, not kind from one and slave kind from another
    private final Nest nest = Nest.of(LinkPolicies.TOP);
    private final int[] top = nest.at;
    private final int[] linkInfo = nest.nest(IFLA_LINKINFO).at;

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed link message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        final int len = open(buf, offset, length, RTM_NEWLINK, RTM_DELLINK, ERR_NOT_LINK, IFINFOMSG_LEN,
            ERR_SHORT_IFINFOMSG, nest);
        final int start = offset + ATTRIBUTES_OFFSET;
        return len >= 0 && accept(walk, walk.TOP(buf, start, offset + len - start, nest));
    }

    // struct nlmsghdr and struct ifinfomsg; 0 when the last wrap failed

    public boolean isDelete()
    {
        return messageType() == RTM_DELLINK;
    }

    public int family()
    {
        return fixedU8(IFI_FAMILY_OFFSET);
    }

    /**
     * @return ifi_type, an {@code ARPHRD_*} value.
     */
    public int deviceType()
    {
        return fixedU16(IFI_TYPE_OFFSET);
    }

    public int ifindex()
    {
        return fixedS32(IFI_INDEX_OFFSET);
    }

    /**
     * @return ifi_flags ({@code IFF_*}); see {@link LinkFlags#names(int)}.
     */
    public int flags()
    {
        return fixedS32(IFI_FLAGS_OFFSET);
    }

    public int change()
    {
        return fixedS32(IFI_CHANGE_OFFSET);
    }

    // attributes

    public boolean hasIfname()
    {
        return top[IFLA_IFNAME] >= 0;
    }

    /**
     * @return IFLA_IFNAME, or null.
     */
    public String ifname()
    {
        return string(top[IFLA_IFNAME]);
    }

    public boolean hasMtu()
    {
        return top[IFLA_MTU] >= 0;
    }

    /**
     * @return IFLA_MTU, or -1.
     */
    public int mtu()
    {
        return s32(top[IFLA_MTU], -1);
    }

    /**
     * @return IFLA_MIN_MTU, or -1.
     */
    public int minMtu()
    {
        return s32(top[IFLA_MIN_MTU], -1);
    }

    /**
     * @return IFLA_MAX_MTU, or -1.
     */
    public int maxMtu()
    {
        return s32(top[IFLA_MAX_MTU], -1);
    }

    /**
     * @return IFLA_OPERSTATE ({@code IF_OPER_*}, see {@link OperState#name(int)}), or -1.
     */
    public int operstate()
    {
        return u8(top[IFLA_OPERSTATE]);
    }

    /**
     * @return IFLA_CARRIER (0 or 1), or -1.
     */
    public int carrier()
    {
        return u8(top[IFLA_CARRIER]);
    }

    public boolean hasAddress()
    {
        return top[IFLA_ADDRESS] >= 0;
    }

    /**
     * @return IFLA_ADDRESS as lower-case colon hex of whatever length it has, or null.
     */
    public String address()
    {
        return mac(top[IFLA_ADDRESS]);
    }

    public boolean hasBroadcast()
    {
        return top[IFLA_BROADCAST] >= 0;
    }

    public String broadcast()
    {
        return mac(top[IFLA_BROADCAST]);
    }

    public boolean hasPermAddress()
    {
        return top[IFLA_PERM_ADDRESS] >= 0;
    }

    public String permAddress()
    {
        return mac(top[IFLA_PERM_ADDRESS]);
    }

    /**
     * @return IFLA_MASTER (the bridge or bond this link is enslaved to), or 0.
     */
    public int master()
    {
        return s32(top[IFLA_MASTER], 0);
    }

    /**
     * @return IFLA_LINK (the lower device, or a veth's peer; in the IFLA_LINK_NETNSID namespace when
     * that is present), or 0.
     */
    public int link()
    {
        return s32(top[IFLA_LINK], 0);
    }

    public boolean hasLinkNetnsid()
    {
        return top[IFLA_LINK_NETNSID] >= 0;
    }

    /**
     * @return IFLA_LINK_NETNSID (s32, -1 is NETNSA_NSID_NOT_ASSIGNED), meaningful when present.
     */
    public int linkNetnsid()
    {
        return s32(top[IFLA_LINK_NETNSID], -1);
    }

    public boolean hasNewNetnsid()
    {
        return top[IFLA_NEW_NETNSID] >= 0;
    }

    /**
     * @return IFLA_NEW_NETNSID: on an RTM_DELLINK, the namespace the device moved to.
     */
    public int newNetnsid()
    {
        return s32(top[IFLA_NEW_NETNSID], -1);
    }

    /**
     * @return IFLA_NEW_IFINDEX: with IFLA_NEW_NETNSID, the device's index there; or 0.
     */
    public int newIfindex()
    {
        return s32(top[IFLA_NEW_IFINDEX], 0);
    }

    /**
     * @return IFLA_TXQLEN, or -1.
     */
    public int txqlen()
    {
        return s32(top[IFLA_TXQLEN], -1);
    }

    /**
     * @return IFLA_GROUP, or -1.
     */
    public int group()
    {
        return s32(top[IFLA_GROUP], -1);
    }

    /**
     * @return IFLA_QDISC, or null.
     */
    public String qdisc()
    {
        return string(top[IFLA_QDISC]);
    }

    /**
     * @return IFLA_IFALIAS, or null.
     */
    public String ifalias()
    {
        return string(top[IFLA_IFALIAS]);
    }

    /**
     * @return IFLA_LINKINFO / IFLA_INFO_KIND ("veth", "bridge", "vlan", ...), or null.
     */
    public String linkKind()
    {
        return string(linkInfo[IFLA_INFO_KIND]);
    }

    /**
     * @return IFLA_LINKINFO / IFLA_INFO_SLAVE_KIND (the master's kind, for a port: "bridge", "bond"), or null.
     */
    public String slaveKind()
    {
        return string(linkInfo[IFLA_INFO_SLAVE_KIND]);
    }
}
