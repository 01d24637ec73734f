package io.nlstream.netlink.rtnl;

import static io.nlstream.netlink.rtnl.IfAddr.*;

/**
 * {@code ifa_scope} / {@code rtm_scope} as iproute2 prints it ({@code rtnl_rtscope_n2a}) without an
 * {@code /etc/iproute2/rt_scopes} file: the five named scopes, any other value as its decimal number.
 */
public final class AddrScope
{
    private AddrScope()
    {
    }

    public static String name(final int scope)
    {
        switch (scope)
        {
            case RT_SCOPE_UNIVERSE:
                return "global";
            case RT_SCOPE_SITE:
                return "site";
            case RT_SCOPE_LINK:
                return "link";
            case RT_SCOPE_HOST:
                return "host";
            case RT_SCOPE_NOWHERE:
                return "nowhere";
            default:
                return Integer.toString(scope);
        }
    }
}
