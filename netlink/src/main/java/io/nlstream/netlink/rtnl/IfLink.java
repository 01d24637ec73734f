package io.nlstream.netlink.rtnl;

/**
 * Link attributes and flags: {@code IFLA_*} from {@code linux/if_link.h}, {@code IFF_*} and
 * {@code IF_OPER_*} from {@code linux/if.h}, a few {@code ARPHRD_*} from {@code linux/if_arp.h}.
 */
public final class IfLink
{
    // attributes of RTM_NEWLINK / RTM_DELLINK, after struct ifinfomsg
    public static final int IFLA_UNSPEC = 0;
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_BROADCAST = 2;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINK = 5;
    public static final int IFLA_QDISC = 6;
    public static final int IFLA_STATS = 7;
    public static final int IFLA_COST = 8;
    public static final int IFLA_PRIORITY = 9;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_WIRELESS = 11;
    public static final int IFLA_PROTINFO = 12;
    public static final int IFLA_TXQLEN = 13;
    public static final int IFLA_MAP = 14;
    public static final int IFLA_WEIGHT = 15;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_LINKMODE = 17;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_NET_NS_PID = 19;
    public static final int IFLA_IFALIAS = 20;
    public static final int IFLA_NUM_VF = 21;
    public static final int IFLA_VFINFO_LIST = 22;
    public static final int IFLA_STATS64 = 23;
    public static final int IFLA_VF_PORTS = 24;
    public static final int IFLA_PORT_SELF = 25;
    public static final int IFLA_AF_SPEC = 26;
    public static final int IFLA_GROUP = 27;
    public static final int IFLA_NET_NS_FD = 28;
    public static final int IFLA_EXT_MASK = 29;
    public static final int IFLA_PROMISCUITY = 30;
    public static final int IFLA_NUM_TX_QUEUES = 31;
    public static final int IFLA_NUM_RX_QUEUES = 32;
    public static final int IFLA_CARRIER = 33;
    public static final int IFLA_PHYS_PORT_ID = 34;
    public static final int IFLA_CARRIER_CHANGES = 35;
    public static final int IFLA_PHYS_SWITCH_ID = 36;
    public static final int IFLA_LINK_NETNSID = 37;
    public static final int IFLA_PHYS_PORT_NAME = 38;
    public static final int IFLA_PROTO_DOWN = 39;
    public static final int IFLA_GSO_MAX_SEGS = 40;
    public static final int IFLA_GSO_MAX_SIZE = 41;
    public static final int IFLA_PAD = 42;
    public static final int IFLA_XDP = 43;
    public static final int IFLA_EVENT = 44;
    public static final int IFLA_NEW_NETNSID = 45;
    public static final int IFLA_IF_NETNSID = 46;
    public static final int IFLA_TARGET_NETNSID = IFLA_IF_NETNSID;
    public static final int IFLA_CARRIER_UP_COUNT = 47;
    public static final int IFLA_CARRIER_DOWN_COUNT = 48;
    public static final int IFLA_NEW_IFINDEX = 49;
    public static final int IFLA_MIN_MTU = 50;
    public static final int IFLA_MAX_MTU = 51;
    public static final int IFLA_PROP_LIST = 52;
    public static final int IFLA_ALT_IFNAME = 53;
    public static final int IFLA_PERM_ADDRESS = 54;
    public static final int IFLA_PROTO_DOWN_REASON = 55;
    public static final int IFLA_PARENT_DEV_NAME = 56;
    public static final int IFLA_PARENT_DEV_BUS_NAME = 57;
    public static final int IFLA_GRO_MAX_SIZE = 58;
    public static final int IFLA_TSO_MAX_SIZE = 59;
    public static final int IFLA_TSO_MAX_SEGS = 60;
    public static final int IFLA_ALLMULTI = 61;
    public static final int IFLA_DEVLINK_PORT = 62;
    public static final int IFLA_GSO_IPV4_MAX_SIZE = 63;
    public static final int IFLA_GRO_IPV4_MAX_SIZE = 64;
    public static final int IFLA_DPLL_PIN = 65;
    public static final int IFLA_MAX_PACING_OFFLOAD_HORIZON = 66;
    public static final int IFLA_NETNS_IMMUTABLE = 67;
    public static final int IFLA_HEADROOM = 68;
    public static final int IFLA_TAILROOM = 69;

    // nested in IFLA_LINKINFO
    public static final int IFLA_INFO_UNSPEC = 0;
    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    public static final int IFLA_INFO_XSTATS = 3;
    public static final int IFLA_INFO_SLAVE_KIND = 4;
    public static final int IFLA_INFO_SLAVE_DATA = 5;

    // ifi_flags, linux/if.h (net_device_flags)
    public static final int IFF_UP = 1;
    public static final int IFF_BROADCAST = 1 << 1;
    public static final int IFF_DEBUG = 1 << 2;
    public static final int IFF_LOOPBACK = 1 << 3;
    public static final int IFF_POINTOPOINT = 1 << 4;
    public static final int IFF_NOTRAILERS = 1 << 5;
    public static final int IFF_RUNNING = 1 << 6;
    public static final int IFF_NOARP = 1 << 7;
    public static final int IFF_PROMISC = 1 << 8;
    public static final int IFF_ALLMULTI = 1 << 9;
    public static final int IFF_MASTER = 1 << 10;
    public static final int IFF_SLAVE = 1 << 11;
    public static final int IFF_MULTICAST = 1 << 12;
    public static final int IFF_PORTSEL = 1 << 13;
    public static final int IFF_AUTOMEDIA = 1 << 14;
    public static final int IFF_DYNAMIC = 1 << 15;
    public static final int IFF_LOWER_UP = 1 << 16;
    public static final int IFF_DORMANT = 1 << 17;
    public static final int IFF_ECHO = 1 << 18;

    // IFLA_OPERSTATE values (RFC 2863), linux/if.h
    public static final int IF_OPER_UNKNOWN = 0;
    public static final int IF_OPER_NOTPRESENT = 1;
    public static final int IF_OPER_DOWN = 2;
    public static final int IF_OPER_LOWERLAYERDOWN = 3;
    public static final int IF_OPER_TESTING = 4;
    public static final int IF_OPER_DORMANT = 5;
    public static final int IF_OPER_UP = 6;

    // IFLA_LINKMODE values, linux/if.h
    public static final int IF_LINK_MODE_DEFAULT = 0;
    public static final int IF_LINK_MODE_DORMANT = 1;
    public static final int IF_LINK_MODE_TESTING = 2;

    // ifi_type, linux/if_arp.h
    public static final int ARPHRD_ETHER = 1;
    public static final int ARPHRD_INFINIBAND = 32;
    public static final int ARPHRD_LOOPBACK = 772;
    public static final int ARPHRD_NONE = 0xFFFE;

    private IfLink()
    {
    }
}
