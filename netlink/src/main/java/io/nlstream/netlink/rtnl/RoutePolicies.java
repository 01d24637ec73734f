package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributePolicy;
import io.nlstream.netlink.Walked;

import static io.nlstream.netlink.rtnl.Route.*;

/**
 * The RTA_* attributes after struct rtmsg, and those after each struct rtnexthop in RTA_MULTIPATH: for AF_INET and
 * AF_INET6 the address attributes are exactly the address length of rtm_family; other families (MPLS) have
 * addresses of any length. {@link RouteDecoder} reads them through the walks generated from
 * these (RouteWalk). No rule can check RTA_VIA's address against rtvia_family, nor the rtnexthops of RTA_MULTIPATH
 * (not attributes): they are hooks, which the decoder's subclass of RouteWalk implements ({@code via},
 * {@code multipath}) and the walk calls where it meets them, in message order.
 */
@Walked
final class RoutePolicies
{
    static final String ERR_ADDRESS_LENGTH = "address length does not match rtm_family";
    static final String ERR_VIA_LENGTH = "RTA_VIA shorter than its family or not that family's address length";
    static final String ERR_CACHEINFO_LENGTH = "RTA_CACHEINFO payload is not struct rta_cacheinfo (32 bytes)";

    static final AttributePolicy TOP = AttributePolicy.level("RTA_*")
        .address(ERR_ADDRESS_LENGTH, RTA_DST, RTA_SRC, RTA_GATEWAY, RTA_PREFSRC)
        // struct rtvia: at least rtvia_family here; its address is checked against that family by the hook
        .hook(RTA_VIA, RTVIA_ADDR_OFFSET, 0xFFFF, ERR_VIA_LENGTH, "via")
        .u32(RTA_IIF, RTA_OIF, RTA_PRIORITY, RTA_TABLE, RTA_MARK, RTA_NH_ID, RTA_FLOW, RTA_UID)
        .u8(RTA_PREF, RTA_TTL_PROPAGATE, RTA_IP_PROTO)
        .u16(RTA_ENCAP_TYPE)
        .be16(RTA_SPORT, RTA_DPORT)
        // as ipmr sends it
        .u64(RTA_EXPIRES)
        .exact(RTA_CACHEINFO, RTA_CACHEINFO_LEN, ERR_CACHEINFO_LENGTH)
        // contents are RTAX_* metrics or per-encap attributes, not read here; only the nest itself is checked
        .checked(null, RTA_METRICS, RTA_ENCAP)
        // a run of struct rtnexthop, each followed by attributes of NEXTHOP: walked by the hook
        .hook(RTA_MULTIPATH, 0, 0xFFFF, null, "multipath")
        .build();
    /** The attributes after each struct rtnexthop in RTA_MULTIPATH. */
    static final AttributePolicy NEXTHOP = AttributePolicy.level("RTA_* of a rtnexthop")
        .address(ERR_ADDRESS_LENGTH, RTA_GATEWAY)
        .hook(RTA_VIA, RTVIA_ADDR_OFFSET, 0xFFFF, ERR_VIA_LENGTH, "via")
        .u32(RTA_FLOW)
        .u16(RTA_ENCAP_TYPE)
        .checked(null, RTA_ENCAP)
        .build();

    private RoutePolicies()
    {
    }
}
