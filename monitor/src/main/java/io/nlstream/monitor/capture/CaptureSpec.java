package io.nlstream.monitor.capture;

import io.nlstream.netlink.Netlink;

import java.util.List;

/**
 * What one capture socket listens to: a netlink protocol, its multicast groups, and the dumps that give
 * the starting state (sent after joining the groups, so nothing falls between them).
 */
public final class CaptureSpec
{
    // linux/rtnetlink.h
    private static final int RTM_GETLINK = 18;
    private static final int RTM_GETADDR = 22;
    private static final int RTNLGRP_LINK = 1;
    private static final int RTNLGRP_IPV4_IFADDR = 5;
    private static final int RTNLGRP_IPV6_IFADDR = 9;
    private static final int IFINFOMSG_LEN = 16;
    private static final int IFADDRMSG_LEN = 8;
    private static final int AF_UNSPEC = 0;

    private final String name;
    private final int protocol;
    private final int[] groups;
    private final List<DumpRequest> dumps;

    public CaptureSpec(final String name, final int protocol, final int[] groups, final List<DumpRequest> dumps)
    {
        this.name = name;
        this.protocol = protocol;
        this.groups = groups.clone();
        this.dumps = List.copyOf(dumps);
    }

    /** Links and addresses (rtnetlink). */
    public static CaptureSpec rtnetlink()
    {
        return new CaptureSpec(
            "rtnl",
            Netlink.NETLINK_ROUTE,
            new int[] {RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR},
            List.of(
                new DumpRequest("links", RTM_GETLINK, IFINFOMSG_LEN, AF_UNSPEC),
                new DumpRequest("addresses", RTM_GETADDR, IFADDRMSG_LEN, AF_UNSPEC)));
    }

    public String name()
    {
        return name;
    }

    public int protocol()
    {
        return protocol;
    }

    public int[] groups()
    {
        return groups.clone();
    }

    public List<DumpRequest> dumps()
    {
        return dumps;
    }
}
