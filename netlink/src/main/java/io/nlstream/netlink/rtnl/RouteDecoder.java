package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.Bytes;
import io.nlstream.netlink.InetAddresses;
import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;

import java.nio.ByteBuffer;

import static io.nlstream.netlink.AttributeIterator.*;
import static io.nlstream.netlink.rtnl.Route.*;
import static io.nlstream.netlink.rtnl.Rtnetlink.*;

/**
 * Flyweight over an RTM_NEWROUTE or RTM_DELROUTE message (dump reply or RTNLGRP_IPV4_ROUTE /
 * RTNLGRP_IPV6_ROUTE event).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  struct nlmsghdr (16 bytes), nlmsg_type RTM_NEWROUTE/DELROUTE |
 *  +---------------+---------------+---------------+---------------+
 *  |  rtm_family   |  rtm_dst_len  |  rtm_src_len  |    rtm_tos    |  struct rtmsg
 *  +---------------+---------------+---------------+---------------+
 *  |  rtm_table    | rtm_protocol  |   rtm_scope   |   rtm_type    |
 *  +---------------+---------------+---------------+---------------+
 *  |                   rtm_flags (u32, RTM_F_* | RTNH_F_*)          |
 *  +---------------------------------------------------------------+
 *  |  RTA_* attributes to nlmsg_len:                               |
 *  |    RTA_DST, RTA_SRC, RTA_GATEWAY, RTA_PREFSRC  4 or 16 bytes   |
 *  |    RTA_OIF, RTA_IIF, RTA_PRIORITY, RTA_TABLE, RTA_MARK,       |
 *  |    RTA_NH_ID, RTA_FLOW, RTA_UID u32     RTA_PREF u8           |
 *  |    RTA_VIA  struct rtvia: u16 family | address                 |
 *  |    RTA_CACHEINFO struct rta_cacheinfo (32 bytes)              |
 *  |    RTA_METRICS, RTA_ENCAP nested (not read here)              |
 *  |    RTA_MULTIPATH: a run of                                    |
 *  |      +-------------------------------+-------+-------+        |
 *  |      |       rtnh_len (u16)          | flags | hops  |        |  struct rtnexthop
 *  |      +-------------------------------+-------+-------+        |
 *  |      |             rtnh_ifindex (s32)                |        |
 *  |      +-----------------------------------------------+        |
 *  |      |  RTA_GATEWAY / RTA_VIA / RTA_FLOW / RTA_ENCAP  |        |  to rtnh_len
 *  |      +-----------------------------------------------+        |
 *  |      ... next rtnexthop at RTNH_ALIGN(rtnh_len)               |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Validation as in {@link LinkDecoder}: framing, the rtmsg size, the size of every attribute named
 * above (u32 exactly 4 bytes and so on; RTA_EXPIRES a u64 as ipmr sends it), and for AF_INET and
 * AF_INET6 the address attributes exactly the family's address length; other families (MPLS) are
 * accepted with addresses of any length, shown as hex. RTA_VIA must hold a family and, for inet and
 * inet6, exactly that family's address. RTA_MULTIPATH must be a whole number of well-formed
 * rtnexthops whose own attributes obey the same rules, as the kernel's {@code rtnh_ok} walk requires.
 * Unknown attributes are skipped. The last of a repeated attribute wins. On a bad message wrap
 * returns false and getters answer as if every attribute were absent.
 * <p>
 * The destination comes in raw pieces, {@link #dst()} and {@link #dstLen()}, and as {@link #dstCidr()},
 * which always carries the prefix length ({@code 10.99.0.1/32}).
 * Reusable and allocation-free except for the String getters. Not thread safe.
 */
public final class RouteDecoder extends MessageDecoder
{
    public static final String ERR_NOT_ROUTE = "not a route message";
    public static final String ERR_SHORT_RTMSG = "message shorter than struct rtmsg";
    public static final String ERR_ADDRESS_LENGTH = "address length does not match rtm_family";
    public static final String ERR_VIA_LENGTH = "RTA_VIA shorter than its family or not that family's address length";
    public static final String ERR_CACHEINFO_LENGTH = "RTA_CACHEINFO payload is not struct rta_cacheinfo (32 bytes)";
    public static final String ERR_RTNH_TRAILING = "bytes after the last rtnexthop shorter than struct rtnexthop";
    public static final String ERR_RTNH_LENGTH = "rtnh_len shorter than struct rtnexthop";
    public static final String ERR_RTNH_PAST_END = "rtnh_len past the end of RTA_MULTIPATH";

    private static final int ATTRIBUTES_OFFSET = Netlink.NLMSG_HDRLEN + Netlink.nlmsgAlign(RTMSG_LEN);

    private final AttributeIterator attributes = new AttributeIterator();
    private final AttributeIterator inner = new AttributeIterator();

    private int addressBytes;

    // payload offsets of the known attributes, -1 when absent; lengths where they vary
    private int dst;
    private int dstLength;
    private int src;
    private int srcLength;
    private int gateway;
    private int gatewayLength;
    private int prefsrc;
    private int prefsrcLength;
    private int oif;
    private int priority;
    private int table;
    private int mark;
    private int nhId;
    private int pref;
    private int via;
    private int viaLength;
    private int cacheInfo;
    private int metrics;
    private int metricsLength;
    private int multipath;
    private int multipathLength;
    private int nexthops;

    public RouteDecoder()
    {
        clear();
    }

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed route message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        begin(buf, offset);
        clear();

        final int len = frame(length, RTM_NEWROUTE, RTM_DELROUTE, ERR_NOT_ROUTE, RTMSG_LEN, ERR_SHORT_RTMSG);
        if (len < 0)
        {
            return false;
        }

        final int family = Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + RTM_FAMILY_OFFSET);
        addressBytes = addressBytes(family);
        final int start = offset + ATTRIBUTES_OFFSET;
        final AttributeIterator it = attributes.reset(buf, start, offset + len - start);
        while (it.next())
        {
            final int at = it.attributeOffset();
            final int payload = it.payloadOffset();
            final int payloadLength = it.payloadLength();
            switch (it.type())
            {
                case RTA_DST:
                case RTA_SRC:
                case RTA_GATEWAY:
                case RTA_PREFSRC:
                    if (addressBytes >= 0 && payloadLength != addressBytes)
                    {
                        return fail(ERR_ADDRESS_LENGTH, at);
                    }
                    if (it.type() == RTA_DST)
                    {
                        dst = payload;
                        dstLength = payloadLength;
                    }
                    else if (it.type() == RTA_SRC)
                    {
                        src = payload;
                        srcLength = payloadLength;
                    }
                    else if (it.type() == RTA_GATEWAY)
                    {
                        gateway = payload;
                        gatewayLength = payloadLength;
                    }
                    else
                    {
                        prefsrc = payload;
                        prefsrcLength = payloadLength;
                    }
                    break;
                case RTA_IIF:
                case RTA_OIF:
                case RTA_PRIORITY:
                case RTA_TABLE:
                case RTA_MARK:
                case RTA_NH_ID:
                case RTA_FLOW:
                case RTA_UID:
                    if (!it.isU32())
                    {
                        return fail(ERR_NOT_U32, at);
                    }
                    if (it.type() == RTA_OIF)
                    {
                        oif = payload;
                    }
                    else if (it.type() == RTA_PRIORITY)
                    {
                        priority = payload;
                    }
                    else if (it.type() == RTA_TABLE)
                    {
                        table = payload;
                    }
                    else if (it.type() == RTA_MARK)
                    {
                        mark = payload;
                    }
                    else if (it.type() == RTA_NH_ID)
                    {
                        nhId = payload;
                    }
                    break;
                case RTA_PREF:
                case RTA_TTL_PROPAGATE:
                case RTA_IP_PROTO:
                    if (!it.isU8())
                    {
                        return fail(ERR_NOT_U8, at);
                    }
                    if (it.type() == RTA_PREF)
                    {
                        pref = payload;
                    }
                    break;
                case RTA_ENCAP_TYPE:
                case RTA_SPORT:
                case RTA_DPORT:
                    if (!it.isU16())
                    {
                        return fail(ERR_NOT_U16, at);
                    }
                    break;
                case RTA_EXPIRES:
                    if (!it.isU64())
                    {
                        return fail(ERR_NOT_U64, at);
                    }
                    break;
                case RTA_CACHEINFO:
                    if (payloadLength != RTA_CACHEINFO_LEN)
                    {
                        return fail(ERR_CACHEINFO_LENGTH, at);
                    }
                    cacheInfo = payload;
                    break;
                case RTA_VIA:
                    if (!isVia(payload, payloadLength))
                    {
                        return fail(ERR_VIA_LENGTH, at);
                    }
                    via = payload;
                    viaLength = payloadLength;
                    break;
                case RTA_METRICS:
                case RTA_ENCAP:
                    // contents are RTAX_* metrics or per-encap attributes, not read here
                    if (!it.isNested())
                    {
                        return fail(ERR_NOT_NESTED, at);
                    }
                    if (it.type() == RTA_METRICS)
                    {
                        metrics = payload;
                        metricsLength = payloadLength;
                    }
                    break;
                case RTA_MULTIPATH:
                    final int count = multipath(payload, payloadLength);
                    if (count < 0)
                    {
                        return false;
                    }
                    multipath = payload;
                    multipathLength = payloadLength;
                    nexthops = count;
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

    /**
     * Validates a run of struct rtnexthop and the attributes of each.
     *
     * @return the number of nexthops, or -1 after {@link #fail}.
     */
    private int multipath(final int start, final int length)
    {
        final int end = start + length;
        int count = 0;
        int at = start;
        while (at < end)
        {
            final int remaining = end - at;
            if (remaining < RTNH_LEN)
            {
                fail(ERR_RTNH_TRAILING, at);
                return -1;
            }
            final int rtnhLen = Bytes.u16(buf, at + RTNH_LEN_OFFSET);
            if (rtnhLen < RTNH_LEN)
            {
                fail(ERR_RTNH_LENGTH, at);
                return -1;
            }
            if (rtnhLen > remaining)
            {
                fail(ERR_RTNH_PAST_END, at);
                return -1;
            }
            final AttributeIterator it = inner.reset(buf, at + RTNH_LEN, rtnhLen - RTNH_LEN);
            while (it.next())
            {
                final int attr = it.attributeOffset();
                switch (it.type())
                {
                    case RTA_GATEWAY:
                        if (addressBytes >= 0 && it.payloadLength() != addressBytes)
                        {
                            fail(ERR_ADDRESS_LENGTH, attr);
                            return -1;
                        }
                        break;
                    case RTA_VIA:
                        if (!isVia(it.payloadOffset(), it.payloadLength()))
                        {
                            fail(ERR_VIA_LENGTH, attr);
                            return -1;
                        }
                        break;
                    case RTA_FLOW:
                        if (!it.isU32())
                        {
                            fail(ERR_NOT_U32, attr);
                            return -1;
                        }
                        break;
                    case RTA_ENCAP:
                        if (!it.isNested())
                        {
                            fail(ERR_NOT_NESTED, attr);
                            return -1;
                        }
                        break;
                    case RTA_ENCAP_TYPE:
                        if (!it.isU16())
                        {
                            fail(ERR_NOT_U16, attr);
                            return -1;
                        }
                        break;
                    default:
                        break;
                }
            }
            if (it.malformed())
            {
                fail(it.error(), it.errorOffset());
                return -1;
            }
            count++;
            at = (int)Math.min((long)at + ((rtnhLen + RTNH_ALIGNTO - 1) & -RTNH_ALIGNTO), end);
        }
        return count;
    }

    private boolean isVia(final int payload, final int payloadLength)
    {
        if (payloadLength < RTVIA_ADDR_OFFSET)
        {
            return false;
        }
        final int bytes = addressBytes(Bytes.u16(buf, payload));
        return bytes < 0 || payloadLength == RTVIA_ADDR_OFFSET + bytes;
    }

    private static int addressBytes(final int family)
    {
        return family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;
    }

    // struct nlmsghdr and struct rtmsg; 0 when the last wrap failed

    public int messageType()
    {
        return valid ? NetlinkFraming.type(buf, offset) : 0;
    }

    public boolean isDelete()
    {
        return messageType() == RTM_DELROUTE;
    }

    public int family()
    {
        return rtmsgU8(RTM_FAMILY_OFFSET);
    }

    public int dstLen()
    {
        return rtmsgU8(RTM_DST_LEN_OFFSET);
    }

    public int srcLen()
    {
        return rtmsgU8(RTM_SRC_LEN_OFFSET);
    }

    public int tos()
    {
        return rtmsgU8(RTM_TOS_OFFSET);
    }

    /**
     * @return rtm_table as sent: only 8 bits, {@link Route#RT_TABLE_COMPAT} for a larger table id.
     */
    private int rtmTable()
    {
        return rtmsgU8(RTM_TABLE_OFFSET);
    }

    /**
     * @return RTA_TABLE when present, else rtm_table (as iproute2's {@code rtm_get_table}); see
     * {@link RouteNames#table(long)}.
     */
    public long table()
    {
        return table >= 0 ? Integer.toUnsignedLong(Bytes.i32(buf, table)) : rtmTable();
    }

    /**
     * @return rtm_protocol ({@code RTPROT_*}: who installed the route); see {@link RouteNames#protocol(int)}.
     */
    public int protocol()
    {
        return rtmsgU8(RTM_PROTOCOL_OFFSET);
    }

    /**
     * @return rtm_scope ({@code RT_SCOPE_*}); see {@link AddrScope#name(int)}.
     */
    public int scope()
    {
        return rtmsgU8(RTM_SCOPE_OFFSET);
    }

    /**
     * @return rtm_type ({@code RTN_*}); see {@link RouteNames#type(int)}.
     */
    public int type()
    {
        return rtmsgU8(RTM_TYPE_OFFSET);
    }

    /**
     * @return rtm_flags: {@code RTM_F_*} above the low byte, the single nexthop's {@code RTNH_F_*} in it.
     */
    public int flags()
    {
        return valid ? Bytes.i32(buf, offset + Netlink.NLMSG_HDRLEN + RTM_FLAGS_OFFSET) : 0;
    }

    // attributes

    public boolean hasDst()
    {
        return dst >= 0;
    }

    /**
     * @return RTA_DST as text without the prefix length, or null (a default route has none).
     */
    public String dst()
    {
        return dst >= 0 ? address(dst, dstLength) : null;
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
     * @return where the gateway attribute's payload starts in the buffer, -1 when absent; {@link #gatewayLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int gatewayOffset()
    {
        return valid ? gateway : -1;
    }

    public int gatewayLength()
    {
        return valid && gateway >= 0 ? gatewayLength : 0;
    }

    /**
     * @return where the prefsrc attribute's payload starts in the buffer, -1 when absent; {@link #prefsrcLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int prefsrcOffset()
    {
        return valid ? prefsrc : -1;
    }

    public int prefsrcLength()
    {
        return valid && prefsrc >= 0 ? prefsrcLength : 0;
    }

    /**
     * @return "default" for no RTA_DST and dst_len 0, as ip prints it; else RTA_DST "/" dst_len, the
     * length always written, even for a host route ({@code 10.99.0.1/32}); "0/len" in the odd case of
     * a length without RTA_DST; null after a failed wrap.
     */
    public String dstCidr()
    {
        if (!valid)
        {
            return null;
        }
        if (dst < 0)
        {
            return dstLen() == 0 ? "default" : "0/" + dstLen();
        }
        return dst() + "/" + dstLen();
    }

    public boolean hasSrc()
    {
        return src >= 0;
    }

    /**
     * @return RTA_SRC (source-specific routing, with {@link #srcLen()}), or null.
     */
    public String src()
    {
        return src >= 0 ? address(src, srcLength) : null;
    }

    public boolean hasGateway()
    {
        return gateway >= 0;
    }

    /**
     * @return the top-level RTA_GATEWAY, or null (a multipath route has one per nexthop instead).
     */
    public String gateway()
    {
        return gateway >= 0 ? address(gateway, gatewayLength) : null;
    }

    /**
     * @return RTA_OIF, the output interface index, or 0.
     */
    public int oif()
    {
        return oif >= 0 ? Bytes.i32(buf, oif) : 0;
    }

    /**
     * @return RTA_PRIORITY, the metric, or -1.
     */
    public long priority()
    {
        return u32(priority);
    }

    public boolean hasPrefsrc()
    {
        return prefsrc >= 0;
    }

    /**
     * @return RTA_PREFSRC, the preferred source address, or null.
     */
    public String prefsrc()
    {
        return prefsrc >= 0 ? address(prefsrc, prefsrcLength) : null;
    }

    /**
     * @return RTA_MARK, or -1.
     */
    public long mark()
    {
        return u32(mark);
    }

    /**
     * @return RTA_NH_ID, the nexthop object the route uses ({@code ip route ... nhid N}), or -1.
     */
    public long nhId()
    {
        return u32(nhId);
    }

    /**
     * @return RTA_PREF ({@code ICMPV6_ROUTER_PREF_*}, IPv6 only); see {@link RouteNames#pref(int)}; or -1.
     */
    public int pref()
    {
        return pref >= 0 ? Bytes.u8(buf, pref) : -1;
    }

    public boolean hasVia()
    {
        return via >= 0;
    }

    /**
     * @return RTA_VIA's rtvia_family (a gateway of another family than the route), or -1.
     */
    private int viaFamily()
    {
        return via >= 0 ? Bytes.u16(buf, via) : -1;
    }

    /**
     * @return RTA_VIA's address as text (hex for a family other than inet and inet6), or null.
     */
    public String via()
    {
        if (via < 0)
        {
            return null;
        }
        final int at = via + RTVIA_ADDR_OFFSET;
        final int length = viaLength - RTVIA_ADDR_OFFSET;
        return addressBytes(viaFamily()) < 0 ? InetAddresses.mac(buf, at, length) : InetAddresses.format(buf, at, length);
    }

    public boolean hasCacheInfo()
    {
        return cacheInfo >= 0;
    }

    /**
     * @return rta_cacheinfo's rta_expires in clock ticks ({@code USER_HZ}, 100 a second): what
     * {@code ip route} divides by 100 to print "expires N"; 0 for a route that does not expire, and
     * 0 without RTA_CACHEINFO.
     */
    public int cacheInfoExpires()
    {
        return cacheInfo >= 0 ? Bytes.i32(buf, cacheInfo + RTA_CACHEINFO_EXPIRES_OFFSET) : 0;
    }

    public boolean hasMetrics()
    {
        return metrics >= 0;
    }

    /**
     * @return the buffer index of RTA_METRICS' payload (nested RTAX_* attributes, to walk with an
     * {@link AttributeIterator}), or -1.
     */
    public int metricsOffset()
    {
        return metrics;
    }

    public int metricsLength()
    {
        return metrics >= 0 ? metricsLength : 0;
    }

    /**
     * @return the number of struct rtnexthop in RTA_MULTIPATH; 0 without RTA_MULTIPATH (a route with
     * one nexthop carries it in {@link #gateway()} and {@link #oif()}).
     */
    public int nexthopCount()
    {
        return nexthops;
    }

    /**
     * @return rtnh_ifindex of nexthop {@code i} (from 0), or 0 when there is no such nexthop.
     */
    public int nexthopIfindex(final int i)
    {
        final int at = nexthop(i);
        return at >= 0 ? Bytes.i32(buf, at + RTNH_IFINDEX_OFFSET) : 0;
    }

    /**
     * @return the weight of nexthop {@code i}, rtnh_hops + 1 as ip prints it, or 0 when there is none.
     */
    public int nexthopWeight(final int i)
    {
        final int at = nexthop(i);
        return at >= 0 ? Bytes.u8(buf, at + RTNH_HOPS_OFFSET) + 1 : 0;
    }

    /**
     * @return the RTA_GATEWAY inside nexthop {@code i}, or null.
     */
    public String nexthopGateway(final int i)
    {
        final int at = nexthop(i);
        if (at < 0)
        {
            return null;
        }
        String gw = null;
        final AttributeIterator it = inner.reset(buf, at + RTNH_LEN, Bytes.u16(buf, at) - RTNH_LEN);
        while (it.next())
        {
            if (it.type() == RTA_GATEWAY)
            {
                gw = address(it.payloadOffset(), it.payloadLength());
            }
        }
        return gw;
    }

    private int nexthop(final int i)
    {
        if (i < 0 || i >= nexthops)
        {
            return -1;
        }
        // validated by wrap: every rtnh_len is within RTA_MULTIPATH
        int at = multipath;
        for (int n = 0; n < i; n++)
        {
            at += (Bytes.u16(buf, at) + RTNH_ALIGNTO - 1) & -RTNH_ALIGNTO;
        }
        return at;
    }

    /**
     * inet and inet6 addresses as inet_ntop writes them; another family's (an MPLS label stack) as hex,
     * even when it happens to be 4 or 16 bytes long.
     */
    private String address(final int payload, final int length)
    {
        return addressBytes < 0 ? InetAddresses.mac(buf, payload, length) : InetAddresses.format(buf, payload, length);
    }

    private long u32(final int payload)
    {
        return payload >= 0 ? Integer.toUnsignedLong(Bytes.i32(buf, payload)) : -1;
    }

    private int rtmsgU8(final int field)
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
        dst = -1;
        src = -1;
        gateway = -1;
        prefsrc = -1;
        oif = -1;
        priority = -1;
        table = -1;
        mark = -1;
        nhId = -1;
        pref = -1;
        via = -1;
        cacheInfo = -1;
        metrics = -1;
        multipath = -1;
        nexthops = 0;
    }
}
