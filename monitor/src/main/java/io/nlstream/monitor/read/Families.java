package io.nlstream.monitor.read;

import io.nlstream.netlink.rtnl.Rtnetlink;
import io.nlstream.sinks.Name;

/**
 * Address families as every output names them: {@code inet}, {@code inet6}, else the number.
 */
final class Families
{
    private static final Names NAMES = new Names(64, Families::text);

    private Families()
    {
    }

    static Name name(final int family)
    {
        return NAMES.of(family);
    }

    static String text(final int family)
    {
        switch (family)
        {
            case Rtnetlink.AF_INET:
                return "inet";
            case Rtnetlink.AF_INET6:
                return "inet6";
            default:
                return Integer.toString(family);
        }
    }
}
