package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.Bytes;
import io.nlstream.netlink.InetAddresses;
import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.Nest;

import java.nio.ByteBuffer;

import static io.nlstream.netlink.rtnl.IfAddr.*;
import static io.nlstream.netlink.rtnl.Rtnetlink.*;

/**
 * Flyweight over an RTM_NEWADDR or RTM_DELADDR message (dump reply or RTNLGRP_IPV4_IFADDR /
 * RTNLGRP_IPV6_IFADDR event).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   struct nlmsghdr (16 bytes), nlmsg_type RTM_NEWADDR/DELADDR  |
 *  +---------------+---------------+---------------+---------------+
 *  |  ifa_family   | ifa_prefixlen |  ifa_flags    |  ifa_scope    |  struct ifaddrmsg
 *  +---------------+---------------+---------------+---------------+
 *  |                      ifa_index (u32)                          |
 *  +---------------------------------------------------------------+
 *  |  IFA_* attributes to nlmsg_len:                               |
 *  |    IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST   4 (inet) or 16 (inet6) bytes
 *  |    IFA_LABEL string   IFA_FLAGS u32   IFA_PROTO u8             |
 *  |    IFA_CACHEINFO struct ifa_cacheinfo:                        |
 *  |      u32 ifa_prefered | u32 ifa_valid | u32 cstamp | u32 tstamp|
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Validation as in {@link LinkDecoder}: framing, the ifaddrmsg size, and the size of every attribute
 * read here; for AF_INET and AF_INET6 the address attributes must be exactly the family's address
 * length. Other families (MCTP, Phonet) are accepted with addresses of any length, shown as hex. The
 * last of a repeated attribute wins. On a bad message wrap returns false and getters answer as if
 * every attribute were absent.
 * <p>
 * On a point-to-point link IFA_ADDRESS is the peer and IFA_LOCAL the local address; elsewhere both are
 * the local address (IPv6 sends only IFA_ADDRESS). {@link #primaryAddress()} is what iproute2 shows.
 * Reusable and allocation-free except for the String getters. Not thread safe.
 */
public final class AddrDecoder extends MessageDecoder
{
    public static final String ERR_NOT_ADDR = "not an address message";
    public static final String ERR_SHORT_IFADDRMSG = "message shorter than struct ifaddrmsg";
    public static final String ERR_ADDRESS_LENGTH = AddrPolicies.ERR_ADDRESS_LENGTH;
    public static final String ERR_CACHEINFO_LENGTH = AddrPolicies.ERR_CACHEINFO_LENGTH;

    private static final int ATTRIBUTES_OFFSET = Netlink.NLMSG_HDRLEN + Netlink.nlmsgAlign(IFADDRMSG_LEN);

    private final AddrWalk walk = new AddrWalk();
    // payload offsets by IFA_* type, -1 when absent
    private final Nest nest = Nest.of(AddrPolicies.TOP);
    private final int[] attributes = nest.at;
    private int family;

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed address message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        final int len = open(buf, offset, length, RTM_NEWADDR, RTM_DELADDR, ERR_NOT_ADDR, IFADDRMSG_LEN,
            ERR_SHORT_IFADDRMSG, nest);
        if (len < 0)
        {
            return false;
        }
        family = Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + IFA_FAMILY_OFFSET);
        final int start = offset + ATTRIBUTES_OFFSET;
        return accept(walk, walk.TOP(buf, start, offset + len - start, nest, family));
    }

    // struct nlmsghdr and struct ifaddrmsg; 0 when the last wrap failed

    public boolean isDelete()
    {
        return messageType() == RTM_DELADDR;
    }

    public int family()
    {
        return fixedU8(IFA_FAMILY_OFFSET);
    }

    public int prefixlen()
    {
        return fixedU8(IFA_PREFIXLEN_OFFSET);
    }

    /**
     * @return IFA_FLAGS when present (it carries the bits above 0xff), else ifa_flags; see
     * {@link AddrFlags#names(int, int)}.
     */
    public int flags()
    {
        final int ifaFlags = attributes[IFA_FLAGS];
        if (ifaFlags >= 0)
        {
            return Bytes.i32(buf, ifaFlags);
        }
        return fixedU8(IFA_FLAGS_OFFSET);
    }

    /**
     * @return ifa_scope ({@code RT_SCOPE_*}); see {@link AddrScope#name(int)}.
     */
    public int scope()
    {
        return fixedU8(IFA_SCOPE_OFFSET);
    }

    public int ifindex()
    {
        return fixedS32(IFA_INDEX_OFFSET);
    }

    // attributes

    public boolean hasAddress()
    {
        return attributes[IFA_ADDRESS] >= 0;
    }

    /**
     * @return IFA_ADDRESS as text, or null.
     */
    public String address()
    {
        return format(attributes[IFA_ADDRESS]);
    }

    public boolean hasLocal()
    {
        return attributes[IFA_LOCAL] >= 0;
    }

    /**
     * @return IFA_LOCAL as text, or null.
     */
    public String local()
    {
        return format(attributes[IFA_LOCAL]);
    }

    /**
     * @return where the address attribute's payload starts in the buffer, -1 when absent; {@link #addressLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int addressOffset()
    {
        return attributes[IFA_ADDRESS];
    }

    public int addressLength()
    {
        return length(attributes[IFA_ADDRESS]);
    }

    /**
     * @return where the local attribute's payload starts in the buffer, -1 when absent; {@link #localLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int localOffset()
    {
        return attributes[IFA_LOCAL];
    }

    public int localLength()
    {
        return length(attributes[IFA_LOCAL]);
    }

    /**
     * @return where the broadcast attribute's payload starts in the buffer, -1 when absent; {@link #broadcastLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int broadcastOffset()
    {
        return attributes[IFA_BROADCAST];
    }

    public int broadcastLength()
    {
        return length(attributes[IFA_BROADCAST]);
    }

    /**
     * @return what {@code ip -j addr} shows as "local": IFA_LOCAL if present, else IFA_ADDRESS, else null.
     */
    public String primaryAddress()
    {
        return attributes[IFA_LOCAL] >= 0 ? local() : address();
    }

    public boolean hasBroadcast()
    {
        return attributes[IFA_BROADCAST] >= 0;
    }

    public String broadcast()
    {
        return format(attributes[IFA_BROADCAST]);
    }

    /**
     * @return IFA_LABEL (IPv4 only, "eth0" or "eth0:alias"), or null.
     */
    public String label()
    {
        return string(attributes[IFA_LABEL]);
    }

    public boolean hasCacheInfo()
    {
        return attributes[IFA_CACHEINFO] >= 0;
    }

    /**
     * @return seconds left of ifa_valid, {@link IfAddr#INFINITY_LIFE_TIME} for forever; -1 without IFA_CACHEINFO.
     */
    public long validLft()
    {
        return cacheInfo(IFA_CACHEINFO_VALID_OFFSET);
    }

    /**
     * @return seconds left of ifa_prefered, {@link IfAddr#INFINITY_LIFE_TIME} for forever; -1 without IFA_CACHEINFO.
     */
    public long preferredLft()
    {
        return cacheInfo(IFA_CACHEINFO_PREFERED_OFFSET);
    }

    /**
     * @return IFA_PROTO ({@code IFAPROT_*}: who added the address), or -1.
     */
    public int proto()
    {
        return u8(attributes[IFA_PROTO]);
    }

    private String format(final int payload)
    {
        if (payload < 0)
        {
            return null;
        }
        final int length = Nest.length(buf, payload);
        // by family, not length: a 4-byte address of another family is not an IPv4 address
        if (family == AF_INET || family == AF_INET6)
        {
            return InetAddresses.format(buf, payload, length);
        }
        return InetAddresses.mac(buf, payload, length);
    }

    private long cacheInfo(final int field)
    {
        final int cacheInfo = attributes[IFA_CACHEINFO];
        return cacheInfo >= 0 ? Integer.toUnsignedLong(Bytes.i32(buf, cacheInfo + field)) : -1;
    }
}
