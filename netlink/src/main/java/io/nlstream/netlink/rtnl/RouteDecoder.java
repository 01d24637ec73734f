package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.Bytes;
import io.nlstream.netlink.InetAddresses;
import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Nest;
import io.nlstream.netlink.Netlink;

import java.nio.ByteBuffer;

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
 * returns false and getters answer as if every attribute were absent. The rules are declared in
 * {@link RoutePolicies} and checked by the walks generated from them; RTA_VIA's address and the
 * rtnexthops, which no rule can check, by this decoder's hooks ({@code Walker}), which those walks
 * call where they meet them: the first refusal in message order wins, a hook's or a rule's.
 * <p>
 * The destination comes in raw pieces, {@link #dst()} and {@link #dstLen()}, and as {@link #dstCidr()},
 * which always carries the prefix length ({@code 10.99.0.1/32}).
 * Reusable and allocation-free except for the String getters. Not thread safe.
 */
public final class RouteDecoder extends MessageDecoder
{
    public static final String ERR_NOT_ROUTE = "not a route message";
    public static final String ERR_SHORT_RTMSG = "message shorter than struct rtmsg";
    public static final String ERR_ADDRESS_LENGTH = RoutePolicies.ERR_ADDRESS_LENGTH;
    public static final String ERR_VIA_LENGTH = RoutePolicies.ERR_VIA_LENGTH;
    public static final String ERR_CACHEINFO_LENGTH = RoutePolicies.ERR_CACHEINFO_LENGTH;
    public static final String ERR_RTNH_TRAILING = "bytes after the last rtnexthop shorter than struct rtnexthop";
    public static final String ERR_RTNH_LENGTH = "rtnh_len shorter than struct rtnexthop";
    public static final String ERR_RTNH_PAST_END = "rtnh_len past the end of RTA_MULTIPATH";

    private static final int ATTRIBUTES_OFFSET = Netlink.NLMSG_HDRLEN + Netlink.nlmsgAlign(RTMSG_LEN);

    private final Walker walk = new Walker();
    // payload offsets by RTA_* type, -1 when absent: the top level, and the rtnexthop walked last
    private final Nest nest = Nest.of(RoutePolicies.TOP);
    private final int[] top = nest.at;
    private final Nest hopNest = Nest.of(RoutePolicies.NEXTHOP);
    private final int[] hop = hopNest.at;

    private int family;
    // the number of struct rtnexthop in the last RTA_MULTIPATH, 0 without one (counted by the walk's hook)
    private int nexthops;

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed route message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        nexthops = 0;
        final int len = open(buf, offset, length, RTM_NEWROUTE, RTM_DELROUTE, ERR_NOT_ROUTE, RTMSG_LEN,
            ERR_SHORT_RTMSG, nest);
        if (len < 0)
        {
            return false;
        }
        family = Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + RTM_FAMILY_OFFSET);
        final int start = offset + ATTRIBUTES_OFFSET;
        final boolean walked = walk.TOP(buf, start, offset + len - start, nest, family);
        if (!walked)
        {
            // refused after an RTA_MULTIPATH its hook counted
            nexthops = 0;
        }
        return accept(walk, walked);
    }

    /**
     * RouteWalk with the checks no rule can make, called by the generated walks in message order: each RTA_VIA's
     * address is its family's, and each RTA_MULTIPATH is a run of well-formed rtnexthops whose attributes pass
     * {@link RoutePolicies#NEXTHOP} (that walk calls {@link #via} in turn).
     */
    private final class Walker extends RouteWalk
    {
        /**
         * @param length at least rtvia_family's 2 bytes (the policies' rule)
         */
        @Override
        protected boolean via(final int payload, final int length)
        {
            final int bytes = addressBytes(view.u16(payload));
            return bytes < 0 || length == RTVIA_ADDR_OFFSET + bytes
                || refuse(ERR_VIA_LENGTH, payload - Netlink.NLA_HDRLEN);
        }

        /**
         * Validates a run of struct rtnexthop and the attributes of each, and counts them: the last RTA_MULTIPATH's
         * count is {@link RouteDecoder#nexthopCount()}.
         */
        @Override
        protected boolean multipath(final int payload, final int length)
        {
            final int end = payload + length;
            int count = 0;
            int at = payload;
            while (at < end)
            {
                final int remaining = end - at;
                if (remaining < RTNH_LEN)
                {
                    return refuse(ERR_RTNH_TRAILING, at);
                }
                final int rtnhLen = view.u16(at + RTNH_LEN_OFFSET);
                if (rtnhLen < RTNH_LEN)
                {
                    return refuse(ERR_RTNH_LENGTH, at);
                }
                if (rtnhLen > remaining)
                {
                    return refuse(ERR_RTNH_PAST_END, at);
                }
                // its attributes, in turn, before the next rtnexthop: a refusal there is the walk's
                if (!walkNexthop(at))
                {
                    return false;
                }
                count++;
                at = (int)Math.min((long)at + ((rtnhLen + RTNH_ALIGNTO - 1) & -RTNH_ALIGNTO), end);
            }
            nexthops = count;
            return true;
        }
    }

    /**
     * The attributes of the rtnexthop at {@code at}, whose rtnh_len is framed, against the family's policy, into
     * {@code hopNest}.
     */
    private boolean walkNexthop(final int at)
    {
        final int start = at + RTNH_LEN;
        final int length = Bytes.u16(buf, at + RTNH_LEN_OFFSET) - RTNH_LEN;
        return walk.NEXTHOP(buf, start, length, hopNest, family);
    }

    private static int addressBytes(final int family)
    {
        return family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;
    }

    // struct nlmsghdr and struct rtmsg; 0 when the last wrap failed

    public boolean isDelete()
    {
        return messageType() == RTM_DELROUTE;
    }

    public int family()
    {
        return fixedU8(RTM_FAMILY_OFFSET);
    }

    public int dstLen()
    {
        return fixedU8(RTM_DST_LEN_OFFSET);
    }

    public int srcLen()
    {
        return fixedU8(RTM_SRC_LEN_OFFSET);
    }

    public int tos()
    {
        return fixedU8(RTM_TOS_OFFSET);
    }

    /**
     * @return rtm_table as sent: only 8 bits, {@link Route#RT_TABLE_COMPAT} for a larger table id.
     */
    private int rtmTable()
    {
        return fixedU8(RTM_TABLE_OFFSET);
    }

    /**
     * @return RTA_TABLE when present, else rtm_table (as iproute2's {@code rtm_get_table}); see
     * {@link RouteNames#table(long)}.
     */
    public long table()
    {
        final int table = top[RTA_TABLE];
        return table >= 0 ? Integer.toUnsignedLong(Bytes.i32(buf, table)) : rtmTable();
    }

    /**
     * @return rtm_protocol ({@code RTPROT_*}: who installed the route); see {@link RouteNames#protocol(int)}.
     */
    public int protocol()
    {
        return fixedU8(RTM_PROTOCOL_OFFSET);
    }

    /**
     * @return rtm_scope ({@code RT_SCOPE_*}); see {@link AddrScope#name(int)}.
     */
    public int scope()
    {
        return fixedU8(RTM_SCOPE_OFFSET);
    }

    /**
     * @return rtm_type ({@code RTN_*}); see {@link RouteNames#type(int)}.
     */
    public int type()
    {
        return fixedU8(RTM_TYPE_OFFSET);
    }

    /**
     * @return rtm_flags: {@code RTM_F_*} above the low byte, the single nexthop's {@code RTNH_F_*} in it.
     */
    public int flags()
    {
        return fixedS32(RTM_FLAGS_OFFSET);
    }

    // attributes

    public boolean hasDst()
    {
        return top[RTA_DST] >= 0;
    }

    /**
     * @return RTA_DST as text without the prefix length, or null (a default route has none).
     */
    public String dst()
    {
        return address(top[RTA_DST]);
    }

    /**
     * @return where the dst attribute's payload starts in the buffer, -1 when absent; {@link #dstLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int dstOffset()
    {
        return top[RTA_DST];
    }

    public int dstLength()
    {
        return length(top[RTA_DST]);
    }

    /**
     * @return where the gateway attribute's payload starts in the buffer, -1 when absent; {@link #gatewayLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int gatewayOffset()
    {
        return top[RTA_GATEWAY];
    }

    public int gatewayLength()
    {
        return length(top[RTA_GATEWAY]);
    }

    /**
     * @return where the prefsrc attribute's payload starts in the buffer, -1 when absent; {@link #prefsrcLength()}
     * bytes in network order. For allocation-free readers.
     */
    public int prefsrcOffset()
    {
        return top[RTA_PREFSRC];
    }

    public int prefsrcLength()
    {
        return length(top[RTA_PREFSRC]);
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
        if (top[RTA_DST] < 0)
        {
            return dstLen() == 0 ? "default" : "0/" + dstLen();
        }
        return dst() + "/" + dstLen();
    }

    public boolean hasSrc()
    {
        return top[RTA_SRC] >= 0;
    }

    /**
     * @return RTA_SRC (source-specific routing, with {@link #srcLen()}), or null.
     */
    public String src()
    {
        return address(top[RTA_SRC]);
    }

    public boolean hasGateway()
    {
        return top[RTA_GATEWAY] >= 0;
    }

    /**
     * @return the top-level RTA_GATEWAY, or null (a multipath route has one per nexthop instead).
     */
    public String gateway()
    {
        return address(top[RTA_GATEWAY]);
    }

    /**
     * @return RTA_OIF, the output interface index, or 0.
     */
    public int oif()
    {
        return s32(top[RTA_OIF], 0);
    }

    /**
     * @return RTA_PRIORITY, the metric, or -1.
     */
    public long priority()
    {
        return u32(top[RTA_PRIORITY]);
    }

    public boolean hasPrefsrc()
    {
        return top[RTA_PREFSRC] >= 0;
    }

    /**
     * @return RTA_PREFSRC, the preferred source address, or null.
     */
    public String prefsrc()
    {
        return address(top[RTA_PREFSRC]);
    }

    /**
     * @return RTA_MARK, or -1.
     */
    public long mark()
    {
        return u32(top[RTA_MARK]);
    }

    /**
     * @return RTA_NH_ID, the nexthop object the route uses ({@code ip route ... nhid N}), or -1.
     */
    public long nhId()
    {
        return u32(top[RTA_NH_ID]);
    }

    /**
     * @return RTA_PREF ({@code ICMPV6_ROUTER_PREF_*}, IPv6 only); see {@link RouteNames#pref(int)}; or -1.
     */
    public int pref()
    {
        return u8(top[RTA_PREF]);
    }

    public boolean hasVia()
    {
        return top[RTA_VIA] >= 0;
    }

    /**
     * @return RTA_VIA's rtvia_family (a gateway of another family than the route), or -1.
     */
    private int viaFamily()
    {
        final int via = top[RTA_VIA];
        return via >= 0 ? Bytes.u16(buf, via) : -1;
    }

    /**
     * @return RTA_VIA's address as text (hex for a family other than inet and inet6), or null.
     */
    public String via()
    {
        final int via = top[RTA_VIA];
        if (via < 0)
        {
            return null;
        }
        final int at = via + RTVIA_ADDR_OFFSET;
        final int length = Nest.length(buf, via) - RTVIA_ADDR_OFFSET;
        return addressBytes(viaFamily()) < 0 ? InetAddresses.mac(buf, at, length) : InetAddresses.format(buf, at, length);
    }

    public boolean hasCacheInfo()
    {
        return top[RTA_CACHEINFO] >= 0;
    }

    /**
     * @return rta_cacheinfo's rta_expires in clock ticks ({@code USER_HZ}, 100 a second): what
     * {@code ip route} divides by 100 to print "expires N"; 0 for a route that does not expire, and
     * 0 without RTA_CACHEINFO.
     */
    public int cacheInfoExpires()
    {
        final int cacheInfo = top[RTA_CACHEINFO];
        return cacheInfo >= 0 ? Bytes.i32(buf, cacheInfo + RTA_CACHEINFO_EXPIRES_OFFSET) : 0;
    }

    public boolean hasMetrics()
    {
        return top[RTA_METRICS] >= 0;
    }

    /**
     * @return the buffer index of RTA_METRICS' payload (nested RTAX_* attributes, to walk with an
     * {@link AttributeIterator}), or -1.
     */
    public int metricsOffset()
    {
        return top[RTA_METRICS];
    }

    public int metricsLength()
    {
        return length(top[RTA_METRICS]);
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
        // validated by wrap: the walk passes again
        return walkNexthop(at) ? address(hop[RTA_GATEWAY]) : null;
    }

    private int nexthop(final int i)
    {
        if (i < 0 || i >= nexthops)
        {
            return -1;
        }
        // validated by wrap: every rtnh_len is within RTA_MULTIPATH
        int at = top[RTA_MULTIPATH];
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
    private String address(final int payload)
    {
        if (payload < 0)
        {
            return null;
        }
        final int length = Nest.length(buf, payload);
        return addressBytes(family) < 0 ? InetAddresses.mac(buf, payload, length)
            : InetAddresses.format(buf, payload, length);
    }
}
