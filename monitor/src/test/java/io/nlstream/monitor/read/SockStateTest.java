package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.ConnJournal;
import io.nlstream.monitor.journal.RtnlMessages;
import io.nlstream.monitor.testing.JsonEvent;
import io.nlstream.monitor.testing.Replayed;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.diag.InetDiag;
import io.nlstream.sinks.CommunityId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.nlstream.monitor.journal.TestJournal.NETNS_A;
import static io.nlstream.monitor.journal.TestJournal.NETNS_B;
import static io.nlstream.netlink.conntrack.Nfnetlink.NFNLGRP_CONNTRACK_NEW;
import static io.nlstream.netlink.diag.InetDiag.AF_INET;
import static io.nlstream.netlink.diag.InetDiag.AF_INET6;
import static io.nlstream.netlink.diag.InetDiag.IPPROTO_TCP;
import static io.nlstream.netlink.diag.InetDiag.IPPROTO_UDP;
import static io.nlstream.netlink.diag.InetDiag.TCP_CLOSE;
import static io.nlstream.netlink.diag.InetDiag.TCP_ESTABLISHED;
import static io.nlstream.netlink.diag.InetDiag.TCP_LISTEN;
import static io.nlstream.netlink.diag.InetDiag.TCP_TIME_WAIT;
import static io.nlstream.netlink.diag.SockDiag.SKNLGRP_INET_TCP_DESTROY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Socket events and the process a conn event gains, from synthetic journals: sock_diag dumps (requests as
 * capture sends them, replies built field by field), destroy notifications, SOCKET_OWNER annotations as
 * attribution writes them, and the captured ctnetlink fixtures (a DNAT flow 10.77.0.1:40080 ->
 * 10.77.0.2:8080 -> :80, UDP 10.77.0.1:40777 -> 10.77.0.2:7777, TCP [fd00:77::1]:40081 -> [fd00:77::2]:80).
 */
class SockStateTest
{
    private static final String CLIENT = "10.77.0.1";
    private static final String SERVER = "10.77.0.2";

    @TempDir
    Path tmp;

    // ---- sockets found by dumps, and their owners

    @Test
    void socketFoundByADumpIsEmittedOnceItsOwnerIsKnown()
    {
        final long[] at = new long[3];
        final Replayed r = replay(j ->
        {
            at[0] = j.sockDump(NETNS_A, 1, AF_INET, IPPROTO_TCP, listener(SERVER, 80, 5001, 1));
            at[1] = j.owner(NETNS_A, 5001, 321, "nginx");
            // seen again by the next dumps: nothing new
            at[2] = j.sockDump(NETNS_A, 2, AF_INET, IPPROTO_TCP, listener(SERVER, 80, 5001, 1));
            j.sockDump(NETNS_A, 3, AF_INET, IPPROTO_TCP, listener(SERVER, 80, 5001, 1));
        });
        assertEquals(List.of(), r.malformed());
        assertEquals(1, r.of("sock").size(), r.emitted().toString());
        final JsonEvent e = r.of("sock").get(0);
        assertEquals(at[1], e.seq(), "emitted at the annotation's place in the journal");
        final Map<String, Object> json = json(e);
        assertEquals("new", json.get("op"));
        assertEquals((long)NETNS_A, json.get("netns"));
        assertEquals("inet", json.get("family"));
        assertEquals("tcp", json.get("proto"), "from the dump's request: dump replies do not say");
        assertEquals("LISTEN", json.get("state"));
        assertEquals(SERVER, json.get("src"));
        assertEquals(80L, json.get("sport"));
        assertEquals(5001L, json.get("inode"));
        assertEquals(321L, json.get("pid"));
        assertEquals("nginx", json.get("comm"));
        assertNull(json.get("community_id"), "a listener has no flow");

        final JsonEvent object = only(r.objects("sock"));
        assertEquals(321L, object.get("pid"));
        assertEquals("nginx", object.get("comm"));
    }

    @Test
    void socketHeldUntilItsOwnerIsKnownIsAlreadyInState()
    {
        final Replayed r = replay(j -> j.sockDump(NETNS_A, 1, AF_INET, IPPROTO_TCP, listener(SERVER, 80, 5001, 1)));
        assertEquals(List.of(), r.of("sock"), "not emitted before attribution tells who holds it");
        final JsonEvent object = only(r.objects("sock"));
        assertEquals(5001L, ((Number)object.get("inode")).longValue());
        assertNull(object.get("pid"));
    }

    @Test
    void socketEmittedOnItsAnnotationSaysItCameFromADump()
    {
        final Replayed r = replay(j ->
        {
            j.sockDump(NETNS_A, 1, AF_INET, IPPROTO_TCP, listener(SERVER, 80, 5001, 1));
            j.owner(NETNS_A, 5001, 321, "nginx");
        });
        assertEquals("dump", only(r.of("sock")).get("origin"));
    }

    @Test
    void annotationWithoutAProcessReleasesTheSocketWithoutOwner()
    {
        final long[] at = new long[1];
        final Replayed r = replay(j ->
        {
            j.sockDump(NETNS_A, 1, AF_INET, IPPROTO_TCP, listener(SERVER, 80, 5001, 1));
            at[0] = j.owner(NETNS_A, 5001, 0, ""); // closed before the /proc walk
        });
        final JsonEvent e = only(r.of("sock"));
        assertEquals("new", e.op());
        assertEquals(at[0], e.seq());
        assertNull(e.get("pid"));
        assertNull(e.get("comm"));
    }

    @Test
    void socketWithoutInodeIsEmittedAtOnce()
    {
        final long[] at = new long[1];
        final Replayed r = replay(j ->
        {
            j.sockDumpBegin(NETNS_A, 1, AF_INET, IPPROTO_TCP);
            at[0] = j.sockDumpMessage(NETNS_A, 1, ConnJournal.sock(AF_INET, TCP_TIME_WAIT, SERVER, 80, CLIENT, 40080, 0, 9));
            j.sockDumpEnd(NETNS_A, 1);
        });
        final JsonEvent e = only(r.of("sock"));
        assertEquals(at[0], e.seq(), "TIME-WAIT sockets belong to no process: nothing to wait for");
        final Map<String, Object> json = json(e);
        assertEquals("new", json.get("op"));
        assertEquals("dump", json.get("origin"));
        assertEquals("TIME-WAIT", json.get("state"));
        assertEquals(0L, json.get("inode"));
        assertNull(json.get("pid"));
        assertEquals(CommunityId.v1(0, new byte[] {10, 77, 0, 2}, new byte[] {10, 77, 0, 1}, 6, 80, 40080),
            json.get("community_id"));
    }

    @Test
    void unattributedSocketIsEmittedWithoutOwnerWhenTheNextDumpOfItsScopeEnds()
    {
        final long[] end = new long[5];
        final Replayed r = replay(j ->
        {
            end[0] = j.sockDump(NETNS_A, 1, AF_INET, IPPROTO_TCP, listener(SERVER, 80, 5001, 1));
            // other scopes end without releasing it
            end[1] = j.sockDump(NETNS_A, 2, AF_INET6, IPPROTO_TCP);
            end[2] = j.sockDump(NETNS_A, 3, AF_INET, IPPROTO_UDP);
            end[3] = j.sockDump(NETNS_A, 4, AF_INET, IPPROTO_TCP, listener(SERVER, 80, 5001, 1));
            // attribution late, then another cycle: nothing more
            j.owner(NETNS_A, 5001, 321, "nginx");
            end[4] = j.sockDump(NETNS_A, 5, AF_INET, IPPROTO_TCP, listener(SERVER, 80, 5001, 1));
        });
        final JsonEvent e = only(r.of("sock"));
        assertEquals(end[3], e.seq(), "released at the end of the next TCP/IPv4 dump, not of any other");
        final Map<String, Object> json = json(e);
        assertEquals("new", json.get("op"));
        assertEquals("dump", json.get("origin"));
        assertEquals(1L, json.get("sub"), "shares the dump end's seq with whatever else it ends");
        assertNull(json.get("pid"));
        assertEquals(321L, only(r.objects("sock")).get("pid"), "the late annotation still completes the state");
    }

    @Test
    void unattributedSocketGoneByTheNextDumpIsNeverEmitted()
    {
        final Replayed r = replay(j ->
        {
            j.sockDump(NETNS_A, 1, AF_INET, IPPROTO_TCP, listener(SERVER, 80, 5001, 1));
            j.sockDump(NETNS_A, 2, AF_INET, IPPROTO_TCP);
        });
        assertEquals(List.of(), r.emitted(), "no new was emitted, so no destroy either");
        assertEquals(List.of(), r.objects("sock"));
    }

    @Test
    void destroyCarriesTheOwnerFromStateAndEndsTheSocket()
    {
        final long[] at = new long[1];
        final Replayed r = replay(j ->
        {
            j.sockDump(NETNS_A, 1, AF_INET, IPPROTO_TCP,
                ConnJournal.sock(AF_INET, TCP_ESTABLISHED, SERVER, 80, CLIENT, 40080, 5002, 2),
                ConnJournal.sock(AF_INET, TCP_ESTABLISHED, SERVER, 80, CLIENT, 40090, 5003, 3));
            j.owner(NETNS_A, 5002, 321, "nginx");
            j.owner(NETNS_A, 5003, 322, "nginx");
            // the kernel sends the destroy when it frees the socket: its file, hence inode, is gone
            at[0] = j.sockDestroy(NETNS_A, SKNLGRP_INET_TCP_DESTROY,
                ConnJournal.sockDestroyed(AF_INET, IPPROTO_TCP, SERVER, 80, CLIENT, 40080, 0, 2));
        });
        assertEquals(List.of("new", "new", "destroy"), r.of("sock").stream().map(JsonEvent::op).toList());
        final Map<String, Object> json = json(r.of("sock").get(2));
        assertEquals(at[0], ((Number)json.get("seq")).longValue());
        assertEquals("event", json.get("origin"));
        assertEquals("tcp", json.get("proto"), "destroy notifications say their protocol");
        assertEquals(2L, json.get("cookie"));
        assertEquals(321L, json.get("pid"));
        assertEquals("nginx", json.get("comm"));
        assertEquals(List.of(3L), r.objects("sock").stream().map(e -> ((Number)e.get("cookie")).longValue()).toList());
    }

    @Test
    void shutdownIsWrittenAsTheKernelSendsIt()
    {
        // captured: a listener, a client after shutdown(SHUT_WR) and the accepted socket after its FIN (README in diag/)
        final List<byte[]> dump = RtnlMessages.messages(RtnlMessages.fixture("diag/tcp4-shutdown-dump.hex"));
        final byte[][] sockets = dump.subList(0, dump.size() - 1).toArray(new byte[0][]);
        final Replayed r = replay(j ->
        {
            j.sockDump(NETNS_A, 1, AF_INET, IPPROTO_TCP, sockets);
            j.sockDump(NETNS_A, 2, AF_INET, IPPROTO_TCP, sockets);
        });
        assertEquals(List.of(), r.malformed());
        final Map<String, Object> shutdown = new TreeMap<>();
        for (final JsonEvent e : r.of("sock"))
        {
            shutdown.put((String)e.get("state"), e.get("shutdown"));
        }
        // ss: <-> for 0, <-- (sending shut down) for 2, --> (receiving shut down) for 1
        assertEquals(Map.of("LISTEN", 0L, "FIN-WAIT-2", 2L, "CLOSE-WAIT", 1L), shutdown);
    }

    @Test
    void destroyNotificationHasNoShutdown()
    {
        final Replayed r = replay(j -> j.sockDestroy(NETNS_A, SKNLGRP_INET_TCP_DESTROY,
            RtnlMessages.fixture("diag/tcp4-destroy.hex")));
        final Map<String, Object> json = json(only(r.of("sock")));
        assertEquals("destroy", json.get("op"));
        assertFalse(json.containsKey("shutdown"), "the kernel sends no INET_DIAG_SHUTDOWN with a destroy: " + json);
    }

    @Test
    void destroyOfASocketNeverSeenIsEmittedAsItIs()
    {
        final Replayed r = replay(j -> j.sockDestroy(NETNS_A, SKNLGRP_INET_TCP_DESTROY,
            RtnlMessages.fixture("diag/tcp4-destroy.hex")));
        final Map<String, Object> json = json(only(r.of("sock")));
        assertEquals("destroy", json.get("op"));
        assertEquals("10.88.0.1", json.get("src"));
        assertEquals(8080L, json.get("sport"));
        assertNull(json.get("pid"));
        assertEquals(List.of(), r.objects("sock"));
    }

    @Test
    void tcp4DumpEndsOnlyTcp4Sockets()
    {
        final long[] end = new long[2];
        final Replayed r = replay(j ->
        {
            j.sockDump(NETNS_A, 1, AF_INET, IPPROTO_TCP, ConnJournal.sock(AF_INET, TCP_ESTABLISHED, SERVER, 80, CLIENT, 40080, 6001, 11));
            j.sockDump(NETNS_A, 2, AF_INET6, IPPROTO_TCP,
                ConnJournal.sock(AF_INET6, TCP_ESTABLISHED, "fd00:77::2", 80, "fd00:77::1", 40081, 6002, 12),
                ConnJournal.sock(AF_INET6, TCP_ESTABLISHED, "::ffff:" + SERVER, 80, "::ffff:" + CLIENT, 40085, 6003, 13));
            j.sockDump(NETNS_A, 3, AF_INET, IPPROTO_UDP, ConnJournal.sock(AF_INET, TCP_CLOSE, SERVER, 7777, "0.0.0.0", 0, 6004, 14));
            j.sockDump(NETNS_B, 1, AF_INET, IPPROTO_TCP, ConnJournal.sock(AF_INET, TCP_ESTABLISHED, SERVER, 80, CLIENT, 40080, 6005, 15));
            for (long inode = 6001; inode <= 6005; inode++)
            {
                j.owner(inode == 6005 ? NETNS_B : NETNS_A, inode, (int)inode, "srv");
            }
            end[0] = j.sockDump(NETNS_A, 4, AF_INET, IPPROTO_TCP);
            end[1] = j.sockDump(NETNS_A, 5, AF_INET, IPPROTO_UDP);
        });
        assertEquals(5, r.of("sock").stream().filter(e -> "new".equals(e.op())).count());
        final JsonEvent tcp4End = only(r.at(end[0]));
        assertEquals("destroy", tcp4End.op());
        assertEquals(11L, tcp4End.get("cookie"));
        assertEquals(Boolean.TRUE, tcp4End.get("synthesized"));
        assertEquals("resync", tcp4End.get("origin"));
        assertEquals(1L, tcp4End.get("sub"));
        assertEquals(6001L, tcp4End.get("pid"), "the ended socket's last known owner");
        final JsonEvent udp4End = only(r.at(end[1]));
        assertEquals(14L, udp4End.get("cookie"));
        assertEquals("UNCONN", udp4End.get("state"));
        // IPv6 sockets (IPv4-mapped ones included) and the other namespace's are untouched
        assertEquals(List.of(12L, 13L, 15L), r.objects("sock").stream().map(e -> ((Number)e.get("cookie")).longValue()).toList());
    }

    // ---- conn events gain the process of the local socket that matches the flow

    @Test
    void outgoingConnectionMatchesTheSocketWithTheOriginalTuple()
    {
        final JsonEvent conn = connWithSockets("tcp4-dnat-new", AF_INET, IPPROTO_TCP,
            ConnJournal.sock(AF_INET, TCP_ESTABLISHED, CLIENT, 40080, SERVER, 8080, 7001, 1));
        assertEquals(7001L, conn.get("pid"));
        assertEquals("p7001", conn.get("comm"));
    }

    @Test
    void connectionAcceptedThroughDnatMatchesTheSocketWithTheReplyTuple()
    {
        final JsonEvent conn = connWithSockets("tcp4-dnat-new", AF_INET, IPPROTO_TCP,
            ConnJournal.sock(AF_INET, TCP_ESTABLISHED, SERVER, 80, CLIENT, 40080, 7002, 1),
            // the listener it came from, held by another process (a master that forks workers)
            ConnJournal.sock(AF_INET, TCP_LISTEN, SERVER, 80, "0.0.0.0", 0, 7003, 2));
        assertEquals(7002L, conn.get("pid"), "the accepted socket before the listener");
    }

    @Test
    void connectionNotYetAcceptedMatchesTheListenerOnTheReplySourcePort()
    {
        assertEquals(7004L, connWithSockets("tcp4-dnat-new", AF_INET, IPPROTO_TCP,
            ConnJournal.sock(AF_INET, TCP_LISTEN, SERVER, 80, "0.0.0.0", 0, 7004, 1)).get("pid"));
        assertEquals(7005L, connWithSockets("tcp4-dnat-new", AF_INET, IPPROTO_TCP,
            ConnJournal.sock(AF_INET, TCP_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0, 7005, 1)).get("pid"), "wildcard 0.0.0.0");
        assertEquals(7006L, connWithSockets("tcp4-dnat-new", AF_INET6, IPPROTO_TCP,
            ConnJournal.sock(AF_INET6, TCP_LISTEN, "::", 80, "::", 0, 7006, 1)).get("pid"), "a dual-stack listener on :: takes IPv4");
        assertEquals(7007L, connWithSockets("tcp6-new", AF_INET6, IPPROTO_TCP,
            ConnJournal.sock(AF_INET6, TCP_LISTEN, "::", 80, "::", 0, 7007, 1)).get("pid"), "IPv6 flow, :: listener");
        assertEquals(7008L, connWithSockets("tcp6-new", AF_INET6, IPPROTO_TCP,
            ConnJournal.sock(AF_INET6, TCP_LISTEN, "fd00:77::2", 80, "::", 0, 7008, 1)).get("pid"));
    }

    @Test
    void udpFlowMatchesTheUnconnectedSocketOnItsPort()
    {
        assertEquals(7010L, connWithSockets("udp4-new", AF_INET, IPPROTO_UDP,
            ConnJournal.sock(AF_INET, TCP_CLOSE, "0.0.0.0", 7777, "0.0.0.0", 0, 7010, 1)).get("pid"));
        assertEquals(7011L, connWithSockets("udp4-new", AF_INET, IPPROTO_UDP,
            ConnJournal.sock(AF_INET, TCP_CLOSE, SERVER, 7777, "0.0.0.0", 0, 7011, 1)).get("pid"));
        assertEquals(7012L, connWithSockets("udp4-new", AF_INET, IPPROTO_UDP,
            ConnJournal.sock(AF_INET, TCP_ESTABLISHED, CLIENT, 40777, SERVER, 7777, 7012, 1)).get("pid"), "connected client socket");
    }

    @Test
    void ipv4MappedSocketOfADualStackServerMatchesTheIpv4Flow()
    {
        final JsonEvent conn = connWithSockets("tcp4-dnat-new", AF_INET6, IPPROTO_TCP,
            ConnJournal.sock(AF_INET6, TCP_ESTABLISHED, "::ffff:" + SERVER, 80, "::ffff:" + CLIENT, 40080, 7020, 1));
        assertEquals(7020L, conn.get("pid"));
        final JsonEvent client = connWithSockets("tcp4-dnat-new", AF_INET6, IPPROTO_TCP,
            ConnJournal.sock(AF_INET6, TCP_ESTABLISHED, "::ffff:" + CLIENT, 40080, "::ffff:" + SERVER, 8080, 7021, 1));
        assertEquals(7021L, client.get("pid"));
    }

    @Test
    void noMatchingSocketNoProcess()
    {
        // another port, another protocol, a socket without an owner yet
        final JsonEvent conn = connWithSockets("tcp4-dnat-new", AF_INET, IPPROTO_TCP,
            ConnJournal.sock(AF_INET, TCP_LISTEN, SERVER, 8080, "0.0.0.0", 0, 7030, 1),
            ConnJournal.sock(AF_INET, TCP_ESTABLISHED, SERVER, 80, CLIENT, 40081, 7031, 2));
        assertNull(conn.get("pid"));
        final JsonEvent udp = connWithSockets("tcp4-dnat-new", AF_INET, IPPROTO_UDP,
            ConnJournal.sock(AF_INET, TCP_CLOSE, "0.0.0.0", 80, "0.0.0.0", 0, 7032, 1));
        assertNull(udp.get("pid"), "a UDP socket on port 80 is not the TCP flow's");
        final Replayed pending = replay("pending", j ->
        {
            j.sockDump(NETNS_A, 1, AF_INET, IPPROTO_TCP, ConnJournal.sock(AF_INET, TCP_ESTABLISHED, SERVER, 80, CLIENT, 40080, 7033, 1));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, RtnlMessages.fixture("conntrack/tcp4-dnat-new.hex"));
        });
        assertNull(only(pending.of("conn")).get("pid"), "the socket's owner is not known yet");
    }

    @Test
    void socketOfAnotherNamespaceDoesNotMatch()
    {
        final Replayed r = replay("ns", j ->
        {
            j.sockDump(NETNS_B, 1, AF_INET, IPPROTO_TCP, ConnJournal.sock(AF_INET, TCP_ESTABLISHED, SERVER, 80, CLIENT, 40080, 7040, 1));
            j.owner(NETNS_B, 7040, 7040, "nginx");
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, RtnlMessages.fixture("conntrack/tcp4-dnat-new.hex"));
            j.ctEvent(NETNS_B, NFNLGRP_CONNTRACK_NEW, RtnlMessages.fixture("conntrack/tcp4-dnat-new.hex"));
        });
        final List<JsonEvent> conns = r.of("conn");
        assertNull(conns.get(0).get("pid"));
        assertEquals(7040L, conns.get(1).get("pid"));
        assertEquals("nginx", json(conns.get(1)).get("comm"));
    }

    @Test
    void destroyedSocketNoLongerMatches()
    {
        final Replayed r = replay("gone", j ->
        {
            j.sockDump(NETNS_A, 1, AF_INET, IPPROTO_TCP, ConnJournal.sock(AF_INET, TCP_LISTEN, SERVER, 80, "0.0.0.0", 0, 7050, 1));
            j.owner(NETNS_A, 7050, 7050, "nginx");
            j.sockDestroy(NETNS_A, SKNLGRP_INET_TCP_DESTROY, ConnJournal.sockDestroyed(AF_INET, IPPROTO_TCP, SERVER, 80, "0.0.0.0", 0, 0, 1));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, RtnlMessages.fixture("conntrack/tcp4-dnat-new.hex"));
        });
        assertNull(only(r.of("conn")).get("pid"));
    }

    @Test
    void ipv4OnlyWildcardListenerDoesNotTakeAnIpv6Flow()
    {
        final JsonEvent conn = connWithSockets("tcp6-new", AF_INET, IPPROTO_TCP,
            ConnJournal.sock(AF_INET, TCP_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0, 7060, 1));
        assertNull(conn.get("pid"), "an AF_INET socket cannot hold an IPv6 connection");
    }

    // ---- helpers

    private interface Script
    {
        void write(ConnJournal journal);
    }

    private Replayed replay(final Script script)
    {
        return replay("journal", script);
    }

    private Replayed replay(final String name, final Script script)
    {
        final Path dir = tmp.resolve(name);
        try (ConnJournal journal = ConnJournal.create(dir))
        {
            script.write(journal);
        }
        return Replayed.of(dir);
    }

    private int journals;

    /**
     * The conn event of one captured flow in namespace A after one dump of {@code family}/{@code protocol}
     * found {@code sockets}, each owned by the process whose pid is its inode (comm "p" + inode).
     */
    private JsonEvent connWithSockets(final String flow, final int family, final int protocol, final byte[]... sockets)
    {
        final Replayed r = replay("flow" + journals++, j ->
        {
            j.sockDump(NETNS_A, 1, family, protocol, sockets);
            for (final byte[] s : sockets)
            {
                final long inode = inode(s);
                j.owner(NETNS_A, inode, (int)inode, "p" + inode);
            }
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, RtnlMessages.fixture("conntrack/" + flow + ".hex"));
        });
        assertEquals(List.of(), r.malformed());
        return only(r.of("conn"));
    }

    private static long inode(final byte[] sockDiagMessage)
    {
        return Integer.toUnsignedLong(ByteBuffer.wrap(sockDiagMessage).order(ByteOrder.nativeOrder())
            .getInt(Netlink.NLMSG_HDRLEN + InetDiag.MSG_INODE_OFFSET));
    }

    private static byte[] listener(final String address, final int port, final long inode, final long cookie)
    {
        return ConnJournal.sock(AF_INET, TCP_LISTEN, address, port, "0.0.0.0", 0, inode, cookie);
    }

    private static JsonEvent only(final List<JsonEvent> events)
    {
        assertEquals(1, events.size(), events.toString());
        return events.get(0);
    }

    private static Map<String, Object> json(final JsonEvent e)
    {
        return e.json();
    }
}
