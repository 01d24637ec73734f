package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.Bytes;
import io.nlstream.netlink.InetAddresses;
import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;

import java.nio.ByteBuffer;

import static io.nlstream.netlink.AttributeIterator.*;
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

    private final AttributeIterator attributes = new AttributeIterator();
    private final AttributeIterator linkInfo = new AttributeIterator();

    // payload offsets of the known attributes, -1 when absent; lengths where they vary
    private int ifname;
    private int ifnameLength;
    private int mtu;
    private int operstate;
    private int linkmode;
    private int address;
    private int addressLength;
    private int broadcast;
    private int broadcastLength;
    private int permAddress;
    private int permAddressLength;
    private int master;
    private int link;
    private int linkNetnsid;
    private int newNetnsid;
    private int newIfindex;
    private int txqlen;
    private int qdisc;
    private int qdiscLength;
    private int carrier;
    private int ifalias;
    private int ifaliasLength;
    private int group;
    private int minMtu;
    private int maxMtu;
    private int kind;
    private int kindLength;
    private int slaveKind;
    private int slaveKindLength;

    public LinkDecoder()
    {
        clear();
    }

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed link message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        begin(buf, offset);
        clear();

        final int len = NetlinkFraming.check(buf, offset, length);
        if (len < 0)
        {
            return fail(NetlinkFraming.describe(len), offset);
        }
        final int type = NetlinkFraming.type(buf, offset);
        if (type != RTM_NEWLINK && type != RTM_DELLINK)
        {
            return fail(ERR_NOT_LINK, offset);
        }
        if (len < Netlink.NLMSG_HDRLEN + IFINFOMSG_LEN)
        {
            return fail(ERR_SHORT_IFINFOMSG, offset + Netlink.NLMSG_HDRLEN);
        }

        final int start = offset + ATTRIBUTES_OFFSET;
        final AttributeIterator it = attributes.reset(buf, start, offset + len - start);
        while (it.next())
        {
            final int at = it.attributeOffset();
            final int payload = it.payloadOffset();
            switch (it.type())
            {
                case IFLA_IFNAME:
                    if (!it.isNulString())
                    {
                        return fail(ERR_NOT_NUL_STRING, at);
                    }
                    ifname = payload;
                    ifnameLength = it.payloadLength();
                    break;
                case IFLA_QDISC:
                    if (!it.isNulString())
                    {
                        return fail(ERR_NOT_NUL_STRING, at);
                    }
                    qdisc = payload;
                    qdiscLength = it.payloadLength();
                    break;
                case IFLA_IFALIAS:
                    if (!it.isNulString())
                    {
                        return fail(ERR_NOT_NUL_STRING, at);
                    }
                    ifalias = payload;
                    ifaliasLength = it.payloadLength();
                    break;
                case IFLA_ADDRESS:
                    // any length: 6 for Ethernet, 20 for InfiniBand, 0 or 4 for some tunnels
                    address = payload;
                    addressLength = it.payloadLength();
                    break;
                case IFLA_BROADCAST:
                    broadcast = payload;
                    broadcastLength = it.payloadLength();
                    break;
                case IFLA_PERM_ADDRESS:
                    permAddress = payload;
                    permAddressLength = it.payloadLength();
                    break;
                case IFLA_MTU:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    mtu = payload;
                    break;
                case IFLA_MIN_MTU:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    minMtu = payload;
                    break;
                case IFLA_MAX_MTU:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    maxMtu = payload;
                    break;
                case IFLA_LINK:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    link = payload;
                    break;
                case IFLA_MASTER:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    master = payload;
                    break;
                case IFLA_TXQLEN:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    txqlen = payload;
                    break;
                case IFLA_GROUP:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    group = payload;
                    break;
                case IFLA_LINK_NETNSID:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    linkNetnsid = payload;
                    break;
                case IFLA_NEW_NETNSID:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    newNetnsid = payload;
                    break;
                case IFLA_NEW_IFINDEX:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    newIfindex = payload;
                    break;
                case IFLA_OPERSTATE:
                    if (!it.isU8())
                    {
                        return fail(ERR_NOT_U8, at);
                    }
                    operstate = payload;
                    break;
                case IFLA_LINKMODE:
                    if (!it.isU8())
                    {
                        return fail(ERR_NOT_U8, at);
                    }
                    linkmode = payload;
                    break;
                case IFLA_CARRIER:
                    if (!it.isU8())
                    {
                        return fail(ERR_NOT_U8, at);
                    }
                    carrier = payload;
                    break;
                case IFLA_LINKINFO:
                    if (!it.isNested())
                    {
                        return fail(ERR_NOT_NESTED, at);
                    }
                    if (!linkInfo(payload, it.payloadLength()))
                    {
                        return false;
                    }
                    break;
                default:
                    // newer kernels add attributes; skipping them keeps this decoder working
                    break;
            }
        }
        if (it.malformed())
        {
            return fail(it.error(), it.errorOffset());
        }
        valid = true;
        return true;
    }

    private boolean linkInfo(final int payload, final int payloadLength)
    {
        // the last IFLA_LINKINFO wins as a whole, not kind from one and slave kind from another
        kind = -1;
        slaveKind = -1;
        final AttributeIterator it = linkInfo.reset(buf, payload, payloadLength);
        while (it.next())
        {
            final int at = it.attributeOffset();
            switch (it.type())
            {
                case IFLA_INFO_KIND:
                    if (!it.isNulString())
                    {
                        return fail(ERR_NOT_NUL_STRING, at);
                    }
                    kind = it.payloadOffset();
                    kindLength = it.payloadLength();
                    break;
                case IFLA_INFO_SLAVE_KIND:
                    if (!it.isNulString())
                    {
                        return fail(ERR_NOT_NUL_STRING, at);
                    }
                    slaveKind = it.payloadOffset();
                    slaveKindLength = it.payloadLength();
                    break;
                case IFLA_INFO_DATA:
                case IFLA_INFO_SLAVE_DATA:
                    // contents are per kind and not read here; only the nest itself is checked
                    if (!it.isNested())
                    {
                        return fail(ERR_NOT_NESTED, at);
                    }
                    break;
                default:
                    break;
            }
        }
        if (it.malformed())
        {
            return fail(it.error(), it.errorOffset());
        }
        return true;
    }

    // struct nlmsghdr and struct ifinfomsg; 0 when the last wrap failed

    public int messageType()
    {
        return valid ? NetlinkFraming.type(buf, offset) : 0;
    }

    public boolean isDelete()
    {
        return messageType() == RTM_DELLINK;
    }

    public int family()
    {
        return valid ? Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + IFI_FAMILY_OFFSET) : 0;
    }

    /**
     * @return ifi_type, an {@code ARPHRD_*} value.
     */
    public int deviceType()
    {
        return valid ? Bytes.u16(buf, offset + Netlink.NLMSG_HDRLEN + IFI_TYPE_OFFSET) : 0;
    }

    public int ifindex()
    {
        return valid ? Bytes.i32(buf, offset + Netlink.NLMSG_HDRLEN + IFI_INDEX_OFFSET) : 0;
    }

    /**
     * @return ifi_flags ({@code IFF_*}); see {@link LinkFlags#names(int)}.
     */
    public int flags()
    {
        return valid ? Bytes.i32(buf, offset + Netlink.NLMSG_HDRLEN + IFI_FLAGS_OFFSET) : 0;
    }

    public int change()
    {
        return valid ? Bytes.i32(buf, offset + Netlink.NLMSG_HDRLEN + IFI_CHANGE_OFFSET) : 0;
    }

    // attributes

    public boolean hasIfname()
    {
        return ifname >= 0;
    }

    /**
     * @return IFLA_IFNAME, or null.
     */
    public String ifname()
    {
        return ifname >= 0 ? AttributeIterator.string(buf, ifname, ifnameLength) : null;
    }

    public boolean hasMtu()
    {
        return mtu >= 0;
    }

    /**
     * @return IFLA_MTU, or -1.
     */
    public int mtu()
    {
        return u32(mtu);
    }

    /**
     * @return IFLA_MIN_MTU, or -1.
     */
    public int minMtu()
    {
        return u32(minMtu);
    }

    /**
     * @return IFLA_MAX_MTU, or -1.
     */
    public int maxMtu()
    {
        return u32(maxMtu);
    }

    /**
     * @return IFLA_OPERSTATE ({@code IF_OPER_*}, see {@link OperState#name(int)}), or -1.
     */
    public int operstate()
    {
        return operstate >= 0 ? Bytes.u8(buf, operstate) : -1;
    }

    /**
     * @return IFLA_LINKMODE ({@code IF_LINK_MODE_*}), or -1.
     */
    public int linkMode()
    {
        return linkmode >= 0 ? Bytes.u8(buf, linkmode) : -1;
    }

    /**
     * @return IFLA_CARRIER (0 or 1), or -1.
     */
    public int carrier()
    {
        return carrier >= 0 ? Bytes.u8(buf, carrier) : -1;
    }

    public boolean hasAddress()
    {
        return address >= 0;
    }

    /**
     * @return IFLA_ADDRESS as lower-case colon hex of whatever length it has, or null.
     */
    public String address()
    {
        return address >= 0 ? InetAddresses.mac(buf, address, addressLength) : null;
    }

    public boolean hasBroadcast()
    {
        return broadcast >= 0;
    }

    public String broadcast()
    {
        return broadcast >= 0 ? InetAddresses.mac(buf, broadcast, broadcastLength) : null;
    }

    public boolean hasPermAddress()
    {
        return permAddress >= 0;
    }

    public String permAddress()
    {
        return permAddress >= 0 ? InetAddresses.mac(buf, permAddress, permAddressLength) : null;
    }

    /**
     * @return IFLA_MASTER (the bridge or bond this link is enslaved to), or 0.
     */
    public int master()
    {
        return master >= 0 ? Bytes.i32(buf, master) : 0;
    }

    public boolean hasLink()
    {
        return link >= 0;
    }

    /**
     * @return IFLA_LINK (the lower device, or a veth's peer; in the IFLA_LINK_NETNSID namespace when
     * that is present), or 0.
     */
    public int link()
    {
        return link >= 0 ? Bytes.i32(buf, link) : 0;
    }

    public boolean hasLinkNetnsid()
    {
        return linkNetnsid >= 0;
    }

    /**
     * @return IFLA_LINK_NETNSID (s32, -1 is NETNSA_NSID_NOT_ASSIGNED), meaningful when present.
     */
    public int linkNetnsid()
    {
        return linkNetnsid >= 0 ? Bytes.i32(buf, linkNetnsid) : -1;
    }

    public boolean hasNewNetnsid()
    {
        return newNetnsid >= 0;
    }

    /**
     * @return IFLA_NEW_NETNSID: on an RTM_DELLINK, the namespace the device moved to.
     */
    public int newNetnsid()
    {
        return newNetnsid >= 0 ? Bytes.i32(buf, newNetnsid) : -1;
    }

    /**
     * @return IFLA_NEW_IFINDEX: with IFLA_NEW_NETNSID, the device's index there; or 0.
     */
    public int newIfindex()
    {
        return newIfindex >= 0 ? Bytes.i32(buf, newIfindex) : 0;
    }

    /**
     * @return IFLA_TXQLEN, or -1.
     */
    public int txqlen()
    {
        return u32(txqlen);
    }

    /**
     * @return IFLA_GROUP, or -1.
     */
    public int group()
    {
        return u32(group);
    }

    /**
     * @return IFLA_QDISC, or null.
     */
    public String qdisc()
    {
        return qdisc >= 0 ? AttributeIterator.string(buf, qdisc, qdiscLength) : null;
    }

    /**
     * @return IFLA_IFALIAS, or null.
     */
    public String ifalias()
    {
        return ifalias >= 0 ? AttributeIterator.string(buf, ifalias, ifaliasLength) : null;
    }

    /**
     * @return IFLA_LINKINFO / IFLA_INFO_KIND ("veth", "bridge", "vlan", ...), or null.
     */
    public String linkKind()
    {
        return kind >= 0 ? AttributeIterator.string(buf, kind, kindLength) : null;
    }

    /**
     * @return IFLA_LINKINFO / IFLA_INFO_SLAVE_KIND (the master's kind, for a port: "bridge", "bond"), or null.
     */
    public String slaveKind()
    {
        return slaveKind >= 0 ? AttributeIterator.string(buf, slaveKind, slaveKindLength) : null;
    }

    private int u32(final int payload)
    {
        return payload >= 0 ? Bytes.i32(buf, payload) : -1;
    }

    private boolean fail(final String error, final int errorOffset)
    {
        clear();
        return recordError(error, errorOffset);
    }

    private void clear()
    {
        reset();
        ifname = -1;
        mtu = -1;
        minMtu = -1;
        maxMtu = -1;
        operstate = -1;
        linkmode = -1;
        carrier = -1;
        address = -1;
        broadcast = -1;
        permAddress = -1;
        master = -1;
        link = -1;
        linkNetnsid = -1;
        newNetnsid = -1;
        newIfindex = -1;
        txqlen = -1;
        group = -1;
        qdisc = -1;
        ifalias = -1;
        kind = -1;
        slaveKind = -1;
    }
}
