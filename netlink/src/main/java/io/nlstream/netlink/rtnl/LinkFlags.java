package io.nlstream.netlink.rtnl;

import java.util.ArrayList;
import java.util.List;

import static io.nlstream.netlink.rtnl.IfLink.*;

/**
 * {@code ifi_flags} as iproute2 prints them ({@code print_link_flags} in {@code ip/ipaddress.c}, the
 * {@code "flags"} array of {@code ip -j link}): NO-CARRIER first when the link is UP but not RUNNING,
 * RUNNING itself never shown, then the names in iproute2's order, then any bits it has no name for as
 * one lower-case hex string.
 */
public final class LinkFlags
{
    // iproute2's order, not bit order
    private static final int[] BITS = {
        IFF_LOOPBACK, IFF_BROADCAST, IFF_POINTOPOINT, IFF_MULTICAST, IFF_NOARP, IFF_ALLMULTI, IFF_PROMISC,
        IFF_MASTER, IFF_SLAVE, IFF_DEBUG, IFF_DYNAMIC, IFF_AUTOMEDIA, IFF_PORTSEL, IFF_NOTRAILERS, IFF_UP,
        IFF_LOWER_UP, IFF_DORMANT, IFF_ECHO,
    };
    private static final String[] NAMES = {
        "LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "ALLMULTI", "PROMISC",
        "MASTER", "SLAVE", "DEBUG", "DYNAMIC", "AUTOMEDIA", "PORTSEL", "NOTRAILERS", "UP",
        "LOWER_UP", "DORMANT", "ECHO",
    };

    private LinkFlags()
    {
    }

    public static List<String> names(final int ifiFlags)
    {
        return names(ifiFlags, false);
    }

    /**
     * @param linkDown iproute2's "M-DOWN", appended last: the link has IFLA_LINK (in the same netns)
     *                 and that other device is not UP. Only a reader that knows the other device can
     *                 tell; {@link #names(int)} passes false.
     */
    public static List<String> names(final int ifiFlags, final boolean linkDown)
    {
        final List<String> names = new ArrayList<>(6);
        int flags = ifiFlags;
        if ((flags & IFF_UP) != 0 && (flags & IFF_RUNNING) == 0)
        {
            names.add("NO-CARRIER");
        }
        flags &= ~IFF_RUNNING;
        for (int i = 0; i < BITS.length; i++)
        {
            if ((flags & BITS[i]) != 0)
            {
                flags &= ~BITS[i];
                names.add(NAMES[i]);
            }
        }
        if (flags != 0)
        {
            names.add(Integer.toHexString(flags));
        }
        if (linkDown)
        {
            names.add("M-DOWN");
        }
        return names;
    }
}
