package io.nlstream.netlink.rtnl;

import java.util.ArrayList;
import java.util.List;

import static io.nlstream.netlink.rtnl.Neighbour.*;

/**
 * Neighbour states and flags as {@code ip -j neigh} (iproute2 6.1, {@code print_neigh}) prints them:
 * "state" is an array of the {@code NUD_*} names, "router", "proxy", "extern_learn", "offload" and
 * "managed" are keys present (set to null) when the flag is set.
 */
public final class NeighStates
{
    private static final int[] STATES = {
        NUD_INCOMPLETE, NUD_REACHABLE, NUD_STALE, NUD_DELAY, NUD_PROBE, NUD_FAILED, NUD_NOARP, NUD_PERMANENT,
    };
    private static final String[] STATE_NAMES = {
        "INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP", "PERMANENT",
    };

    private NeighStates()
    {
    }

    /**
     * @param state ndm_state
     * @return the names of the set bits in iproute2's order, then any bits left over as one hex
     * string (ip 6.1 drops those). NUD_NONE (0) gives an empty list: ip prints no "state" then (a
     * proxy entry, for one).
     */
    public static List<String> names(final int state)
    {
        final List<String> names = new ArrayList<>(1);
        int rest = state;
        for (int i = 0; i < STATES.length; i++)
        {
            if ((rest & STATES[i]) != 0)
            {
                names.add(STATE_NAMES[i]);
                rest &= ~STATES[i];
            }
        }
        if (rest != 0)
        {
            names.add(Integer.toHexString(rest));
        }
        return names;
    }

    /**
     * @param state one ndm_state value
     * @return the kernel's name of it without the prefix: "NONE" for 0, "REACHABLE" for NUD_REACHABLE,
     * ..., else the value in hex.
     */
    public static String name(final int state)
    {
        if (state == NUD_NONE)
        {
            return "NONE";
        }
        for (int i = 0; i < STATES.length; i++)
        {
            if (state == STATES[i])
            {
                return STATE_NAMES[i];
            }
        }
        return Integer.toHexString(state);
    }

    /**
     * @param flags    ndm_flags
     * @param flagsExt NDA_FLAGS_EXT, or 0
     * @return the flag keys ip prints, in its order: router, proxy, extern_learn, offload, managed.
     * Other flags (self, master, sticky: bridge fdb's) are not printed by ip neigh and not named here.
     */
    public static List<String> flagNames(final int flags, final int flagsExt)
    {
        final List<String> names = new ArrayList<>(2);
        if ((flags & NTF_ROUTER) != 0)
        {
            names.add("router");
        }
        if ((flags & NTF_PROXY) != 0)
        {
            names.add("proxy");
        }
        if ((flags & NTF_EXT_LEARNED) != 0)
        {
            names.add("extern_learn");
        }
        if ((flags & NTF_OFFLOADED) != 0)
        {
            names.add("offload");
        }
        if ((flagsExt & NTF_EXT_MANAGED) != 0)
        {
            names.add("managed");
        }
        return names;
    }
}
