package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.Bytes;
import io.nlstream.netlink.InetAddresses;
import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.Nest;

import java.nio.ByteBuffer;

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
    public static final String ERR_ADDRESS_LENGTH = NeighPolicies.ERR_ADDRESS_LENGTH;
    public static final String ERR_CACHEINFO_LENGTH = NeighPolicies.ERR_CACHEINFO_LENGTH;

    private static final int ATTRIBUTES_OFFSET = Netlink.NLMSG_HDRLEN + Netlink.nlmsgAlign(NDMSG_LEN);

    private final NeighWalk walk = new NeighWalk();
    // payload offsets by NDA_* type, -1 when absent
    private final Nest nest = Nest.of(NeighPolicies.TOP);
    private final int[] attributes = nest.at;

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed neighbour message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        final int len = open(buf, offset, length, RTM_NEWNEIGH, RTM_DELNEIGH, ERR_NOT_NEIGH, NDMSG_LEN,
            ERR_SHORT_NDMSG, nest);
        final int start = offset + ATTRIBUTES_OFFSET;
        return len >= 0 && accept(walk, walk.TOP(buf, start, offset + len - start, nest,
            Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + NDM_FAMILY_OFFSET)));
    }

    // struct nlmsghdr and struct ndmsg; 0 when the last wrap failed

    public boolean isDelete()
    {
        return messageType() == RTM_DELNEIGH;
    }

    public int family()
    {
        return fixedU8(NDM_FAMILY_OFFSET);
    }

    public int ifindex()
    {
        return fixedS32(NDM_IFINDEX_OFFSET);
    }

    /**
     * @return ndm_state ({@code NUD_*}); see {@link NeighStates#names(int)}.
     */
    public int state()
    {
        return fixedU16(NDM_STATE_OFFSET);
    }

    /**
     * @return ndm_flags ({@code NTF_*}); see {@link NeighStates#flagNames(int, int)}.
     */
    public int flags()
    {
        return fixedU8(NDM_FLAGS_OFFSET);
    }

    /**
     * @return ndm_type, an {@code RTN_*} route type of the address: unicast, or multicast for the
     * NOARP entries of IPv6 multicast groups.
     */
    public int type()
    {
        return fixedU8(NDM_TYPE_OFFSET);
    }

    // attributes

    public boolean hasDst()
    {
        return attributes[NDA_DST] >= 0;
    }

    /**
     * @return where the dst attribute's payload starts in the buffer, -1 when absent; {@link #dstLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int dstOffset()
    {
        return attributes[NDA_DST];
    }

    public int dstLength()
    {
        return length(attributes[NDA_DST]);
    }

    /**
     * @return NDA_DST, the neighbour's protocol address, as text; or null.
     */
    public String dst()
    {
        final int dst = attributes[NDA_DST];
        return dst >= 0 ? InetAddresses.format(buf, dst, Nest.length(buf, dst)) : null;
    }

    public boolean hasLladdr()
    {
        return attributes[NDA_LLADDR] >= 0;
    }

    /**
     * @return NDA_LLADDR, the link-layer address, lower-case hex with colons; or null (an INCOMPLETE
     * or FAILED entry has none).
     */
    public String lladdr()
    {
        return mac(attributes[NDA_LLADDR]);
    }

    public boolean hasCacheInfo()
    {
        return attributes[NDA_CACHEINFO] >= 0;
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
        return u16be(attributes[NDA_PORT]);
    }

    /**
     * @return NDA_MASTER, the bridge or VRF the device belongs to, or 0.
     */
    public int master()
    {
        return s32(attributes[NDA_MASTER], 0);
    }

    /**
     * @return NDA_PROTOCOL (who added the entry, {@code RTPROT_*} values), or -1.
     */
    public int protocol()
    {
        return u8(attributes[NDA_PROTOCOL]);
    }

    /**
     * @return NDA_FLAGS_EXT ({@code NTF_EXT_*}), or 0.
     */
    public int flagsExt()
    {
        return s32(attributes[NDA_FLAGS_EXT], 0);
    }

    private long cacheInfoU32(final int field)
    {
        final int cacheInfo = attributes[NDA_CACHEINFO];
        return cacheInfo >= 0 ? Integer.toUnsignedLong(Bytes.i32(buf, cacheInfo + field)) : -1;
    }
}
