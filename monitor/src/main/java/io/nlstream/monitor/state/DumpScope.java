package io.nlstream.monitor.state;

import io.nlstream.monitor.events.EventDecoder;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;
import io.nlstream.netlink.conntrack.Ctnetlink;
import io.nlstream.netlink.conntrack.Nfnetlink;
import io.nlstream.netlink.diag.SockDiag;
import io.nlstream.netlink.rtnl.Rtnetlink;
import io.nlstream.sinks.Event;

import java.nio.ByteBuffer;
import java.util.function.Predicate;

/**
 * Which objects a dump speaks for, read from its request (the dump-begin entry's payload): a complete dump
 * ends the objects in its scope that it did not contain, and no others.
 */
final class DumpScope
{
    private DumpScope()
    {
    }

    /** The objects a dump request covers, or null when the request is not one state tracks. */
    static Predicate<Event> of(final int protocol, final ByteBuffer buf, final int offset, final int length)
    {
        final int type = NetlinkFraming.type(buf, offset);
        final int header = offset + Netlink.NLMSG_HDRLEN;
        final int family = length > Netlink.NLMSG_HDRLEN ? buf.get(header) & 0xFF : Rtnetlink.AF_UNSPEC;
        switch (protocol)
        {
            case Netlink.NETLINK_ROUTE:
                switch (type)
                {
                    case Rtnetlink.RTM_GETLINK: return kind(EventDecoder.KIND_LINK);
                    case Rtnetlink.RTM_GETADDR: return kind(EventDecoder.KIND_ADDR).and(family(family));
                    case Rtnetlink.RTM_GETROUTE: return kind(EventDecoder.KIND_ROUTE).and(family(family));
                    case Rtnetlink.RTM_GETNEIGH: return kind(EventDecoder.KIND_NEIGH).and(family(family));
                    default: return null;
                }
            case Netlink.NETLINK_NETFILTER:
                if (type == Nfnetlink.nlmsgType(Nfnetlink.NFNL_SUBSYS_CTNETLINK, Ctnetlink.IPCTNL_MSG_CT_GET))
                {
                    return kind(EventDecoder.KIND_CONN).and(family(family));
                }
                return null;
            case Netlink.NETLINK_SOCK_DIAG:
                if (type == SockDiag.SOCK_DIAG_BY_FAMILY && length >= Netlink.NLMSG_HDRLEN + 2)
                {
                    final String proto = EventDecoder.protoName(buf.get(header + 1) & 0xFF);
                    return kind(EventDecoder.KIND_SOCK).and(family(family)).and(e -> proto.equals(e.get("proto")));
                }
                return null;
            default:
                return null;
        }
    }

    private static Predicate<Event> kind(final String kind)
    {
        return e -> kind.equals(e.kind());
    }

    private static Predicate<Event> family(final int family)
    {
        if (family == Rtnetlink.AF_UNSPEC)
        {
            return e -> true;
        }
        final String name = EventDecoder.familyName(family);
        return e -> name.equals(e.get("family"));
    }
}
