package io.nlstream.monitor.attribution;

import io.nlstream.monitor.journal.AnnotationRecord;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.ConnJournal;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import io.nlstream.monitor.journal.JournalWriter;
import io.nlstream.monitor.journal.RtnlMessages;
import io.nlstream.monitor.journal.TestJournal;
import io.nlstream.monitor.testing.JsonEvent;
import io.nlstream.monitor.testing.Replayed;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;
import io.nlstream.netlink.NetlinkSocket;
import io.nlstream.netlink.diag.InetDiag;
import io.nlstream.netlink.diag.InetDiagRequest;
import io.nlstream.netlink.diag.TcpStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.nlstream.netlink.diag.InetDiag.AF_INET;
import static io.nlstream.netlink.diag.InetDiag.AF_INET6;
import static io.nlstream.netlink.diag.InetDiag.IPPROTO_TCP;
import static io.nlstream.netlink.diag.InetDiag.TCP_LISTEN;
import static io.nlstream.netlink.diag.InetDiag.TCP_TIME_WAIT;
import static io.nlstream.netlink.diag.SockDiag.SKNLGRP_INET6_TCP_DESTROY;
import static io.nlstream.netlink.diag.SockDiag.SKNLGRP_INET_TCP_DESTROY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * AttributionAgent on a temp journal, its doWork() driven by the test (no thread), walking this machine's
 * real /proc for a listener this JVM holds. Socket entries are journalled as capture journals them; one
 * test takes them from a real SOCK_DIAG dump of this namespace.
 */
class AttributionAgentTest
{
    private static final long NETNS = TestJournal.NETNS_A;
    private static final int OUR_PID = (int)ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    private long wall = 1_795_000_000_000_000_000L;
    private int dumps;

    /** One SOCKET_OWNER annotation read back. */
    private record Annotation(long index, int protocol, long netns, long inode, int pid, String comm)
    {
    }

    @Test
    void annotatesASocketOnceAndAgainAfterItsDestroy() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        try (AttributionSockets.Listener listener = AttributionSockets.listen();
             Journal journal = Journal.openForWriting(dir, TestJournal.ROLL_CYCLE);
             JournalWriter capture = journal.writer())
        {
            final AttributionAgent agent = new AttributionAgent(journal, new ProcScanner(), 0);
            agent.onStart();
            try
            {
                dump(capture, listenerMessage(listener, 1));
                for (int i = 0; i < 100 && annotations(journal).isEmpty(); i++)
                {
                    agent.doWork();
                }
                final List<Annotation> first = annotations(journal);
                assertEquals(1, first.size(), first.toString());
                final Annotation a = first.get(0);
                assertEquals(listener.inode(), a.inode());
                assertEquals(OUR_PID, a.pid());
                assertEquals("java", a.comm());
                assertEquals(NETNS, a.netns(), "the namespace of the dump that found the socket");
                assertEquals(Netlink.NETLINK_SOCK_DIAG, a.protocol());

                // seen again by the next dump: already attributed
                dump(capture, listenerMessage(listener, 1));
                drain(agent);
                assertEquals(1, annotations(journal).size());

                // a destroy notification frees the inode for a future socket
                destroy(capture, listener, 1);
                dump(capture, listenerMessage(listener, 2));
                drain(agent);
                final List<Annotation> again = annotations(journal);
                assertEquals(2, again.size(), again.toString());
                assertEquals(listener.inode(), again.get(1).inode());
                assertEquals(OUR_PID, again.get(1).pid());
            }
            finally
            {
                agent.onClose();
            }
        }
    }

    @Test
    void readersGiveTheSocketItsProcess() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        final long inode;
        try (AttributionSockets.Listener listener = AttributionSockets.listen();
             Journal journal = Journal.openForWriting(dir, TestJournal.ROLL_CYCLE);
             JournalWriter capture = journal.writer())
        {
            inode = listener.inode();
            final AttributionAgent agent = new AttributionAgent(journal, new ProcScanner(), 0);
            agent.onStart();
            try
            {
                dump(capture, listenerMessage(listener, 1));
                drain(agent);
            }
            finally
            {
                agent.onClose();
            }
        }
        final Replayed r = Replayed.of(dir);
        assertEquals(1, r.of("sock").size(), r.emitted().toString());
        final JsonEvent sock = r.of("sock").get(0);
        assertEquals("new", sock.op());
        assertEquals(inode, ((Number)sock.get("inode")).longValue());
        assertEquals((long)OUR_PID, sock.get("pid"));
        assertEquals("java", sock.get("comm"));
        assertEquals("LISTEN", sock.get("state"));
        assertEquals("tcp", sock.get("proto"));
    }

    @Test
    void socketsNoProcessHoldsAndEntriesOfOtherKinds() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        try (Journal journal = Journal.openForWriting(dir, TestJournal.ROLL_CYCLE);
             JournalWriter capture = journal.writer())
        {
            final long closed;
            try (AttributionSockets.Listener gone = AttributionSockets.listen())
            {
                closed = gone.inode();
            }
            final AttributionAgent agent = new AttributionAgent(journal, new ProcScanner(), 0);
            agent.onStart();
            try
            {
                // TIME-WAIT: no inode, nothing to attribute; a closed socket twice in one batch: one annotation
                dump(capture,
                    ConnJournal.sock(AF_INET, TCP_TIME_WAIT, "127.0.0.1", 40000, "127.0.0.1", 40001, 0, 5),
                    ConnJournal.sock(AF_INET, TCP_LISTEN, "127.0.0.1", 40002, "0.0.0.0", 0, closed, 6),
                    ConnJournal.sock(AF_INET, TCP_LISTEN, "127.0.0.1", 40002, "0.0.0.0", 0, closed, 6));
                // not sock_diag: not read
                append(capture, CaptureHeader.ORIGIN_DUMP, Netlink.NETLINK_ROUTE, 99, RtnlMessages.newLink(2, "eth0", 1500));
                drain(agent);
                final List<Annotation> annotations = annotations(journal);
                assertEquals(1, annotations.size(), annotations.toString());
                assertEquals(closed, annotations.get(0).inode());
                assertEquals(0, annotations.get(0).pid(), "no process holds it any more");
                assertEquals("", annotations.get(0).comm());
            }
            finally
            {
                agent.onClose();
            }
        }
    }

    @Test
    void entriesJournalledBeforeTheAgentStartedAreNotItsConcern() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        try (AttributionSockets.Listener listener = AttributionSockets.listen();
             Journal journal = Journal.openForWriting(dir, TestJournal.ROLL_CYCLE);
             JournalWriter capture = journal.writer())
        {
            dump(capture, listenerMessage(listener, 1));
            final AttributionAgent agent = new AttributionAgent(journal, new ProcScanner(), 0);
            agent.onStart();
            try
            {
                drain(agent);
                assertEquals(List.of(), annotations(journal));
            }
            finally
            {
                agent.onClose();
            }
        }
    }

    @Test
    void attributesTheListenerFoundByARealSockDiagDumpOfThisNamespace() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        try (AttributionSockets.Listener listener = AttributionSockets.listen();
             Journal journal = Journal.openForWriting(dir, TestJournal.ROLL_CYCLE);
             JournalWriter capture = journal.writer();
             NetlinkSocket diag = NetlinkSocket.open(Netlink.NETLINK_SOCK_DIAG).bind())
        {
            final AttributionAgent agent = new AttributionAgent(journal, new ProcScanner(), 0);
            agent.onStart();
            try
            {
                final int found = kernelDump(diag, capture, listener.ipv6() ? AF_INET6 : AF_INET, listener.inode());
                assertTrue(found > 0, "the kernel's dump lists our listener");
                for (int i = 0; i < 100 && annotations(journal).stream().noneMatch(a -> a.inode() == listener.inode()); i++)
                {
                    agent.doWork();
                }
                drain(agent);
                final List<Annotation> ours = annotations(journal).stream().filter(a -> a.inode() == listener.inode()).toList();
                assertEquals(1, ours.size(), ours.toString());
                assertEquals(OUR_PID, ours.get(0).pid());
                assertEquals("java", ours.get(0).comm());
            }
            finally
            {
                agent.onClose();
            }
        }
        final Replayed r = Replayed.of(dir);
        assertTrue(r.of("sock").stream().anyMatch(e -> Long.valueOf(OUR_PID).equals(e.get("pid"))), r.emitted().toString());
    }

    @Test
    void destroyAsTheKernelSendsItLetsTheInodeBeAttributedAgain() throws IOException
    {
        // the captured ESTAB 10.88.0.1:8080 socket (cookie 0x2b) and its destroy notification (same cookie, inode 0)
        final byte[] estab = RtnlMessages.fixture("diag/tcp4-estab.hex");
        final byte[] destroyed = RtnlMessages.fixture("diag/tcp4-destroy.hex");
        final Path dir = tmp.resolve("journal");
        try (Journal journal = Journal.openForWriting(dir, TestJournal.ROLL_CYCLE);
             JournalWriter capture = journal.writer())
        {
            final AttributionAgent agent = new AttributionAgent(journal, new ProcScanner(), 0);
            agent.onStart();
            try
            {
                dump(capture, estab);
                drain(agent);
                assertEquals(1, annotations(journal).size());
                append(capture, CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_SOCK_DIAG, SKNLGRP_INET_TCP_DESTROY, destroyed);
                dump(capture, estab);
                drain(agent);
                assertEquals(2, annotations(journal).size());
            }
            finally
            {
                agent.onClose();
            }
        }
    }

    // ---- helpers

    /** A dump reply for our listener, as sock_diag reports it. */
    private static byte[] listenerMessage(final AttributionSockets.Listener listener, final long cookie)
    {
        return listener.ipv6()
            ? ConnJournal.sock(AF_INET6, TCP_LISTEN, "::ffff:127.0.0.1", listener.port(), "::", 0, listener.inode(), cookie)
            : ConnJournal.sock(AF_INET, TCP_LISTEN, "127.0.0.1", listener.port(), "0.0.0.0", 0, listener.inode(), cookie);
    }

    /** A destroy notification for our listener carrying its inode (the kernel's carry 0; see the disabled test). */
    private void destroy(final JournalWriter capture, final AttributionSockets.Listener listener, final long cookie)
    {
        final byte[] m = listener.ipv6()
            ? ConnJournal.sockDestroyed(AF_INET6, IPPROTO_TCP, "::ffff:127.0.0.1", listener.port(), "::", 0, listener.inode(), cookie)
            : ConnJournal.sockDestroyed(AF_INET, IPPROTO_TCP, "127.0.0.1", listener.port(), "0.0.0.0", 0, listener.inode(), cookie);
        append(capture, CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_SOCK_DIAG,
            listener.ipv6() ? SKNLGRP_INET6_TCP_DESTROY : SKNLGRP_INET_TCP_DESTROY, m);
    }

    /** A TCP socket dump as capture journals it: the request, the replies, NLMSG_DONE. */
    private void dump(final JournalWriter capture, final byte[]... messages)
    {
        final int id = ++dumps;
        // the family the replies have (idiag_family), as one request per family gets them
        final int family = messages.length == 0 ? AF_INET : messages[0][Netlink.NLMSG_HDRLEN + InetDiag.MSG_FAMILY_OFFSET];
        append(capture, CaptureHeader.ORIGIN_DUMP_BEGIN, Netlink.NETLINK_SOCK_DIAG, id, ConnJournal.sockDumpRequest(id, family, IPPROTO_TCP));
        for (final byte[] m : messages)
        {
            append(capture, CaptureHeader.ORIGIN_DUMP, Netlink.NETLINK_SOCK_DIAG, id, m);
        }
        append(capture, CaptureHeader.ORIGIN_DUMP_END, Netlink.NETLINK_SOCK_DIAG, id, RtnlMessages.done(id));
    }

    private void append(final JournalWriter capture, final int origin, final int protocol, final int group, final byte[] payload)
    {
        append(capture, origin, protocol, group, ByteBuffer.wrap(payload), 0, payload.length);
    }

    private void append(final JournalWriter capture, final int origin, final int protocol, final int group, final ByteBuffer buf,
        final int offset, final int length)
    {
        capture.append(origin, protocol, group, wall, wall / 2, NETNS, -1, 0, buf, offset, length);
        wall += 1_000;
    }

    /**
     * Dumps this namespace's TCP listeners of {@code family} from the kernel and journals the replies as
     * CaptureAgent does. Returns how many replies had {@code inode}.
     */
    private int kernelDump(final NetlinkSocket diag, final JournalWriter capture, final int family, final long inode)
    {
        final int id = ++dumps;
        diag.setReceiveTimeout(5_000); // a guard against a kernel that never answers, not a measured time
        final int length = InetDiagRequest.write(diag.sendBuffer(), id, family, IPPROTO_TCP, 0, TcpStates.bit(TCP_LISTEN));
        append(capture, CaptureHeader.ORIGIN_DUMP_BEGIN, Netlink.NETLINK_SOCK_DIAG, id, diag.sendBuffer(), 0, length);
        diag.send(length);
        int found = 0;
        final ByteBuffer rx = diag.receiveBuffer();
        for (int datagrams = 0; datagrams < 10_000; datagrams++)
        {
            final int n = diag.receive();
            if (n < 0)
            {
                fail("recvmsg on NETLINK_SOCK_DIAG: " + diag.strerror(-n));
            }
            int offset = 0;
            while (offset < n)
            {
                final int len = NetlinkFraming.check(rx, offset, n - offset);
                assertTrue(len > 0, NetlinkFraming.describe(len));
                final int type = NetlinkFraming.type(rx, offset);
                final boolean end = type == Netlink.NLMSG_DONE || type == Netlink.NLMSG_ERROR;
                append(capture, end ? CaptureHeader.ORIGIN_DUMP_END : CaptureHeader.ORIGIN_DUMP, Netlink.NETLINK_SOCK_DIAG, id, rx, offset,
                    len);
                if (end)
                {
                    assertEquals(Netlink.NLMSG_DONE, type, "the dump ended in an error");
                    return found;
                }
                if (Integer.toUnsignedLong(rx.getInt(offset + Netlink.NLMSG_HDRLEN + InetDiag.MSG_INODE_OFFSET)) == inode)
                {
                    found++;
                }
                offset = NetlinkFraming.nextOffset(offset, len, n);
            }
        }
        throw new AssertionError("no NLMSG_DONE after 10000 datagrams");
    }

    /** Runs the agent until a call finds nothing to do: everything journalled so far has been read and attributed. */
    private static void drain(final AttributionAgent agent)
    {
        for (int i = 0; i < 1000; i++)
        {
            if (agent.doWork() == 0)
            {
                return;
            }
        }
        fail("the agent never ran out of work");
    }

    private static List<Annotation> annotations(final Journal journal)
    {
        final List<Annotation> out = new ArrayList<>();
        try (JournalReader reader = journal.reader().toStart())
        {
            final JournalEntry e = new JournalEntry();
            while (reader.next(e))
            {
                if (e.origin() == CaptureHeader.ORIGIN_ANNOTATION)
                {
                    final ByteBuffer b = e.buffer();
                    final int at = e.payloadOffset();
                    assertEquals(AnnotationRecord.TYPE_SOCKET_OWNER, AnnotationRecord.type(b, at, e.payloadLength()));
                    assertEquals(AnnotationRecord.SOCKET_OWNER_LENGTH, e.payloadLength());
                    out.add(new Annotation(e.index(), e.protocol(), e.netns(), b.getLong(at + AnnotationRecord.INODE_OFFSET),
                        b.getInt(at + AnnotationRecord.PID_OFFSET), AnnotationRecord.comm(b, at)));
                }
            }
        }
        return out;
    }
}
