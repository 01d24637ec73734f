package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.Bytes;
import io.nlstream.netlink.InetAddresses;
import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;

import java.nio.ByteBuffer;

import static io.nlstream.netlink.AttributeIterator.*;
import static io.nlstream.netlink.rtnl.Neighbour.*;
import static io.nlstream.netlink.rtnl.Rtnetlink.*;

/**
 * Flyweight over an RTM_NEWNEIGH or RTM_DELNEIGH message (dump reply or RTNLGRP_NEIGH event): an ARP
 * or NDP cache entry, or (family AF_BRIDGE) a bridge forwarding entry.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  struct nlmsghdr (16 bytes), nlmsg_type RTM_NEWNEIGH/DELNEIGH |
 *  +---------------+---------------+-------------------------------+
 *  |  ndm_family   |   ndm_pad1    |          ndm_pad2             |  struct ndmsg
 *  +---------------+---------------+-------------------------------+
 *  |                      ndm_ifindex (s32)                        |
 *  +-------------------------------+---------------+---------------+
 *  |      ndm_state (u16, NUD_*)   | ndm_flags NTF_| ndm_type RTN_ |
 *  +-------------------------------+---------------+---------------+
 *  |  NDA_* attributes to nlmsg_len:                               |
 *  |    NDA_DST 4 (inet) or 16 (inet6) bytes   NDA_LLADDR binary   |
 *  |    NDA_CACHEINFO struct nda_cacheinfo:                        |
 *  |      u32 confirmed | u32 used | u32 updated | u32 refcnt      |
 *  |    NDA_PROBES, NDA_VNI, NDA_IFINDEX, NDA_MASTER, NDA_NH_ID,   |
 *  |    NDA_FLAGS_EXT u32    NDA_VLAN u16   NDA_PORT be16          |
 *  |    NDA_PROTOCOL u8                                            |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Validation as in {@link LinkDecoder}: framing, the ndmsg size, the size of every attribute named
 * above, and for AF_INET and AF_INET6 an NDA_DST of exactly the family's address length (a bridge
 * entry's NDA_DST, the remote of a vxlan port, may be either). Unknown attributes are skipped; the
 * last of a repeated attribute wins; on a bad message wrap returns false and getters answer as if
 * every attribute were absent.
 * <p>
 * Reusable and allocation-free except for the String getters. Not thread safe.
 */
public final class NeighDecoder extends MessageDecoder
{
    public static final String ERR_NOT_NEIGH = "not a neighbour message";
    public static final String ERR_SHORT_NDMSG = "message shorter than struct ndmsg";
    public static final String ERR_ADDRESS_LENGTH = "NDA_DST length does not match ndm_family";
    public static final String ERR_CACHEINFO_LENGTH = "NDA_CACHEINFO payload is not struct nda_cacheinfo (16 bytes)";

    private static final int ATTRIBUTES_OFFSET = Netlink.NLMSG_HDRLEN + Netlink.nlmsgAlign(NDMSG_LEN);

    private final AttributeIterator attributes = new AttributeIterator();

    // payload offsets of the known attributes, -1 when absent
    private int dst;
    private int dstLength;
    private int lladdr;
    private int lladdrLength;
    private int cacheInfo;
    private int port;
    private int master;
    private int protocol;
    private int flagsExt;

    public NeighDecoder()
    {
        clear();
    }

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed neighbour message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        begin(buf, offset);
        clear();

        final int len = frame(length, RTM_NEWNEIGH, RTM_DELNEIGH, ERR_NOT_NEIGH, NDMSG_LEN, ERR_SHORT_NDMSG);
        if (len < 0)
        {
            return false;
        }

        final int family = Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + NDM_FAMILY_OFFSET);
        final int addressBytes = family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;
        final int start = offset + ATTRIBUTES_OFFSET;
        final AttributeIterator it = attributes.reset(buf, start, offset + len - start);
        while (it.next())
        {
            final int at = it.attributeOffset();
            final int payload = it.payloadOffset();
            final int payloadLength = it.payloadLength();
            switch (it.type())
            {
                case NDA_DST:
                    if (addressBytes >= 0 && payloadLength != addressBytes)
                    {
                        return fail(ERR_ADDRESS_LENGTH, at);
                    }
                    dst = payload;
                    dstLength = payloadLength;
                    break;
                case NDA_LLADDR:
                    // any length: 6 for Ethernet, 20 for InfiniBand, 0 on some tunnels
                    lladdr = payload;
                    lladdrLength = payloadLength;
                    break;
                case NDA_CACHEINFO:
                    if (payloadLength != NDA_CACHEINFO_LEN)
                    {
                        return fail(ERR_CACHEINFO_LENGTH, at);
                    }
                    cacheInfo = payload;
                    break;
                case NDA_PROBES:
                case NDA_VNI:
                case NDA_IFINDEX:
                case NDA_MASTER:
                case NDA_LINK_NETNSID:
                case NDA_SRC_VNI:
                case NDA_NH_ID:
                case NDA_FLAGS_EXT:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    if (it.type() == NDA_MASTER)
                    {
                        master = payload;
                    }
                    else if (it.type() == NDA_FLAGS_EXT)
                    {
                        flagsExt = payload;
                    }
                    break;
                case NDA_VLAN:
                case NDA_PORT:
                case NDA_NDM_STATE_MASK:
                    if (!it.isU16())
                    {
                        return fail(ERR_NOT_U16, at);
                    }
                    if (it.type() == NDA_PORT)
                    {
                        port = payload;
                    }
                    break;
                case NDA_PROTOCOL:
                case NDA_NDM_FLAGS_MASK:
                    if (!it.isU8())
                    {
                        return fail(ERR_NOT_U8, at);
                    }
                    if (it.type() == NDA_PROTOCOL)
                    {
                        protocol = payload;
                    }
                    break;
                case NDA_FDB_EXT_ATTRS:
                    if (!it.isNested())
                    {
                        return fail(ERR_NOT_NESTED, at);
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

    // struct nlmsghdr and struct ndmsg; 0 when the last wrap failed

    public int messageType()
    {
        return valid ? NetlinkFraming.type(buf, offset) : 0;
    }

    public boolean isDelete()
    {
        return messageType() == RTM_DELNEIGH;
    }

    public int family()
    {
        return valid ? Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + NDM_FAMILY_OFFSET) : 0;
    }

    public int ifindex()
    {
        return valid ? Bytes.i32(buf, offset + Netlink.NLMSG_HDRLEN + NDM_IFINDEX_OFFSET) : 0;
    }

    /**
     * @return ndm_state ({@code NUD_*}); see {@link NeighStates#names(int)}.
     */
    public int state()
    {
        return valid ? Bytes.u16(buf, offset + Netlink.NLMSG_HDRLEN + NDM_STATE_OFFSET) : 0;
    }

    /**
     * @return ndm_flags ({@code NTF_*}); see {@link NeighStates#flagNames(int, int)}.
     */
    public int flags()
    {
        return valid ? Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + NDM_FLAGS_OFFSET) : 0;
    }

    /**
     * @return ndm_type, an {@code RTN_*} route type of the address: unicast, or multicast for the
     * NOARP entries of IPv6 multicast groups.
     */
    public int type()
    {
        return valid ? Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + NDM_TYPE_OFFSET) : 0;
    }

    // attributes

    public boolean hasDst()
    {
        return dst >= 0;
    }

    /**
     * @return where the dst attribute's payload starts in the buffer, -1 when absent; {@link #dstLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int dstOffset()
    {
        return valid ? dst : -1;
    }

    public int dstLength()
    {
        return valid && dst >= 0 ? dstLength : 0;
    }

    /**
     * @return NDA_DST, the neighbour's protocol address, as text; or null.
     */
    public String dst()
    {
        return dst >= 0 ? InetAddresses.format(buf, dst, dstLength) : null;
    }

    public boolean hasLladdr()
    {
        return lladdr >= 0;
    }

    /**
     * @return NDA_LLADDR, the link-layer address, lower-case hex with colons; or null (an INCOMPLETE
     * or FAILED entry has none).
     */
    public String lladdr()
    {
        return lladdr >= 0 ? InetAddresses.mac(buf, lladdr, lladdrLength) : null;
    }

    public boolean hasCacheInfo()
    {
        return cacheInfo >= 0;
    }

    /**
     * @return ndm_confirmed: clock ticks (USER_HZ, 100 a second) since the neighbour was last
     * confirmed reachable; ip -s prints it divided by 100. -1 without NDA_CACHEINFO.
     */
    public long confirmed()
    {
        return cacheInfoU32(NDA_CACHEINFO_CONFIRMED_OFFSET);
    }

    /**
     * @return ndm_refcnt, or -1 without NDA_CACHEINFO.
     */
    public long refcnt()
    {
        return cacheInfoU32(NDA_CACHEINFO_REFCNT_OFFSET);
    }

    /**
     * @return NDA_PORT (vxlan entries; network order on the wire), or -1.
     */
    public int port()
    {
        return port >= 0 ? Bytes.u16be(buf, port) : -1;
    }

    /**
     * @return NDA_MASTER, the bridge or VRF the device belongs to, or 0.
     */
    public int master()
    {
        return master >= 0 ? Bytes.i32(buf, master) : 0;
    }

    /**
     * @return NDA_PROTOCOL (who added the entry, {@code RTPROT_*} values), or -1.
     */
    public int protocol()
    {
        return protocol >= 0 ? Bytes.u8(buf, protocol) : -1;
    }

    /**
     * @return NDA_FLAGS_EXT ({@code NTF_EXT_*}), or 0.
     */
    public int flagsExt()
    {
        return flagsExt >= 0 ? Bytes.i32(buf, flagsExt) : 0;
    }

    private long cacheInfoU32(final int field)
    {
        return cacheInfo >= 0 ? Integer.toUnsignedLong(Bytes.i32(buf, cacheInfo + field)) : -1;
    }

    private boolean fail(final String error, final int errorOffset)
    {
        clear();
        return recordError(error, errorOffset);
    }

    private void clear()
    {
        reset();
        dst = -1;
        lladdr = -1;
        cacheInfo = -1;
        port = -1;
        master = -1;
        protocol = -1;
        flagsExt = -1;
    }
}
