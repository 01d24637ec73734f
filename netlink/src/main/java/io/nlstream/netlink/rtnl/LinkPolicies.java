package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributePolicy;
import io.nlstream.netlink.Walked;

import static io.nlstream.netlink.rtnl.IfLink.*;

/**
 * The IFLA_* attributes after struct ifinfomsg, and those inside IFLA_LINKINFO. {@link LinkDecoder} reads them
 * through the walks generated from these (LinkWalk).
 */
@Walked
final class LinkPolicies
{
    /** Inside IFLA_LINKINFO. */
    static final AttributePolicy LINK_INFO = AttributePolicy.level("IFLA_INFO_*")
        .nulString(IFLA_INFO_KIND, IFLA_INFO_SLAVE_KIND)
        // contents are per kind and not read here; only the nest itself is checked (no child policy)
        .checked(null, IFLA_INFO_DATA, IFLA_INFO_SLAVE_DATA)
        .build();
    /** The IFLA_* attributes after struct ifinfomsg; their sizes do not depend on ifi_family. */
    static final AttributePolicy TOP = AttributePolicy.level("IFLA_*")
        .nulString(IFLA_IFNAME, IFLA_QDISC, IFLA_IFALIAS)
        // any length: 6 for Ethernet, 20 for InfiniBand, 0 or 4 for some tunnels
        .any(IFLA_ADDRESS, IFLA_BROADCAST, IFLA_PERM_ADDRESS)
        .u32(IFLA_MTU, IFLA_MIN_MTU, IFLA_MAX_MTU, IFLA_LINK, IFLA_MASTER, IFLA_TXQLEN, IFLA_GROUP)
        .u32(IFLA_LINK_NETNSID, IFLA_NEW_NETNSID, IFLA_NEW_IFINDEX)
        .u8(IFLA_OPERSTATE, IFLA_LINKMODE, IFLA_CARRIER)
        .nested(LINK_INFO, IFLA_LINKINFO)
        .build();

    private LinkPolicies()
    {
    }
}
