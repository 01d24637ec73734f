package io.nlstream.monitor.capture;

import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.conntrack.Ctnetlink;
import io.nlstream.netlink.conntrack.Nfnetlink;
import io.nlstream.netlink.diag.InetDiag;
import io.nlstream.netlink.diag.InetDiagRequest;
import io.nlstream.netlink.diag.SockDiag;
import io.nlstream.netlink.rtnl.Rtnetlink;

import java.nio.ByteBuffer;
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
    private final List<DumpRequest> afterSilentRemovals;

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
        this.afterSilentRemovals = dumps.stream().filter(d -> d.name().equals("routes") || d.name().equals("neighbours")).toList();
    }

    /**
     * The dumps to do again after a message that tells of removals the kernel does not announce one by one:
     * rtnetlink's routes and neighbours after a link went down or away, or an address went away (the kernel
     * drops a device's IPv4 routes then without a notification each). Empty for the other families.
     */
    public List<DumpRequest> afterSilentRemovals()
    {
        return afterSilentRemovals;
    }

    /** Links, addresses, routes and neighbours (rtnetlink), dumped again in full every {@code fullDumpNanos} (0: never). */
    public static CaptureSpec rtnetlink(final long fullDumpNanos)
    {
        return new CaptureSpec(
            "rtnl",
            Netlink.NETLINK_ROUTE,
            new int[] {
                Rtnetlink.RTNLGRP_LINK, Rtnetlink.RTNLGRP_IPV4_IFADDR, Rtnetlink.RTNLGRP_IPV6_IFADDR,
                Rtnetlink.RTNLGRP_IPV4_ROUTE, Rtnetlink.RTNLGRP_IPV6_ROUTE, Rtnetlink.RTNLGRP_NEIGH},
            List.of(
                DumpRequest.withFamilyHeader("links", Rtnetlink.RTM_GETLINK, Rtnetlink.IFINFOMSG_LEN, Rtnetlink.AF_UNSPEC),
                DumpRequest.withFamilyHeader("addresses", Rtnetlink.RTM_GETADDR, Rtnetlink.IFADDRMSG_LEN, Rtnetlink.AF_UNSPEC),
                DumpRequest.withFamilyHeader("routes", Rtnetlink.RTM_GETROUTE, Rtnetlink.RTMSG_LEN, Rtnetlink.AF_UNSPEC),
                DumpRequest.withFamilyHeader("neighbours", Rtnetlink.RTM_GETNEIGH, Rtnetlink.NDMSG_LEN, Rtnetlink.AF_UNSPEC)),
            fullDumpNanos);
    }

    /**
     * The conntrack table (ctnetlink over nfnetlink): new, update and destroy of every tracked flow; dumped again in
     * full every {@code fullDumpNanos} (0: never).
     */
    public static CaptureSpec conntrack(final long fullDumpNanos)
    {
        return new CaptureSpec(
            "conntrack",
            Netlink.NETLINK_NETFILTER,
            new int[] {Nfnetlink.NFNLGRP_CONNTRACK_NEW, Nfnetlink.NFNLGRP_CONNTRACK_UPDATE, Nfnetlink.NFNLGRP_CONNTRACK_DESTROY},
            List.of(DumpRequest.withFamilyHeader("conntrack table",
                Nfnetlink.nlmsgType(Nfnetlink.NFNL_SUBSYS_CTNETLINK, Ctnetlink.IPCTNL_MSG_CT_GET), Nfnetlink.NFGENMSG_LEN,
                Rtnetlink.AF_UNSPEC)),
            fullDumpNanos);
    }

    /**
     * TCP and UDP sockets, IPv4 and IPv6, all states (sock_diag). The kernel announces only destruction, so
     * the table is dumped again every {@code redumpIntervalNanos} to find new sockets.
     */
    public static CaptureSpec sockDiag(final long redumpIntervalNanos)
    {
        return new CaptureSpec(
            "sock_diag",
            Netlink.NETLINK_SOCK_DIAG,
            new int[] {
                SockDiag.SKNLGRP_INET_TCP_DESTROY, SockDiag.SKNLGRP_INET_UDP_DESTROY,
                SockDiag.SKNLGRP_INET6_TCP_DESTROY, SockDiag.SKNLGRP_INET6_UDP_DESTROY},
            List.of(
                inetDiag("tcp sockets", Rtnetlink.AF_INET, InetDiag.IPPROTO_TCP),
                inetDiag("tcp6 sockets", Rtnetlink.AF_INET6, InetDiag.IPPROTO_TCP),
                inetDiag("udp sockets", Rtnetlink.AF_INET, InetDiag.IPPROTO_UDP),
                inetDiag("udp6 sockets", Rtnetlink.AF_INET6, InetDiag.IPPROTO_UDP)),
            redumpIntervalNanos);
    }

    private static DumpRequest inetDiag(final String name, final int family, final int protocol)
    {
        return new DumpRequest()
        {
            @Override
            public String name()
            {
                return name;
            }

            @Override
            public int encode(final ByteBuffer buffer, final int seq, final int portId)
            {
                return InetDiagRequest.write(buffer, seq, family, protocol,
                    InetDiag.INET_DIAG_EXT_INFO | InetDiag.INET_DIAG_EXT_CONG, InetDiag.ALL_STATES);
            }

            @Override
            public String toString()
            {
                return name;
            }
        };
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
