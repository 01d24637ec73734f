package io.nlstream.netlink.rtnl;

/**
 * Address attributes and flags: {@code IFA_*} and {@code IFA_F_*} from {@code linux/if_addr.h}, and the
 * scopes ({@code RT_SCOPE_*}) from {@code linux/rtnetlink.h} that {@code ifa_scope} (and
 * {@code rtm_scope}) use.
 */
public final class IfAddr
{
    // attributes of RTM_NEWADDR / RTM_DELADDR, after struct ifaddrmsg
    public static final int IFA_UNSPEC = 0;
    /** Prefix address; the peer on a point-to-point link, where IFA_LOCAL is the local one. */
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_ANYCAST = 5;
    public static final int IFA_CACHEINFO = 6;
    public static final int IFA_MULTICAST = 7;
    /** u32 that supersedes the u8 ifa_flags when present. */
    public static final int IFA_FLAGS = 8;
    public static final int IFA_RT_PRIORITY = 9;
    public static final int IFA_TARGET_NETNSID = 10;
    public static final int IFA_PROTO = 11;

    // ifa_flags / IFA_FLAGS
    public static final int IFA_F_SECONDARY = 0x01;
    public static final int IFA_F_TEMPORARY = IFA_F_SECONDARY;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_OPTIMISTIC = 0x04;
    public static final int IFA_F_DADFAILED = 0x08;
    public static final int IFA_F_HOMEADDRESS = 0x10;
    public static final int IFA_F_DEPRECATED = 0x20;
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;
    public static final int IFA_F_MANAGETEMPADDR = 0x100;
    public static final int IFA_F_NOPREFIXROUTE = 0x200;
    public static final int IFA_F_MCAUTOJOIN = 0x400;
    public static final int IFA_F_STABLE_PRIVACY = 0x800;

    /**
     * struct ifa_cacheinfo: u32 ifa_prefered, u32 ifa_valid, u32 cstamp, u32 tstamp (hundredths of
     * seconds since boot). Lifetimes are seconds, {@link #INFINITY_LIFE_TIME} meaning forever.
     */
    public static final int IFA_CACHEINFO_LEN = 16;
    public static final int IFA_CACHEINFO_PREFERED_OFFSET = 0;
    public static final int IFA_CACHEINFO_VALID_OFFSET = 4;
    public static final int IFA_CACHEINFO_CSTAMP_OFFSET = 8;
    public static final int IFA_CACHEINFO_TSTAMP_OFFSET = 12;
    public static final long INFINITY_LIFE_TIME = 0xFFFFFFFFL;

    // ifa_proto / IFA_PROTO
    public static final int IFAPROT_UNSPEC = 0;
    public static final int IFAPROT_KERNEL_LO = 1;
    public static final int IFAPROT_KERNEL_RA = 2;
    public static final int IFAPROT_KERNEL_LL = 3;

    // ifa_scope and rtm_scope, linux/rtnetlink.h enum rt_scope_t
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_SITE = 200;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    public static final int RT_SCOPE_NOWHERE = 255;

    private IfAddr()
    {
    }
}
