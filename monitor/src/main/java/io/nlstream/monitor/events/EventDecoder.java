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

import io.nlstream.netlink.conntrack.CtDecoder;
import io.nlstream.netlink.conntrack.CtProtoInfo;
import io.nlstream.netlink.conntrack.CtStatus;
import io.nlstream.netlink.conntrack.CtTuple;
import io.nlstream.netlink.conntrack.Ctnetlink;
import io.nlstream.netlink.conntrack.IpProto;
import io.nlstream.netlink.conntrack.Nfnetlink;
import io.nlstream.netlink.diag.InetDiag;
import io.nlstream.netlink.diag.InetDiagDecoder;
import io.nlstream.netlink.diag.SockDiag;
import io.nlstream.netlink.diag.TcpStates;
import io.nlstream.netlink.rtnl.NeighDecoder;
import io.nlstream.netlink.rtnl.NeighStates;
import io.nlstream.netlink.rtnl.RouteDecoder;
import io.nlstream.netlink.rtnl.RouteNames;
import io.nlstream.sinks.CommunityId;
import io.nlstream.sinks.Timestamps;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interprets journal entries: one decoder and one event model for every reader (stdout, replay, state,
 * Kafka). Entries that carry no event (dump markers, control messages) give null; entries whose message
 * cannot be decoded are counted and reported to the {@link MalformedListener}, never thrown.
 */
public final class EventDecoder
{
    public static final String KIND_LINK = "link";
    public static final String KIND_ADDR = "addr";
    public static final String KIND_ROUTE = "route";
    public static final String KIND_NEIGH = "neigh";
    public static final String KIND_CONN = "conn";
    public static final String KIND_SOCK = "sock";
    public static final String KIND_GAP = "gap";

    private static final int AF_BRIDGE = 7;
    private static final int TCP_CLOSE = 7;

    private final LinkDecoder link = new LinkDecoder();
    private final AddrDecoder addr = new AddrDecoder();
    private final RouteDecoder route = new RouteDecoder();
    private final NeighDecoder neigh = new NeighDecoder();
    private final CtDecoder ct = new CtDecoder();
    private final InetDiagDecoder diag = new InetDiagDecoder();
    /** sock_diag dump id (per namespace) -> the protocol its request asked for: dump replies do not say. */
    private final Map<String, Integer> sockDumpProtocols = new HashMap<>();
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
                case Rtnetlink.RTM_NEWROUTE:
                case Rtnetlink.RTM_DELROUTE:
                    return route(entry, buf, offset, checked);
                case Rtnetlink.RTM_NEWNEIGH:
                case Rtnetlink.RTM_DELNEIGH:
                    return neigh(entry, buf, offset, checked);
                default:
                    return null;
            }
        }
        if (entry.protocol() == Netlink.NETLINK_NETFILTER)
        {
            final int type = NetlinkFraming.type(buf, offset);
            if (Nfnetlink.subsysId(type) == Nfnetlink.NFNL_SUBSYS_CTNETLINK
                && (Nfnetlink.msgType(type) == Ctnetlink.IPCTNL_MSG_CT_NEW || Nfnetlink.msgType(type) == Ctnetlink.IPCTNL_MSG_CT_DELETE))
            {
                return conn(entry, buf, offset, checked);
            }
            return null;
        }
        if (entry.protocol() == Netlink.NETLINK_SOCK_DIAG && NetlinkFraming.type(buf, offset) == SockDiag.SOCK_DIAG_BY_FAMILY)
        {
            return sock(entry, buf, offset, checked);
        }
        return null;
    }

    private Event route(final JournalEntry entry, final ByteBuffer buf, final int offset, final int length)
    {
        if (!route.wrap(buf, offset, length))
        {
            return malformed(entry, "route message: " + route.error() + " at offset " + (route.errorOffset() - offset));
        }
        if (route.family() != Rtnetlink.AF_INET && route.family() != Rtnetlink.AF_INET6)
        {
            return null; // multicast routing tables and other families: journalled, not (yet) events
        }
        final Event e = event(entry, KIND_ROUTE, route.isDelete() ? "del" : "new");
        e.put("family", familyName(route.family()));
        e.put("dst", route.dstCidr());
        e.put("gateway", route.hasGateway() ? route.gateway() : route.hasVia() ? route.via() : null);
        e.put("oif", route.oif() != 0 ? route.oif() : null);
        e.put("table", RouteNames.table(route.table()));
        e.put("protocol", RouteNames.protocol(route.protocol()));
        e.put("scope", AddrScope.name(route.scope()));
        e.put("type", RouteNames.type(route.type()));
        e.put("metric", route.priority() >= 0 ? route.priority() : null);
        e.put("prefsrc", route.hasPrefsrc() ? route.prefsrc() : null);
        e.put("tos", route.tos() != 0 ? route.tos() : null);
        if (route.nexthopCount() > 0)
        {
            final List<Map<String, Object>> hops = new ArrayList<>();
            for (int i = 0; i < route.nexthopCount(); i++)
            {
                final Map<String, Object> hop = new LinkedHashMap<>();
                hop.put("gateway", route.nexthopGateway(i));
                hop.put("oif", route.nexthopIfindex(i));
                hop.put("weight", route.nexthopWeight(i));
                hops.add(hop);
            }
            e.put("nexthops", hops);
        }
        return e;
    }

    private Event neigh(final JournalEntry entry, final ByteBuffer buf, final int offset, final int length)
    {
        if (!neigh.wrap(buf, offset, length))
        {
            return malformed(entry, "neighbour message: " + neigh.error() + " at offset " + (neigh.errorOffset() - offset));
        }
        if (neigh.family() != Rtnetlink.AF_INET && neigh.family() != Rtnetlink.AF_INET6)
        {
            return null; // bridge FDB entries (PF_BRIDGE) share the group: journalled, not (yet) events
        }
        final Event e = event(entry, KIND_NEIGH, neigh.isDelete() ? "del" : "new");
        e.put("ifindex", neigh.ifindex());
        e.put("family", familyName(neigh.family()));
        e.put("address", neigh.hasDst() ? neigh.dst() : null);
        e.put("lladdr", neigh.hasLladdr() ? neigh.lladdr() : null);
        e.put("state", NeighStates.name(neigh.state()));
        final List<String> flags = NeighStates.flagNames(neigh.flags(), neigh.flagsExt());
        e.put("neigh_flags", flags.isEmpty() ? null : flags);
        return e;
    }

    private Event conn(final JournalEntry entry, final ByteBuffer buf, final int offset, final int length)
    {
        if (!ct.wrap(buf, offset, length))
        {
            return malformed(entry, "conntrack message: " + ct.error() + " at offset " + (ct.errorOffset() - offset));
        }
        final String op;
        switch (ct.eventType())
        {
            case NEW: op = "new"; break;
            case DESTROY: op = "destroy"; break;
            default: op = "update";
        }
        final Event e = event(entry, KIND_CONN, op);
        e.put("id", ct.hasId() ? ct.id() : null);
        final CtTuple orig = ct.orig();
        final int proto = orig.present() ? orig.l4proto() : -1;
        e.put("family", familyName(ct.l3family()));
        e.put("proto", proto >= 0 ? protoName(proto) : null);
        e.put("orig", orig.present() ? tuple(orig) : null);
        e.put("reply", ct.reply().present() ? tuple(ct.reply()) : null);
        if (ct.tcpState() >= 0)
        {
            e.put("tcp_state", CtProtoInfo.tcpStateName(ct.tcpState()));
        }
        if (ct.sctpState() >= 0)
        {
            e.put("sctp_state", CtProtoInfo.sctpStateName(ct.sctpState()));
        }
        if (ct.dccpState() >= 0)
        {
            e.put("dccp_state", CtProtoInfo.dccpStateName(ct.dccpState()));
        }
        e.put("status", ct.hasStatus() ? CtStatus.names(ct.status()) : null);
        e.put("mark", ct.hasMark() ? ct.mark() : null);
        e.put("zone", ct.zone() >= 0 ? ct.zone() : null);
        e.put("timeout", ct.hasTimeout() ? ct.timeout() : null);
        e.put("use", ct.use() >= 0 ? ct.use() : null);
        e.put("community_id", orig.present() ? communityId(orig) : null);
        if (ct.hasCounters(Ctnetlink.IP_CT_DIR_ORIGINAL) || ct.hasCounters(Ctnetlink.IP_CT_DIR_REPLY))
        {
            final Map<String, Object> counters = new LinkedHashMap<>();
            counters.put("orig_packets", ct.packets(Ctnetlink.IP_CT_DIR_ORIGINAL));
            counters.put("orig_bytes", ct.bytes(Ctnetlink.IP_CT_DIR_ORIGINAL));
            counters.put("reply_packets", ct.packets(Ctnetlink.IP_CT_DIR_REPLY));
            counters.put("reply_bytes", ct.bytes(Ctnetlink.IP_CT_DIR_REPLY));
            e.put("counters", counters);
        }
        if (ct.hasTimestamp())
        {
            e.put("start", Timestamps.rfc3339(ct.timestampStart()));
            e.put("stop", ct.timestampStop() > 0 ? Timestamps.rfc3339(ct.timestampStop()) : null);
        }
        if (ct.hasLabels())
        {
            e.put("labels", hex(buf, ct.labelsOffset(), ct.labelsLength()));
        }
        e.put("helper", ct.helperName());
        if (ct.hasSeqAdj(Ctnetlink.IP_CT_DIR_ORIGINAL) || ct.hasSeqAdj(Ctnetlink.IP_CT_DIR_REPLY))
        {
            e.put("seq_adjust", true);
        }
        return e;
    }

    private Event sock(final JournalEntry entry, final ByteBuffer buf, final int offset, final int length)
    {
        if (!diag.wrap(buf, offset, length))
        {
            return malformed(entry, "sock_diag message: " + diag.error() + " at offset " + (diag.errorOffset() - offset));
        }
        final int proto = sockProtocol(entry);
        final boolean destroy = entry.origin() == CaptureHeader.ORIGIN_EVENT;
        final Event e = event(entry, KIND_SOCK, destroy ? "destroy" : "new");
        e.put("family", familyName(diag.family()));
        e.put("proto", proto > 0 ? protoName(proto) : null);
        e.put("state", proto == InetDiag.IPPROTO_UDP && diag.state() == TCP_CLOSE ? "UNCONN" : TcpStates.name(diag.state()));
        e.put("src", diag.src());
        e.put("sport", diag.sport());
        e.put("dst", diag.dst());
        e.put("dport", diag.dport());
        e.put("inode", diag.inode());
        e.put("uid", diag.uid());
        e.put("cookie", diag.cookie());
        e.put("ifindex", diag.ifindex() != 0 ? diag.ifindex() : null);
        e.put("rqueue", diag.rqueue());
        e.put("wqueue", diag.wqueue());
        if (diag.hasTcpInfo())
        {
            putIfKnown(e, "rtt_us", diag.tcpiRtt());
            putIfKnown(e, "rttvar_us", diag.tcpiRttvar());
            putIfKnown(e, "retransmits", diag.tcpiRetransmits());
            putIfKnown(e, "total_retrans", diag.tcpiTotalRetrans());
            putIfKnown(e, "bytes_acked", diag.tcpiBytesAcked());
            putIfKnown(e, "bytes_received", diag.tcpiBytesReceived());
        }
        e.put("cong", diag.congestion());
        if (proto > 0 && diag.dport() != 0)
        {
            e.put("community_id", CommunityId.v1(0, address(diag.src()), address(diag.dst()), proto, diag.sport(), diag.dport()));
        }
        return e;
    }

    private int sockProtocol(final JournalEntry entry)
    {
        if (diag.protocol() > 0)
        {
            return diag.protocol();
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
        final Integer p = sockDumpProtocols.get(entry.netns() + "/" + entry.group());
        return p == null ? -1 : p;
    }

    private void rememberSockDump(final JournalEntry entry)
    {
        final ByteBuffer buf = entry.buffer();
        final int offset = entry.payloadOffset();
        if (entry.payloadLength() >= Netlink.NLMSG_HDRLEN + 2)
        {
            if (sockDumpProtocols.size() > 1024)
            {
                sockDumpProtocols.clear(); // dumps are short-lived; only the latest few matter
            }
            sockDumpProtocols.put(entry.netns() + "/" + entry.group(), buf.get(offset + Netlink.NLMSG_HDRLEN + 1) & 0xFF);
        }
    }

    private static Map<String, Object> tuple(final CtTuple t)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("src", t.hasSrc() ? t.src() : null);
        m.put("dst", t.hasDst() ? t.dst() : null);
        if (t.srcPort() >= 0 || t.dstPort() >= 0)
        {
            m.put("sport", t.srcPort() >= 0 ? t.srcPort() : null);
            m.put("dport", t.dstPort() >= 0 ? t.dstPort() : null);
        }
        if (t.icmpType() >= 0)
        {
            m.put("type", t.icmpType());
            m.put("code", t.icmpCode() >= 0 ? t.icmpCode() : null);
            m.put("icmp_id", t.icmpId() >= 0 ? t.icmpId() : null);
        }
        return m;
    }

    private static String communityId(final CtTuple t)
    {
        if (!t.hasSrc() || !t.hasDst())
        {
            return null;
        }
        if (t.icmpType() >= 0)
        {
            return CommunityId.v1(0, t.srcBytes(), t.dstBytes(), t.l4proto(), t.icmpType(), Math.max(t.icmpCode(), 0));
        }
        return CommunityId.v1(0, t.srcBytes(), t.dstBytes(), t.l4proto(), t.srcPort(), t.dstPort());
    }

    private static byte[] address(final String literal)
    {
        try
        {
            // literals only: no name is ever looked up
            return InetAddress.getByName(literal).getAddress();
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalStateException("not an address literal: " + literal, e);
        }
    }

    private static void putIfKnown(final Event e, final String name, final long value)
    {
        if (value >= 0)
        {
            e.put(name, value);
        }
    }

    private static String hex(final ByteBuffer buf, final int offset, final int length)
    {
        final StringBuilder sb = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++)
        {
            final int b = buf.get(offset + i) & 0xFF;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    public static String familyName(final int family)
    {
        switch (family)
        {
            case Rtnetlink.AF_INET: return "inet";
            case Rtnetlink.AF_INET6: return "inet6";
            default: return Integer.toString(family);
        }
    }

    public static String protoName(final int proto)
    {
        return IpProto.name(proto);
    }

    /** The op that ends an object of this kind. */
    public static String endOp(final String kind)
    {
        return KIND_CONN.equals(kind) || KIND_SOCK.equals(kind) ? "destroy" : "del";
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
        e.put("family", familyName(addr.family()));
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
