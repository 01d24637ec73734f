package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.Bytes;
import io.nlstream.netlink.InetAddresses;
import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;

import java.nio.ByteBuffer;

import static io.nlstream.netlink.AttributeIterator.*;
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

    private static final int ATTRIBUTES_OFFSET = Netlink.NLMSG_HDRLEN + Netlink.nlmsgAlign(IFADDRMSG_LEN);

    private final AttributeIterator attributes = new AttributeIterator();

    // payload offsets of the known attributes, -1 when absent
    private int address;
    private int addressLength;
    private int local;
    private int localLength;
    private int broadcast;
    private int broadcastLength;
    private int label;
    private int labelLength;
    private int cacheInfo;
    private int ifaFlags;
    private int proto;
    private int family;

    public AddrDecoder()
    {
        clear();
    }

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed address message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        begin(buf, offset);
        clear();

        final int len = frame(length, RTM_NEWADDR, RTM_DELADDR, ERR_NOT_ADDR, IFADDRMSG_LEN, ERR_SHORT_IFADDRMSG);
        if (len < 0)
        {
            return false;
        }

        family = Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + IFA_FAMILY_OFFSET);
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
                case IFA_ADDRESS:
                case IFA_LOCAL:
                case IFA_BROADCAST:
                case IFA_ANYCAST:
                case IFA_MULTICAST:
                    if (addressBytes >= 0 && payloadLength != addressBytes)
                    {
                        return fail(ERR_ADDRESS_LENGTH, at);
                    }
                    if (it.type() == IFA_ADDRESS)
                    {
                        address = payload;
                        addressLength = payloadLength;
                    }
                    else if (it.type() == IFA_LOCAL)
                    {
                        local = payload;
                        localLength = payloadLength;
                    }
                    else if (it.type() == IFA_BROADCAST)
                    {
                        broadcast = payload;
                        broadcastLength = payloadLength;
                    }
                    break;
                case IFA_LABEL:
                    if (!it.isNulString())
                    {
                        return fail(ERR_NOT_NUL_STRING, at);
                    }
                    label = payload;
                    labelLength = payloadLength;
                    break;
                case IFA_CACHEINFO:
                    if (payloadLength != IFA_CACHEINFO_LEN)
                    {
                        return fail(ERR_CACHEINFO_LENGTH, at);
                    }
                    cacheInfo = payload;
                    break;
                case IFA_FLAGS:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    ifaFlags = payload;
                    break;
                case IFA_RT_PRIORITY:
                case IFA_TARGET_NETNSID:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    break;
                case IFA_PROTO:
                    if (!it.isU8())
                    {
                        return fail(ERR_NOT_U8, at);
                    }
                    proto = payload;
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
        return address >= 0;
    }

    /**
     * @return IFA_ADDRESS as text, or null.
     */
    public String address()
    {
        return address >= 0 ? format(address, addressLength) : null;
    }

    public boolean hasLocal()
    {
        return local >= 0;
    }

    /**
     * @return IFA_LOCAL as text, or null.
     */
    public String local()
    {
        return local >= 0 ? format(local, localLength) : null;
    }

    /**
     * @return where the address attribute's payload starts in the buffer, -1 when absent; {@link #addressLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int addressOffset()
    {
        return valid ? address : -1;
    }

    public int addressLength()
    {
        return valid && address >= 0 ? addressLength : 0;
    }

    /**
     * @return where the local attribute's payload starts in the buffer, -1 when absent; {@link #localLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int localOffset()
    {
        return valid ? local : -1;
    }

    public int localLength()
    {
        return valid && local >= 0 ? localLength : 0;
    }

    /**
     * @return where the broadcast attribute's payload starts in the buffer, -1 when absent; {@link #broadcastLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int broadcastOffset()
    {
        return valid ? broadcast : -1;
    }

    public int broadcastLength()
    {
        return valid && broadcast >= 0 ? broadcastLength : 0;
    }

    /**
     * @return what {@code ip -j addr} shows as "local": IFA_LOCAL if present, else IFA_ADDRESS, else null.
     */
    public String primaryAddress()
    {
        return local >= 0 ? local() : address();
    }

    public boolean hasBroadcast()
    {
        return broadcast >= 0;
    }

    public String broadcast()
    {
        return broadcast >= 0 ? format(broadcast, broadcastLength) : null;
    }

    /**
     * @return IFA_LABEL (IPv4 only, "eth0" or "eth0:alias"), or null.
     */
    public String label()
    {
        return label >= 0 ? AttributeIterator.string(buf, label, labelLength) : null;
    }

    public boolean hasCacheInfo()
    {
        return cacheInfo >= 0;
    }

    /**
     * @return seconds left of ifa_valid, {@link IfAddr#INFINITY_LIFE_TIME} for forever; -1 without IFA_CACHEINFO.
     */
    public long validLft()
    {
        return cacheInfo >= 0 ? Integer.toUnsignedLong(Bytes.i32(buf, cacheInfo + IFA_CACHEINFO_VALID_OFFSET)) : -1;
    }

    /**
     * @return seconds left of ifa_prefered, {@link IfAddr#INFINITY_LIFE_TIME} for forever; -1 without IFA_CACHEINFO.
     */
    public long preferredLft()
    {
        return cacheInfo >= 0 ? Integer.toUnsignedLong(Bytes.i32(buf, cacheInfo + IFA_CACHEINFO_PREFERED_OFFSET)) : -1;
    }

    /**
     * @return IFA_PROTO ({@code IFAPROT_*}: who added the address), or -1.
     */
    public int proto()
    {
        return proto >= 0 ? Bytes.u8(buf, proto) : -1;
    }

    private String format(final int payload, final int length)
    {
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
        clear();
        return recordError(error, errorOffset);
    }

    private void clear()
    {
        reset();
        address = -1;
        local = -1;
        broadcast = -1;
        label = -1;
        cacheInfo = -1;
        ifaFlags = -1;
        proto = -1;
        family = 0;
    }
}
