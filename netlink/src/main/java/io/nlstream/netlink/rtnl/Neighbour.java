package io.nlstream.netlink.rtnl;

/**
 * Neighbour constants from {@code linux/neighbour.h}: the {@code struct ndmsg} layout ({@link
 * Rtnetlink#NDMSG_LEN} bytes), {@code NDA_*} attributes, {@code NTF_*} flags, {@code NUD_*} states and
 * {@code struct nda_cacheinfo}.
 */
public final class Neighbour
{
    /** struct ndmsg: u8 family, u8 pad1, u16 pad2, s32 ifindex, u16 state, u8 flags, u8 type. */
    public static final int NDM_FAMILY_OFFSET = 0;
    public static final int NDM_IFINDEX_OFFSET = 4;
    public static final int NDM_STATE_OFFSET = 8;
    public static final int NDM_FLAGS_OFFSET = 10;
    public static final int NDM_TYPE_OFFSET = 11;

    // attributes of RTM_NEWNEIGH / RTM_DELNEIGH
    public static final int NDA_UNSPEC = 0;
    public static final int NDA_DST = 1;
    public static final int NDA_LLADDR = 2;
    public static final int NDA_CACHEINFO = 3;
    public static final int NDA_PROBES = 4;
    public static final int NDA_VLAN = 5;
    /** u16 in network order (vxlan fdb). */
    public static final int NDA_PORT = 6;
    public static final int NDA_VNI = 7;
    public static final int NDA_IFINDEX = 8;
    public static final int NDA_MASTER = 9;
    public static final int NDA_LINK_NETNSID = 10;
    public static final int NDA_SRC_VNI = 11;
    public static final int NDA_PROTOCOL = 12;
    public static final int NDA_NH_ID = 13;
    public static final int NDA_FDB_EXT_ATTRS = 14;
    /** u32 of NTF_EXT_* flags, the bits that no longer fit in ndm_flags. */
    public static final int NDA_FLAGS_EXT = 15;
    public static final int NDA_NDM_STATE_MASK = 16;
    public static final int NDA_NDM_FLAGS_MASK = 17;

    // ndm_flags
    public static final int NTF_USE = 1 << 0;
    public static final int NTF_SELF = 1 << 1;
    public static final int NTF_MASTER = 1 << 2;
    public static final int NTF_PROXY = 1 << 3;
    public static final int NTF_EXT_LEARNED = 1 << 4;
    public static final int NTF_OFFLOADED = 1 << 5;
    public static final int NTF_STICKY = 1 << 6;
    public static final int NTF_ROUTER = 1 << 7;
    // NDA_FLAGS_EXT
    public static final int NTF_EXT_MANAGED = 1 << 0;
    public static final int NTF_EXT_LOCKED = 1 << 1;

    // ndm_state: one of these bits; NOARP and PERMANENT are pseudo-states that never change
    public static final int NUD_NONE = 0x00;
    public static final int NUD_INCOMPLETE = 0x01;
    public static final int NUD_REACHABLE = 0x02;
    public static final int NUD_STALE = 0x04;
    public static final int NUD_DELAY = 0x08;
    public static final int NUD_PROBE = 0x10;
    public static final int NUD_FAILED = 0x20;
    public static final int NUD_NOARP = 0x40;
    public static final int NUD_PERMANENT = 0x80;

    /**
     * struct nda_cacheinfo: u32 ndm_confirmed, u32 ndm_used, u32 ndm_updated (clock ticks, USER_HZ,
     * since that event), u32 ndm_refcnt.
     */
    public static final int NDA_CACHEINFO_LEN = 16;
    public static final int NDA_CACHEINFO_CONFIRMED_OFFSET = 0;
    public static final int NDA_CACHEINFO_USED_OFFSET = 4;
    public static final int NDA_CACHEINFO_UPDATED_OFFSET = 8;
    public static final int NDA_CACHEINFO_REFCNT_OFFSET = 12;

    private Neighbour()
    {
    }
}
