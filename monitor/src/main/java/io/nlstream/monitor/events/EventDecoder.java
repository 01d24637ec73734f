package io.nlstream.monitor.events;

import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.GapRecord;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;
import io.nlstream.netlink.rtnl.AddrDecoder;
import io.nlstream.netlink.rtnl.AddrFlags;
import io.nlstream.netlink.rtnl.AddrScope;
import io.nlstream.netlink.rtnl.LinkDecoder;
import io.nlstream.netlink.rtnl.LinkFlags;
import io.nlstream.netlink.rtnl.OperState;
import io.nlstream.netlink.rtnl.Rtnetlink;
import io.nlstream.sinks.Event;

import java.nio.ByteBuffer;

/**
 * Interprets journal entries: one decoder and one event model for every reader (stdout, replay, state,
 * Kafka). Entries that carry no event (dump markers, control messages) give null; entries whose message
 * cannot be decoded are counted and reported to the {@link MalformedListener}, never thrown.
 */
public final class EventDecoder
{
    public static final String KIND_LINK = "link";
    public static final String KIND_ADDR = "addr";
    public static final String KIND_GAP = "gap";

    private static final int AF_BRIDGE = 7;

    private final LinkDecoder link = new LinkDecoder();
    private final AddrDecoder addr = new AddrDecoder();
    private MalformedListener malformedListener = (index, reason) -> { };
    private long malformed;

    /** Told of each journalled message that does not decode. */
    public interface MalformedListener
    {
        void onMalformed(long index, String reason);
    }

    public EventDecoder onMalformed(final MalformedListener listener)
    {
        this.malformedListener = listener;
        return this;
    }

    public long malformed()
    {
        return malformed;
    }

    /**
     * The event an entry carries, or null.
     */
    public Event decode(final JournalEntry entry)
    {
        final int origin = entry.origin();
        if (origin == CaptureHeader.ORIGIN_GAP)
        {
            return gap(entry);
        }
        if (origin != CaptureHeader.ORIGIN_EVENT && origin != CaptureHeader.ORIGIN_DUMP)
        {
            return null;
        }
        final ByteBuffer buf = entry.buffer();
        final int offset = entry.payloadOffset();
        final int length = entry.payloadLength();
        final int checked = NetlinkFraming.check(buf, offset, length);
        if (checked < 0)
        {
            return malformed(entry, NetlinkFraming.describe(checked));
        }
        if (entry.protocol() == Netlink.NETLINK_ROUTE)
        {
            switch (NetlinkFraming.type(buf, offset))
            {
                case Rtnetlink.RTM_NEWLINK:
                case Rtnetlink.RTM_DELLINK:
                    return link(entry, buf, offset, checked);
                case Rtnetlink.RTM_NEWADDR:
                case Rtnetlink.RTM_DELADDR:
                    return addr(entry, buf, offset, checked);
                default:
                    return null;
            }
        }
        return null;
    }

    private Event link(final JournalEntry entry, final ByteBuffer buf, final int offset, final int length)
    {
        if (!link.wrap(buf, offset, length))
        {
            return malformed(entry, "link message: " + link.error() + " at offset " + (link.errorOffset() - offset));
        }
        if (link.family() == AF_BRIDGE)
        {
            // bridge port notifications (PF_BRIDGE) describe port state, not the link itself; a PF_BRIDGE
            // RTM_DELLINK means "left the bridge", so treating it as a link deletion would be wrong
            return null;
        }
        final Event e = event(entry, KIND_LINK, link.isDelete() ? "del" : "new");
        e.put("ifindex", link.ifindex());
        e.put("ifname", link.hasIfname() ? link.ifname() : null);
        e.put("flags", LinkFlags.names(link.flags()));
        e.put("mtu", link.hasMtu() ? link.mtu() : null);
        e.put("operstate", link.operstate() >= 0 ? OperState.name(link.operstate()) : null);
        e.put("link_type", LinkTypes.name(link.deviceType()));
        e.put("address", link.hasAddress() ? link.address() : null);
        e.put("broadcast", link.hasBroadcast() ? link.broadcast() : null);
        e.put("link_kind", link.linkKind());
        e.put("master", link.master() != 0 ? link.master() : null);
        e.put("slave_kind", link.slaveKind());
        e.put("link", link.link() != 0 ? link.link() : null);
        e.put("link_netnsid", link.hasLinkNetnsid() ? link.linkNetnsid() : null);
        e.put("txqlen", link.txqlen() >= 0 ? link.txqlen() : null);
        e.put("qdisc", link.qdisc());
        e.put("group", link.group() >= 0 ? link.group() : null);
        e.put("ifalias", link.ifalias());
        e.put("perm_address", link.hasPermAddress() ? link.permAddress() : null);
        return e;
    }

    private Event addr(final JournalEntry entry, final ByteBuffer buf, final int offset, final int length)
    {
        if (!addr.wrap(buf, offset, length))
        {
            return malformed(entry, "address message: " + addr.error() + " at offset " + (addr.errorOffset() - offset));
        }
        final Event e = event(entry, KIND_ADDR, addr.messageType() == Rtnetlink.RTM_DELADDR ? "del" : "new");
        e.put("ifindex", addr.ifindex());
        e.put("family", addr.family() == Rtnetlink.AF_INET6 ? "inet6" : addr.family() == Rtnetlink.AF_INET ? "inet" : Integer.toString(addr.family()));
        e.put("address", addr.primaryAddress());
        e.put("prefixlen", addr.prefixlen());
        e.put("scope", AddrScope.name(addr.scope()));
        if (addr.hasLocal() && addr.hasAddress() && !addr.local().equals(addr.address()))
        {
            e.put("peer", addr.address());
        }
        e.put("broadcast", addr.hasBroadcast() ? addr.broadcast() : null);
        e.put("label", addr.label());
        e.put("addr_flags", AddrFlags.names(addr.flags()));
        if (addr.hasCacheInfo())
        {
            e.put("valid_lft", addr.validLft());
            e.put("preferred_lft", addr.preferredLft());
        }
        return e;
    }

    private static Event gap(final JournalEntry entry)
    {
        final Event e = new Event(entry.index(), entry.wallNanos(), KIND_GAP, "overrun", entry.netns());
        e.put("origin", "event");
        e.put("protocol", protocolName(entry.protocol()));
        if (entry.payloadLength() >= GapRecord.LENGTH)
        {
            final ByteBuffer b = entry.buffer();
            e.put("overruns", b.getLong(entry.payloadOffset() + GapRecord.OVERRUNS_OFFSET));
            e.put("errno", b.getInt(entry.payloadOffset() + GapRecord.ERRNO_OFFSET) == 105 ? "ENOBUFS"
                : Integer.toString(b.getInt(entry.payloadOffset() + GapRecord.ERRNO_OFFSET)));
        }
        return e;
    }

    private static Event event(final JournalEntry entry, final String kind, final String op)
    {
        final Event e = new Event(entry.index(), entry.wallNanos(), kind, op, entry.netns());
        e.put("origin", origin(entry));
        return e;
    }

    static String origin(final JournalEntry entry)
    {
        if (entry.origin() == CaptureHeader.ORIGIN_DUMP)
        {
            return (entry.flags() & CaptureHeader.FLAG_RESYNC) != 0 ? "resync" : "dump";
        }
        return "event";
    }

    public static String protocolName(final int protocol)
    {
        switch (protocol)
        {
            case Netlink.NETLINK_ROUTE: return "rtnetlink";
            case Netlink.NETLINK_SOCK_DIAG: return "sock_diag";
            case Netlink.NETLINK_NETFILTER: return "netfilter";
            default: return "netlink-" + protocol;
        }
    }

    private Event malformed(final JournalEntry entry, final String reason)
    {
        malformed++;
        malformedListener.onMalformed(entry.index(), reason);
        return null;
    }
}
