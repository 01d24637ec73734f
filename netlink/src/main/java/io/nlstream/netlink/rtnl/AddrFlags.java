package io.nlstream.netlink.rtnl;

import java.util.ArrayList;
import java.util.List;

import static io.nlstream.netlink.rtnl.IfAddr.*;

/**
 * Address flags as {@code ip -j addr} prints them ({@code print_ifa_flags} in {@code ip/ipaddress.c}):
 * each name below is a JSON key set to {@code true}, in iproute2's order. Two quirks are kept:
 * IFA_F_PERMANENT is shown inverted, as {@code "dynamic"} when the bit is clear, and IFA_F_SECONDARY is
 * {@code "temporary"} for IPv6 (the same bit, IFA_F_TEMPORARY). Bits iproute2 has no name for come last
 * as one hex string ({@code %02x}), which ip prints as {@code "ifa_flags"}.
 */
public final class AddrFlags
{
    private static final int[] BITS = {
        IFA_F_SECONDARY, IFA_F_NODAD, IFA_F_OPTIMISTIC, IFA_F_DADFAILED, IFA_F_HOMEADDRESS, IFA_F_DEPRECATED,
        IFA_F_TENTATIVE, IFA_F_PERMANENT, IFA_F_MANAGETEMPADDR, IFA_F_NOPREFIXROUTE, IFA_F_MCAUTOJOIN,
        IFA_F_STABLE_PRIVACY,
    };
    private static final String[] NAMES = {
        "secondary", "nodad", "optimistic", "dadfailed", "home", "deprecated",
        "tentative", "dynamic", "mngtmpaddr", "noprefixroute", "autojoin",
        "stable-privacy",
    };

    private AddrFlags()
    {
    }

    /**
     * Without the family, IFA_F_SECONDARY is always "secondary"; see {@link #names(int, int)}.
     */
    public static List<String> names(final int flags)
    {
        return names(Rtnetlink.AF_UNSPEC, flags);
    }

    /**
     * @param family ifa_family; AF_INET6 turns "secondary" into "temporary" as ip does.
     * @param flags  IFA_FLAGS if present, else ifa_flags ({@link AddrDecoder#flags()} does this).
     */
    public static List<String> names(final int family, final int flags)
    {
        final List<String> names = new ArrayList<>(4);
        int rest = flags;
        for (int i = 0; i < BITS.length; i++)
        {
            final int bit = BITS[i];
            if (bit == IFA_F_PERMANENT)
            {
                if ((rest & bit) == 0)
                {
                    names.add("dynamic");
                }
            }
            else if ((rest & bit) != 0)
            {
                names.add(bit == IFA_F_SECONDARY && family == Rtnetlink.AF_INET6 ? "temporary" : NAMES[i]);
            }
            rest &= ~bit;
        }
        if (rest != 0)
        {
            names.add(String.format("%02x", rest));
        }
        return names;
    }
}
