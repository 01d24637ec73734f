package io.nlstream.sinks;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The buffer of {@link ByteFieldWriter} (appending, batching, reset, growth) and the lines both formats print
 * for a conntrack event and a route with nexthops.
 */
class ByteFieldWriterTest
{
    private static String text(final ByteFieldWriter w)
    {
        return new String(w.array(), 0, w.length(), StandardCharsets.UTF_8);
    }

    @Test
    void conntrackEventInBothFormats()
    {
        final ConntrackFixture fixture = new ConntrackFixture(true);
        final String id = "1:bk9LJnGUnGlq3ZaGida0bS5qXw4=";

        final ByteFieldWriter json = ByteFieldWriter.forFormat("json");
        fixture.write(json);
        assertEquals("{\"seq\":123456,\"ts\":\"2026-09-21T14:13:20.123456789Z\",\"kind\":\"conn\",\"op\":\"update\","
            + "\"netns\":4026531840,\"origin\":\"event\",\"id\":3735928559,\"family\":\"inet\",\"proto\":\"tcp\","
            + "\"orig\":{\"src\":\"10.0.0.1\",\"dst\":\"93.184.216.34\",\"sport\":40312,\"dport\":443},"
            + "\"reply\":{\"src\":\"93.184.216.34\",\"dst\":\"192.168.1.2\",\"sport\":443,\"dport\":40312},"
            + "\"tcp_state\":\"ESTABLISHED\",\"status\":[\"SEEN_REPLY\",\"ASSURED\",\"CONFIRMED\"],\"mark\":0,"
            + "\"timeout\":431999,\"use\":1,\"community_id\":\"" + id + "\",\"counters\":{\"orig_packets\":12,"
            + "\"orig_bytes\":1843,\"reply_packets\":10,\"reply_bytes\":9120},\"start\":\"2026-09-21T14:13:10.000000001Z\","
            + "\"labels\":\"00000000000000000000000000000081\",\"helper\":\"ftp\"}", text(json));
        assertEquals(JsonEncoder.toJson(ConntrackFixture.oldEvent()), text(json));

        final ByteFieldWriter line = ByteFieldWriter.forFormat("kv");
        fixture.write(line);
        assertEquals("2026-09-21T14:13:20.123456789Z conn update netns=4026531840 origin=event id=3735928559 family=inet"
            + " proto=tcp orig.src=10.0.0.1 orig.dst=93.184.216.34 orig.sport=40312 orig.dport=443"
            + " reply.src=93.184.216.34 reply.dst=192.168.1.2 reply.sport=443 reply.dport=40312 tcp_state=ESTABLISHED"
            + " status=SEEN_REPLY,ASSURED,CONFIRMED mark=0 timeout=431999 use=1 community_id=" + id
            + " counters.orig_packets=12 counters.orig_bytes=1843 counters.reply_packets=10 counters.reply_bytes=9120"
            + " start=2026-09-21T14:13:10.000000001Z labels=00000000000000000000000000000081 helper=ftp", text(line));
        final StringBuilder old = new StringBuilder();
        new TextEncoder().encode(ConntrackFixture.oldEvent(), old);
        assertEquals(old.toString(), text(line));

        // text: as conntrack -E prints it, then what conntrack does not print
        final ByteFieldWriter laid = ByteFieldWriter.forFormat("text");
        fixture.write(laid);
        assertEquals("2026-09-21T14:13:20.123456789Z conn update netns=4026531840 tcp 431999 ESTABLISHED"
            + " src=10.0.0.1 dst=93.184.216.34 sport=40312 dport=443 packets=12 bytes=1843"
            + " src=93.184.216.34 dst=192.168.1.2 sport=443 dport=40312 packets=10 bytes=9120 [ASSURED]"
            + " mark=0 use=1 id=3735928559 status=SEEN_REPLY,ASSURED,CONFIRMED community_id=" + id
            + " start=2026-09-21T14:13:10.000000001Z labels=00000000000000000000000000000081 helper=ftp", text(laid));
    }

    /** Lists of objects: JSON leaves absent fields out; text prints each object as the old map's toString. */
    @Test
    void routeNexthopsAndStateObjects()
    {
        final Name route = Name.of("route");
        final Name nexthops = Name.of("nexthops");
        final Name gateway = Name.of("gateway");
        final Name oif = Name.of("oif");
        final Name weight = Name.of("weight");
        final Name flags = Name.of("flags");
        final java.nio.ByteBuffer gw = java.nio.ByteBuffer.wrap(new byte[] {10, 0, 0, 1});
        for (final String format : List.of("json", "kv"))
        {
            final ByteFieldWriter w = ByteFieldWriter.forFormat(format);
            w.beginEvent(9, 0, route, null, 1);
            w.beginList(nexthops);
            w.beginListObject();
            w.address(gateway, gw, 0, 4);
            w.field(oif, 2);
            w.field(weight, 1);
            w.endListObject();
            w.beginListObject();
            w.absent(gateway);
            w.field(oif, 3);
            w.field(weight, 1);
            w.endListObject();
            w.endList();
            w.beginList(flags);
            w.endList();
            w.endEvent();

            final Map<String, Object> one = new LinkedHashMap<>();
            one.put("gateway", "10.0.0.1");
            one.put("oif", 2);
            one.put("weight", 1);
            final Map<String, Object> two = new LinkedHashMap<>();
            two.put("gateway", null);
            two.put("oif", 3);
            two.put("weight", 1);
            final Event old = new Event(9, 0, "route", null, 1).put("nexthops", List.of(one, two)).put("flags", List.of());
            if (format.equals("json"))
            {
                assertEquals("{\"kind\":\"route\",\"netns\":1,\"nexthops\":[{\"gateway\":\"10.0.0.1\",\"oif\":2,\"weight\":1},"
                    + "{\"oif\":3,\"weight\":1}],\"flags\":[]}", text(w));
                assertEquals(JsonEncoder.toJson(old), text(w));
            }
            else
            {
                assertEquals("route netns=1 nexthops=\"{gateway=10.0.0.1, oif=2, weight=1},{gateway=null, oif=3, weight=1}\""
                    + " flags=\"\"", text(w));
                final StringBuilder sb = new StringBuilder();
                new TextEncoder().encode(old, sb);
                assertEquals(sb.toString(), text(w));
            }
        }
    }

    @Test
    void anInfiniteLifetimeIsForeverInTextAndANumberInJson()
    {
        final Name addr = Name.of("addr");
        final Name valid = Name.of("valid_lft");
        final Name preferred = Name.of("preferred_lft");
        final ByteFieldWriter json = ByteFieldWriter.forFormat("json");
        final ByteFieldWriter text = ByteFieldWriter.forFormat("text");
        for (final ByteFieldWriter w : List.of(json, text))
        {
            w.beginEvent(0, 0, addr, null, 1);
            w.lifetime(valid, FieldWriter.INFINITE_LIFETIME);
            w.lifetime(preferred, 3599);
            w.endEvent();
        }
        assertEquals("{\"kind\":\"addr\",\"netns\":1,\"valid_lft\":4294967295,\"preferred_lft\":3599}",
            new String(json.array(), 0, json.length(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("addr netns=1 valid_lft forever preferred_lft 3599sec",
            new String(text.array(), 0, text.length(), java.nio.charset.StandardCharsets.UTF_8));
        final ByteFieldWriter kv = ByteFieldWriter.forFormat("kv");
        kv.beginEvent(0, 0, addr, null, 1);
        kv.lifetime(valid, FieldWriter.INFINITE_LIFETIME);
        kv.endEvent();
        assertEquals("addr netns=1 valid_lft=forever", new String(kv.array(), 0, kv.length(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void eventsAppendUntilReset() throws IOException
    {
        final ConntrackFixture fixture = new ConntrackFixture(false);
        final ByteFieldWriter w = ByteFieldWriter.forFormat("json");
        fixture.write(w);
        final byte[] one = w.toByteArray();
        w.newLine();
        fixture.write(w);
        w.newLine();
        assertEquals(2 * one.length + 2, w.length());
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.writeTo(out);
        final String line = new String(one, StandardCharsets.UTF_8);
        assertEquals(line + "\n" + line + "\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(2 * one.length + 2, w.length(), "writeTo leaves the content");

        w.reset();
        assertEquals(0, w.length());
        assertArrayEquals(new byte[0], w.toByteArray());
        fixture.write(w);
        assertArrayEquals(one, w.toByteArray());
        assertTrue(w.toByteArray() != w.toByteArray(), "a copy each time");
    }

    @Test
    void forFormatNamesTheFormats()
    {
        assertInstanceOf(JsonFieldWriter.class, ByteFieldWriter.forFormat("json"));
        assertInstanceOf(TextFieldWriter.class, ByteFieldWriter.forFormat("text"));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteFieldWriter.forFormat("xml"));
        final IllegalArgumentException old = assertThrows(IllegalArgumentException.class, () -> EventEncoder.forFormat("xml"));
        assertEquals(old.getMessage(), e.getMessage());
        assertEquals("unknown output format 'xml': expected json, text or kv", e.getMessage());
    }

    /** One event larger than the initial 64 KiB, lone and after a batch: the array doubles, keeps its content. */
    @Test
    void growsForLargeEventsAndNeverShrinks()
    {
        final RandomEvents random = new RandomEvents(new java.util.SplittableRandom(12));
        final StringBuilder big = new StringBuilder();
        while (big.length() < 150_000)
        {
            big.append(random.string());
        }
        final List<Object> many = new ArrayList<>();
        for (int i = 0; i < 20_000; i++)
        {
            many.add(random.string());
        }
        final Event huge = new Event(1, 2, "link", "new", 3).put("ifalias", big.toString()).put("flags", many)
            .put("plain", "x".repeat(70_000));

        for (final String format : List.of("json", "kv"))
        {
            final ByteFieldWriter w = ByteFieldWriter.forFormat(format);
            assertEquals(ByteFieldWriter.INITIAL_CAPACITY, w.array().length);
            final ConntrackFixture fixture = new ConntrackFixture(false);
            final List<Event> batch = new ArrayList<>();
            for (int i = 0; i < 300; i++)
            {
                batch.add(ConntrackFixture.oldEvent());
                fixture.write(w);
                w.newLine();
                if (i == 150)
                {
                    batch.add(huge);
                    EventReplay.replay(huge, w);
                    w.newLine();
                }
            }
            final StringBuilder expected = new StringBuilder();
            final EventEncoder encoder = EventEncoder.forFormat(format);
            for (final Event e : batch)
            {
                encoder.encode(e, expected);
                expected.append('\n');
            }
            assertArrayEquals(expected.toString().getBytes(StandardCharsets.UTF_8), w.toByteArray(), format);
            final int capacity = w.array().length;
            assertTrue(capacity > ByteFieldWriter.INITIAL_CAPACITY && Integer.bitCount(capacity) == 1,
                "doubled from 64 KiB: " + capacity);

            w.reset();
            fixture.write(w);
            assertSame(w.array(), w.array());
            assertEquals(capacity, w.array().length, "reset keeps the grown array");
            final StringBuilder one = new StringBuilder();
            encoder.encode(ConntrackFixture.oldEvent(), one);
            assertEquals(one.toString(), text(w));
            assertTrue(Arrays.equals(one.toString().getBytes(StandardCharsets.UTF_8), w.toByteArray()));
        }
    }

    /**
     * The host and namespace name repeat on every event: JSON keeps their bytes for the String last written. A
     * different String, a mutable CharSequence changed between events and a name with characters JSON escapes
     * each come out as {@code field} writes them.
     */
    @Test
    void repeatedHostAndNamespaceNameAreWrittenAsFields()
    {
        final Name kind = Name.of("conn");
        final Name op = Name.of("new");
        final StringBuilder mutable = new StringBuilder("ns-a");
        final Object[][] events = {
            {"node-1", "blue"}, {"node-1", "blue"}, {"node-1", "red"}, {"node-2", "red\"\n"}, {"node-2", "red\"\n"},
            {"node-2", mutable}, {"node-2", mutable}, {null, null}, {"n\u00e9ud", "r\u00e9seau"}, {"n\u00e9ud", "r\u00e9seau"},
        };
        final JsonFieldWriter cached = new JsonFieldWriter();
        for (int i = 0; i < events.length; i++)
        {
            if (i == 6)
            {
                mutable.setLength(0);
                mutable.append("ns-b");
            }
            final JsonFieldWriter fresh = new JsonFieldWriter();
            cached.reset();
            for (final JsonFieldWriter w : new JsonFieldWriter[] {cached, fresh})
            {
                w.beginEvent(i, 1_700_000_000_000_000_000L, kind, op, 4026531840L);
                w.netnsName((CharSequence)events[i][1]);
                w.host((CharSequence)events[i][0]);
                w.endEvent();
            }
            final StringBuilder expected = new StringBuilder("{\"seq\":" + i + ",\"ts\":\"2023-11-14T22:13:20.000000000Z\",\"kind\":\"conn\","
                + "\"op\":\"new\",\"netns\":4026531840");
            if (events[i][1] != null)
            {
                expected.append(",\"netns_name\":");
                JsonEncoder.string(expected, events[i][1].toString());
            }
            if (events[i][0] != null)
            {
                expected.append(",\"host\":");
                JsonEncoder.string(expected, events[i][0].toString());
            }
            expected.append('}');
            assertEquals(expected.toString(), text(cached), "event " + i);
            assertEquals(text(fresh), text(cached), "event " + i);
        }
    }

    /**
     * The last two addresses' texts are reused: a run of addresses (repeats, alternations, a third one pushing the
     * oldest out, an IPv4 and an IPv6 address with the same leading bytes, other lengths) writes each as
     * {@link io.nlstream.netlink.InetAddresses#format} does, in both formats.
     */
    @Test
    void addressesWrittenAgainAreTheSameText()
    {
        final byte[][] addresses = {
            {10, 0, 0, 1}, {10, 0, 0, 2}, {10, 0, 0, 2}, {10, 0, 0, 1}, {10, 0, 0, 3}, {10, 0, 0, 2}, {10, 0, 0, 1},
            {0, 0, 0, 1}, {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
            {(byte)0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, {(byte)0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2},
            {(byte)0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, {(byte)0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2},
            {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xff, (byte)0xff, 10, 0, 0, 1}, {10, 0, 0, 1},
            {2, 3, 4, 5, 6, 7}, {2, 3, 4, 5, 6, 7}, {10, 0, 0, 1},
        };
        final Name src = Name.of("src");
        for (final String format : new String[] {"json", "kv"})
        {
            final ByteFieldWriter w = ByteFieldWriter.forFormat(format);
            for (int i = 0; i < addresses.length; i++)
            {
                // each address at another offset of a larger buffer, as in a message
                final java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(addresses[i].length + 3 + i);
                buf.put(3 + i, addresses[i]);
                w.reset();
                w.address(src, buf, 3 + i, addresses[i].length);
                final String expected = io.nlstream.netlink.InetAddresses.format(buf, 3 + i, addresses[i].length);
                // after the first field a separator comes first (reset keeps the writer inside its event)
                final String written = text(w).replaceFirst("^[, ]", "");
                assertEquals(format.equals("json") ? "\"src\":\"" + expected + "\"" : "src=" + expected, written,
                    format + " address " + i);
            }
        }
    }
}
