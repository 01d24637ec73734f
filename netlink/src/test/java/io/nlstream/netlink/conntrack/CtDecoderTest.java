package io.nlstream.netlink.conntrack;

import io.nlstream.netlink.Fixtures;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.nlstream.netlink.conntrack.CtProtoInfo.*;
import static io.nlstream.netlink.conntrack.CtStatus.*;
import static io.nlstream.netlink.conntrack.Ctnetlink.*;
import static io.nlstream.netlink.conntrack.IpProto.*;
import static io.nlstream.netlink.conntrack.Nfnetlink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes the captured ctnetlink messages (fixtures/conntrack/README.md) and checks them against the
 * flows capture.py made and against what {@code conntrack -L} printed for the dumped entries.
 */
class CtDecoderTest
{
    private static final int ORIG = IP_CT_DIR_ORIGINAL;
    private static final int REPLY = IP_CT_DIR_REPLY;

    private final CtDecoder ct = new CtDecoder();

    static ByteBuffer fixture(final String name)
    {
        return Fixtures.buffer("conntrack/" + name);
    }

    /**
     * {offset, length} of each message of a captured stream.
     */
    static List<int[]> spans(final ByteBuffer buf)
    {
        final List<int[]> spans = new ArrayList<>();
        for (int off = 0; off < buf.limit();)
        {
            final int len = NetlinkFraming.check(buf, off, buf.limit() - off);
            assertTrue(len > 0, NetlinkFraming.describe(len));
            spans.add(new int[] {off, len});
            off = NetlinkFraming.nextOffset(off, len, buf.limit());
        }
        return spans;
    }

    private CtDecoder wrap(final String name)
    {
        final ByteBuffer buf = fixture(name);
        assertTrue(ct.wrap(buf, 0, buf.limit()), () -> name + ": " + ct.error() + " at " + ct.errorOffset());
        return ct;
    }

    private long idOf(final String name)
    {
        final CtDecoder other = new CtDecoder();
        final ByteBuffer buf = fixture(name);
        assertTrue(other.wrap(buf, 0, buf.limit()), other::error);
        assertTrue(other.hasId());
        return other.id();
    }

    private static void assertTcp4DnatTuples(final CtDecoder ct)
    {
        assertEquals(AF_INET, ct.l3family());
        final CtTuple orig = ct.orig();
        assertTrue(orig.present());
        assertEquals(IPPROTO_TCP, orig.l4proto());
        assertEquals("10.77.0.1", orig.src());
        assertEquals(40080, orig.srcPort());
        assertEquals("10.77.0.2", orig.dst());
        assertEquals(8080, orig.dstPort(), "what the client asked for");
        // DNAT: the answer comes from :80 and goes back to the client's port
        final CtTuple reply = ct.reply();
        assertEquals(IPPROTO_TCP, reply.l4proto());
        assertEquals("10.77.0.2", reply.src());
        assertEquals(80, reply.srcPort());
        assertEquals("10.77.0.1", reply.dst());
        assertEquals(40080, reply.dstPort());
        assertEquals(-1, orig.icmpType());
        assertEquals(-1, orig.zone());
        assertFalse(ct.master().present());
    }

    @Test
    void tcpNewEventThroughDnat()
    {
        wrap("tcp4-dnat-new.hex");
        assertEquals(CtDecoder.EventType.NEW, ct.eventType());
        assertEquals(nlmsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW), ct.messageType());
        assertEquals(Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, ct.flags());
        assertEquals(0, ct.portId(), "raised by the kernel itself");
        assertTcp4DnatTuples(ct);
        assertTrue(ct.hasStatus());
        assertEquals(List.of("CONFIRMED", "DST_NAT", "SRC_NAT_DONE", "DST_NAT_DONE"), CtStatus.names(ct.status()));
        assertEquals(List.of("UNREPLIED"), CtStatus.conntrackFlags(ct.status()));
        assertEquals(TCP_CONNTRACK_SYN_SENT, ct.tcpState());
        assertEquals("SYN_SENT", tcpStateName(ct.tcpState()));
        assertEquals(120, ct.timeout(), "nf_conntrack_tcp_timeout_syn_sent");
        assertTrue(ct.hasId());
        assertFalse(ct.hasMark(), "events leave out a mark of 0");
        assertEquals(-1, ct.mark());
        assertEquals(-1, ct.zone());
        assertFalse(ct.hasCounters(ORIG));
        assertFalse(ct.hasCounters(REPLY));
        assertEquals(-1, ct.packets(ORIG));
        assertFalse(ct.hasTimestamp(), "start and stop come with DESTROY and dumps");
        assertFalse(ct.hasLabels());
        assertNull(ct.helperName());
        assertFalse(ct.hasSeqAdj(ORIG));
        assertEquals(-1, ct.sctpState());
        assertEquals(-1, ct.dccpState());
        assertNull(ct.error());
        assertEquals(-1, ct.errorOffset());
    }

    @Test
    void tcpUpdatesToEstablishedThenTimeWait()
    {
        final long id = idOf("tcp4-dnat-new.hex");
        wrap("tcp4-dnat-established.hex");
        assertEquals(CtDecoder.EventType.UPDATE, ct.eventType());
        assertEquals(0, ct.flags());
        assertTcp4DnatTuples(ct);
        assertEquals(id, ct.id());
        assertEquals("ESTABLISHED", tcpStateName(ct.tcpState()));
        assertEquals(List.of("SEEN_REPLY", "ASSURED", "CONFIRMED", "DST_NAT", "SRC_NAT_DONE", "DST_NAT_DONE"),
            CtStatus.names(ct.status()));
        assertEquals(List.of("ASSURED"), CtStatus.conntrackFlags(ct.status()));
        assertEquals(432000, ct.timeout(), "nf_conntrack_tcp_timeout_established, 5 days");

        wrap("tcp4-dnat-time-wait.hex");
        assertEquals(CtDecoder.EventType.UPDATE, ct.eventType());
        assertEquals(id, ct.id());
        assertEquals(TCP_CONNTRACK_TIME_WAIT, ct.tcpState());
        assertEquals(120, ct.timeout());
    }

    @Test
    void tcpDestroyCarriesCountersAndTimestamps()
    {
        final long id = idOf("tcp4-dnat-new.hex");
        wrap("tcp4-dnat-destroy.hex");
        assertEquals(CtDecoder.EventType.DESTROY, ct.eventType());
        assertEquals(nlmsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE), ct.messageType());
        assertTrue(ct.portId() != 0, "caused by conntrack -D: its port id");
        assertTcp4DnatTuples(ct);
        assertEquals(id, ct.id(), "the same entry as the NEW event");
        assertTrue((ct.status() & IPS_DYING) != 0);
        assertTrue(CtStatus.names(ct.status()).containsAll(List.of("DST_NAT", "ASSURED", "DYING")));
        assertEquals(TCP_CONNTRACK_TIME_WAIT, ct.tcpState(), "DESTROY keeps only the state of CTA_PROTOINFO_TCP");
        // handshake, a line each way, both FINs and their ACKs
        assertTrue(ct.hasCounters(ORIG));
        assertTrue(ct.hasCounters(REPLY));
        assertEquals(6, ct.packets(ORIG));
        assertEquals(4, ct.packets(REPLY));
        assertTrue(ct.bytes(ORIG) >= 6 * 52 && ct.bytes(ORIG) < 6 * 100, () -> "bytes " + ct.bytes(ORIG));
        assertTrue(ct.bytes(REPLY) >= 4 * 52 && ct.bytes(REPLY) < 4 * 100, () -> "bytes " + ct.bytes(REPLY));
        assertTrue(ct.hasTimestamp());
        final long start = ct.timestampStart();
        final long stop = ct.timestampStop();
        assertTrue(start > 1_700_000_000_000_000_000L, () -> "start " + start + " ns since the epoch");
        assertTrue(stop > start && stop - start < 60_000_000_000L, () -> "lived " + (stop - start) + " ns");
    }

    @Test
    void udpWithMark()
    {
        wrap("udp4-new.hex");
        assertEquals(CtDecoder.EventType.NEW, ct.eventType());
        assertEquals(IPPROTO_UDP, ct.orig().l4proto());
        assertEquals("udp", IpProto.name(ct.orig().l4proto()));
        assertEquals("10.77.0.1", ct.orig().src());
        assertEquals(40777, ct.orig().srcPort());
        assertEquals(7777, ct.orig().dstPort());
        assertEquals(7777, ct.reply().srcPort());
        assertEquals(40777, ct.reply().dstPort());
        assertTrue(ct.hasMark());
        assertEquals(0x2a, ct.mark());
        assertEquals(-1, ct.tcpState(), "no CTA_PROTOINFO for UDP");
        assertEquals(30, ct.timeout(), "nf_conntrack_udp_timeout");
        assertEquals(List.of("UNREPLIED"), CtStatus.conntrackFlags(ct.status()));
    }

    @Test
    void icmpEchoTuplesHoldTypeCodeAndId()
    {
        wrap("icmp4-echo-new.hex");
        final long id = ct.id();
        assertEquals(CtDecoder.EventType.NEW, ct.eventType());
        final CtTuple orig = ct.orig();
        assertEquals(IPPROTO_ICMP, orig.l4proto());
        assertEquals("icmp", IpProto.name(orig.l4proto()));
        assertEquals("10.77.0.1", orig.src());
        assertEquals("10.77.0.2", orig.dst());
        assertEquals(8, orig.icmpType(), "echo request");
        assertEquals(0, orig.icmpCode());
        assertEquals(0x4e4c, orig.icmpId());
        assertEquals(-1, orig.srcPort());
        assertEquals(-1, orig.dstPort());
        assertEquals(0, ct.reply().icmpType(), "the reply tuple expects an echo reply");
        assertEquals(0x4e4c, ct.reply().icmpId());
        assertEquals("10.77.0.2", ct.reply().src());

        wrap("icmp4-echo-destroy.hex");
        assertEquals(CtDecoder.EventType.DESTROY, ct.eventType());
        assertEquals(id, ct.id());
        assertEquals(8, ct.orig().icmpType());
        assertEquals(1, ct.packets(ORIG));
        assertEquals(1, ct.packets(REPLY));
        assertEquals(20 + 8 + 8, ct.bytes(ORIG), "IP header, ICMP header, \"nlstream\"");
        assertEquals(36, ct.bytes(REPLY));
        assertFalse((ct.status() & IPS_ASSURED) != 0, "ICMP is never assured");
        assertTrue((ct.status() & IPS_SEEN_REPLY) != 0);
    }

    @Test
    void ipv6TcpWithLabel()
    {
        final long id = idOf("tcp6-new.hex");
        wrap("tcp6-new.hex");
        assertEquals(AF_INET6, ct.l3family());
        assertEquals("ipv6", familyName(ct.l3family()));
        final CtTuple orig = ct.orig();
        assertEquals("fd00:77::1", orig.src());
        assertEquals("fd00:77::2", orig.dst());
        assertEquals(16, orig.srcLength());
        assertEquals(40081, orig.srcPort());
        assertEquals(80, orig.dstPort());
        assertEquals("fd00:77::2", ct.reply().src());
        assertTrue(ct.hasLabels());
        assertEquals(16, ct.labelsLength());

        wrap("tcp6-destroy.hex");
        assertEquals(id, ct.id());
        assertEquals(CtDecoder.EventType.DESTROY, ct.eventType());
        assertEquals("fd00:77::1", ct.orig().src());
        assertEquals(TCP_CONNTRACK_TIME_WAIT, ct.tcpState());
        assertEquals(6, ct.packets(ORIG));
    }

    @Test
    void ipv6UdpInAZone()
    {
        wrap("udp6-zone-new.hex");
        assertEquals(AF_INET6, ct.l3family());
        assertEquals(IPPROTO_UDP, ct.orig().l4proto());
        assertEquals(7, ct.zone());
        assertEquals(-1, ct.orig().zone(), "the zone applies to both directions: no CTA_TUPLE_ZONE");
        assertEquals(-1, ct.reply().zone());
        assertEquals(0x2a, ct.mark());
        assertEquals("fd00:77::1", ct.orig().src());
        assertEquals(40778, ct.orig().srcPort());
    }

    @Test
    void eventStreamPairsEveryDestroyWithItsNew()
    {
        final ByteBuffer buf = fixture("ct-events.hex");
        final Map<CtDecoder.EventType, Integer> counts = new HashMap<>();
        final Map<Long, String> newTuples = new HashMap<>();
        final Set<Long> destroyed = new HashSet<>();
        for (final int[] span : spans(buf))
        {
            assertTrue(ct.wrap(buf, span[0], span[1]), () -> ct.error() + " at " + ct.errorOffset());
            counts.merge(ct.eventType(), 1, Integer::sum);
            assertEquals(0, ct.seq());
            final String tuple = ct.orig().src() + "/" + ct.orig().srcPort() + ">" + ct.orig().dst() + "/"
                + ct.orig().dstPort() + "/" + ct.orig().l4proto() + "/" + ct.orig().icmpId();
            switch (ct.eventType())
            {
                case NEW:
                    assertNull(newTuples.put(ct.id(), tuple), "one NEW per id");
                    assertEquals(0, ct.status() & IPS_SEEN_REPLY, "the first packet only");
                    break;
                case UPDATE:
                    assertEquals(tuple, newTuples.get(ct.id()), "an UPDATE follows its NEW");
                    break;
                case DESTROY:
                    assertEquals(tuple, newTuples.get(ct.id()), "a DESTROY follows its NEW");
                    assertTrue(destroyed.add(ct.id()));
                    assertTrue((ct.status() & IPS_DYING) != 0);
                    assertTrue(ct.hasCounters(ORIG) && ct.hasCounters(REPLY));
                    assertTrue(ct.timestampStop() > ct.timestampStart());
                    break;
                default:
                    throw new AssertionError(ct.eventType());
            }
        }
        assertEquals(5, counts.get(CtDecoder.EventType.NEW));
        assertEquals(13, counts.get(CtDecoder.EventType.UPDATE));
        assertEquals(5, counts.get(CtDecoder.EventType.DESTROY));
        assertEquals(newTuples.keySet(), destroyed);
    }

    /**
     * Every entry of the captured dump against the line {@code conntrack -L -o extended,id} printed for
     * it (matched by id): tuples, state, status flags, counters, mark, zone, use, timeout.
     */
    @Test
    void dumpMatchesConntrackList()
    {
        final Map<Long, ConntrackLine> expected = ConntrackLine.load();
        assertEquals(5, expected.size());
        final ByteBuffer buf = fixture("ct-dump.hex");
        final List<int[]> spans = spans(buf);
        assertEquals(6, spans.size(), "five entries and NLMSG_DONE");
        final int last = spans.get(spans.size() - 1)[0];
        assertEquals(Netlink.NLMSG_DONE, NetlinkFraming.type(buf, last));
        assertFalse(ct.wrap(buf, last, spans.get(5)[1]));
        assertEquals(CtDecoder.ERR_NOT_CONNTRACK, ct.error());

        final Set<Long> seen = new HashSet<>();
        for (final int[] span : spans.subList(0, 5))
        {
            assertTrue(ct.wrap(buf, span[0], span[1]), ct::error);
            assertEquals(CtDecoder.EventType.NEW, ct.eventType(), "a dump reply counts as NEW");
            assertEquals(Netlink.NLM_F_MULTI, ct.flags());
            assertEquals(1, ct.seq());
            final ConntrackLine line = expected.get(ct.id());
            assertNotNull(line, () -> "no conntrack line with id=" + ct.id());
            seen.add(ct.id());
            final String p = "id=" + ct.id() + " ";

            assertEquals(line.family, familyName(ct.l3family()), p);
            assertEquals(line.proto, IpProto.name(ct.orig().l4proto()), p);
            assertEquals(line.protoNum, ct.orig().l4proto(), p);
            assertTrue(Math.abs(line.timeout - ct.timeout()) <= 2, p + "timeout " + ct.timeout() + " vs " + line.timeout);
            assertEquals(line.state, ct.tcpState() >= 0 ? tcpStateName(ct.tcpState()) : null, p);
            assertEquals(line.flags, CtStatus.conntrackFlags(ct.status()), p);
            assertEquals(line.top.get("mark"), Long.toString(ct.mark()), p + "mark: dumps always carry it");
            assertEquals(line.top.get("zone"), ct.zone() >= 0 ? Integer.toString(ct.zone()) : null, p);
            assertEquals(line.top.get("use"), Long.toString(ct.use()), p);
            assertTrue(ct.hasTimestamp(), p);
            assertEquals(-1, ct.timestampStop(), p + "alive: no stop time");
            assertTrue(line.top.containsKey("delta-time"), p + "conntrack shows the age when timestamps are on");
            for (final int dir : new int[] {ORIG, REPLY})
            {
                final Map<String, String> side = line.tuples.get(dir);
                final CtTuple tuple = dir == ORIG ? ct.orig() : ct.reply();
                final String q = p + (dir == ORIG ? "orig " : "reply ");
                assertEquals(side.get("src"), tuple.src(), q);
                assertEquals(side.get("dst"), tuple.dst(), q);
                assertEquals(side.get("sport"), tuple.srcPort() >= 0 ? Integer.toString(tuple.srcPort()) : null, q);
                assertEquals(side.get("dport"), tuple.dstPort() >= 0 ? Integer.toString(tuple.dstPort()) : null, q);
                assertEquals(side.get("type"), tuple.icmpType() >= 0 ? Integer.toString(tuple.icmpType()) : null, q);
                assertEquals(side.get("code"), tuple.icmpCode() >= 0 ? Integer.toString(tuple.icmpCode()) : null, q);
                assertEquals(side.get("id"), tuple.icmpId() >= 0 ? Integer.toString(tuple.icmpId()) : null, q);
                assertEquals(side.get("packets"), Long.toString(ct.packets(dir)), q);
                assertEquals(side.get("bytes"), Long.toString(ct.bytes(dir)), q);
            }
        }
        assertEquals(expected.keySet(), seen);
    }

    @Test
    void dumpAndEventsAgreeOnTheSameEntries()
    {
        final Map<Long, Long> startById = new HashMap<>();
        final ByteBuffer dump = fixture("ct-dump.hex");
        for (final int[] span : spans(dump).subList(0, 5))
        {
            assertTrue(ct.wrap(dump, span[0], span[1]), ct::error);
            startById.put(ct.id(), ct.timestampStart());
        }
        final ByteBuffer events = fixture("ct-events.hex");
        int destroys = 0;
        for (final int[] span : spans(events))
        {
            assertTrue(ct.wrap(events, span[0], span[1]), ct::error);
            if (ct.eventType() == CtDecoder.EventType.DESTROY)
            {
                assertEquals(startById.get(ct.id()), ct.timestampStart(), "start time is the entry's, whoever reads it");
                destroys++;
            }
        }
        assertEquals(5, destroys);
    }

    /** What a filtered reader reads first: the same tuples as the whole decode, for every captured message. */
    @Test
    void tuplesAloneReadAsTheWholeMessageDoes()
    {
        final CtDecoder tuples = new CtDecoder();
        int messages = 0;
        for (final String name : new String[] {"ct-events.hex", "ct-dump.hex"})
        {
            final ByteBuffer buf = fixture(name);
            for (final int[] span : spans(buf))
            {
                if (!ct.wrap(buf, span[0], span[1]))
                {
                    // the dump's NLMSG_DONE
                    assertFalse(tuples.wrapTuples(buf, span[0], span[1]));
                    assertEquals(ct.error(), tuples.error());
                    continue;
                }
                assertTrue(tuples.wrapTuples(buf, span[0], span[1]), tuples::error);
                assertEquals(describe(ct.orig()), describe(tuples.orig()), name + " @" + span[0]);
                assertEquals(describe(ct.reply()), describe(tuples.reply()), name + " @" + span[0]);
                assertTrue(tuples.orig().present() && tuples.reply().present());
                messages++;
            }
        }
        assertTrue(messages > 20, "only " + messages + " messages");
    }

    /** It stops after the tuples: damage further on is the whole decode's to find; damage in them is its own. */
    @Test
    void tuplesAloneStopBeforeWhatFollowsThem()
    {
        final ByteBuffer whole = fixture("tcp4-dnat-new.hex");
        // the first attribute after both tuples, given a length past the message's end
        final CtDecoder tuples = new CtDecoder();
        assertTrue(tuples.wrapTuples(whole, 0, whole.limit()));
        final int after = 20 + align4(whole.getShort(20) & 0xffff) + align4(whole.getShort(20 + align4(whole.getShort(20) & 0xffff)) & 0xffff);
        assertTrue(after < whole.limit(), "something follows the tuples");
        final ByteBuffer damaged = copy(whole);
        damaged.putShort(after, (short)(whole.limit() - after + 8));
        assertFalse(ct.wrap(damaged, 0, damaged.limit()), "the whole decode finds it");
        assertTrue(tuples.wrapTuples(damaged, 0, damaged.limit()), "the tuples alone do not read that far");
        assertEquals(describe(wrap("tcp4-dnat-new.hex").orig()), describe(tuples.orig()));
        // an IPv4 address of 3 bytes inside the original tuple: both fail, at the same offset
        final ByteBuffer bad = copy(whole);
        bad.putShort(20 + 4 + 4, (short)7);
        assertFalse(ct.wrap(bad, 0, bad.limit()));
        assertFalse(tuples.wrapTuples(bad, 0, bad.limit()));
        assertEquals(ct.error(), tuples.error());
        assertEquals(ct.errorOffset(), tuples.errorOffset());
    }

    private static int align4(final int n)
    {
        return (n + 3) & ~3;
    }

    private static ByteBuffer copy(final ByteBuffer buf)
    {
        final ByteBuffer c = ByteBuffer.allocate(buf.limit()).order(buf.order());
        c.put(0, buf, 0, buf.limit());
        return c;
    }

    private static String describe(final CtTuple t)
    {
        return t.present() ? t.src() + "/" + t.srcPort() + ">" + t.dst() + "/" + t.dstPort() + "/" + t.l4proto() + "/" + t.icmpId()
            + "/" + t.zone() : "absent";
    }

    @Test
    void readsTheSameFromAnyBufferKindOrderAndOffset()
    {
        final byte[] bytes = Fixtures.bytes("conntrack/tcp4-dnat-destroy.hex");
        final ByteBuffer[] buffers = {
            ByteBuffer.allocate(bytes.length + 13),
            ByteBuffer.allocate(bytes.length + 13).order(ByteOrder.LITTLE_ENDIAN),
            ByteBuffer.allocateDirect(bytes.length + 13),
            ByteBuffer.allocateDirect(bytes.length + 13).order(ByteOrder.nativeOrder()),
        };
        final long id = idOf("tcp4-dnat-destroy.hex");
        for (final ByteBuffer buf : buffers)
        {
            buf.put(13, bytes);
            final ByteOrder order = buf.order();
            assertTrue(ct.wrap(buf, 13, bytes.length), ct::error);
            assertTcp4DnatTuples(ct);
            assertEquals(id, ct.id());
            assertEquals(6, ct.packets(ORIG));
            assertEquals(CtDecoder.EventType.DESTROY, ct.eventType());
            assertEquals(order, buf.order());
            assertEquals(0, buf.position());
            assertEquals(buf.capacity(), buf.limit());
        }
    }

    @Test
    void wrapFailingAfterSuccessForgetsThePreviousMessage()
    {
        wrap("tcp4-dnat-destroy.hex");
        final ByteBuffer link = Fixtures.buffer("veth-newlink.hex");
        assertFalse(ct.wrap(link, 0, link.limit()));
        assertEquals(CtDecoder.ERR_NOT_CONNTRACK, ct.error());
        assertEquals(0, ct.errorOffset());
        assertNull(ct.eventType());
        assertEquals(0, ct.messageType());
        assertEquals(0, ct.l3family());
        assertFalse(ct.orig().present());
        assertNull(ct.orig().src());
        assertEquals(-1, ct.orig().srcPort());
        assertFalse(ct.reply().present());
        assertFalse(ct.hasId());
        assertEquals(-1, ct.id());
        assertEquals(-1, ct.status());
        assertEquals(-1, ct.tcpState());
        assertFalse(ct.hasCounters(ORIG));
        assertEquals(-1, ct.packets(REPLY));
        assertFalse(ct.hasTimestamp());
        assertEquals(-1, ct.timestampStart());
    }

    @Test
    void freshDecoderAnswersAbsent()
    {
        final CtDecoder fresh = new CtDecoder();
        assertNull(fresh.eventType());
        assertFalse(fresh.orig().present());
        assertNull(fresh.reply().dst());
        assertEquals(-1, fresh.timeout());
        assertEquals(-1, fresh.zone());
        assertNull(fresh.helperName());
    }

    @Test
    void directionMustBeOriginalOrReply()
    {
        wrap("udp4-new.hex");
        assertThrows(IllegalArgumentException.class, () -> ct.packets(-1));
    }

    /**
     * One line of {@code conntrack -L -o extended,id}:
     * {@code ipv4 2 tcp 6 431997 ESTABLISHED src=.. dst=.. sport=.. dport=.. packets=.. bytes=.. src=..
     * ... [ASSURED] mark=0 zone=7 delta-time=2 use=1 id=...}. The first tuple runs from the first src=
     * to the second, the reply tuple until a key repeats or a key that is not a tuple's.
     */
    static final class ConntrackLine
    {
        private static final Set<String> TUPLE_KEYS = Set.of("src", "dst", "sport", "dport", "type", "code", "id",
            "packets", "bytes");

        String family;
        String proto;
        int protoNum;
        long timeout;
        String state;
        final List<Map<String, String>> tuples = List.of(new HashMap<>(), new HashMap<>());
        final List<String> flags = new ArrayList<>();
        final Map<String, String> top = new HashMap<>();

        static Map<Long, ConntrackLine> load()
        {
            final Map<Long, ConntrackLine> byId = new HashMap<>();
            for (final String text : Fixtures.text("conntrack/conntrack-expected.txt").split("\n"))
            {
                if (text.isBlank() || text.startsWith("#"))
                {
                    continue;
                }
                final ConntrackLine line = parse(text);
                byId.put(Long.parseLong(line.top.get("id")), line);
            }
            return byId;
        }

        static ConntrackLine parse(final String text)
        {
            final String[] tokens = text.trim().split("\\s+");
            final ConntrackLine line = new ConntrackLine();
            line.family = tokens[0];
            line.proto = tokens[2];
            line.protoNum = Integer.parseInt(tokens[3]);
            line.timeout = Long.parseLong(tokens[4]);
            int i = 5;
            if (!tokens[i].contains("="))
            {
                line.state = tokens[i++];
            }
            int section = 0;
            for (; i < tokens.length; i++)
            {
                final String token = tokens[i];
                if (token.startsWith("["))
                {
                    line.flags.add(token.substring(1, token.length() - 1));
                    continue;
                }
                final int eq = token.indexOf('=');
                final String key = token.substring(0, eq);
                final String value = token.substring(eq + 1);
                if (section < 2 && (!TUPLE_KEYS.contains(key) || line.tuples.get(section).containsKey(key)))
                {
                    section++;
                    if (section == 1 && !key.equals("src"))
                    {
                        section = 2;
                    }
                }
                if (section < 2)
                {
                    line.tuples.get(section).put(key, value);
                }
                else
                {
                    line.top.put(key, value);
                }
            }
            return line;
        }
    }
}
