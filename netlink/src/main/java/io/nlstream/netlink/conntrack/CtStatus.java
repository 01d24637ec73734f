package io.nlstream.netlink.conntrack;

import java.util.ArrayList;
import java.util.List;

/**
 * Conntrack status bits, {@code enum ip_conntrack_status} in {@code linux/netfilter/nf_conntrack_common.h}
 * (CTA_STATUS, be32), and their names.
 * <p>
 * {@link #names(int)} spells each bit as conntrack-tools does where it takes or shows one
 * ({@code conntrack --status ASSURED,SEEN_REPLY}): the kernel name without {@code IPS_}.
 * {@link #conntrackFlags(int)} is what {@code conntrack -L} prints in brackets.
 */
public final class CtStatus
{
    /** An expected (related) connection, e.g. an FTP data channel. */
    public static final int IPS_EXPECTED = 1;
    /** Packets seen both ways. */
    public static final int IPS_SEEN_REPLY = 1 << 1;
    /** Never early-dropped. */
    public static final int IPS_ASSURED = 1 << 2;
    /** The first packet left the box: the entry is in the table. */
    public static final int IPS_CONFIRMED = 1 << 3;
    public static final int IPS_SRC_NAT = 1 << 4;
    public static final int IPS_DST_NAT = 1 << 5;
    public static final int IPS_NAT_MASK = IPS_DST_NAT | IPS_SRC_NAT;
    public static final int IPS_SEQ_ADJUST = 1 << 6;
    public static final int IPS_SRC_NAT_DONE = 1 << 7;
    public static final int IPS_DST_NAT_DONE = 1 << 8;
    public static final int IPS_NAT_DONE_MASK = IPS_DST_NAT_DONE | IPS_SRC_NAT_DONE;
    /** Removed from the table; set on every DESTROY event. */
    public static final int IPS_DYING = 1 << 9;
    public static final int IPS_FIXED_TIMEOUT = 1 << 10;
    public static final int IPS_TEMPLATE = 1 << 11;
    /** Obsolete. */
    public static final int IPS_UNTRACKED = 1 << 12;
    public static final int IPS_HELPER = 1 << 13;
    public static final int IPS_OFFLOAD = 1 << 14;
    public static final int IPS_HW_OFFLOAD = 1 << 15;

    private static final String[] NAMES = {
        "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT", "DST_NAT", "SEQ_ADJUST", "SRC_NAT_DONE",
        "DST_NAT_DONE", "DYING", "FIXED_TIMEOUT", "TEMPLATE", "UNTRACKED", "HELPER", "OFFLOAD", "HW_OFFLOAD",
    };

    private CtStatus()
    {
    }

    /**
     * @return the names of the bits set, lowest bit first; bits this code has no name for come last as
     * one hex string ({@code "0x10000"}).
     */
    public static List<String> names(final int status)
    {
        final List<String> names = new ArrayList<>(8);
        for (int bit = 0; bit < NAMES.length; bit++)
        {
            if ((status & (1 << bit)) != 0)
            {
                names.add(NAMES[bit]);
            }
        }
        final int rest = status & ~((1 << NAMES.length) - 1);
        if (rest != 0)
        {
            names.add("0x" + Integer.toHexString(rest));
        }
        return names;
    }

    /**
     * @return what {@code conntrack -L} shows in brackets, in its order: "UNREPLIED" (no SEEN_REPLY),
     * "ASSURED", "OFFLOAD", "HW_OFFLOAD".
     */
    public static List<String> conntrackFlags(final int status)
    {
        final List<String> flags = new ArrayList<>(2);
        if ((status & IPS_SEEN_REPLY) == 0)
        {
            flags.add("UNREPLIED");
        }
        if ((status & IPS_ASSURED) != 0)
        {
            flags.add("ASSURED");
        }
        if ((status & IPS_OFFLOAD) != 0)
        {
            flags.add("OFFLOAD");
        }
        if ((status & IPS_HW_OFFLOAD) != 0)
        {
            flags.add("HW_OFFLOAD");
        }
        return flags;
    }
}
