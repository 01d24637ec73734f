package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.ConnJournal;
import io.nlstream.monitor.journal.RtnlMessages;
import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.JsonEvent;
import io.nlstream.monitor.testing.Replayed;
import io.nlstream.netlink.conntrack.CtDecoder;
import io.nlstream.netlink.conntrack.Nfnetlink;
import io.nlstream.sinks.CommunityId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.nlstream.monitor.journal.TestJournal.NETNS_A;
import static io.nlstream.monitor.journal.TestJournal.NETNS_B;
import static io.nlstream.netlink.conntrack.Nfnetlink.NFNLGRP_CONNTRACK_DESTROY;
import static io.nlstream.netlink.conntrack.Nfnetlink.NFNLGRP_CONNTRACK_NEW;
import static io.nlstream.netlink.conntrack.Nfnetlink.NFNLGRP_CONNTRACK_UPDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conntrack events from the captured ctnetlink fixtures ({@code fixtures/conntrack}, see the README there),
 * journalled as capture journals them and read back through the read pipeline, checked through the JSON a
 * reader prints ({@link JsonEvent}, {@link Replayed}). Ids come from {@code conntrack-expected.txt}, what
 * conntrack -L printed for the same entries.
 */
class ConnEventsTest
{
    private static final String CLIENT = "10.77.0.1";
    private static final String SERVER = "10.77.0.2";

    @TempDir
    Path tmp;

    @Test
    void tcpFlowThroughDnatFromNewToDestroy()
    {
        final long[] seq = new long[4];
        final Replayed r = replay(j ->
        {
            seq[0] = j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("tcp4-dnat-new"));
            seq[1] = j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_UPDATE, fixture("tcp4-dnat-established"));
            seq[2] = j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_UPDATE, fixture("tcp4-dnat-time-wait"));
            seq[3] = j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_DESTROY, fixture("tcp4-dnat-destroy"));
        });
        assertEquals(List.of(), r.malformed());
        final List<JsonEvent> events = r.of("conn");
        assertEquals(List.of("new", "update", "update", "destroy"), events.stream().map(JsonEvent::op).toList());
        assertEquals(List.of(seq[0], seq[1], seq[2], seq[3]), events.stream().map(JsonEvent::seq).toList());

        final List<Map<String, Object>> json = events.stream().map(ConnEventsTest::json).toList();
        final long id = conntrackId("tcp", "sport=40080");
        for (final Map<String, Object> e : json)
        {
            assertEquals("conn", e.get("kind"));
            assertEquals((long)NETNS_A, e.get("netns"));
            assertEquals("event", e.get("origin"));
            assertEquals(id, e.get("id"), "every message names the entry by conntrack's id");
            assertEquals("inet", e.get("family"));
            assertEquals("tcp", e.get("proto"));
            // DNAT of :8080 to :80 shows as a reply tuple that is not the original inverted
            assertEquals(Map.of("src", CLIENT, "dst", SERVER, "sport", 40080L, "dport", 8080L), e.get("orig"));
            assertEquals(Map.of("src", SERVER, "dst", CLIENT, "sport", 80L, "dport", 40080L), e.get("reply"));
            assertEquals(communityId(6, CLIENT, SERVER, 40080, 8080), e.get("community_id"));
            assertTrue(status(e).contains("DST_NAT"), e.toString());
            assertFalse(e.containsKey("pid"), "no local socket known: no process");
        }
        assertNotEquals(communityId(6, SERVER, CLIENT, 80, 40080), json.get(0).get("community_id"),
            "the id is the original tuple's, not the NATed reply's");

        assertEquals(List.of("SYN_SENT", "ESTABLISHED", "TIME_WAIT", "TIME_WAIT"), json.stream().map(e -> e.get("tcp_state")).toList());
        assertEquals(List.of("CONFIRMED", "DST_NAT", "SRC_NAT_DONE", "DST_NAT_DONE"), status(json.get(0)));
        assertTrue(status(json.get(1)).containsAll(List.of("SEEN_REPLY", "ASSURED")), json.get(1).toString());
        assertTrue(status(json.get(3)).contains("DYING"), json.get(3).toString());

        // accounting and timestamps (nf_conntrack_acct, nf_conntrack_timestamp) come with the destroy
        for (int i = 0; i < 3; i++)
        {
            assertNull(json.get(i).get("counters"), json.get(i).toString());
            assertNull(json.get(i).get("start"), json.get(i).toString());
        }
        final Map<?, ?> counters = (Map<?, ?>)json.get(3).get("counters");
        assertEquals(List.of("orig_packets", "orig_bytes", "reply_packets", "reply_bytes"), List.copyOf(counters.keySet()));
        for (final Object v : counters.values())
        {
            assertTrue((Long)v > 0, counters.toString());
        }
        final String start = (String)json.get(3).get("start");
        final String stop = (String)json.get(3).get("stop");
        assertTrue(start.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z"), start);
        assertTrue(stop.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z"), stop);
        assertTrue(start.compareTo(stop) < 0, start + " " + stop);

        assertEquals(List.of(), r.objects("conn"), "the destroy ended the entry");
    }

    @Test
    void updateReplacesTheObjectAndDestroyRemovesOnlyItsOwn()
    {
        final Replayed r = replay(j ->
        {
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("tcp4-dnat-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("udp4-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("icmp4-echo-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_UPDATE, fixture("tcp4-dnat-established"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_DESTROY, fixture("icmp4-echo-destroy"));
        });
        final List<JsonEvent> objects = r.objects("conn");
        // changed on purpose: state lists objects by the journal index of their latest record (before: in the
        // order they first appeared), so the TCP flow, updated last, now comes after the UDP one
        assertEquals(List.of(conntrackId("udp", "sport=40777"), conntrackId("tcp", "sport=40080")),
            objects.stream().map(e -> e.get("id")).toList());
        final JsonEvent tcp = objects.get(1);
        assertEquals("ESTABLISHED", tcp.get("tcp_state"), "the update replaced the object");
        assertNull(tcp.op());
        assertNull(tcp.get("origin"));
    }

    @Test
    void icmpEchoHasTypeCodeAndIdInsteadOfPorts()
    {
        final Replayed r = replay(j ->
        {
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("icmp4-echo-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_DESTROY, fixture("icmp4-echo-destroy"));
        });
        final List<Map<String, Object>> json = r.of("conn").stream().map(ConnEventsTest::json).toList();
        assertEquals(List.of("new", "destroy"), json.stream().map(e -> e.get("op")).toList());
        for (final Map<String, Object> e : json)
        {
            assertEquals(conntrackId("icmp", "type=8"), e.get("id"));
            assertEquals("icmp", e.get("proto"));
            assertEquals(Map.of("src", CLIENT, "dst", SERVER, "type", 8L, "code", 0L, "icmp_id", 20044L), e.get("orig"));
            assertEquals(Map.of("src", SERVER, "dst", CLIENT, "type", 0L, "code", 0L, "icmp_id", 20044L), e.get("reply"));
            // ICMP: type and code take the ports' place (echo request and reply hash alike)
            assertEquals(communityId(1, CLIENT, SERVER, 8, 0), e.get("community_id"));
            assertEquals(communityId(1, SERVER, CLIENT, 0, 0), e.get("community_id"));
            assertNull(e.get("tcp_state"));
        }
        assertEquals(Map.of("orig_packets", 1L, "orig_bytes", 36L, "reply_packets", 1L, "reply_bytes", 36L),
            json.get(1).get("counters"), "as conntrack -L printed: packets=1 bytes=36 each way");
        assertEquals(List.of(), r.objects("conn"));
    }

    @Test
    void udpAndIpv6FlowsCarryMarkZoneAndLabels()
    {
        final Replayed r = replay(j ->
        {
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("udp4-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("tcp6-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("udp6-zone-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_DESTROY, fixture("tcp6-destroy"));
        });
        final List<Map<String, Object>> json = r.of("conn").stream().map(ConnEventsTest::json).toList();
        assertEquals(4, json.size());

        final Map<String, Object> udp4 = json.get(0);
        assertEquals(conntrackId("udp", "sport=40777"), udp4.get("id"));
        assertEquals("new", udp4.get("op"));
        assertEquals("inet", udp4.get("family"));
        assertEquals("udp", udp4.get("proto"));
        assertEquals(Map.of("src", CLIENT, "dst", SERVER, "sport", 40777L, "dport", 7777L), udp4.get("orig"));
        assertEquals(42L, udp4.get("mark"));
        assertFalse(status(udp4).contains("DST_NAT"), "no NAT on this flow");
        assertNull(udp4.get("tcp_state"));
        assertEquals(communityId(17, CLIENT, SERVER, 40777, 7777), udp4.get("community_id"));

        final Map<String, Object> tcp6 = json.get(1);
        assertEquals(conntrackId("tcp", "sport=40081"), tcp6.get("id"));
        assertEquals("inet6", tcp6.get("family"));
        assertEquals(Map.of("src", "fd00:77::1", "dst", "fd00:77::2", "sport", 40081L, "dport", 80L), tcp6.get("orig"));
        assertEquals(Map.of("src", "fd00:77::2", "dst", "fd00:77::1", "sport", 80L, "dport", 40081L), tcp6.get("reply"));
        assertEquals("SYN_SENT", tcp6.get("tcp_state"));
        assertEquals("2" + "0".repeat(31), tcp6.get("labels"), "ct label bit 5, as the kernel lays the bits out");
        assertEquals(communityId(6, "fd00:77::1", "fd00:77::2", 40081, 80), tcp6.get("community_id"));

        final Map<String, Object> udp6 = json.get(2);
        assertEquals(conntrackId("udp", "sport=40778"), udp6.get("id"));
        assertEquals(7L, udp6.get("zone"));
        assertEquals(42L, udp6.get("mark"));
        assertEquals(communityId(17, "fd00:77::1", "fd00:77::2", 40778, 7777), udp6.get("community_id"));

        final Map<String, Object> tcp6End = json.get(3);
        assertEquals("destroy", tcp6End.get("op"));
        assertEquals(tcp6.get("id"), tcp6End.get("id"));
        assertEquals("TIME_WAIT", tcp6End.get("tcp_state"));
        assertTrue(((Map<?, ?>)tcp6End.get("counters")).size() == 4, tcp6End.toString());

        assertEquals(List.of(udp4.get("id"), udp6.get("id")), r.objects("conn").stream().map(e -> (Object)e.get("id")).toList());
    }

    @Test
    void everyCapturedEventDecodesWithTheCommunityIdOfItsOriginalTuple()
    {
        final List<byte[]> messages = RtnlMessages.messages(RtnlMessages.fixture("conntrack/ct-events.hex"));
        assertEquals(23, messages.size(), "README: 23 messages");
        final Replayed r = replay(j ->
        {
            for (final byte[] m : messages)
            {
                j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, m);
            }
        });
        assertEquals(List.of(), r.malformed());
        assertEquals(23, r.of("conn").size());
        for (final JsonEvent e : r.of("conn"))
        {
            final Map<?, ?> orig = (Map<?, ?>)e.get("orig");
            final int proto = "tcp".equals(e.get("proto")) ? 6 : "udp".equals(e.get("proto")) ? 17 : 1;
            final int a = proto == 1 ? ((Number)orig.get("type")).intValue() : ((Number)orig.get("sport")).intValue();
            final int b = proto == 1 ? ((Number)orig.get("code")).intValue() : ((Number)orig.get("dport")).intValue();
            assertEquals(communityId(proto, (String)orig.get("src"), (String)orig.get("dst"), a, b), e.get("community_id"), e.toString());
        }
        assertEquals(List.of(), r.objects("conn"), "every entry captured was destroyed by conntrack -D at the end");
    }

    @Test
    void natGivesTheReplyTuplesCommunityIdRightAfterTheOriginals()
    {
        final Path dir = tmp.resolve("journal");
        final Replayed r = replay(j ->
        {
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("tcp4-dnat-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_UPDATE, fixture("tcp4-dnat-established"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_DESTROY, fixture("tcp4-dnat-destroy"));
        });
        // the DNAT of :8080 to :80: the server's socket is SERVER:80 <-> CLIENT:40080, another flow than the client's
        final String original = spec(6, CLIENT, SERVER, 40080, 8080);
        final String reply = spec(6, CLIENT, SERVER, 40080, 80);
        assertNotEquals(original, reply);
        assertEquals(spec(6, SERVER, CLIENT, 80, 40080), reply, "either direction: the id is symmetric");
        final List<JsonEvent> events = r.of("conn");
        assertEquals(3, events.size());
        for (final JsonEvent e : events)
        {
            assertEquals(original, e.get("community_id"), e.toString());
            assertEquals(reply, e.get("community_id_reply"), e.toString());
            assertTrue(e.line().contains("\"community_id\":\"" + original + "\",\"community_id_reply\":\"" + reply + "\""),
                "right after community_id: " + e.line());
        }

        // text prints it where it prints community_id, among the fields conntrack does not print
        final String text = Cli.run("replay", "--journal", dir.toString(), "--kind", "conn");
        for (final String line : text.split("\n"))
        {
            assertTrue(line.contains(" community_id=" + original + " community_id_reply=" + reply), line);
        }
    }

    @Test
    void flowsWithoutNatCarryNoReplyCommunityId()
    {
        final Replayed r = replay(j ->
        {
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("udp4-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("icmp4-echo-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("tcp6-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("udp6-zone-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_DESTROY, fixture("icmp4-echo-destroy"));
        });
        final List<JsonEvent> events = r.of("conn");
        assertEquals(List.of("udp", "icmp", "tcp", "udp", "icmp"), events.stream().map(e -> e.get("proto")).toList());
        for (final JsonEvent e : events)
        {
            assertNotNull(e.get("community_id"), e.toString());
            assertFalse(e.json().containsKey("community_id_reply"), "the reply is the original inverted: " + e);
        }
        // ICMP: the reply tuple is the echo reply (type 0), which hashes as the request it answers
        assertEquals(spec(1, CLIENT, SERVER, 8, 0), events.get(1).get("community_id"));
        assertEquals(spec(6, "fd00:77::1", "fd00:77::2", 40081, 80), events.get(2).get("community_id"));
    }

    @Test
    void icmpThroughDnatGivesTheReplyTuplesCommunityId()
    {
        final Replayed r = replay(j -> j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, bytes(
            0x94, 0x00, 0x00, 0x00, // nlmsg_len: 148
            0x00, 0x01,             // nlmsg_type: (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW
            0x00, 0x04,             // nlmsg_flags: NLM_F_CREATE, a new entry
            0x00, 0x00, 0x00, 0x00, // nlmsg_seq
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid
            0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET, NFNETLINK_V0, res_id 0
            0x3c, 0x00, 0x01, 0x80, // nla_len 60, CTA_TUPLE_ORIG | NLA_F_NESTED
            0x14, 0x00, 0x01, 0x80, //   nla_len 20, CTA_TUPLE_IP | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, //     nla_len 8, CTA_IP_V4_SRC
            0x0a, 0x4d, 0x00, 0x01, //       10.77.0.1, the client
            0x08, 0x00, 0x02, 0x00, //     nla_len 8, CTA_IP_V4_DST
            0x0a, 0x4d, 0x00, 0x09, //       10.77.0.9, the address it pings
            0x24, 0x00, 0x02, 0x80, //   nla_len 36, CTA_TUPLE_PROTO | NLA_F_NESTED
            0x05, 0x00, 0x01, 0x00, //     nla_len 5, CTA_PROTO_NUM
            0x01, 0x00, 0x00, 0x00, //       IPPROTO_ICMP, 3 bytes padding
            0x06, 0x00, 0x04, 0x00, //     nla_len 6, CTA_PROTO_ICMP_ID
            0x4e, 0x4c, 0x00, 0x00, //       20044, 2 bytes padding
            0x05, 0x00, 0x05, 0x00, //     nla_len 5, CTA_PROTO_ICMP_TYPE
            0x08, 0x00, 0x00, 0x00, //       8, echo request
            0x05, 0x00, 0x06, 0x00, //     nla_len 5, CTA_PROTO_ICMP_CODE
            0x00, 0x00, 0x00, 0x00, //       0
            0x3c, 0x00, 0x02, 0x80, // nla_len 60, CTA_TUPLE_REPLY | NLA_F_NESTED
            0x14, 0x00, 0x01, 0x80, //   nla_len 20, CTA_TUPLE_IP | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, //     nla_len 8, CTA_IP_V4_SRC
            0x0a, 0x4d, 0x00, 0x02, //       10.77.0.2, where the DNAT sent it
            0x08, 0x00, 0x02, 0x00, //     nla_len 8, CTA_IP_V4_DST
            0x0a, 0x4d, 0x00, 0x01, //       10.77.0.1
            0x24, 0x00, 0x02, 0x80, //   nla_len 36, CTA_TUPLE_PROTO | NLA_F_NESTED
            0x05, 0x00, 0x01, 0x00, //     nla_len 5, CTA_PROTO_NUM
            0x01, 0x00, 0x00, 0x00, //       IPPROTO_ICMP
            0x06, 0x00, 0x04, 0x00, //     nla_len 6, CTA_PROTO_ICMP_ID
            0x4e, 0x4c, 0x00, 0x00, //       20044
            0x05, 0x00, 0x05, 0x00, //     nla_len 5, CTA_PROTO_ICMP_TYPE
            0x00, 0x00, 0x00, 0x00, //       0, echo reply
            0x05, 0x00, 0x06, 0x00, //     nla_len 5, CTA_PROTO_ICMP_CODE
            0x00, 0x00, 0x00, 0x00, //       0
            0x08, 0x00, 0x03, 0x00, // nla_len 8, CTA_STATUS
            0x00, 0x00, 0x01, 0xa8  //   CONFIRMED, DST_NAT, SRC_NAT_DONE, DST_NAT_DONE (big endian)
        )));
        assertEquals(List.of(), r.malformed());
        final JsonEvent e = r.of("conn").get(0);
        assertEquals(List.of("CONFIRMED", "DST_NAT", "SRC_NAT_DONE", "DST_NAT_DONE"), e.get("status"));
        // echo request and reply have the ports (type, counterpart): (8, 0) from the client's side
        assertEquals(spec(1, CLIENT, "10.77.0.9", 8, 0), e.get("community_id"));
        assertEquals(spec(1, CLIENT, SERVER, 8, 0), e.get("community_id_reply"), e.toString());
        assertEquals(spec(1, SERVER, CLIENT, 0, 8), e.get("community_id_reply"), "the reply as the kernel wrote it");
    }

    @Test
    void everyCapturedEventCarriesAReplyIdExactlyWhenNatChangedTheFlow()
    {
        final Replayed r = replay(j ->
        {
            for (final byte[] m : RtnlMessages.messages(RtnlMessages.fixture("conntrack/ct-events.hex")))
            {
                j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, m);
            }
        });
        int natted = 0;
        for (final JsonEvent e : r.of("conn"))
        {
            final Map<?, ?> orig = (Map<?, ?>)e.get("orig");
            final Map<?, ?> reply = (Map<?, ?>)e.get("reply");
            final boolean inverted = orig.get("src").equals(reply.get("dst")) && orig.get("dst").equals(reply.get("src"))
                && Objects.equals(orig.get("sport"), reply.get("dport")) && Objects.equals(orig.get("dport"), reply.get("sport"));
            if (inverted)
            {
                assertFalse(e.json().containsKey("community_id_reply"), e.toString());
            }
            else
            {
                natted++;
                final int proto = "tcp".equals(e.get("proto")) ? 6 : 17;
                assertEquals(spec(proto, (String)reply.get("dst"), (String)reply.get("src"), ((Number)reply.get("dport")).intValue(),
                    ((Number)reply.get("sport")).intValue()), e.get("community_id_reply"), e.toString());
            }
        }
        assertTrue(natted > 0, "the DNAT flow's events");
    }

    @Test
    void specHashAgreesWithThePublishedVectors()
    {
        // community-id-spec's baseline (seed 0), the same as CommunityIdTest's
        assertEquals("1:wCb3OG7yAFWelaUydu0D+125CLM=", spec(6, "1.2.3.4", "5.6.7.8", 1122, 3344));
        assertEquals("1:wCb3OG7yAFWelaUydu0D+125CLM=", spec(6, "5.6.7.8", "1.2.3.4", 3344, 1122));
        assertEquals("1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=", spec(17, "1.2.3.4", "5.6.7.8", 1122, 3344));
        assertEquals("1:crodRHL2FEsHjbv3UkRrfbs4bZ0=", spec(1, "1.2.3.4", "5.6.7.8", 8, 0));
    }

    @Test
    void conntrackDumpIsAuthoritativeForConnectionsOfItsNamespaceOnly()
    {
        final List<byte[]> dump = ctDumpMessages();
        final List<byte[]> withoutUdp4 = new ArrayList<>();
        for (final byte[] m : dump)
        {
            if (!(l3family(m) == Nfnetlink.AF_INET && l4proto(m) == 17))
            {
                withoutUdp4.add(m);
            }
        }
        assertEquals(4, withoutUdp4.size());
        final long[] end = new long[1];
        final long[] dumpStart = new long[1];
        final Replayed r = replay(j ->
        {
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("tcp4-dnat-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("udp4-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("icmp4-echo-new"));
            // the same entries in another namespace: the dump below does not speak for them
            j.ctEvent(NETNS_B, NFNLGRP_CONNTRACK_NEW, fixture("udp4-new"));
            j.ctEvent(NETNS_B, NFNLGRP_CONNTRACK_NEW, fixture("tcp6-new"));
            // the UDP flow expired unseen; the dump has the others and two A had not seen
            dumpStart[0] = j.rtnl().wallNanos();
            end[0] = j.ctDump(NETNS_A, 7, Nfnetlink.AF_UNSPEC, withoutUdp4);
        });
        assertEquals(List.of(), r.malformed());
        final List<JsonEvent> fromDump = r.emitted().stream().filter(e -> e.tsNanos() >= dumpStart[0]).toList();
        assertEquals(3, fromDump.size(), "two entries added, one ended, nothing for the three known: " + fromDump);

        // known entries print nothing even when changed (conntrack dumps only add what is new)
        final List<JsonEvent> added = fromDump.stream().filter(e -> "dump".equals(e.get("origin"))).toList();
        assertEquals(sorted(conntrackId("udp", "sport=40778"), conntrackId("tcp", "sport=40081")), sortedIds(added),
            "the two entries A had not seen");
        for (final JsonEvent e : added)
        {
            assertEquals("new", e.op(), "a dump reply is a new entry for a reader that had not seen it");
            assertEquals(NETNS_A, e.netns());
        }

        final List<JsonEvent> ended = r.at(end[0]);
        assertEquals(1, ended.size(), ended.toString());
        final Map<String, Object> udpEnd = json(ended.get(0));
        assertEquals("destroy", udpEnd.get("op"));
        assertEquals(conntrackId("udp", "sport=40777"), udpEnd.get("id"));
        assertEquals((long)NETNS_A, udpEnd.get("netns"));
        assertEquals("resync", udpEnd.get("origin"));
        assertEquals(Boolean.TRUE, udpEnd.get("synthesized"));
        assertEquals(1L, udpEnd.get("sub"));
        assertEquals(42L, udpEnd.get("mark"), "the ended entry's last known fields");

        assertEquals(4, r.objects("conn").stream().filter(e -> e.netns() == NETNS_A).count());
        assertEquals(List.of(conntrackId("udp", "sport=40777"), conntrackId("tcp", "sport=40081")),
            r.objects("conn").stream().filter(e -> e.netns() == NETNS_B).map(e -> e.get("id")).toList(), "B untouched");
    }

    @Test
    void conntrackDumpOfOneFamilyEndsOnlyThatFamily()
    {
        final long[] end = new long[2];
        final Replayed r = replay(j ->
        {
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("udp4-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("tcp6-new"));
            j.ctEvent(NETNS_A, NFNLGRP_CONNTRACK_NEW, fixture("udp6-zone-new"));
            end[0] = j.ctDump(NETNS_A, 8, Nfnetlink.AF_INET6, List.of());
            end[1] = j.ctDump(NETNS_A, 9, Nfnetlink.AF_INET, List.of());
        });
        assertEquals(List.of(conntrackId("tcp", "sport=40081"), conntrackId("udp", "sport=40778")),
            r.at(end[0]).stream().map(e -> e.get("id")).toList());
        assertEquals(List.of(1L, 2L), r.at(end[0]).stream().map(e -> e.get("sub")).toList());
        assertEquals(List.of(conntrackId("udp", "sport=40777")), r.at(end[1]).stream().map(e -> e.get("id")).toList());
        assertEquals(List.of(), r.objects("conn"));
    }

    // ---- helpers

    private interface Script
    {
        void write(ConnJournal journal);
    }

    private Replayed replay(final Script script)
    {
        final Path dir = tmp.resolve("journal");
        try (ConnJournal journal = ConnJournal.create(dir))
        {
            script.write(journal);
        }
        return Replayed.of(dir);
    }

    private static byte[] fixture(final String name)
    {
        return RtnlMessages.fixture("conntrack/" + name + ".hex");
    }

    /** The dump's entries, NLMSG_DONE left out (ConnJournal ends the dump). */
    private static List<byte[]> ctDumpMessages()
    {
        final List<byte[]> out = new ArrayList<>();
        for (final byte[] m : RtnlMessages.messages(RtnlMessages.fixture("conntrack/ct-dump.hex")))
        {
            if (RtnlMessages.type(m) != 3)
            {
                out.add(m);
            }
        }
        assertEquals(5, out.size(), "README: 5 entries");
        return out;
    }

    private static int l3family(final byte[] message)
    {
        final CtDecoder ct = new CtDecoder();
        assertTrue(ct.wrap(ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()), 0, message.length));
        return ct.l3family();
    }

    private static int l4proto(final byte[] message)
    {
        final CtDecoder ct = new CtDecoder();
        assertTrue(ct.wrap(ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()), 0, message.length));
        return ct.orig().l4proto();
    }

    private static List<Long> sortedIds(final List<JsonEvent> events)
    {
        return events.stream().map(e -> ((Number)e.get("id")).longValue()).sorted().toList();
    }

    private static List<Long> sorted(final Long... ids)
    {
        return Arrays.stream(ids).sorted().toList();
    }

    /** What conntrack -L printed as id= for the entry of {@code proto} whose line holds {@code marker}. */
    private static long conntrackId(final String proto, final String marker)
    {
        final Pattern id = Pattern.compile(" id=(\\d+)$");
        for (final String line : expectedLines())
        {
            if (line.contains(" " + proto + " ") && line.contains(marker))
            {
                final Matcher m = id.matcher(line);
                assertTrue(m.find(), line);
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no " + proto + " " + marker + " in conntrack-expected.txt");
    }

    private static List<String> expectedLines()
    {
        return RtnlMessages.fixtureLines("conntrack/conntrack-expected.txt").stream().filter(l -> !l.startsWith("#")).toList();
    }

    private static String communityId(final int proto, final String src, final String dst, final int sport, final int dport)
    {
        return CommunityId.v1(0, address(src), address(dst), proto, sport, dport);
    }

    /**
     * Community ID v1, seed 0, straight from the spec and apart from {@link CommunityId}: SHA-1 over seed (u16),
     * the addresses, proto, a zero byte and the ports (all in network order), the smaller endpoint first;
     * "1:" and the base64. For ICMP the caller passes the ports the spec maps to: (type, counterpart).
     */
    private static String spec(final int proto, final String src, final String dst, final int sport, final int dport)
    {
        byte[] a = address(src);
        byte[] b = address(dst);
        int pa = sport;
        int pb = dport;
        final int c = Arrays.compareUnsigned(a, b);
        if (c > 0 || c == 0 && pa > pb)
        {
            final byte[] t = a;
            a = b;
            b = t;
            final int p = pa;
            pa = pb;
            pb = p;
        }
        try
        {
            final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(new byte[] {0, 0});
            sha1.update(a);
            sha1.update(b);
            sha1.update(new byte[] {(byte)proto, 0, (byte)(pa >> 8), (byte)pa, (byte)(pb >> 8), (byte)pb});
            return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(final int... values)
    {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[i] = (byte)values[i];
        }
        return out;
    }

    private static byte[] address(final String literal)
    {
        try
        {
            return InetAddress.getByName(literal).getAddress();
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> status(final Map<String, Object> json)
    {
        return (List<String>)json.get("status");
    }

    /** The event as a reader prints it, parsed back strictly. */
    private static Map<String, Object> json(final JsonEvent e)
    {
        return e.json();
    }
}
