package io.nlstream.netlink.conntrack;

/**
 * IP protocol numbers ({@code IPPROTO_*} in {@code linux/in.h} and {@code linux/in6.h}) that conntrack
 * tuples carry in CTA_PROTO_NUM, and their names as conntrack-tools prints them.
 */
public final class IpProto
{
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_IGMP = 2;
    public static final int IPPROTO_IPIP = 4;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_DCCP = 33;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_GRE = 47;
    public static final int IPPROTO_ESP = 50;
    public static final int IPPROTO_AH = 51;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int IPPROTO_SCTP = 132;
    public static final int IPPROTO_UDPLITE = 136;

    private IpProto()
    {
    }

    /**
     * @return "tcp", "udp", "udplite", "sctp", "dccp", "icmp", "icmpv6", "gre" (the protocols conntrack
     * tracks by ports or ids), "unknown" for the rest, as {@code conntrack -L} prints them; the
     * number is in the tuple for those.
     */
    public static String name(final int proto)
    {
        switch (proto)
        {
            case IPPROTO_TCP:
                return "tcp";
            case IPPROTO_UDP:
                return "udp";
            case IPPROTO_UDPLITE:
                return "udplite";
            case IPPROTO_SCTP:
                return "sctp";
            case IPPROTO_DCCP:
                return "dccp";
            case IPPROTO_ICMP:
                return "icmp";
            case IPPROTO_ICMPV6:
                return "icmpv6";
            case IPPROTO_GRE:
                return "gre";
            default:
                return "unknown";
        }
    }
}
