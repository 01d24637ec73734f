package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;
import io.nlstream.netlink.conntrack.Ctnetlink;
import io.nlstream.netlink.conntrack.Nfnetlink;
import io.nlstream.netlink.diag.InetDiag;
import io.nlstream.netlink.diag.SockDiag;
import io.nlstream.netlink.rtnl.Rtnetlink;
import io.nlstream.sinks.Name;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Journal entry in, typed event out: picks the kind's view, wraps its decoder flyweight over the entry's
 * message, and sets the event's header. Entries that carry no event (dump markers, annotations, control
 * messages, families that make no events) give null; a message that does not decode is counted, told to the
 * {@link MalformedListener} with its index and reason, and gives null: never thrown.
 */
final class EventReader
{
    private static final int AF_BRIDGE = 7;

    final LinkEvent link = new LinkEvent();
    final AddrEvent addr = new AddrEvent();
    final RouteEvent route = new RouteEvent();
    final NeighEvent neigh = new NeighEvent();
    final ConnEvent conn = new ConnEvent();
    final SockEvent sock = new SockEvent();
    final GapEvent gap = new GapEvent();
    private final EventView view = new EventView();

    /** Events decoded here carry their interfaces' names, as {@code names} knows them. */
    void devNames(final DevNames names)
    {
        view.devNames = names;
    }

    /** Events decoded here name this host (JSON's {@code host}); null: none. */
    void host(final String host)
    {
        view.host = host;
    }

    /** (netns, sock_diag dump id) -> the protocol its request asked for: dump replies do not say. */
    final Map<DumpKey, Integer> sockDumpProtocols = new HashMap<>();
    private final DumpKey probe = new DumpKey();
    private MalformedListener listener = (index, reason) ->
    {};
    private long malformed;

    /** Told of each journalled message that does not decode. */
    interface MalformedListener
    {
        void onMalformed(long index, String reason);
    }

    EventReader onMalformed(final MalformedListener listener)
    {
        this.listener = listener;
        return this;
    }

    long malformed()
    {
        return malformed;
    }

    /** The event an entry carries, or null; the view is this reader's, valid until the next call. */
    EventView decode(final JournalEntry entry)
    {
        final int origin = entry.origin();
        if (origin == CaptureHeader.ORIGIN_GAP)
        {
            gap.wrap(entry.protocol(), entry.buffer(), entry.payloadOffset(), entry.payloadLength());
            view.set(gap, entry.index(), entry.wallNanos(), entry.netns(), Ops.OVERRUN, Ops.EVENT);
            return view;
        }
        if (origin == CaptureHeader.ORIGIN_DUMP_BEGIN && entry.protocol() == Netlink.NETLINK_SOCK_DIAG)
        {
            rememberSockDump(entry);
            return null;
        }
        if (origin != CaptureHeader.ORIGIN_EVENT && origin != CaptureHeader.ORIGIN_DUMP)
        {
            return null;
        }
        final ByteBuffer buf = entry.buffer();
        final int offset = entry.payloadOffset();
        final int checked = NetlinkFraming.check(buf, offset, entry.payloadLength());
        if (checked < 0)
        {
            return malformed(entry, NetlinkFraming.describe(checked));
        }
        final int type = NetlinkFraming.type(buf, offset);
        switch (entry.protocol())
        {
            case Netlink.NETLINK_NETFILTER:
                if (Nfnetlink.subsysId(type) == Nfnetlink.NFNL_SUBSYS_CTNETLINK
                    && (Nfnetlink.msgType(type) == Ctnetlink.IPCTNL_MSG_CT_NEW || Nfnetlink.msgType(type) == Ctnetlink.IPCTNL_MSG_CT_DELETE))
                {
                    if (!conn.wrap(buf, offset, checked))
                    {
                        return malformed(entry, "conntrack message: " + conn.decoder.error() + " at offset " + (conn.decoder.errorOffset() - offset));
                    }
                    return set(entry, conn, conn.op());
                }
                return null;
            case Netlink.NETLINK_ROUTE:
                return rtnetlink(entry, type, buf, offset, checked);
            case Netlink.NETLINK_SOCK_DIAG:
                if (type != SockDiag.SOCK_DIAG_BY_FAMILY)
                {
                    return null;
                }
                if (!sock.wrap(buf, offset, checked))
                {
                    return malformed(entry, "sock_diag message: " + sock.decoder.error() + " at offset " + (sock.decoder.errorOffset() - offset));
                }
                sock.protocol(sockProtocol(entry));
                return set(entry, sock, origin == CaptureHeader.ORIGIN_EVENT ? Ops.DESTROY : Ops.NEW);
            default:
                return null;
        }
    }

    private EventView rtnetlink(final JournalEntry entry, final int type, final ByteBuffer buf, final int offset, final int length)
    {
        switch (type)
        {
            case Rtnetlink.RTM_NEWLINK:
            case Rtnetlink.RTM_DELLINK:
                if (!link.wrap(buf, offset, length))
                {
                    return malformed(entry, "link message: " + link.decoder.error() + " at offset " + (link.decoder.errorOffset() - offset));
                }
                // bridge port notifications (PF_BRIDGE) describe port state, not the link itself; a PF_BRIDGE
                // RTM_DELLINK means "left the bridge", so treating it as a link deletion would be wrong
                return link.decoder.family() == AF_BRIDGE ? null : set(entry, link, link.decoder.isDelete() ? Ops.DEL : Ops.NEW);
            case Rtnetlink.RTM_NEWADDR:
            case Rtnetlink.RTM_DELADDR:
                if (!addr.wrap(buf, offset, length))
                {
                    return malformed(entry, "address message: " + addr.decoder.error() + " at offset " + (addr.decoder.errorOffset() - offset));
                }
                return set(entry, addr, addr.decoder.messageType() == Rtnetlink.RTM_DELADDR ? Ops.DEL : Ops.NEW);
            case Rtnetlink.RTM_NEWROUTE:
            case Rtnetlink.RTM_DELROUTE:
                if (!route.wrap(buf, offset, length))
                {
                    return malformed(entry, "route message: " + route.decoder.error() + " at offset " + (route.decoder.errorOffset() - offset));
                }
                // multicast routing tables and other families: journalled, not (yet) events
                return route.isInet() ? set(entry, route, route.decoder.isDelete() ? Ops.DEL : Ops.NEW) : null;
            case Rtnetlink.RTM_NEWNEIGH:
            case Rtnetlink.RTM_DELNEIGH:
                if (!neigh.wrap(buf, offset, length))
                {
                    return malformed(entry, "neighbour message: " + neigh.decoder.error() + " at offset " + (neigh.decoder.errorOffset() - offset));
                }
                // bridge FDB entries (PF_BRIDGE) share the group: journalled, not (yet) events
                return neigh.isInet() ? set(entry, neigh, neigh.decoder.isDelete() ? Ops.DEL : Ops.NEW) : null;
            default:
                return null;
        }
    }

    private EventView set(final JournalEntry entry, final EventBody body, final Name op)
    {
        view.set(body, entry.index(), entry.wallNanos(), entry.netns(), op, origin(entry));
        return view;
    }

    static Name origin(final JournalEntry entry)
    {
        if (entry.origin() == CaptureHeader.ORIGIN_DUMP)
        {
            return (entry.flags() & CaptureHeader.FLAG_RESYNC) != 0 ? Ops.RESYNC : Ops.DUMP;
        }
        return Ops.EVENT;
    }

    private int sockProtocol(final JournalEntry entry)
    {
        if (sock.decoder.protocol() > 0)
        {
            return sock.decoder.protocol();
        }
        if (entry.origin() == CaptureHeader.ORIGIN_EVENT)
        {
            // destroy notifications come on one group per family and protocol
            switch (entry.group())
            {
                case SockDiag.SKNLGRP_INET_TCP_DESTROY:
                case SockDiag.SKNLGRP_INET6_TCP_DESTROY:
                    return InetDiag.IPPROTO_TCP;
                case SockDiag.SKNLGRP_INET_UDP_DESTROY:
                case SockDiag.SKNLGRP_INET6_UDP_DESTROY:
                    return InetDiag.IPPROTO_UDP;
                default:
                    return -1;
            }
        }
        final Integer p = sockDumpProtocols.get(probe.set(entry.netns(), Netlink.NETLINK_SOCK_DIAG, entry.group()));
        return p == null ? -1 : p;
    }

    private void rememberSockDump(final JournalEntry entry)
    {
        if (entry.payloadLength() >= Netlink.NLMSG_HDRLEN + 2)
        {
            if (sockDumpProtocols.size() > 1024)
            {
                sockDumpProtocols.clear(); // dumps are short-lived; only the latest few matter
            }
            final int protocol = entry.buffer().get(entry.payloadOffset() + Netlink.NLMSG_HDRLEN + 1) & 0xFF;
            sockDumpProtocols.put(new DumpKey().set(entry.netns(), Netlink.NETLINK_SOCK_DIAG, entry.group()), protocol);
        }
    }

    private EventView malformed(final JournalEntry entry, final String reason)
    {
        malformed++;
        listener.onMalformed(entry.index(), reason);
        return null;
    }
}
