package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.ConnJournal;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import io.nlstream.monitor.testing.JsonEvent;
import io.nlstream.monitor.journal.RtnlMessages;
import io.nlstream.monitor.journal.TestJournal;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.rtnl.IfAddr;
import io.nlstream.netlink.rtnl.IfLink;
import io.nlstream.netlink.rtnl.Rtnetlink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal entries (written and read back through the journal) to typed events by the read pipeline's
 * {@link EventReader}, before any state policy, checked through the JSON a reader prints
 * ({@link JsonEvent}). Expected values come from {@code ip-expected.txt}, what iproute2 printed for the same
 * captured objects.
 */
class EventReaderTest
{
    private static final DateTimeFormatter RFC3339_NANOS =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static final Map<String, String> IP = RtnlMessages.ipExpected();

    @TempDir
    Path tmp;

    /** One entry to journal: origin, flags, payload, and the netlink protocol it came on. */
    private record In(int origin, int flags, byte[] payload, int protocol)
    {
        In(final int origin, final int flags, final byte[] payload)
        {
            this(origin, flags, payload, Netlink.NETLINK_ROUTE);
        }

        static In event(final byte[] payload)
        {
            return new In(CaptureHeader.ORIGIN_EVENT, 0, payload);
        }

        static In dump(final byte[] payload)
        {
            return new In(CaptureHeader.ORIGIN_DUMP, 0, payload);
        }
    }

    /** What decoding one entry gave (null: no event), with the entry's index and wall clock. */
    private record Out(long index, long wallNanos, JsonEvent event)
    {
        Map<String, Object> json()
        {
            return event == null ? null : event.json();
        }
    }

    private final List<String> malformed = new ArrayList<>();
    private final EventReader reader = new EventReader().onMalformed((index, reason) -> malformed.add(index + " " + reason));

    {
        // as a read pipeline names the journal's host (every event's JSON carries it)
        reader.host("test-host");
    }

    @Test
    void vethLinkFromADumpHasTheContractFieldsInOrder()
    {
        final Out out = decodeOne(In.dump(RtnlMessages.fixture("veth-newlink.hex")));
        final Map<String, Object> j = out.json();
        assertEquals(List.of("seq", "ts", "kind", "op", "netns", "host"), new ArrayList<>(j.keySet()).subList(0, 6), j.toString());
        assertEquals("test-host", j.get("host"));
        assertEquals(out.index(), j.get("seq"));
        assertEquals(RFC3339_NANOS.format(Instant.ofEpochSecond(0, out.wallNanos())), j.get("ts"));
        assertEquals("link", j.get("kind"));
        assertEquals("new", j.get("op"));
        assertEquals(TestJournal.NETNS_A, j.get("netns"));
        assertEquals("dump", j.get("origin"));
        assertEquals(ipLong("link.veth0.ifindex"), j.get("ifindex"));
        assertEquals("veth0", j.get("ifname"));
        assertEquals(ipList("link.veth0.flags"), j.get("flags"));
        assertEquals(ipLong("link.veth0.mtu"), j.get("mtu"));
        // IFLA_MIN_MTU and IFLA_MAX_MTU of a veth: ETH_MIN_MTU and ETH_MAX_MTU, as `ip -d link` prints minmtu 68 maxmtu 65535
        assertEquals(68L, j.get("min_mtu"));
        assertEquals(65535L, j.get("max_mtu"));
        assertEquals(IP.get("link.veth0.operstate"), j.get("operstate"));
        assertEquals(IP.get("link.veth0.address"), j.get("address"));
        assertEquals(IP.get("link.veth0.broadcast"), j.get("broadcast"));
        assertEquals("veth", j.get("link_kind"));
        assertEquals(ipLong("link.br0.ifindex"), j.get("master"), "master is br0's ifindex");
        assertEquals("bridge", j.get("slave_kind"));
        assertEquals(IP.get("link.veth0.ifalias"), j.get("ifalias"));
        assertEquals(IP.get("link.veth0.qdisc"), j.get("qdisc"));
        assertEquals(ipLong("link.veth0.txqlen"), j.get("txqlen"));
        assertEquals("ether", j.get("link_type"));
        assertEquals(List.of(), malformed);
    }

    @Test
    void bridgeAndLoopbackLinks()
    {
        final List<Out> out = decode(In.dump(RtnlMessages.fixture("bridge-newlink.hex")), In.dump(RtnlMessages.fixture("lo-newlink.hex")));
        final Map<String, Object> br = out.get(0).json();
        assertEquals(ipLong("link.br0.ifindex"), br.get("ifindex"));
        assertEquals("br0", br.get("ifname"));
        assertEquals("bridge", br.get("link_kind"));
        assertEquals(ipLong("link.br0.mtu"), br.get("mtu"));
        assertEquals(ipList("link.br0.flags"), br.get("flags"));
        assertEquals(IP.get("link.br0.address"), br.get("address"));
        assertFalse(br.containsKey("master"), "no master attribute, no master field: " + br);

        final Map<String, Object> lo = out.get(1).json();
        assertEquals(ipLong("link.lo.ifindex"), lo.get("ifindex"));
        assertEquals("lo", lo.get("ifname"));
        assertEquals(ipList("link.lo.flags"), lo.get("flags"));
        assertEquals(ipLong("link.lo.mtu"), lo.get("mtu"));
        assertEquals(IP.get("link.lo.operstate"), lo.get("operstate"));
        assertEquals(IP.get("link.lo.address"), lo.get("address"));
        assertEquals("loopback", lo.get("link_type"));
        assertFalse(lo.containsKey("link_kind"), lo.toString());
        assertFalse(lo.containsKey("master"), lo.toString());
    }

    @Test
    void linkWithoutCarrier()
    {
        final Map<String, Object> j = decodeOne(In.dump(RtnlMessages.fixture("nocarrier-newlink.hex"))).json();
        assertEquals("veth2", j.get("ifname"));
        assertEquals(IP.get("link.veth2.operstate"), j.get("operstate"));
        // iproute2 adds M-DOWN from the peer's state, which one message does not carry
        assertEquals(List.of("NO-CARRIER", "BROADCAST", "MULTICAST", "UP"), j.get("flags"));
        assertEquals(ipLong("link.veth3.ifindex"), j.get("link"), "IFLA_LINK: the veth peer");
    }

    @Test
    void linkDeletionEvent()
    {
        final Map<String, Object> j = decodeOne(In.event(RtnlMessages.fixture("dellink.hex"))).json();
        assertEquals("link", j.get("kind"));
        assertEquals("del", j.get("op"));
        assertEquals("event", j.get("origin"));
        assertEquals(ipLong("link.veth2.ifindex"), j.get("ifindex"));
        assertEquals("veth2", j.get("ifname"));
        assertFalse(j.containsKey("new_netnsid"), "deleted, not moved: " + j);
        assertFalse(j.containsKey("new_ifindex"), "deleted, not moved: " + j);
    }

    /**
     * A device moved to another namespace leaves this one with an RTM_DELLINK that says where it went
     * (fixture netns-move-dellink.hex; netns-move-expected.txt: what iproute2 printed in both namespaces).
     */
    @Test
    void linkMovedToAnotherNamespaceSaysWhere()
    {
        final Map<String, String> expected = new HashMap<>();
        for (final String line : RtnlMessages.fixtureLines("netns-move-expected.txt"))
        {
            if (!line.startsWith("#"))
            {
                expected.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        final Map<String, Object> j = decodeOne(In.event(RtnlMessages.fixture("netns-move-dellink.hex"))).json();
        assertEquals("del", j.get("op"));
        assertEquals("mv1", j.get("ifname"));
        assertEquals(2L, j.get("ifindex"), "its index in the namespace it left");
        assertEquals(Long.valueOf(expected.get("move.mv1.new_netnsid")), j.get("new_netnsid"));
        assertEquals(7L, j.get("new_netnsid"), "ip netns set B 7 in the namespace it left");
        assertEquals(Long.valueOf(expected.get("move.mv1.new_ifindex")), j.get("new_ifindex"));
        assertEquals(4L, j.get("new_ifindex"), "B's first free index: lo, pad0 and pad1 hold 1 to 3");
        assertEquals(List.of(), malformed);
    }

    @Test
    void ipv4AddressFromADump()
    {
        final Map<String, Object> j = decodeOne(In.dump(RtnlMessages.fixture("ipv4-newaddr.hex"))).json();
        assertEquals(List.of("seq", "ts", "kind", "op", "netns", "host"), new ArrayList<>(j.keySet()).subList(0, 6), j.toString());
        assertEquals("test-host", j.get("host"));
        assertEquals("addr", j.get("kind"));
        assertEquals("new", j.get("op"));
        assertEquals(ipLong("link.br0.ifindex"), j.get("ifindex"));
        assertEquals(IP.get("addr.192.0.2.1.family"), j.get("family"));
        assertEquals("192.0.2.1", j.get("address"));
        assertEquals(ipLong("addr.192.0.2.1.prefixlen"), j.get("prefixlen"));
        assertEquals(IP.get("addr.192.0.2.1.scope"), j.get("scope"));
        assertEquals(IP.get("addr.192.0.2.1.broadcast"), j.get("broadcast"));
        assertEquals(IP.get("addr.192.0.2.1.label"), j.get("label"));
        assertFalse(j.containsKey("peer"), "IFA_LOCAL equals IFA_ADDRESS: no peer: " + j);
    }

    @Test
    void ipv6Addresses()
    {
        final List<Out> out = decode(In.dump(RtnlMessages.fixture("ipv6-newaddr.hex")),
            In.dump(RtnlMessages.fixture("ipv6-linklocal-newaddr.hex")));
        final Map<String, Object> global = out.get(0).json();
        assertEquals("inet6", global.get("family"));
        assertEquals("2001:db8::1", global.get("address"));
        assertEquals(64L, global.get("prefixlen"));
        assertEquals("global", global.get("scope"));
        assertEquals(ipLong("link.br0.ifindex"), global.get("ifindex"));
        final long valid = (Long)global.get("valid_lft");
        final long preferred = (Long)global.get("preferred_lft");
        assertTrue(valid > 3000 && valid <= 3600, "valid_lft " + valid);
        assertTrue(preferred > 1200 && preferred <= 1800, "preferred_lft " + preferred);

        final Map<String, Object> linkLocal = out.get(1).json();
        assertEquals("fe80::ff:fe00:1", linkLocal.get("address"));
        assertEquals("link", linkLocal.get("scope"));
        assertEquals(ipLong("link.veth0.ifindex"), linkLocal.get("ifindex"));
    }

    @Test
    void addressDeletionEvent()
    {
        final Map<String, Object> j = decodeOne(In.event(RtnlMessages.fixture("deladdr.hex"))).json();
        assertEquals("addr", j.get("kind"));
        assertEquals("del", j.get("op"));
        assertEquals("event", j.get("origin"));
        assertEquals("198.51.100.7", j.get("address"));
        assertEquals(32L, j.get("prefixlen"));
        assertEquals("inet", j.get("family"));
        assertEquals(ipLong("link.veth2.ifindex"), j.get("ifindex"));
    }

    @Test
    void everyMessageOfTheCapturedDumpsDecodes()
    {
        final List<byte[]> links = RtnlMessages.messages(RtnlMessages.fixture("getlink-dump.hex"));
        final List<byte[]> addrs = RtnlMessages.messages(RtnlMessages.fixture("getaddr-dump.hex"));
        final List<In> in = new ArrayList<>();
        for (final byte[] m : links)
        {
            in.add(new In(RtnlMessages.type(m) == Netlink.NLMSG_DONE ? CaptureHeader.ORIGIN_DUMP_END : CaptureHeader.ORIGIN_DUMP, 0, m));
        }
        for (final byte[] m : addrs)
        {
            in.add(new In(RtnlMessages.type(m) == Netlink.NLMSG_DONE ? CaptureHeader.ORIGIN_DUMP_END : CaptureHeader.ORIGIN_DUMP, 0, m));
        }
        final List<Out> out = decode(in.toArray(In[]::new));
        final List<String> linkNames = new ArrayList<>();
        final List<String> addresses = new ArrayList<>();
        for (final Out o : out)
        {
            if (o.event() == null)
            {
                continue;
            }
            if ("link".equals(o.json().get("kind")))
            {
                final String name = (String)o.json().get("ifname");
                linkNames.add(name);
                assertEquals(ipLong("link." + name + ".ifindex"), o.json().get("ifindex"), name);
                assertEquals(ipLong("link." + name + ".mtu"), o.json().get("mtu"), name);
                assertEquals(IP.get("link." + name + ".operstate"), o.json().get("operstate"), name);
                assertEquals(IP.get("link." + name + ".address"), o.json().get("address"), name);
            }
            else
            {
                final String address = (String)o.json().get("address");
                addresses.add(address);
                assertEquals(IP.get("addr." + address + ".family"), o.json().get("family"), address);
                assertEquals(ipLong("addr." + address + ".prefixlen"), o.json().get("prefixlen"), address);
                assertEquals(IP.get("addr." + address + ".scope"), o.json().get("scope"), address);
            }
        }
        assertEquals(List.of(), malformed);
        assertEquals(List.of("lo", "br0", "veth1", "veth0", "veth3", "veth2"), linkNames);
        assertEquals(IP.keySet().stream().filter(k -> k.startsWith("addr.") && k.endsWith(".family")).count(), addresses.size(),
            addresses.toString());
        assertNull(out.get(links.size() - 1).event(), "NLMSG_DONE carries no event");
    }

    @Test
    void resyncDumpMessagesSayResync()
    {
        final Map<String, Object> j = decodeOne(new In(CaptureHeader.ORIGIN_DUMP, CaptureHeader.FLAG_RESYNC,
            RtnlMessages.fixture("lo-newlink.hex"))).json();
        assertEquals("resync", j.get("origin"));
    }

    @Test
    void entriesWithoutAnEventGiveNullAndAreNotMalformed()
    {
        final List<Out> out = decode(
            new In(CaptureHeader.ORIGIN_DUMP_BEGIN, 0, RtnlMessages.dumpRequest(Rtnetlink.RTM_GETLINK, 1)),
            new In(CaptureHeader.ORIGIN_DUMP_END, 0, RtnlMessages.done(1)),
            new In(CaptureHeader.ORIGIN_DUMP_END, 0, RtnlMessages.error(1, 16)),
            new In(CaptureHeader.ORIGIN_ANNOTATION, 0, new byte[] {1, 2, 3}),
            // a route: not decoded (yet)
            In.event(RtnlMessages.message(Rtnetlink.RTM_NEWROUTE, 0, 0, 0).u32(0).u32(0).u32(0).build()),
            // a port leaving a bridge is not the link ending
            In.event(RtnlMessages.bridgePortDelLink(4, "veth0", 2)),
            In.event(RtnlMessages.message(Netlink.NLMSG_NOOP, 0, 0, 0).build()));
        for (final Out o : out)
        {
            assertNull(o.event(), o.toString());
        }
        assertEquals(List.of(), malformed);
        assertEquals(0, reader.malformed());
    }

    @Test
    void malformedMessagesGiveNullAndOneReportEachWithTheirIndex()
    {
        final byte[] veth = RtnlMessages.fixture("veth-newlink.hex");
        final byte[] claimsMore = veth.clone();
        ByteBuffer.wrap(claimsMore).order(ByteOrder.nativeOrder()).putInt(0, veth.length + 4);
        final In[] bad = {
            In.event(Arrays.copyOf(veth, 10)),                                       // shorter than nlmsghdr
            In.event(RtnlMessages.message(Rtnetlink.RTM_NEWLINK, 0, 0, 0).build()), // no ifinfomsg
            In.dump(claimsMore),                                                    // nlmsg_len past the end of the entry
            In.event(RtnlMessages.message(Rtnetlink.RTM_NEWLINK, 0, 0, 0)        // IFLA_MTU of 2 bytes
                .u8(0).u8(0).u16(1).u32(9).u32(0).u32(0)
                .attr(IfLink.IFLA_MTU, new byte[] {0x05, 0x78}).build()),
            In.event(RtnlMessages.message(Rtnetlink.RTM_DELLINK, 0, 0, 0)        // IFLA_IFNAME without its NUL
                .u8(0).u8(0).u16(1).u32(9).u32(0).u32(0)
                .attr(IfLink.IFLA_IFNAME, new byte[] {'e', 't', 'h', '0'}).build()),
            In.event(RtnlMessages.message(Rtnetlink.RTM_NEWADDR, 0, 0, 0)        // IPv4 address of 5 bytes
                .u8(Rtnetlink.AF_INET).u8(24).u8(0).u8(0).u32(9)
                .attr(IfAddr.IFA_ADDRESS, new byte[] {10, 0, 0, 1, 0}).build()),
            In.event(bytes(
                0x1c, 0x00, 0x00, 0x00, // nlmsg_len: 28
                0x14, 0x00,             // nlmsg_type: RTM_NEWADDR
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02, 0x18, 0x00, 0x00, // ifa_family AF_INET, ifa_prefixlen 24, ifa_flags, ifa_scope
                0x09, 0x00, 0x00, 0x00, // ifa_index: 9
                0x40, 0x00, 0x03, 0x00  // nla_len 64, past the end of the message; IFA_LABEL
            )),
        };
        final List<In> in = new ArrayList<>(Arrays.asList(bad));
        in.add(In.event(veth)); // the decoder goes on with the next entry
        final List<Out> out = decode(in.toArray(In[]::new));
        for (int i = 0; i < bad.length; i++)
        {
            assertNull(out.get(i).event(), "case " + i);
            final String report = malformed.get(i);
            assertTrue(report.startsWith(out.get(i).index() + " "), "case " + i + " reported with its index: " + report);
            assertTrue(report.length() > (out.get(i).index() + " ").length(), "case " + i + " says why: " + report);
        }
        assertEquals(bad.length, malformed.size(), malformed.toString());
        assertEquals(bad.length, reader.malformed());
        assertNotNull(out.get(bad.length).event());
        assertEquals("veth0", out.get(bad.length).json().get("ifname"));
    }

    @Test
    void conntrackTupleWithoutItsProtocolHasNoProtoField()
    {
        final Map<String, Object> j = decodeOne(new In(CaptureHeader.ORIGIN_EVENT, 0, bytes(
            0x2c, 0x00, 0x00, 0x00, // nlmsg_len: 44
            0x00, 0x01,             // nlmsg_type: (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW
            0x00, 0x04,             // nlmsg_flags: NLM_F_CREATE, a new entry
            0x00, 0x00, 0x00, 0x00, // nlmsg_seq
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid
            0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET, NFNETLINK_V0, res_id 0
            0x18, 0x00, 0x01, 0x80, // nla_len 24, CTA_TUPLE_ORIG | NLA_F_NESTED: no CTA_TUPLE_PROTO in it
            0x14, 0x00, 0x01, 0x80, //   nla_len 20, CTA_TUPLE_IP | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, //     nla_len 8, CTA_IP_V4_SRC
            0x0a, 0x4d, 0x00, 0x01, //       10.77.0.1
            0x08, 0x00, 0x02, 0x00, //     nla_len 8, CTA_IP_V4_DST
            0x0a, 0x4d, 0x00, 0x02  //       10.77.0.2
        ), Netlink.NETLINK_NETFILTER)).json();
        assertEquals("conn", j.get("kind"));
        assertEquals("new", j.get("op"));
        assertEquals(Map.of("src", "10.77.0.1", "dst", "10.77.0.2"), j.get("orig"));
        // an absent attribute is an absent field (the map model put null, which JSON leaves out), not "unknown"
        assertFalse(j.containsKey("proto"), j.toString());
        assertFalse(j.containsKey("community_id"), "no protocol, no Community ID: " + j);
        assertEquals(List.of(), malformed);
    }

    @Test
    void gapEntry()
    {
        final List<Out> out = decode(
            new In(CaptureHeader.ORIGIN_GAP, 0, RtnlMessages.gapRecord(3, RtnlMessages.ENOBUFS)),
            new In(CaptureHeader.ORIGIN_GAP, 0, RtnlMessages.gapRecord(4, 11)),
            new In(CaptureHeader.ORIGIN_GAP, 0, new byte[4]));
        final Map<String, Object> j = out.get(0).json();
        assertEquals(out.get(0).index(), j.get("seq"));
        assertEquals("gap", j.get("kind"));
        assertEquals("overrun", j.get("op"));
        assertEquals(TestJournal.NETNS_A, j.get("netns"));
        assertEquals("rtnetlink", j.get("protocol"));
        assertEquals(3L, j.get("overruns"));
        assertEquals("ENOBUFS", j.get("errno"));
        assertEquals("11", out.get(1).json().get("errno"));
        assertEquals(4L, out.get(1).json().get("overruns"));
        // a gap record cut short still says there was a gap
        assertEquals("gap", out.get(2).json().get("kind"));
        assertFalse(out.get(2).json().containsKey("overruns"));
        assertEquals(List.of(), malformed);
    }

    private Out decodeOne(final In in)
    {
        final Out out = decode(in).get(0);
        assertNotNull(out.event(), () -> "no event; malformed: " + malformed);
        return out;
    }

    /** Journals the entries, reads them back and decodes each. */
    private List<Out> decode(final In... in)
    {
        final Path dir = tmp.resolve("journal-" + System.nanoTime());
        try (ConnJournal journal = ConnJournal.create(dir))
        {
            for (final In i : in)
            {
                journal.append(i.origin(), i.protocol(), 7, TestJournal.NETNS_A, i.flags(), i.payload());
            }
        }
        final List<Out> out = new ArrayList<>();
        try (Journal journal = Journal.openForReading(dir); JournalReader tailer = journal.reader().toStart())
        {
            final JournalEntry entry = new JournalEntry();
            while (tailer.next(entry))
            {
                final EventView e = reader.decode(entry);
                out.add(new Out(entry.index(), entry.wallNanos(), e == null ? null : JsonEvent.of(e)));
            }
        }
        assertEquals(in.length, out.size());
        return out;
    }

    /** Bytes written out in a test, one field per line; multi-byte fields little-endian (the fixtures' host order). */
    private static byte[] bytes(final int... values)
    {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[i] = (byte)values[i];
        }
        return out;
    }

    private static Long ipLong(final String key)
    {
        final String v = IP.get(key);
        assertNotNull(v, "ip-expected.txt has " + key);
        return Long.parseLong(v);
    }

    private static List<String> ipList(final String key)
    {
        final String v = IP.get(key);
        assertNotNull(v, "ip-expected.txt has " + key);
        return v.isEmpty() ? List.of() : List.of(v.split(","));
    }
}
