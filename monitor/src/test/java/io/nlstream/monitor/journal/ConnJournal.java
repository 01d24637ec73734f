package io.nlstream.monitor.journal;

import io.nlstream.monitor.capture.DumpRequest;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.conntrack.Ctnetlink;
import io.nlstream.netlink.conntrack.Nfnetlink;
import io.nlstream.netlink.diag.InetDiag;
import io.nlstream.netlink.diag.InetDiagRequest;
import io.nlstream.netlink.diag.SockDiag;
import io.nlstream.netlink.rtnl.Rtnetlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Test helper: synthetic journals of the connection-level families, written as capture writes them
 * (CaptureAgent: the dump id as group, the request as the dump-begin payload, NLMSG_DONE as the end) for
 * ctnetlink, sock_diag, rtnetlink routes and neighbours, plus SOCKET_OWNER annotations as
 * AttributionAgent writes them; and SOCK_DIAG_BY_FAMILY messages built field by field, for sockets that
 * the captured fixtures do not have. Read back with {@link io.nlstream.monitor.testing.Replayed}, through the
 * read pipeline every reader shares.
 */
public final class ConnJournal implements AutoCloseable
{
    private static final int CAPTURE_PORT_ID = 4242;

    private final TestJournal journal;
    private final JournalWriter writer;

    private ConnJournal(final TestJournal journal)
    {
        this.journal = journal;
        this.writer = journal.writer();
    }

    public static ConnJournal create(final Path dir)
    {
        return new ConnJournal(TestJournal.create(dir));
    }

    /** The rtnetlink side, for the helpers TestJournal already has. */
    public TestJournal rtnl()
    {
        return journal;
    }

    /** Appends one entry of {@code protocol}; the wall clock advances by 1 µs, as TestJournal's does. */
    public long append(final int origin, final int protocol, final int group, final long netns, final int flags, final byte[] payload)
    {
        final long wall = journal.wallNanos();
        writer.append(origin, protocol, group, wall, wall / 2, netns, -1, flags, ByteBuffer.wrap(payload), 0, payload.length);
        journal.at(wall + 1_000);
        return writer.lastIndex();
    }

    // ---- ctnetlink

    /** A conntrack notification on {@code group} (NFNLGRP_CONNTRACK_*). */
    public long ctEvent(final long netns, final int group, final byte[] message)
    {
        return append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_NETFILTER, group, netns, 0, message);
    }

    /** A conntrack table dump of {@code family}: the messages, then NLMSG_DONE. Returns the end's index. */
    public long ctDump(final long netns, final int dumpId, final int family, final List<byte[]> messages)
    {
        append(CaptureHeader.ORIGIN_DUMP_BEGIN, Netlink.NETLINK_NETFILTER, dumpId, netns, 0, ctDumpRequest(dumpId, family));
        for (final byte[] m : messages)
        {
            append(CaptureHeader.ORIGIN_DUMP, Netlink.NETLINK_NETFILTER, dumpId, netns, 0, m);
        }
        return append(CaptureHeader.ORIGIN_DUMP_END, Netlink.NETLINK_NETFILTER, dumpId, netns, 0, RtnlMessages.done(dumpId));
    }

    /** IPCTNL_MSG_CT_GET with NLM_F_DUMP and a 4-byte nfgenmsg, as CaptureSpec.conntrack() sends it. */
    public static byte[] ctDumpRequest(final int seq, final int family)
    {
        return request(DumpRequest.withFamilyHeader("conntrack table",
            Nfnetlink.nlmsgType(Nfnetlink.NFNL_SUBSYS_CTNETLINK, Ctnetlink.IPCTNL_MSG_CT_GET), Nfnetlink.NFGENMSG_LEN, family), seq);
    }

    // ---- sock_diag

    /** A complete socket dump of one family and protocol. Returns the index of its end. */
    public long sockDump(final long netns, final int dumpId, final int family, final int protocol, final byte[]... messages)
    {
        sockDumpBegin(netns, dumpId, family, protocol);
        for (final byte[] m : messages)
        {
            sockDumpMessage(netns, dumpId, m);
        }
        return sockDumpEnd(netns, dumpId);
    }

    public long sockDumpBegin(final long netns, final int dumpId, final int family, final int protocol)
    {
        return append(CaptureHeader.ORIGIN_DUMP_BEGIN, Netlink.NETLINK_SOCK_DIAG, dumpId, netns, 0, sockDumpRequest(dumpId, family, protocol));
    }

    public long sockDumpMessage(final long netns, final int dumpId, final byte[] message)
    {
        return append(CaptureHeader.ORIGIN_DUMP, Netlink.NETLINK_SOCK_DIAG, dumpId, netns, 0, message);
    }

    public long sockDumpEnd(final long netns, final int dumpId)
    {
        return append(CaptureHeader.ORIGIN_DUMP_END, Netlink.NETLINK_SOCK_DIAG, dumpId, netns, 0, RtnlMessages.done(dumpId));
    }

    /** A destroy notification on {@code group} (SKNLGRP_*_DESTROY). */
    public long sockDestroy(final long netns, final int group, final byte[] message)
    {
        return append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_SOCK_DIAG, group, netns, 0, message);
    }

    /** The request CaptureSpec.sockDiag() sends: all states, INFO and CONG. */
    public static byte[] sockDumpRequest(final int seq, final int family, final int protocol)
    {
        final ByteBuffer buf = ByteBuffer.allocate(InetDiagRequest.LENGTH).order(ByteOrder.nativeOrder());
        final int length = InetDiagRequest.write(buf, seq, family, protocol,
            InetDiag.INET_DIAG_EXT_INFO | InetDiag.INET_DIAG_EXT_CONG, InetDiag.ALL_STATES);
        return Arrays.copyOf(buf.array(), length);
    }

    /** A SOCKET_OWNER annotation, as AttributionAgent journals it (pid 0: no process holds the socket). */
    public long owner(final long netns, final long inode, final int pid, final String comm)
    {
        final ByteBuffer record = ByteBuffer.allocate(AnnotationRecord.SOCKET_OWNER_LENGTH).order(ByteOrder.nativeOrder());
        final int length = AnnotationRecord.writeSocketOwner(record, inode, pid, comm);
        return append(CaptureHeader.ORIGIN_ANNOTATION, Netlink.NETLINK_SOCK_DIAG, 0, netns, 0, Arrays.copyOf(record.array(), length));
    }

    /**
     * A SOCK_DIAG_BY_FAMILY dump reply (NLM_F_MULTI, no attributes: dump replies carry no
     * INET_DIAG_PROTOCOL) for one socket. Addresses are literals; {@code ::ffff:a.b.c.d} stays 16 bytes.
     */
    public static byte[] sock(final int family, final int state, final String src, final int sport, final String dst,
        final int dport, final long inode, final long cookie)
    {
        return sockMessage(Netlink.NLM_F_MULTI, family, state, src, sport, dst, dport, inode, cookie, -1);
    }

    /** A destroy notification for one socket: as the kernel sends it, with INET_DIAG_PROTOCOL. */
    public static byte[] sockDestroyed(final int family, final int protocol, final String src, final int sport, final String dst,
        final int dport, final long inode, final long cookie)
    {
        return sockMessage(0, family, InetDiag.TCP_CLOSE, src, sport, dst, dport, inode, cookie, protocol);
    }

    private static byte[] sockMessage(final int flags, final int family, final int state, final String src, final int sport,
        final String dst, final int dport, final long inode, final long cookie, final int protocolAttribute)
    {
        final RtnlMessages m = RtnlMessages.message(SockDiag.SOCK_DIAG_BY_FAMILY, flags, 1, 0)
            .u8(family).u8(state).u8(0).u8(0)
            .bytes(new byte[] {(byte)(sport >> 8), (byte)sport, (byte)(dport >> 8), (byte)dport})
            .bytes(Arrays.copyOf(address(family, src), 16))
            .bytes(Arrays.copyOf(address(family, dst), 16))
            .u32(0) // idiag_if
            .u32((int)cookie).u32((int)(cookie >>> 32))
            .u32(0).u32(0).u32(0) // expires, rqueue, wqueue
            .u32(1000) // uid
            .u32((int)inode);
        if (protocolAttribute >= 0)
        {
            m.attrU8(InetDiag.INET_DIAG_PROTOCOL, protocolAttribute);
        }
        return m.build();
    }

    private static byte[] address(final int family, final String literal)
    {
        final byte[] a;
        try
        {
            a = InetAddress.getByName(literal).getAddress();
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalArgumentException("not an address literal: " + literal, e);
        }
        if (family == InetDiag.AF_INET6 && a.length == 4)
        {
            // Java gives ::ffff:a.b.c.d as an IPv4 address; the kernel keeps the mapped 16 bytes
            final byte[] mapped = new byte[16];
            mapped[10] = (byte)0xFF;
            mapped[11] = (byte)0xFF;
            System.arraycopy(a, 0, mapped, 12, 4);
            return mapped;
        }
        return a;
    }

    // ---- rtnetlink routes and neighbours

    /** A route dump of {@code family} (AF_UNSPEC as capture asks, or one family). Returns the end's index. */
    public long routeDump(final long netns, final int dumpId, final int family, final List<byte[]> messages)
    {
        return rtnlDump(netns, dumpId, DumpRequest.withFamilyHeader("routes", Rtnetlink.RTM_GETROUTE, Rtnetlink.RTMSG_LEN, family), messages);
    }

    public long neighDump(final long netns, final int dumpId, final int family, final List<byte[]> messages)
    {
        return rtnlDump(netns, dumpId, DumpRequest.withFamilyHeader("neighbours", Rtnetlink.RTM_GETNEIGH, Rtnetlink.NDMSG_LEN, family), messages);
    }

    public long rtnlEvent(final long netns, final int group, final byte[] message)
    {
        return append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, group, netns, 0, message);
    }

    /** The dump's messages; a captured dump's own NLMSG_DONE ends it, else one is added. */
    private long rtnlDump(final long netns, final int dumpId, final DumpRequest request, final List<byte[]> messages)
    {
        append(CaptureHeader.ORIGIN_DUMP_BEGIN, Netlink.NETLINK_ROUTE, dumpId, netns, 0, request(request, dumpId));
        for (final byte[] m : messages)
        {
            if (RtnlMessages.type(m) == Netlink.NLMSG_DONE)
            {
                return append(CaptureHeader.ORIGIN_DUMP_END, Netlink.NETLINK_ROUTE, dumpId, netns, 0, m);
            }
            append(CaptureHeader.ORIGIN_DUMP, Netlink.NETLINK_ROUTE, dumpId, netns, 0, m);
        }
        return append(CaptureHeader.ORIGIN_DUMP_END, Netlink.NETLINK_ROUTE, dumpId, netns, 0, RtnlMessages.done(dumpId));
    }

    private static byte[] request(final DumpRequest request, final int seq)
    {
        final ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        final int length = request.encode(buf, seq, CAPTURE_PORT_ID);
        return Arrays.copyOf(buf.array(), Netlink.nlmsgAlign(length));
    }

    @Override
    public void close()
    {
        journal.close();
    }
}
