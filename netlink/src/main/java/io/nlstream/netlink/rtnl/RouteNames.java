package io.nlstream.netlink.rtnl;

import static io.nlstream.netlink.rtnl.Route.*;

/**
 * Route fields as {@code ip -j route} (iproute2 6.1) prints them, without an {@code /etc/iproute2}
 * database of local names: protocols as iproute2's built-in table and Debian's {@code rt_protos}
 * name them, types as {@code rtnl_rtntype_n2a}, tables as {@code rtnl_rttable_n2a}, preferences as
 * {@code print_rt_pref}. Any other value is its decimal number. Scopes are {@link AddrScope#name(int)}.
 * <p>
 * ip leaves out some values unless asked for details ({@code -d}): type "unicast", table "main",
 * protocol "boot", scope "global". These methods always return the name; leaving it out is the
 * printer's choice.
 */
public final class RouteNames
{
    private static final String[] PROTOCOLS = new String[256];
    private static final String[] TYPES = {
        "none", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit",
        "throw", "nat", "xresolve",
    };

    static
    {
        PROTOCOLS[RTPROT_UNSPEC] = "unspec";
        PROTOCOLS[RTPROT_REDIRECT] = "redirect";
        PROTOCOLS[RTPROT_KERNEL] = "kernel";
        PROTOCOLS[RTPROT_BOOT] = "boot";
        PROTOCOLS[RTPROT_STATIC] = "static";
        PROTOCOLS[RTPROT_GATED] = "gated";
        PROTOCOLS[RTPROT_RA] = "ra";
        PROTOCOLS[RTPROT_MRT] = "mrt";
        PROTOCOLS[RTPROT_ZEBRA] = "zebra";
        PROTOCOLS[RTPROT_BIRD] = "bird";
        PROTOCOLS[RTPROT_DNROUTED] = "dnrouted";
        PROTOCOLS[RTPROT_XORP] = "xorp";
        PROTOCOLS[RTPROT_NTK] = "ntk";
        PROTOCOLS[RTPROT_DHCP] = "dhcp";
        // RTPROT_MROUTED (17) has no name in iproute2 6.1: ip prints 17
        PROTOCOLS[RTPROT_KEEPALIVED] = "keepalived";
        PROTOCOLS[RTPROT_BABEL] = "babel";
        PROTOCOLS[RTPROT_OPENR] = "openr";
        PROTOCOLS[RTPROT_BGP] = "bgp";
        PROTOCOLS[RTPROT_ISIS] = "isis";
        PROTOCOLS[RTPROT_OSPF] = "ospf";
        PROTOCOLS[RTPROT_RIP] = "rip";
        PROTOCOLS[RTPROT_EIGRP] = "eigrp";
    }

    private RouteNames()
    {
    }

    /**
     * @param protocol rtm_protocol
     */
    public static String protocol(final int protocol)
    {
        final String name = protocol >= 0 && protocol < PROTOCOLS.length ? PROTOCOLS[protocol] : null;
        return name != null ? name : Integer.toString(protocol);
    }

    /**
     * @param type rtm_type
     */
    public static String type(final int type)
    {
        return type >= 0 && type < TYPES.length ? TYPES[type] : Integer.toString(type);
    }

    /**
     * @param table RTA_TABLE or rtm_table ({@link RouteDecoder#table()}), unsigned
     */
    public static String table(final long table)
    {
        if (table == RT_TABLE_MAIN)
        {
            return "main";
        }
        if (table == RT_TABLE_LOCAL)
        {
            return "local";
        }
        if (table == RT_TABLE_DEFAULT)
        {
            return "default";
        }
        if (table == RT_TABLE_UNSPEC)
        {
            return "unspec";
        }
        return Long.toString(table);
    }

    /**
     * @param pref RTA_PREF ({@code ICMPV6_ROUTER_PREF_*})
     */
    public static String pref(final int pref)
    {
        switch (pref)
        {
            case ICMPV6_ROUTER_PREF_LOW:
                return "low";
            case ICMPV6_ROUTER_PREF_MEDIUM:
                return "medium";
            case ICMPV6_ROUTER_PREF_HIGH:
                return "high";
            default:
                return Integer.toString(pref);
        }
    }
}
