package io.nlstream.netlink.rtnl;

/**
 * Route constants from {@code linux/rtnetlink.h}: the {@code struct rtmsg} layout, {@code RTA_*}
 * attributes, {@code RTN_*} types, {@code RTPROT_*} protocols, {@code RT_TABLE_*} ids, {@code RTM_F_*}
 * and {@code RTNH_F_*} flags, {@code struct rtnexthop}, {@code struct rtvia} and {@code struct
 * rta_cacheinfo}; the route preferences from {@code linux/icmpv6.h}. The scopes ({@code RT_SCOPE_*})
 * are in {@link IfAddr}, the message types and groups in {@link Rtnetlink}.
 */
public final class Route
{
    /** struct rtmsg ({@link Rtnetlink#RTMSG_LEN} bytes): eight u8, then u32 rtm_flags. */
    public static final int RTM_FAMILY_OFFSET = 0;
    public static final int RTM_DST_LEN_OFFSET = 1;
    public static final int RTM_SRC_LEN_OFFSET = 2;
    public static final int RTM_TOS_OFFSET = 3;
    public static final int RTM_TABLE_OFFSET = 4;
    public static final int RTM_PROTOCOL_OFFSET = 5;
    public static final int RTM_SCOPE_OFFSET = 6;
    public static final int RTM_TYPE_OFFSET = 7;
    public static final int RTM_FLAGS_OFFSET = 8;

    // attributes of RTM_NEWROUTE / RTM_DELROUTE, enum rtattr_type_t
    public static final int RTA_UNSPEC = 0;
    public static final int RTA_DST = 1;
    public static final int RTA_SRC = 2;
    public static final int RTA_IIF = 3;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    /** Nested RTAX_* metrics. */
    public static final int RTA_METRICS = 8;
    /** A run of struct rtnexthop, each followed by its own RTA_GATEWAY / RTA_VIA / RTA_FLOW / RTA_ENCAP. */
    public static final int RTA_MULTIPATH = 9;
    public static final int RTA_PROTOINFO = 10;
    public static final int RTA_FLOW = 11;
    public static final int RTA_CACHEINFO = 12;
    public static final int RTA_SESSION = 13;
    public static final int RTA_MP_ALGO = 14;
    /** u32 table id; rtm_table holds only 8 bits (RT_TABLE_COMPAT when the id is larger). */
    public static final int RTA_TABLE = 15;
    public static final int RTA_MARK = 16;
    public static final int RTA_MFC_STATS = 17;
    /** struct rtvia: a gateway of another family (IPv4 route via an IPv6 neighbour). */
    public static final int RTA_VIA = 18;
    public static final int RTA_NEWDST = 19;
    public static final int RTA_PREF = 20;
    public static final int RTA_ENCAP_TYPE = 21;
    public static final int RTA_ENCAP = 22;
    public static final int RTA_EXPIRES = 23;
    public static final int RTA_PAD = 24;
    public static final int RTA_UID = 25;
    public static final int RTA_TTL_PROPAGATE = 26;
    public static final int RTA_IP_PROTO = 27;
    public static final int RTA_SPORT = 28;
    public static final int RTA_DPORT = 29;
    public static final int RTA_NH_ID = 30;

    // rtm_type
    public static final int RTN_UNSPEC = 0;
    public static final int RTN_UNICAST = 1;
    public static final int RTN_LOCAL = 2;
    public static final int RTN_BROADCAST = 3;
    public static final int RTN_ANYCAST = 4;
    public static final int RTN_MULTICAST = 5;
    public static final int RTN_BLACKHOLE = 6;
    public static final int RTN_UNREACHABLE = 7;
    public static final int RTN_PROHIBIT = 8;
    public static final int RTN_THROW = 9;
    public static final int RTN_NAT = 10;
    public static final int RTN_XRESOLVE = 11;

    // rtm_protocol
    public static final int RTPROT_UNSPEC = 0;
    public static final int RTPROT_REDIRECT = 1;
    public static final int RTPROT_KERNEL = 2;
    public static final int RTPROT_BOOT = 3;
    public static final int RTPROT_STATIC = 4;
    public static final int RTPROT_GATED = 8;
    public static final int RTPROT_RA = 9;
    public static final int RTPROT_MRT = 10;
    public static final int RTPROT_ZEBRA = 11;
    public static final int RTPROT_BIRD = 12;
    public static final int RTPROT_DNROUTED = 13;
    public static final int RTPROT_XORP = 14;
    public static final int RTPROT_NTK = 15;
    public static final int RTPROT_DHCP = 16;
    public static final int RTPROT_MROUTED = 17;
    public static final int RTPROT_KEEPALIVED = 18;
    public static final int RTPROT_BABEL = 42;
    public static final int RTPROT_OPENR = 99;
    public static final int RTPROT_BGP = 186;
    public static final int RTPROT_ISIS = 187;
    public static final int RTPROT_OSPF = 188;
    public static final int RTPROT_RIP = 189;
    public static final int RTPROT_EIGRP = 192;

    // enum rt_class_t
    public static final int RT_TABLE_UNSPEC = 0;
    public static final int RT_TABLE_COMPAT = 252;
    public static final int RT_TABLE_DEFAULT = 253;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RT_TABLE_LOCAL = 255;

    // rtm_flags (the low byte holds RTNH_F_* of the single nexthop)
    public static final int RTM_F_NOTIFY = 0x100;
    public static final int RTM_F_CLONED = 0x200;
    public static final int RTM_F_EQUALIZE = 0x400;
    public static final int RTM_F_PREFIX = 0x800;
    public static final int RTM_F_LOOKUP_TABLE = 0x1000;
    public static final int RTM_F_FIB_MATCH = 0x2000;
    public static final int RTM_F_OFFLOAD = 0x4000;
    public static final int RTM_F_TRAP = 0x8000;
    public static final int RTM_F_OFFLOAD_FAILED = 0x20000000;

    // rtnh_flags
    public static final int RTNH_F_DEAD = 1;
    public static final int RTNH_F_PERVASIVE = 2;
    public static final int RTNH_F_ONLINK = 4;
    public static final int RTNH_F_OFFLOAD = 8;
    public static final int RTNH_F_LINKDOWN = 16;
    public static final int RTNH_F_UNRESOLVED = 32;
    public static final int RTNH_F_TRAP = 64;

    /** struct rtnexthop: u16 rtnh_len, u8 rtnh_flags, u8 rtnh_hops (weight - 1), s32 rtnh_ifindex. */
    public static final int RTNH_LEN = 8;
    public static final int RTNH_ALIGNTO = 4;
    public static final int RTNH_LEN_OFFSET = 0;
    public static final int RTNH_FLAGS_OFFSET = 2;
    public static final int RTNH_HOPS_OFFSET = 3;
    public static final int RTNH_IFINDEX_OFFSET = 4;

    /** struct rtvia: u16 rtvia_family (__kernel_sa_family_t), then the address. */
    public static final int RTVIA_ADDR_OFFSET = 2;

    /**
     * struct rta_cacheinfo: u32 clntref, u32 lastuse, s32 expires, u32 error, u32 used, u32 id, u32 ts,
     * u32 tsage. Times are in clock ticks ({@code USER_HZ}, 100 a second).
     */
    public static final int RTA_CACHEINFO_LEN = 32;
    public static final int RTA_CACHEINFO_EXPIRES_OFFSET = 8;
    public static final int RTA_CACHEINFO_ERROR_OFFSET = 12;

    // RTA_PREF, linux/icmpv6.h (the two-bit preference of a router advertisement)
    public static final int ICMPV6_ROUTER_PREF_MEDIUM = 0;
    public static final int ICMPV6_ROUTER_PREF_HIGH = 1;
    public static final int ICMPV6_ROUTER_PREF_INVALID = 2;
    public static final int ICMPV6_ROUTER_PREF_LOW = 3;

    private Route()
    {
    }
}
