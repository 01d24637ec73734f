package io.nlstream.netlink.conntrack;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast decoder against a slow, obviously-correct one on randomly damaged copies of every captured
 * and hand-written message: the same verdict, the same error at the same offset, and when both accept,
 * the same value for every getter. The reference shares no code with {@link CtDecoder}: it reads the
 * bytes of a {@code byte[]} itself, walks attributes by the libmnl rules with explicit bounds, checks
 * each known attribute against a table of kinds transcribed from {@code nfnetlink_conntrack.h}, and
 * builds the kernel's {@code tb[type] = attr} tree (the last of a repeated attribute wins) from which it
 * reads the values. Seeded, so a failure repeats.
 */
class CtDecoderFuzzTest
{
    private static final int ITERATIONS = 100_000;
    private static final long SEED = 0x6e6c7374L;

    @Test
    void neverThrowsAndAgreesWithTheReferenceOnDamagedMessages()
    {
        final List<byte[]> corpus = corpus();
        final Random random = new Random(SEED);
        final CtDecoder ct = new CtDecoder();
        int accepted = 0;
        final Set<String> errors = new TreeSet<>();
        for (int i = 0; i < ITERATIONS; i++)
        {
            final byte[] original = corpus.get(random.nextInt(corpus.size()));
            final byte[] bytes = mutate(original, random);
            final int base = random.nextBoolean() ? 0 : 1 + random.nextInt(7);
            final ByteBuffer buf = place(bytes, base, random);

            final Reference ref = Reference.parse(bytes);
            final boolean ok;
            final Map<String, String> values;
            try
            {
                ok = ct.wrap(buf, base, bytes.length);
                values = ok ? fast(ct, buf) : null;
            }
            catch (final RuntimeException e)
            {
                throw new AssertionError("iteration " + i + " threw on " + hex(bytes), e);
            }
            final int iteration = i;
            assertEquals(ref.error == null, ok, () -> "iteration " + iteration + " verdict; reference " + ref.error
                + ", decoder " + ct.error() + " on " + hex(bytes));
            if (ok)
            {
                assertEquals(ref.values(), values, () -> "iteration " + iteration + " values on " + hex(bytes));
                accepted++;
            }
            else
            {
                assertEquals(ref.error, ct.error(), () -> "iteration " + iteration + " error on " + hex(bytes));
                assertEquals(base + ref.errorOffset, ct.errorOffset(), () -> "iteration " + iteration + " offset on "
                    + hex(bytes));
                assertEquals(null, ct.eventType());
                errors.add(ref.error);
            }
        }
        // not vacuous: both verdicts often, and most kinds of damage seen
        final int acceptedCount = accepted;
        assertTrue(accepted > ITERATIONS / 10, () -> "accepted " + acceptedCount);
        assertTrue(ITERATIONS - accepted > ITERATIONS / 10, () -> "rejected " + (ITERATIONS - acceptedCount));
        assertTrue(errors.size() >= 12, errors::toString);
    }

    @Test
    void referenceAcceptsEveryCapturedMessage()
    {
        for (final byte[] bytes : corpus())
        {
            final Reference ref = Reference.parse(bytes);
            assertEquals(null, ref.error, () -> hex(bytes));
            final CtDecoder ct = new CtDecoder();
            final ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
            assertTrue(ct.wrap(buf, 0, bytes.length));
            assertEquals(ref.values(), fast(ct, buf));
        }
    }

    /**
     * Every ctnetlink message of the fixtures (single files and streams) and the accepted hand-written ones.
     */
    static List<byte[]> corpus()
    {
        final List<byte[]> corpus = new ArrayList<>();
        for (final String name : List.of("tcp4-dnat-new.hex", "tcp4-dnat-established.hex", "tcp4-dnat-time-wait.hex",
            "tcp4-dnat-destroy.hex", "udp4-new.hex", "icmp4-echo-new.hex", "icmp4-echo-destroy.hex", "tcp6-new.hex",
            "tcp6-destroy.hex", "udp6-zone-new.hex", "ct-events.hex", "ct-dump.hex"))
        {
            final ByteBuffer buf = CtDecoderTest.fixture(name);
            for (final int[] span : CtDecoderTest.spans(buf))
            {
                if (NetlinkFraming.type(buf, span[0]) >> 8 == Nfnetlink.NFNL_SUBSYS_CTNETLINK)
                {
                    final byte[] message = new byte[span[1]];
                    buf.get(span[0], message);
                    corpus.add(message);
                }
            }
        }
        corpus.addAll(CtMalformedMessagesTest.okMessages());
        return corpus;
    }

    private static byte[] mutate(final byte[] original, final Random random)
    {
        byte[] bytes = original.clone();
        final int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && bytes.length > 0; m++)
        {
            switch (random.nextInt(7))
            {
                case 6: // a repeated attribute at any depth: the last one must win, a nest as a whole
                    bytes = duplicate(bytes, random);
                    break;
                case 0: // any byte, any value
                    bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
                    break;
                case 1: // one bit
                    bytes[random.nextInt(bytes.length)] ^= (byte)(1 << random.nextInt(8));
                    break;
                case 2: // an attribute's nla_len (attributes start 4-aligned after the header)
                {
                    final int at = attributeStart(bytes.length, random);
                    if (at >= 0)
                    {
                        final int len = (bytes[at] & 0xFF | (bytes[at + 1] & 0xFF) << 8) + random.nextInt(13) - 6;
                        putLe16(bytes, at, random.nextInt(8) == 0 ? random.nextInt(65536) : Math.max(0, len));
                    }
                    break;
                }
                case 3: // an attribute's nla_type, nested flag included
                {
                    final int at = attributeStart(bytes.length, random);
                    if (at >= 0)
                    {
                        putLe16(bytes, at + 2, random.nextInt(30) | (random.nextBoolean() ? 0x8000 : 0));
                    }
                    break;
                }
                case 4: // cut the tail, and half the time make nlmsg_len agree
                {
                    final int keep = random.nextInt(bytes.length + 1);
                    final byte[] cut = new byte[keep];
                    System.arraycopy(bytes, 0, cut, 0, keep);
                    bytes = cut;
                    if (keep >= 4 && random.nextBoolean())
                    {
                        putLe16(bytes, 0, keep);
                        bytes[2] = 0;
                        bytes[3] = 0;
                    }
                    break;
                }
                default: // nlmsg_len or nlmsg_type
                    if (bytes.length >= 6)
                    {
                        final int at = random.nextBoolean() ? 0 : 4;
                        bytes[at + random.nextInt(2)] = (byte)random.nextInt(256);
                    }
                    break;
            }
        }
        return bytes;
    }

    /**
     * A copy of one attribute inserted right after it, the lengths of its nests and of the message grown
     * to match; the message unchanged when its attributes cannot be walked.
     */
    private static byte[] duplicate(final byte[] bytes, final Random random)
    {
        if (bytes.length < 20 || le16(bytes, 0) != bytes.length)
        {
            return bytes;
        }
        final List<int[]> found = new ArrayList<>();
        collect(bytes, 20, bytes.length, new int[0], found);
        if (found.isEmpty())
        {
            return bytes;
        }
        final int[] pick = found.get(random.nextInt(found.size()));
        final int at = pick[0];
        final int size = pick[1];
        final byte[] out = new byte[bytes.length + size];
        System.arraycopy(bytes, 0, out, 0, at + size);
        System.arraycopy(bytes, at, out, at + size, bytes.length - at);
        for (int i = 2; i < pick.length; i++)
        {
            putLe16(out, pick[i], le16(out, pick[i]) + size);
        }
        putLe16(out, 0, out.length);
        return out;
    }

    /**
     * Adds {attribute offset, padded size, enclosing nests' offsets...} for every attribute in
     * [start, end) whose padded size fits, descending into those flagged NLA_F_NESTED.
     */
    private static void collect(final byte[] m, final int start, final int end, final int[] parents, final List<int[]> out)
    {
        int at = start;
        while (end - at >= 4)
        {
            final int len = le16(m, at);
            final int padded = (len + 3) / 4 * 4;
            if (len < 4 || at + padded > end)
            {
                return;
            }
            final int[] entry = new int[2 + parents.length];
            entry[0] = at;
            entry[1] = padded;
            System.arraycopy(parents, 0, entry, 2, parents.length);
            out.add(entry);
            if ((le16(m, at + 2) & 0x8000) != 0)
            {
                final int[] inner = new int[parents.length + 1];
                System.arraycopy(parents, 0, inner, 0, parents.length);
                inner[parents.length] = at;
                collect(m, at + 4, at + len, inner, out);
            }
            at += padded;
        }
    }

    private static int le16(final byte[] bytes, final int at)
    {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
    }

    private static int attributeStart(final int length, final Random random)
    {
        final int slots = (length - 20) / 4;
        return slots > 0 ? 20 + 4 * random.nextInt(slots) : -1;
    }

    private static void putLe16(final byte[] bytes, final int at, final int value)
    {
        if (at + 1 < bytes.length)
        {
            bytes[at] = (byte)value;
            bytes[at + 1] = (byte)(value >>> 8);
        }
    }

    /**
     * The message at {@code base} in a buffer of either order, heap or direct, with junk around it.
     */
    private static ByteBuffer place(final byte[] bytes, final int base, final Random random)
    {
        final int capacity = base + bytes.length + random.nextInt(8);
        final ByteBuffer buf = random.nextBoolean() ? ByteBuffer.allocate(capacity) : ByteBuffer.allocateDirect(capacity);
        buf.order(random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < capacity; i++)
        {
            buf.put(i, (byte)0xA5);
        }
        buf.put(base, bytes);
        return buf;
    }

    /**
     * Every getter of the decoder, as text, under the reference's names; {@code buf} is what it wrapped.
     */
    static Map<String, String> fast(final CtDecoder ct, final ByteBuffer buf)
    {
        final Map<String, String> v = new TreeMap<>();
        v.put("type", String.valueOf(ct.messageType()));
        v.put("flags", String.valueOf(ct.flags()));
        v.put("seq", String.valueOf(ct.seq()));
        v.put("pid", String.valueOf(ct.portId()));
        v.put("event", String.valueOf(ct.eventType()));
        v.put("family", String.valueOf(ct.l3family()));
        tuple(v, "orig", ct.orig(), buf);
        tuple(v, "reply", ct.reply(), buf);
        tuple(v, "master", ct.master(), buf);
        v.put("id", String.valueOf(ct.id()));
        v.put("status", String.valueOf(ct.status()));
        v.put("timeout", String.valueOf(ct.timeout()));
        v.put("mark", String.valueOf(ct.mark()));
        v.put("use", String.valueOf(ct.use()));
        v.put("zone", String.valueOf(ct.zone()));
        v.put("tcpState", String.valueOf(ct.tcpState()));
        v.put("sctpState", String.valueOf(ct.sctpState()));
        v.put("dccpState", String.valueOf(ct.dccpState()));
        for (int dir = 0; dir < 2; dir++)
        {
            v.put("counters" + dir, String.valueOf(ct.hasCounters(dir)));
            v.put("packets" + dir, String.valueOf(ct.packets(dir)));
            v.put("bytes" + dir, String.valueOf(ct.bytes(dir)));
            v.put("seqAdj" + dir, String.valueOf(ct.hasSeqAdj(dir)));
        }
        v.put("timestamp", String.valueOf(ct.hasTimestamp()));
        v.put("start", String.valueOf(ct.timestampStart()));
        v.put("stop", String.valueOf(ct.timestampStop()));
        if (ct.hasLabels())
        {
            final byte[] labels = new byte[ct.labelsLength()];
            buf.get(ct.labelsOffset(), labels);
            v.put("labels", hex(labels));
        }
        else
        {
            v.put("labels", "null");
        }
        v.put("helper", String.valueOf(ct.helperName()));
        return v;
    }

    private static void tuple(final Map<String, String> v, final String name, final CtTuple t, final ByteBuffer buf)
    {
        v.put(name, String.valueOf(t.present()));
        v.put(name + ".l4proto", String.valueOf(t.l4proto()));
        v.put(name + ".src", t.hasSrc() ? hex(bytes(buf, t.srcOffset(), t.srcLength())) : "null");
        v.put(name + ".dst", t.hasDst() ? hex(bytes(buf, t.dstOffset(), t.dstLength())) : "null");
        // the text forms must not throw either; their correctness is InetAddressesTest's business
        if (t.hasSrc() && t.src().isEmpty() || t.hasDst() && t.dst().isEmpty())
        {
            throw new AssertionError("empty address text");
        }
        v.put(name + ".srcPort", String.valueOf(t.srcPort()));
        v.put(name + ".dstPort", String.valueOf(t.dstPort()));
        v.put(name + ".icmpType", String.valueOf(t.icmpType()));
        v.put(name + ".icmpCode", String.valueOf(t.icmpCode()));
        v.put(name + ".icmpId", String.valueOf(t.icmpId()));
        v.put(name + ".zone", String.valueOf(t.zone()));
    }

    private static byte[] bytes(final ByteBuffer buf, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        buf.get(offset, copy);
        return copy;
    }

    static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    /**
     * The slow decoder. {@link #parse} fills {@link #error}/{@link #errorOffset} or the attribute tree.
     */
    static final class Reference
    {
        enum Kind
        {
            U8, U16, U32, U64, STRING, IPV4, IPV6, TCP_FLAGS, BINARY, NESTED
        }

        /** One attribute kind, and for a nest the table of its members. */
        record Rule(Kind kind, Map<Integer, Rule> members)
        {
        }

        private static final Map<Integer, Rule> TOP = new HashMap<>();

        static
        {
            final Map<Integer, Rule> ip = Map.of(1, leaf(Kind.IPV4), 2, leaf(Kind.IPV4), 3, leaf(Kind.IPV6),
                4, leaf(Kind.IPV6));
            final Map<Integer, Rule> proto = Map.of(1, leaf(Kind.U8), 2, leaf(Kind.U16), 3, leaf(Kind.U16),
                4, leaf(Kind.U16), 5, leaf(Kind.U8), 6, leaf(Kind.U8), 7, leaf(Kind.U16), 8, leaf(Kind.U8),
                9, leaf(Kind.U8));
            final Map<Integer, Rule> tuple = Map.of(1, nest(ip), 2, nest(proto), 3, leaf(Kind.U16));
            final Map<Integer, Rule> tcp = Map.of(1, leaf(Kind.U8), 2, leaf(Kind.U8), 3, leaf(Kind.U8),
                4, leaf(Kind.TCP_FLAGS), 5, leaf(Kind.TCP_FLAGS));
            final Map<Integer, Rule> dccp = Map.of(1, leaf(Kind.U8), 2, leaf(Kind.U8), 3, leaf(Kind.U64));
            final Map<Integer, Rule> sctp = Map.of(1, leaf(Kind.U8), 2, leaf(Kind.U32), 3, leaf(Kind.U32));
            final Map<Integer, Rule> protoinfo = Map.of(1, nest(tcp), 2, nest(dccp), 3, nest(sctp));
            final Map<Integer, Rule> counters = Map.of(1, leaf(Kind.U64), 2, leaf(Kind.U64), 3, leaf(Kind.U32),
                4, leaf(Kind.U32));
            final Map<Integer, Rule> timestamp = Map.of(1, leaf(Kind.U64), 2, leaf(Kind.U64));
            final Map<Integer, Rule> seqadj = Map.of(1, leaf(Kind.U32), 2, leaf(Kind.U32), 3, leaf(Kind.U32));
            final Map<Integer, Rule> help = Map.of(1, leaf(Kind.STRING));
            final Map<Integer, Rule> secctx = Map.of(1, leaf(Kind.STRING));
            final Map<Integer, Rule> protonat = Map.of(1, leaf(Kind.U16), 2, leaf(Kind.U16));
            final Map<Integer, Rule> nat = Map.of(1, leaf(Kind.IPV4), 2, leaf(Kind.IPV4), 3, nest(protonat),
                4, leaf(Kind.IPV6), 5, leaf(Kind.IPV6));
            final Map<Integer, Rule> synproxy = Map.of(1, leaf(Kind.U32), 2, leaf(Kind.U32), 3, leaf(Kind.U32));
            final Map<Integer, Rule> filter = Map.of(1, leaf(Kind.U32), 2, leaf(Kind.U32));

            TOP.put(1, nest(tuple));            // CTA_TUPLE_ORIG
            TOP.put(2, nest(tuple));            // CTA_TUPLE_REPLY
            TOP.put(3, leaf(Kind.U32));         // CTA_STATUS
            TOP.put(4, nest(protoinfo));        // CTA_PROTOINFO
            TOP.put(5, nest(help));             // CTA_HELP
            TOP.put(6, nest(nat));              // CTA_NAT_SRC
            TOP.put(7, leaf(Kind.U32));         // CTA_TIMEOUT
            TOP.put(8, leaf(Kind.U32));         // CTA_MARK
            TOP.put(9, nest(counters));         // CTA_COUNTERS_ORIG
            TOP.put(10, nest(counters));        // CTA_COUNTERS_REPLY
            TOP.put(11, leaf(Kind.U32));        // CTA_USE
            TOP.put(12, leaf(Kind.U32));        // CTA_ID
            TOP.put(13, nest(nat));             // CTA_NAT_DST
            TOP.put(14, nest(tuple));           // CTA_TUPLE_MASTER
            TOP.put(15, nest(seqadj));          // CTA_SEQ_ADJ_ORIG
            TOP.put(16, nest(seqadj));          // CTA_SEQ_ADJ_REPLY
            TOP.put(17, leaf(Kind.U32));        // CTA_SECMARK
            TOP.put(18, leaf(Kind.U16));        // CTA_ZONE
            TOP.put(19, nest(secctx));          // CTA_SECCTX
            TOP.put(20, nest(timestamp));       // CTA_TIMESTAMP
            TOP.put(21, leaf(Kind.U32));        // CTA_MARK_MASK
            TOP.put(22, leaf(Kind.BINARY));     // CTA_LABELS
            TOP.put(24, nest(synproxy));        // CTA_SYNPROXY
            TOP.put(25, nest(filter));          // CTA_FILTER
            TOP.put(26, leaf(Kind.U32));        // CTA_STATUS_MASK
            TOP.put(27, leaf(Kind.U64));        // CTA_TIMESTAMP_EVENT
        }

        private static Rule leaf(final Kind kind)
        {
            return new Rule(kind, null);
        }

        private static Rule nest(final Map<Integer, Rule> members)
        {
            return new Rule(Kind.NESTED, members);
        }

        final byte[] m;
        String error;
        int errorOffset = -1;
        Map<Integer, Object> tb;

        private Reference(final byte[] m)
        {
            this.m = m;
        }

        static Reference parse(final byte[] m)
        {
            final Reference r = new Reference(m);
            r.run();
            return r;
        }

        private void run()
        {
            if (m.length < 16)
            {
                fail(NetlinkFraming.SHORT_HEADER, 0);
                return;
            }
            final long nlmsgLen = host32(0);
            if (nlmsgLen < 16)
            {
                fail(NetlinkFraming.LENGTH_TOO_SMALL, 0);
                return;
            }
            if (nlmsgLen > m.length)
            {
                fail(NetlinkFraming.LENGTH_PAST_END, 0);
                return;
            }
            final int type = host16(4);
            if (type != 0x0100 && type != 0x0102)
            {
                fail(CtDecoder.ERR_NOT_CONNTRACK, 0);
                return;
            }
            if (nlmsgLen < 20)
            {
                fail(CtDecoder.ERR_SHORT_NFGENMSG, 16);
                return;
            }
            final Map<Integer, Object> top = new HashMap<>();
            if (walk(20, (int)nlmsgLen, TOP, top))
            {
                tb = top;
            }
        }

        /**
         * Walks the attributes in [start, end) into {@code out}, checking the members {@code rules} knows.
         */
        private boolean walk(final int start, final int end, final Map<Integer, Rule> rules, final Map<Integer, Object> out)
        {
            int at = start;
            while (at < end)
            {
                if (end - at < 4)
                {
                    return fail(AttributeIterator.ERR_TRAILING_BYTES, at);
                }
                final int len = host16(at);
                if (len < 4)
                {
                    return fail(AttributeIterator.ERR_SHORT_ATTRIBUTE, at);
                }
                if (len > end - at)
                {
                    return fail(AttributeIterator.ERR_LENGTH_PAST_END, at);
                }
                final int type = host16(at + 2) & 0x3FFF;
                final int payload = at + 4;
                final int size = len - 4;
                final Rule rule = rules.get(type);
                if (rule != null)
                {
                    final Object value = check(rule, at, payload, size);
                    if (value == null)
                    {
                        return false;
                    }
                    out.put(type, value);
                }
                at += (len + 3) / 4 * 4;
            }
            return true;
        }

        /**
         * @return the attribute's value (Long, String, byte[] or a member map), or null after fail().
         */
        private Object check(final Rule rule, final int at, final int payload, final int size)
        {
            switch (rule.kind())
            {
                case U8:
                    return size == 1 ? (Object)(long)(m[payload] & 0xFF) : failed(AttributeIterator.ERR_NOT_U8, at);
                case U16:
                    return size == 2 ? (Object)be(payload, 2) : failed(AttributeIterator.ERR_NOT_U16, at);
                case U32:
                    return size == 4 ? (Object)be(payload, 4) : failed(AttributeIterator.ERR_NOT_U32, at);
                case U64:
                    return size == 8 ? (Object)be(payload, 8) : failed(AttributeIterator.ERR_NOT_U64, at);
                case STRING:
                    if (size == 0 || m[payload + size - 1] != 0)
                    {
                        return failed(AttributeIterator.ERR_NOT_NUL_STRING, at);
                    }
                    int n = 0;
                    while (m[payload + n] != 0)
                    {
                        n++;
                    }
                    return new String(m, payload, n, StandardCharsets.UTF_8);
                case IPV4:
                    return size == 4 ? (Object)slice(payload, 4) : failed(CtDecoder.ERR_IPV4_LENGTH, at);
                case IPV6:
                    return size == 16 ? (Object)slice(payload, 16) : failed(CtDecoder.ERR_IPV6_LENGTH, at);
                case TCP_FLAGS:
                    return size == 2 ? (Object)(long)(m[payload] & 0xFF) : failed(CtDecoder.ERR_TCP_FLAGS_LENGTH, at);
                case BINARY:
                    return slice(payload, size);
                default:
                    if (size != 0 && size < 4)
                    {
                        return failed(AttributeIterator.ERR_NOT_NESTED, at);
                    }
                    final Map<Integer, Object> members = new HashMap<>();
                    return walk(payload, payload + size, rule.members(), members) ? members : null;
            }
        }

        /**
         * What the getters must answer, read off the tree.
         */
        Map<String, String> values()
        {
            final Map<String, String> v = new TreeMap<>();
            final int type = host16(4);
            final int flags = host16(6);
            v.put("type", String.valueOf(type));
            v.put("flags", String.valueOf(flags));
            v.put("seq", String.valueOf((int)host32(8)));
            v.put("pid", String.valueOf((int)host32(12)));
            v.put("event", type == 0x0102 ? "DESTROY" : (flags & 0x402) != 0 ? "NEW" : "UPDATE");
            v.put("family", String.valueOf(m[16] & 0xFF));
            tuple(v, "orig", nested(tb, 1));
            tuple(v, "reply", nested(tb, 2));
            tuple(v, "master", nested(tb, 14));
            v.put("id", num(tb, 12));
            v.put("status", String.valueOf(tb.containsKey(3) ? (int)(long)(Long)tb.get(3) : -1));
            v.put("timeout", num(tb, 7));
            v.put("mark", num(tb, 8));
            v.put("use", num(tb, 11));
            v.put("zone", num(tb, 18));
            final Map<Integer, Object> protoinfo = nested(tb, 4);
            final Map<Integer, Object> tcp = nested(protoinfo, 1);
            final Map<Integer, Object> dccp = nested(protoinfo, 2);
            final Map<Integer, Object> sctp = nested(protoinfo, 3);
            v.put("tcpState", num(tcp, 1));
            v.put("sctpState", num(sctp, 1));
            v.put("dccpState", num(dccp, 1));
            for (int dir = 0; dir < 2; dir++)
            {
                final Map<Integer, Object> counters = nested(tb, 9 + dir);
                v.put("counters" + dir, String.valueOf(counters != null));
                v.put("packets" + dir, num(counters, 1));
                v.put("bytes" + dir, num(counters, 2));
                final Map<Integer, Object> seqadj = nested(tb, 15 + dir);
                v.put("seqAdj" + dir, String.valueOf(seqadj != null));
            }
            final Map<Integer, Object> timestamp = nested(tb, 20);
            v.put("timestamp", String.valueOf(timestamp != null));
            v.put("start", num(timestamp, 1));
            v.put("stop", "0".equals(num(timestamp, 2)) ? "-1" : num(timestamp, 2));
            final byte[] labels = (byte[])tb.get(22);
            v.put("labels", labels != null ? hex(labels) : "null");
            v.put("helper", String.valueOf(nested(tb, 5) != null ? nested(tb, 5).get(1) : null));
            return v;
        }

        private static void tuple(final Map<String, String> v, final String name, final Map<Integer, Object> t)
        {
            final Map<Integer, Object> ip = nested(t, 1);
            final Map<Integer, Object> proto = nested(t, 2);
            v.put(name, String.valueOf(t != null));
            v.put(name + ".l4proto", num(proto, 1));
            v.put(name + ".src", address(ip, 1, 3));
            v.put(name + ".dst", address(ip, 2, 4));
            v.put(name + ".srcPort", num(proto, 2));
            v.put(name + ".dstPort", num(proto, 3));
            // the IPv4 attribute before the IPv6 one, as CtTuple documents
            v.put(name + ".icmpType", first(proto, 5, 8));
            v.put(name + ".icmpCode", first(proto, 6, 9));
            v.put(name + ".icmpId", first(proto, 4, 7));
            v.put(name + ".zone", num(t, 3));
        }

        private static String address(final Map<Integer, Object> ip, final int v4, final int v6)
        {
            if (ip != null && ip.containsKey(v4))
            {
                return hex((byte[])ip.get(v4));
            }
            return ip != null && ip.containsKey(v6) ? hex((byte[])ip.get(v6)) : "null";
        }

        private static String first(final Map<Integer, Object> map, final int a, final int b)
        {
            return map != null && map.containsKey(a) ? num(map, a) : num(map, b);
        }

        @SuppressWarnings("unchecked")
        private static Map<Integer, Object> nested(final Map<Integer, Object> map, final int type)
        {
            return map == null ? null : (Map<Integer, Object>)map.get(type);
        }

        private static String num(final Map<Integer, Object> map, final int type)
        {
            return map != null && map.containsKey(type) ? String.valueOf(map.get(type)) : "-1";
        }

        private boolean fail(final String error, final int offset)
        {
            this.error = error;
            this.errorOffset = offset;
            return false;
        }

        private Object failed(final String error, final int offset)
        {
            fail(error, offset);
            return null;
        }

        /** Netlink's own fields are in host order. */
        private int host16(final int at)
        {
            final int lo = m[at] & 0xFF;
            final int hi = m[at + 1] & 0xFF;
            return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? lo | hi << 8 : hi | lo << 8;
        }

        private long host32(final int at)
        {
            final long a = host16(at);
            final long b = host16(at + 2);
            return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? a | b << 16 : b | a << 16;
        }

        private long be(final int at, final int size)
        {
            long value = 0;
            for (int i = 0; i < size; i++)
            {
                value = value << 8 | (m[at + i] & 0xFF);
            }
            return value;
        }

        private byte[] slice(final int at, final int size)
        {
            final byte[] out = new byte[size];
            System.arraycopy(m, at, out, 0, size);
            return out;
        }
    }
}
