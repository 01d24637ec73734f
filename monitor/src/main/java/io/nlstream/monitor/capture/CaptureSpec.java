package io.nlstream.monitor.capture;

import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.rtnl.Rtnetlink;

import java.util.List;

/**
 * What one capture socket listens to: a netlink protocol, its multicast groups, and the dumps that give
 * the starting state (sent after joining the groups, so nothing falls between them).
 */
public final class CaptureSpec
{
    private final String name;
    private final int protocol;
    private final int[] groups;
    private final List<DumpRequest> dumps;
    private final long redumpIntervalNanos;

    public CaptureSpec(final String name, final int protocol, final int[] groups, final List<DumpRequest> dumps)
    {
        this(name, protocol, groups, dumps, 0);
    }

    /**
     * @param redumpIntervalNanos how often to dump again (0: only at start and after a gap), for families
     *                            whose notifications do not announce every new object (sock_diag)
     */
    public CaptureSpec(
        final String name, final int protocol, final int[] groups, final List<DumpRequest> dumps, final long redumpIntervalNanos)
    {
        this.name = name;
        this.protocol = protocol;
        this.groups = groups.clone();
        this.dumps = List.copyOf(dumps);
        this.redumpIntervalNanos = redumpIntervalNanos;
    }

    /** Links and addresses (rtnetlink). */
    public static CaptureSpec rtnetlink()
    {
        return new CaptureSpec(
            "rtnl",
            Netlink.NETLINK_ROUTE,
            new int[] {Rtnetlink.RTNLGRP_LINK, Rtnetlink.RTNLGRP_IPV4_IFADDR, Rtnetlink.RTNLGRP_IPV6_IFADDR},
            List.of(
                DumpRequest.withFamilyHeader("links", Rtnetlink.RTM_GETLINK, Rtnetlink.IFINFOMSG_LEN, Rtnetlink.AF_UNSPEC),
                DumpRequest.withFamilyHeader("addresses", Rtnetlink.RTM_GETADDR, Rtnetlink.IFADDRMSG_LEN, Rtnetlink.AF_UNSPEC)));
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

    public long redumpIntervalNanos()
    {
        return redumpIntervalNanos;
    }
}
