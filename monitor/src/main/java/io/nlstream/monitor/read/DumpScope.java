package io.nlstream.monitor.read;

import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;
import io.nlstream.netlink.conntrack.Ctnetlink;
import io.nlstream.netlink.conntrack.Nfnetlink;
import io.nlstream.netlink.diag.SockDiag;
import io.nlstream.netlink.rtnl.Rtnetlink;

import java.nio.ByteBuffer;

/**
 * Which objects a dump speaks for, read from its request (the dump-begin entry's payload): a complete dump
 * ends the objects in its scope that it did not contain, and no others.
 */
final class DumpScope
{
    final Kind kind;
    /** AF_UNSPEC: every family. */
    final int family;
    /** sock dumps: the IP protocol asked for; 0 elsewhere. */
    final int proto;

    private DumpScope(final Kind kind, final int family, final int proto)
    {
        this.kind = kind;
        this.family = family;
        this.proto = proto;
    }

    static DumpScope of(final Kind kind, final int family, final int proto)
    {
        return new DumpScope(kind, family, proto);
    }

    /** The scope of a dump request, or null when the request is not one state tracks. */
    static DumpScope of(final int protocol, final ByteBuffer buf, final int offset, final int length)
    {
        final int type = NetlinkFraming.type(buf, offset);
        final int header = offset + Netlink.NLMSG_HDRLEN;
        final int family = length > Netlink.NLMSG_HDRLEN ? buf.get(header) & 0xFF : Rtnetlink.AF_UNSPEC;
        switch (protocol)
        {
            case Netlink.NETLINK_ROUTE:
                switch (type)
                {
                    case Rtnetlink.RTM_GETLINK:
                        return new DumpScope(Kind.LINK, Rtnetlink.AF_UNSPEC, 0);
                    case Rtnetlink.RTM_GETADDR:
                        return new DumpScope(Kind.ADDR, family, 0);
                    case Rtnetlink.RTM_GETROUTE:
                        return new DumpScope(Kind.ROUTE, family, 0);
                    case Rtnetlink.RTM_GETNEIGH:
                        return new DumpScope(Kind.NEIGH, family, 0);
                    default:
                        return null;
                }
            case Netlink.NETLINK_NETFILTER:
                if (type == Nfnetlink.nlmsgType(Nfnetlink.NFNL_SUBSYS_CTNETLINK, Ctnetlink.IPCTNL_MSG_CT_GET))
                {
                    return new DumpScope(Kind.CONN, family, 0);
                }
                return null;
            case Netlink.NETLINK_SOCK_DIAG:
                if (type == SockDiag.SOCK_DIAG_BY_FAMILY && length >= Netlink.NLMSG_HDRLEN + 2)
                {
                    return new DumpScope(Kind.SOCK, family, buf.get(header + 1) & 0xFF);
                }
                return null;
            default:
                return null;
        }
    }

    /** Whether an object of this scope's kind, with this meta, is one the dump speaks for. */
    boolean covers(final long meta)
    {
        if (family != Rtnetlink.AF_UNSPEC && ObjectTable.family(meta) != family)
        {
            return false;
        }
        return kind != Kind.SOCK || ObjectTable.proto(meta) == (proto & 0xFF);
    }
}
