package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.AttributeParser;
import io.nlstream.netlink.AttributePolicy;
import io.nlstream.netlink.Bytes;
import io.nlstream.netlink.InetAddresses;
import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;

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
    public static final String ERR_ADDRESS_LENGTH = "address length does not match ifa_family";
    public static final String ERR_CACHEINFO_LENGTH = "IFA_CACHEINFO payload is not struct ifa_cacheinfo (16 bytes)";

    // by ifa_family: the address attributes are exactly an address of the family, or any length for others
    static final AttributePolicy INET = policy("IFA_* (AF_INET)", 4);
    static final AttributePolicy INET6 = policy("IFA_* (AF_INET6)", 16);
    static final AttributePolicy OTHER = policy("IFA_*", -1);

    private static final int ATTRIBUTES_OFFSET = Netlink.NLMSG_HDRLEN + Netlink.nlmsgAlign(IFADDRMSG_LEN);

    private final AttributeParser parser = new AttributeParser();
    // payload offsets by IFA_* type, -1 when absent
    private final int[] attributes = OTHER.newTable();
    private int family;

    private static AttributePolicy policy(final String name, final int addressBytes)
    {
        final AttributePolicy.Builder b = AttributePolicy.level(name)
            .nulString(IFA_LABEL)
            .exact(IFA_CACHEINFO, IFA_CACHEINFO_LEN, ERR_CACHEINFO_LENGTH)
            .u32(IFA_FLAGS, IFA_RT_PRIORITY, IFA_TARGET_NETNSID)
            .u8(IFA_PROTO);
        for (final int type : new int[] {IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST, IFA_ANYCAST, IFA_MULTICAST})
        {
            if (addressBytes >= 0)
            {
                b.exact(type, addressBytes, ERR_ADDRESS_LENGTH);
            }
            else
            {
                b.any(type);
            }
        }
        return b.build();
    }

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed address message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        begin(buf, offset);
        reset();
        final int len = NetlinkFraming.check(buf, offset, length);
        if (len < 0)
        {
            return fail(NetlinkFraming.describe(len), offset);
        }
        final int type = NetlinkFraming.type(buf, offset);
        if (type != RTM_NEWADDR && type != RTM_DELADDR)
        {
            return fail(ERR_NOT_ADDR, offset);
        }
        if (len < Netlink.NLMSG_HDRLEN + IFADDRMSG_LEN)
        {
            return fail(ERR_SHORT_IFADDRMSG, offset + Netlink.NLMSG_HDRLEN);
        }
        family = Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + IFA_FAMILY_OFFSET);
        final int start = offset + ATTRIBUTES_OFFSET;
        if (!parser.top(buf, start, offset + len - start, family == AF_INET ? INET : family == AF_INET6 ? INET6 : OTHER,
            attributes))
        {
            return fail(parser.error(), parser.errorOffset());
        }
        valid = true;
        return true;
    }

    // struct nlmsghdr and struct ifaddrmsg; 0 when the last wrap failed

    public int messageType()
    {
        return valid ? NetlinkFraming.type(buf, offset) : 0;
    }

    public boolean isDelete()
    {
        return messageType() == RTM_DELADDR;
    }

    public int family()
    {
        return ifaddrmsgU8(IFA_FAMILY_OFFSET);
    }

    public int prefixlen()
    {
        return ifaddrmsgU8(IFA_PREFIXLEN_OFFSET);
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
        return ifaddrmsgU8(IFA_FLAGS_OFFSET);
    }

    /**
     * @return ifa_scope ({@code RT_SCOPE_*}); see {@link AddrScope#name(int)}.
     */
    public int scope()
    {
        return ifaddrmsgU8(IFA_SCOPE_OFFSET);
    }

    public int ifindex()
    {
        return valid ? Bytes.i32(buf, offset + Netlink.NLMSG_HDRLEN + IFA_INDEX_OFFSET) : 0;
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
        return valid ? attributes[IFA_ADDRESS] : -1;
    }

    public int addressLength()
    {
        return length(IFA_ADDRESS);
    }

    /**
     * @return where the local attribute's payload starts in the buffer, -1 when absent; {@link #localLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int localOffset()
    {
        return valid ? attributes[IFA_LOCAL] : -1;
    }

    public int localLength()
    {
        return length(IFA_LOCAL);
    }

    /**
     * @return where the broadcast attribute's payload starts in the buffer, -1 when absent; {@link #broadcastLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int broadcastOffset()
    {
        return valid ? attributes[IFA_BROADCAST] : -1;
    }

    public int broadcastLength()
    {
        return length(IFA_BROADCAST);
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
        final int label = attributes[IFA_LABEL];
        return label >= 0 ? AttributeIterator.string(buf, label, parser.length(label)) : null;
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
        final int cacheInfo = attributes[IFA_CACHEINFO];
        return cacheInfo >= 0 ? Integer.toUnsignedLong(Bytes.i32(buf, cacheInfo + IFA_CACHEINFO_VALID_OFFSET)) : -1;
    }

    /**
     * @return seconds left of ifa_prefered, {@link IfAddr#INFINITY_LIFE_TIME} for forever; -1 without IFA_CACHEINFO.
     */
    public long preferredLft()
    {
        final int cacheInfo = attributes[IFA_CACHEINFO];
        return cacheInfo >= 0 ? Integer.toUnsignedLong(Bytes.i32(buf, cacheInfo + IFA_CACHEINFO_PREFERED_OFFSET)) : -1;
    }

    /**
     * @return IFA_PROTO ({@code IFAPROT_*}: who added the address), or -1.
     */
    public int proto()
    {
        final int proto = attributes[IFA_PROTO];
        return proto >= 0 ? Bytes.u8(buf, proto) : -1;
    }

    private int length(final int type)
    {
        final int payload = valid ? attributes[type] : -1;
        return payload >= 0 ? parser.length(payload) : 0;
    }

    private String format(final int payload)
    {
        if (payload < 0)
        {
            return null;
        }
        final int length = parser.length(payload);
        // by family, not length: a 4-byte address of another family is not an IPv4 address
        if (family == AF_INET || family == AF_INET6)
        {
            return InetAddresses.format(buf, payload, length);
        }
        return InetAddresses.mac(buf, payload, length);
    }

    private int ifaddrmsgU8(final int field)
    {
        return valid ? Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + field) : 0;
    }

    private boolean fail(final String error, final int errorOffset)
    {
        AttributeParser.clear(attributes);
        family = 0;
        return recordError(error, errorOffset);
    }
}
