package io.nlstream.sinks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A typical conntrack event (28 fields: two tuples, a status list, a Community ID, counters, a timestamp,
 * labels, a helper) written the way a typed event will write it, from a message buffer, and the same event
 * as the old model's map, in EventDecoder.conn's order.
 */
final class ConntrackFixture
{
    static final Name CONN = Name.of("conn");
    static final Name UPDATE = Name.of("update");
    static final Name ORIGIN = Name.of("origin");
    static final Name EVENT = Name.of("event");
    static final Name ID = Name.of("id");
    static final Name FAMILY = Name.of("family");
    static final Name INET = Name.of("inet");
    static final Name PROTO = Name.of("proto");
    static final Name TCP = Name.of("tcp");
    static final Name ORIG = Name.of("orig");
    static final Name REPLY = Name.of("reply");
    static final Name SRC = Name.of("src");
    static final Name DST = Name.of("dst");
    static final Name SPORT = Name.of("sport");
    static final Name DPORT = Name.of("dport");
    static final Name TCP_STATE = Name.of("tcp_state");
    static final Name ESTABLISHED = Name.of("ESTABLISHED");
    static final Name STATUS = Name.of("status");
    static final Name SEEN_REPLY = Name.of("SEEN_REPLY");
    static final Name ASSURED = Name.of("ASSURED");
    static final Name CONFIRMED = Name.of("CONFIRMED");
    static final Name MARK = Name.of("mark");
    static final Name TIMEOUT = Name.of("timeout");
    static final Name USE = Name.of("use");
    static final Name COMMUNITY_ID = Name.of("community_id");
    static final Name COUNTERS = Name.of("counters");
    static final Name ORIG_PACKETS = Name.of("orig_packets");
    static final Name ORIG_BYTES = Name.of("orig_bytes");
    static final Name REPLY_PACKETS = Name.of("reply_packets");
    static final Name REPLY_BYTES = Name.of("reply_bytes");
    static final Name START = Name.of("start");
    static final Name LABELS = Name.of("labels");
    static final Name HELPER = Name.of("helper");

    static final long SEQ = 123_456L;
    static final long TS = 1_790_000_000_123_456_789L;
    static final long NETNS = 4_026_531_840L;
    static final long START_NANOS = 1_789_999_990_000_000_001L;

    private static final int ORIG_SRC = 0;
    private static final int ORIG_DST = 4;
    private static final int REPLY_SRC = 8;
    private static final int REPLY_DST = 12;
    private static final int LABELS_AT = 16;
    private static final int HELPER_AT = 32;

    final ByteBuffer message;
    private final CommunityId communityId = new CommunityId();
    private final byte[] id = new byte[CommunityId.LENGTH];

    ConntrackFixture(final boolean direct)
    {
        message = direct ? ByteBuffer.allocateDirect(40) : ByteBuffer.allocate(40);
        message.put(ORIG_SRC, new byte[] {10, 0, 0, 1}).put(ORIG_DST, new byte[] {93, (byte)184, (byte)216, 34});
        message.put(REPLY_SRC, new byte[] {93, (byte)184, (byte)216, 34}).put(REPLY_DST, new byte[] {(byte)192, (byte)168, 1, 2});
        message.put(LABELS_AT + 15, (byte)0x81);
        message.put(HELPER_AT, "ftp\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** The event, its Community ID hashed from the message as the typed event will. */
    void write(final FieldWriter out)
    {
        out.beginEvent(SEQ, TS, CONN, UPDATE, NETNS);
        out.field(ORIGIN, EVENT);
        out.field(ID, 3_735_928_559L);
        out.field(FAMILY, INET);
        out.field(PROTO, TCP);
        out.beginObject(ORIG);
        out.address(SRC, message, ORIG_SRC, 4);
        out.address(DST, message, ORIG_DST, 4);
        out.field(SPORT, 40_312);
        out.field(DPORT, 443);
        out.endObject();
        out.beginObject(REPLY);
        out.address(SRC, message, REPLY_SRC, 4);
        out.address(DST, message, REPLY_DST, 4);
        out.field(SPORT, 443);
        out.field(DPORT, 40_312);
        out.endObject();
        out.field(TCP_STATE, ESTABLISHED);
        out.beginList(STATUS);
        out.element(SEEN_REPLY);
        out.element(ASSURED);
        out.element(CONFIRMED);
        out.endList();
        out.field(MARK, 0);
        out.field(TIMEOUT, 431_999);
        out.field(USE, 1);
        final int n = communityId.compute(message, ORIG_SRC, ORIG_DST, 4, 6, 40_312, 443, id, 0);
        out.ascii(COMMUNITY_ID, id, 0, n);
        out.beginObject(COUNTERS);
        out.field(ORIG_PACKETS, 12);
        out.field(ORIG_BYTES, 1_843);
        out.field(REPLY_PACKETS, 10);
        out.field(REPLY_BYTES, 9_120);
        out.endObject();
        out.timestamp(START, START_NANOS);
        out.hex(LABELS, message, LABELS_AT, 16);
        out.string(HELPER, message, HELPER_AT, 8);
        out.endEvent();
    }

    /** The same event as EventDecoder built it. */
    static Event oldEvent()
    {
        final Map<String, Object> orig = new LinkedHashMap<>();
        orig.put("src", "10.0.0.1");
        orig.put("dst", "93.184.216.34");
        orig.put("sport", 40_312);
        orig.put("dport", 443);
        final Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("src", "93.184.216.34");
        reply.put("dst", "192.168.1.2");
        reply.put("sport", 443);
        reply.put("dport", 40_312);
        final Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("orig_packets", 12L);
        counters.put("orig_bytes", 1_843L);
        counters.put("reply_packets", 10L);
        counters.put("reply_bytes", 9_120L);
        return new Event(SEQ, TS, "conn", "update", NETNS)
            .put("origin", "event")
            .put("id", 3_735_928_559L)
            .put("family", "inet")
            .put("proto", "tcp")
            .put("orig", orig)
            .put("reply", reply)
            .put("tcp_state", "ESTABLISHED")
            .put("status", List.of("SEEN_REPLY", "ASSURED", "CONFIRMED"))
            .put("mark", 0L)
            .put("timeout", 431_999)
            .put("use", 1)
            .put("community_id", CommunityId.v1(new byte[] {10, 0, 0, 1}, new byte[] {93, (byte)184, (byte)216, 34}, 6, 40_312, 443))
            .put("counters", counters)
            .put("start", Timestamps.rfc3339(START_NANOS))
            .put("labels", "00000000000000000000000000000081")
            .put("helper", "ftp");
    }
}
