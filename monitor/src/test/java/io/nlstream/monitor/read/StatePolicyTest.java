package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.RtnlMessages;
import io.nlstream.monitor.journal.TestJournal;
import io.nlstream.monitor.testing.JsonEvent;
import io.nlstream.monitor.testing.Replayed;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.rtnl.Rtnetlink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.nlstream.monitor.journal.RtnlMessages.delAddr4;
import static io.nlstream.monitor.journal.RtnlMessages.delLink;
import static io.nlstream.monitor.journal.RtnlMessages.newAddr4;
import static io.nlstream.monitor.journal.RtnlMessages.newLink;
import static io.nlstream.monitor.journal.TestJournal.NETNS_A;
import static io.nlstream.monitor.journal.TestJournal.NETNS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The state policy over synthetic journals: messages built as the kernel lays them out (or captured
 * fixtures), written through JournalWriter and read back through the read pipeline ({@link Replayed}): the
 * objects its state holds at the end, as {@code state} lists them, and the ends dumps synthesized.
 */
class StatePolicyTest
{
    private static final int LINKS = Rtnetlink.RTM_GETLINK;
    private static final int ADDRS = Rtnetlink.RTM_GETADDR;

    @TempDir
    Path tmp;

    /** The state after the whole journal, and every event a dump's end synthesized, in order. */
    private record Applied(List<JsonEvent> state, List<JsonEvent> ended, List<String> malformed)
    {
        List<String> objects()
        {
            return describe(state);
        }

        List<String> endedObjects()
        {
            return describe(ended);
        }
    }

    @Test
    void linksComeAndGoWithEvents()
    {
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(1, "lo", 65536));
            j.event(NETNS_A, newLink(2, "eth0", 1500));
            j.event(NETNS_A, newLink(3, "eth1", 1500));
            j.event(NETNS_A, delLink(2, "eth0"));
        });
        assertEquals(List.of("link A 1 lo", "link A 3 eth1"), a.objects());
        assertEquals(List.of(), a.ended());
    }

    @Test
    void aChangedLinkReplacesItsStateInPlace()
    {
        final long[] changed = new long[1];
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(1, "lo", 65536));
            j.event(NETNS_A, newLink(2, "eth0", 1500));
            j.event(NETNS_A, newLink(3, "eth1", 1500));
            changed[0] = j.event(NETNS_A, newLink(2, "wan0", 9000));
        });
        // changed on purpose: state lists objects by kind, then by the journal index of their latest record
        // (before: in the order they first appeared), so the changed link comes last
        assertEquals(List.of("link A 1 lo", "link A 3 eth1", "link A 2 wan0"), a.objects(), "in the order of their latest records");
        final JsonEvent eth = object(a.state(), "link", NETNS_A, 2);
        assertEquals(9000L, eth.get("mtu"));
        assertNull(eth.op(), "a state object has no op");
        assertNull(eth.get("origin"), "a state object has no origin");
        assertEquals(changed[0], eth.seq(), "seq of the entry that last changed it");
    }

    @Test
    void addressesComeAndGoWithEvents()
    {
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(2, "eth0", 1500));
            j.event(NETNS_A, newAddr4(2, "192.0.2.1", 24));
            j.event(NETNS_A, newAddr4(2, "192.0.2.1", 32)); // another prefix length: another address
            j.event(NETNS_A, newAddr4(2, "198.51.100.7", 24));
            j.event(NETNS_A, RtnlMessages.fixture("ipv6-newaddr.hex"));
            j.event(NETNS_A, delAddr4(2, "198.51.100.7", 24));
            j.event(NETNS_A, delAddr4(2, "192.0.2.1", 32));
            j.event(NETNS_A, delAddr4(2, "203.0.113.9", 24)); // never seen: nothing to do
        });
        assertEquals(List.of("link A 2 eth0", "addr A 2 192.0.2.1/24", "addr A 2 2001:db8::1/64"), a.objects());
        assertEquals(List.of(), a.ended());
        assertEquals(List.of(), a.malformed());
    }

    /**
     * A namespace that ended (capture's NETNS_GONE record, on the source's protocol): its objects of that source end,
     * as after a dump that found none; another namespace's stay; a record that names another namespace than its
     * entry's, or is cut short, ends nothing.
     */
    @Test
    void aNamespaceThatEndedEndsItsObjects()
    {
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(1, "lo", 65536));
            j.event(NETNS_A, newLink(2, "eth0", 1500));
            j.event(NETNS_A, newAddr4(2, "192.0.2.1", 24));
            j.event(NETNS_B, newLink(1, "lo", 65536));
            j.event(NETNS_B, newLink(7, "veth7", 1500));
            j.append(CaptureHeader.ORIGIN_ANNOTATION, 0, NETNS_B, 0, gone(NETNS_A, 16));  // names another namespace
            j.append(CaptureHeader.ORIGIN_ANNOTATION, 0, NETNS_B, 0, gone(NETNS_B, 12));  // cut short
            j.append(CaptureHeader.ORIGIN_ANNOTATION, 0, NETNS_A, 0, gone(NETNS_A, 16));
        });
        assertEquals(List.of("link B 1 lo", "link B 7 veth7"), a.objects());
        assertEquals(List.of("link A 1 lo", "link A 2 eth0", "addr A 2 192.0.2.1/24"), a.endedObjects());
        for (final JsonEvent e : a.ended())
        {
            assertEquals("del", e.op());
            assertEquals(true, e.get("synthesized"));
        }
    }

    private static byte[] gone(final long netns, final int length)
    {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(io.nlstream.monitor.journal.AnnotationRecord.NETNS_GONE_LENGTH)
            .order(java.nio.ByteOrder.nativeOrder());
        io.nlstream.monitor.journal.AnnotationRecord.writeNetnsGone(b, netns);
        return java.util.Arrays.copyOf(b.array(), length);
    }

    @Test
    void completeDumpEndsObjectsItDoesNotContainWithSynthesizedDeletions()
    {
        final long[] end = new long[2];
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(1, "lo", 65536));
            j.event(NETNS_A, newLink(2, "eth0", 1500));
            j.event(NETNS_A, newLink(3, "eth1", 1500));
            j.event(NETNS_A, newAddr4(2, "192.0.2.1", 24));
            j.event(NETNS_A, newAddr4(2, "198.51.100.7", 24));
            // a gap: eth1 went away unseen, eth0's first address too
            j.gap(NETNS_A, 1);
            end[0] = j.dump(NETNS_A, LINKS, 10, CaptureHeader.FLAG_RESYNC, newLink(1, "lo", 65536), newLink(2, "eth0", 1500));
            end[1] = j.dump(NETNS_A, ADDRS, 11, CaptureHeader.FLAG_RESYNC, newAddr4(2, "198.51.100.7", 24));
        });
        assertEquals(List.of("link A 1 lo", "link A 2 eth0", "addr A 2 198.51.100.7/24"), a.objects());
        assertEquals(List.of("link A 3 eth1", "addr A 2 192.0.2.1/24"), a.endedObjects());

        final JsonEvent linkEnd = a.ended().get(0);
        assertEquals("del", linkEnd.op());
        assertEquals("resync", linkEnd.get("origin"));
        assertEquals(Boolean.TRUE, linkEnd.get("synthesized"));
        assertEquals(end[0], linkEnd.seq(), "the end is stamped with the dump's end entry");
        assertEquals(NETNS_A, linkEnd.netns());
        assertEquals(1500L, linkEnd.get("mtu"), "the ended object's last known fields");
        final JsonEvent addrEnd = a.ended().get(1);
        assertEquals("del", addrEnd.op());
        assertEquals(end[1], addrEnd.seq());
        assertEquals("resync", addrEnd.get("origin"));
        assertEquals(Boolean.TRUE, addrEnd.get("synthesized"));
    }

    @Test
    void endsOfOneDumpAreNumberedInTheOrderOfTheObjectsLatestRecords()
    {
        final long[] end = new long[1];
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(1, "lo", 65536));
            j.event(NETNS_A, newLink(2, "eth0", 1500));
            j.event(NETNS_A, newLink(3, "eth1", 1500));
            j.event(NETNS_A, newAddr4(2, "192.0.2.1", 24));
            j.event(NETNS_A, newAddr4(3, "198.51.100.7", 24));
            j.event(NETNS_A, newAddr4(2, "192.0.2.2", 24));
            j.event(NETNS_A, newLink(2, "eth0", 9000)); // eth0's latest record is now after eth1's
            j.gap(NETNS_A, 1);
            end[0] = j.dump(NETNS_A, LINKS, 70, CaptureHeader.FLAG_RESYNC, newLink(1, "lo", 65536));
        });
        // changed on purpose: the ends of one dump come in the order of each object's latest record (before: in
        // the order the objects first appeared, eth0 before eth1); the addresses of the ended links follow, link
        // by link in that order
        assertEquals(List.of("link A 3 eth1", "link A 2 eth0", "addr A 3 198.51.100.7/24", "addr A 2 192.0.2.1/24",
            "addr A 2 192.0.2.2/24"), a.endedObjects());
        for (int i = 0; i < a.ended().size(); i++)
        {
            assertEquals(end[0], a.ended().get(i).seq(), "every end is stamped with the dump's end entry");
            assertEquals(i + 1, a.ended().get(i).sub(), "sub numbers the ends in the order they are emitted");
        }
        assertEquals(List.of("link A 1 lo"), a.objects());
    }

    @Test
    void firstDumpOfAJournalEndsNothingThatItContains()
    {
        final List<byte[]> links = RtnlMessages.messages(RtnlMessages.fixture("getlink-dump.hex"));
        final List<byte[]> addrs = RtnlMessages.messages(RtnlMessages.fixture("getaddr-dump.hex"));
        final Applied a = build(j ->
        {
            capturedDump(j, NETNS_A, LINKS, 1, links);
            capturedDump(j, NETNS_A, ADDRS, 2, addrs);
            j.event(NETNS_A, RtnlMessages.fixture("deladdr.hex"));
            j.event(NETNS_A, RtnlMessages.fixture("dellink.hex"));
        });
        assertEquals(List.of(), a.ended());
        assertEquals(List.of(), a.malformed());
        // veth2 (6) and its address 198.51.100.7 were deleted by the events after the dumps
        assertEquals(List.of("addr A 1 127.0.0.1/8", "addr A 1 ::1/128", "addr A 2 192.0.2.1/24", "addr A 2 2001:db8::1/64",
            "addr A 2 fe80::ff:fe00:b00/64", "addr A 3 fe80::ff:fe00:2/64", "addr A 4 fe80::ff:fe00:1/64",
            "link A 1 lo", "link A 2 br0", "link A 3 veth1", "link A 4 veth0", "link A 5 veth3"),
            a.objects().stream().sorted().toList());
    }

    @Test
    void objectTouchedAfterTheDumpBeganSurvivesIt()
    {
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(1, "lo", 65536));
            j.event(NETNS_A, newLink(3, "eth1", 1500));
            j.event(NETNS_A, newLink(4, "eth2", 1500));
            j.dumpBegin(NETNS_A, LINKS, 20, 0);
            j.dumpMessage(NETNS_A, 20, 0, newLink(1, "lo", 65536));
            // while the dump runs: eth1 changes, a new link appears, eth2 is deleted; the kernel had
            // already passed them in its walk, so the dump holds none of them
            j.event(NETNS_A, newLink(3, "eth1", 9000));
            j.event(NETNS_A, newLink(9, "dummy0", 1500));
            j.event(NETNS_A, delLink(4, "eth2"));
            j.dumpEnd(NETNS_A, 20, 0, RtnlMessages.done(20));
        });
        assertEquals(List.of("link A 1 lo", "link A 3 eth1", "link A 9 dummy0"), a.objects());
        assertEquals(List.of(), a.ended(), "eth2's deletion was an event; no synthesized second one");
    }

    @Test
    void interruptedDumpIsNotAuthoritative()
    {
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(1, "lo", 65536));
            j.event(NETNS_A, newLink(2, "eth0", 1500));
            j.event(NETNS_A, newAddr4(2, "192.0.2.1", 24));
            // capture sets FLAG_DUMP_INTR from the first message the kernel flagged, through the end
            j.dumpBegin(NETNS_A, LINKS, 30, 0);
            j.dumpMessage(NETNS_A, 30, CaptureHeader.FLAG_DUMP_INTR, newLink(1, "lo", 65536));
            j.dumpEnd(NETNS_A, 30, CaptureHeader.FLAG_DUMP_INTR, RtnlMessages.done(30));
            j.dump(NETNS_A, ADDRS, 31, CaptureHeader.FLAG_DUMP_INTR);
        });
        // changed on purpose: state lists objects by kind, then by the journal index of their latest record
        // (before: in the order they first appeared); the interrupted dump still stored lo's newer record
        assertEquals(List.of("link A 2 eth0", "link A 1 lo", "addr A 2 192.0.2.1/24"), a.objects());
        assertEquals(List.of(), a.ended());
    }

    @Test
    void dumpRedoneAfterAnInterruptionIsAuthoritative()
    {
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(1, "lo", 65536));
            j.event(NETNS_A, newLink(2, "eth0", 1500));
            j.dump(NETNS_A, LINKS, 40, CaptureHeader.FLAG_DUMP_INTR, newLink(1, "lo", 65536));
            j.dump(NETNS_A, LINKS, 41, 0, newLink(1, "lo", 65536));
        });
        assertEquals(List.of("link A 1 lo"), a.objects());
        assertEquals(List.of("link A 2 eth0"), a.endedObjects());
    }

    @Test
    void dumpEndingInAnErrorOrWithoutItsBeginIsNotAuthoritative()
    {
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(1, "lo", 65536));
            j.event(NETNS_A, newLink(2, "eth0", 1500));
            j.dumpBegin(NETNS_A, LINKS, 50, 0);
            j.dumpMessage(NETNS_A, 50, 0, newLink(1, "lo", 65536));
            j.dumpEnd(NETNS_A, 50, 0, RtnlMessages.error(50, 16)); // EBUSY
            // the journal lost this dump's begin
            j.dumpMessage(NETNS_A, 51, 0, newLink(1, "lo", 65536));
            j.dumpEnd(NETNS_A, 51, 0, RtnlMessages.done(51));
            // a begin, then the end of another dump id
            j.dumpBegin(NETNS_A, LINKS, 52, 0);
            j.dumpEnd(NETNS_A, 53, 0, RtnlMessages.done(53));
        });
        // changed on purpose: state lists objects by kind, then by the journal index of their latest record
        // (before: in the order they first appeared); the dumps that are not authoritative still stored lo's
        // newer records
        assertEquals(List.of("link A 2 eth0", "link A 1 lo"), a.objects());
        assertEquals(List.of(), a.ended());
    }

    @Test
    void dumpOfOneNamespaceEndsNothingInAnother()
    {
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(1, "lo", 65536));
            j.event(NETNS_A, newLink(6, "eth0", 1500));
            j.event(NETNS_A, newAddr4(6, "192.0.2.1", 24));
            j.event(NETNS_B, newLink(1, "lo", 65536));
            j.event(NETNS_B, newLink(6, "eth0", 1500)); // the same ifindex in another namespace
            j.event(NETNS_B, newAddr4(6, "192.0.2.1", 24));
            j.event(NETNS_B, newAddr4(6, "10.0.0.1", 8));
            j.dump(NETNS_A, LINKS, 60, 0, newLink(1, "lo", 65536));
            j.dump(NETNS_B, ADDRS, 61, 0, newAddr4(6, "10.0.0.1", 8));
        });
        // eth0's address in A ends with eth0, as with a real RTM_DELLINK
        assertEquals(List.of("link A 6 eth0", "addr A 6 192.0.2.1/24", "addr B 6 192.0.2.1/24"), a.endedObjects());
        final List<String> objects = a.objects();
        // changed on purpose: state lists objects by kind, then by the journal index of their latest record
        // (before: in the order they first appeared), whatever their namespace; A's lo was last written by
        // A's dump, after B's links
        assertEquals(List.of("link B 1 lo", "link B 6 eth0", "link A 1 lo", "addr B 6 10.0.0.1/8"),
            objects.stream().filter(o -> !o.startsWith("addr A")).toList(),
            "the link dump of A ends no link or address of B; the address dump of B ends nothing of A");
    }

    @Test
    void sameDumpIdInTwoNamespacesIsTwoDumps()
    {
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(2, "eth0", 1500));
            j.event(NETNS_B, newLink(2, "eth0", 1500));
            // both capture sockets number their dumps from 1; B's dump must not close A's
            j.dumpBegin(NETNS_A, LINKS, 1, 0);
            j.dumpBegin(NETNS_B, LINKS, 1, 0);
            j.dumpMessage(NETNS_B, 1, 0, newLink(2, "eth0", 1500));
            j.dumpEnd(NETNS_B, 1, 0, RtnlMessages.done(1));
            j.dumpMessage(NETNS_A, 1, 0, newLink(2, "eth0", 1500));
            j.dumpEnd(NETNS_A, 1, 0, RtnlMessages.done(1));
        });
        // changed on purpose: state lists objects by kind, then by the journal index of their latest record
        // (before: in the order they first appeared); B's dump wrote its eth0 before A's dump wrote A's
        assertEquals(List.of("link B 2 eth0", "link A 2 eth0"), a.objects());
        assertEquals(List.of(), a.ended());
    }

    @Test
    void linkDeletionRemovesItsAddressesAndOnlyThose()
    {
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(6, "eth0", 1500));
            j.event(NETNS_A, newLink(7, "eth1", 1500));
            j.event(NETNS_A, newAddr4(6, "192.0.2.1", 24));
            j.event(NETNS_A, RtnlMessages.addr(Rtnetlink.RTM_NEWADDR, Rtnetlink.AF_INET6, 6,
                new byte[] {(byte)0xfe, (byte)0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xff, (byte)0xfe, 0, 0, 6}, 64,
                RtnlMessages.RT_SCOPE_LINK));
            j.event(NETNS_A, newAddr4(7, "198.51.100.7", 24));
            j.event(NETNS_B, newLink(6, "eth0", 1500));
            j.event(NETNS_B, newAddr4(6, "192.0.2.1", 24));
            // the kernel's own RTM_DELADDRs were lost; only the link deletion arrived
            j.event(NETNS_A, delLink(6, "eth0"));
        });
        // changed on purpose: state lists objects by kind (links before addresses), then by the journal index
        // of their latest record (before: in the order they first appeared, kinds mixed)
        assertEquals(List.of("link A 7 eth1", "link B 6 eth0", "addr A 7 198.51.100.7/24", "addr B 6 192.0.2.1/24"), a.objects());
        assertEquals(List.of(), a.ended());
    }

    @Test
    void bridgePortDeletionDoesNotDeleteTheLink()
    {
        final Applied a = build(j ->
        {
            j.event(NETNS_A, RtnlMessages.fixture("bridge-newlink.hex"));
            j.event(NETNS_A, RtnlMessages.fixture("veth-newlink.hex"));
            j.event(NETNS_A, RtnlMessages.fixture("ipv6-linklocal-newaddr.hex"));
            // port state notifications (PF_BRIDGE RTM_NEWLINK), then ip link set veth0 nomaster: PF_BRIDGE
            // RTM_DELLINK for the port; neither describes the link itself
            j.event(NETNS_A, RtnlMessages.link(Rtnetlink.RTM_NEWLINK, Rtnetlink.AF_BRIDGE, 4, "veth0", 1234, 2));
            j.event(NETNS_A, RtnlMessages.bridgePortDelLink(4, "veth0", 2));
        });
        assertEquals(List.of("link A 2 br0", "link A 4 veth0", "addr A 4 fe80::ff:fe00:1/64"), a.objects());
        assertEquals(1400L, object(a.state(), "link", NETNS_A, 4).get("mtu"));
        assertEquals(List.of(), a.malformed());
    }

    @Test
    void malformedEventLeavesTheStateAlone()
    {
        final Applied a = build(j ->
        {
            j.event(NETNS_A, newLink(2, "eth0", 1500));
            j.event(NETNS_A, newAddr4(2, "192.0.2.1", 24));
            final byte[] broken = delLink(2, "eth0");
            broken[0] = (byte)(broken[0] + 8); // nlmsg_len past the end
            j.event(NETNS_A, broken);
        });
        assertEquals(1, a.malformed().size(), a.malformed().toString());
        assertEquals(List.of("link A 2 eth0", "addr A 2 192.0.2.1/24"), a.objects());
    }

    // ---- helpers

    private interface Script
    {
        void write(TestJournal journal);
    }

    private Applied build(final Script script)
    {
        final Path dir = tmp.resolve("journal");
        try (TestJournal journal = TestJournal.create(dir))
        {
            script.write(journal);
        }
        final Replayed r = Replayed.of(dir);
        // the pipeline emits every event; the ends a dump's end synthesized are the ones marked so
        return new Applied(r.objects(), r.synthesized(), r.malformed());
    }

    /** A captured dump's messages journalled as capture does: NLMSG_DONE as the end. */
    private static void capturedDump(final TestJournal j, final long netns, final int requestType, final int id,
        final List<byte[]> messages)
    {
        j.dumpBegin(netns, requestType, id, 0);
        for (final byte[] m : messages)
        {
            if (RtnlMessages.type(m) == Netlink.NLMSG_DONE)
            {
                j.dumpEnd(netns, id, 0, m);
            }
            else
            {
                j.dumpMessage(netns, id, 0, m);
            }
        }
    }

    private static JsonEvent object(final List<JsonEvent> state, final String kind, final long netns, final int ifindex)
    {
        for (final JsonEvent e : state)
        {
            if (e.kind().equals(kind) && e.netns() == netns && Long.valueOf(ifindex).equals(e.get("ifindex")))
            {
                return e;
            }
        }
        throw new AssertionError("no " + kind + " " + ifindex + " in " + describe(state));
    }

    /** "link A 3 eth1", "addr B 6 192.0.2.1/24", in the given order. */
    private static List<String> describe(final List<JsonEvent> events)
    {
        final Map<Long, String> names = Map.of(NETNS_A, "A", NETNS_B, "B");
        final List<String> out = new ArrayList<>();
        for (final JsonEvent e : events)
        {
            final String ns = names.getOrDefault(e.netns(), Long.toString(e.netns()));
            if ("link".equals(e.kind()))
            {
                out.add("link " + ns + " " + e.get("ifindex") + " " + e.get("ifname"));
            }
            else if ("addr".equals(e.kind()))
            {
                out.add("addr " + ns + " " + e.get("ifindex") + " " + e.get("address") + "/" + e.get("prefixlen"));
            }
            else
            {
                out.add(e.kind() + " " + ns + " " + e.fields());
            }
        }
        assertFalse(out.stream().anyMatch(s -> s.contains("null")), out.toString());
        return out;
    }
}
