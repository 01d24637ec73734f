package io.nlstream.sinks;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EncodersTest
{
    @Test
    void timestampsMatchJavaTimeOnRandomInstants()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final DateTimeFormatter iso = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'")
            .withZone(java.time.ZoneOffset.UTC);
        for (int i = 0; i < 20_000; i++)
        {
            final long nanos = random.nextLong(0, 4_102_444_800_000_000_000L);
            final Instant instant = Instant.ofEpochSecond(0, nanos);
            assertEquals(iso.format(instant), Timestamps.rfc3339(nanos), "nanos=" + nanos);
        }
        assertEquals("1970-01-01T00:00:00.000000000Z", Timestamps.rfc3339(0));
        assertEquals("2026-11-28T10:00:00.123456789Z",
            Timestamps.rfc3339(Instant.parse("2026-11-28T10:00:00.123456789Z").getEpochSecond() * 1_000_000_000L + 123_456_789));
    }

    @Test
    void jsonHasFixedFieldsFirstAndEscapesStrings()
    {
        final Map<String, Object> orig = new LinkedHashMap<>();
        orig.put("src", "10.0.0.1");
        orig.put("sport", 1234);
        orig.put("absent", null);
        final Event e = new Event(7, 1_000_000_001L, "link", "new", 4026531840L)
            .put("ifname", "we\"ird\\name\n\u0001")
            .put("flags", List.of("UP", "LOWER_UP"))
            .put("mtu", 1500)
            .put("master", null)
            .put("orig", orig)
            .put("up", true);
        assertEquals("{\"seq\":7,\"ts\":\"1970-01-01T00:00:01.000000001Z\",\"kind\":\"link\",\"op\":\"new\",\"netns\":4026531840,"
            + "\"ifname\":\"we\\\"ird\\\\name\\n\\u0001\",\"flags\":[\"UP\",\"LOWER_UP\"],\"mtu\":1500,"
            + "\"orig\":{\"src\":\"10.0.0.1\",\"sport\":1234},\"up\":true}", JsonEncoder.toJson(e));
    }

    @Test
    void stateObjectsHaveNoOpSeqOrTs()
    {
        final Event e = new Event(7, 1, "addr", null, 1).put("address", "::1");
        assertEquals("{\"kind\":\"addr\",\"netns\":1,\"address\":\"::1\"}", JsonEncoder.toJson(e));
        final StringBuilder text = new StringBuilder();
        new TextEncoder().encode(e, text);
        assertEquals("addr netns=1 address=::1", text.toString());
    }

    @Test
    void textFlattensAndQuotes()
    {
        final Map<String, Object> orig = new LinkedHashMap<>();
        orig.put("src", "10.0.0.1");
        final Event e = new Event(1, 0, "conn", "new", 5)
            .put("orig", orig).put("status", List.of("ASSURED", "SEEN_REPLY")).put("comm", "my proc");
        final StringBuilder text = new StringBuilder();
        new TextEncoder().encode(e, text);
        assertEquals("1970-01-01T00:00:00.000000000Z conn new netns=5 orig.src=10.0.0.1 status=ASSURED,SEEN_REPLY comm=\"my proc\"",
            text.toString());
    }
}
