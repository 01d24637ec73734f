package io.nlstream.netlink.diag;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.FixtureMessages;
import io.nlstream.netlink.Fixtures;
import io.nlstream.netlink.Mutations;
import io.nlstream.netlink.ReferenceParsing.Attr;
import io.nlstream.netlink.ReferenceParsing.Parsed;
import io.nlstream.netlink.ReferenceParsing.Walk;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.nlstream.netlink.ReferenceParsing.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * InetDiagDecoder against a slow reference parser on captured sock_diag messages (dump replies and
 * destroy notifications) damaged at random: no exception ever, and the same error at the same offset
 * or the same value from every getter, tcp_info fields included.
 */
class InetDiagDecoderMutationTest
{
    private static final long SEED = 0x5EED_0014L;
    private static final int ITERATIONS = 50_000;

    /** name, offset in struct tcp_info, size: the fields InetDiagDecoder reads. */
    private static final Object[][] TCPI = {
        {"state", 0, 1}, {"retransmits", 2, 1}, {"rto", 8, 4}, {"lost", 32, 4}, {"rtt", 68, 4}, {"rttvar", 72, 4},
        {"sndCwnd", 80, 4}, {"totalRetrans", 100, 4}, {"bytesAcked", 120, 8}, {"bytesReceived", 128, 8},
        {"minRtt", 148, 4}, {"deliveryRate", 160, 8}, {"bytesSent", 200, 8},
    };

    @Test
    void agreesWithTheReferenceOnDamagedMessages()
    {
        final List<byte[]> corpus = new ArrayList<>();
        for (final String dump : List.of("tcp4", "tcp6", "udp4", "udp6"))
        {
            corpus.addAll(FixtureMessages.messageBytes("diag/" + dump + "-dump.hex", SockDiag.SOCK_DIAG_BY_FAMILY));
        }
        for (final String destroy : List.of("tcp4", "tcp6", "udp4"))
        {
            corpus.add(Fixtures.bytes("diag/" + destroy + "-destroy.hex"));
        }
        assertEquals(10, corpus.size());

        final InetDiagDecoder diag = new InetDiagDecoder();
        final Random r = new Random(SEED);
        final Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < ITERATIONS; i++)
        {
            final byte[] seed = corpus.get(r.nextInt(corpus.size()));
            final byte[] m = r.nextInt(20) == 0 ? seed : Mutations.mutate(seed, r);
            final int offset = r.nextInt(5);
            final ByteBuffer buf = Mutations.place(m, offset, r);
            final int length = Math.min(m.length + (r.nextInt(4) == 0 ? r.nextInt(8) : 0), buf.capacity() - offset);
            final byte[] view = new byte[length];
            buf.get(offset, view);
            final Parsed expected = parse(view, length);
            try
            {
                final boolean ok = diag.wrap(buf, offset, length);
                assertEquals(expected.error == null, ok, "accepted");
                assertEquals(expected.error, diag.error());
                assertEquals(expected.errorAt, diag.errorOffset() < 0 ? -1 : diag.errorOffset() - offset);
                assertEquals(expected.values, describe(diag));
                outcomes.merge(ok ? "ok" : diag.error(), 1, Integer::sum);
            }
            catch (final Throwable t)
            {
                fail("seed " + SEED + " iteration " + i + " offset " + offset + " length " + length + ": "
                    + hex(view, 0, view.length), t);
            }
        }
        final int ok = outcomes.getOrDefault("ok", 0);
        assertTrue(ok > ITERATIONS / 20 && ok < ITERATIONS * 9 / 10, outcomes::toString);
        assertTrue(outcomes.size() >= 12, outcomes::toString);
        assertTrue(outcomes.containsKey(InetDiagDecoder.ERR_NOT_INET), outcomes::toString);
    }

    static Map<String, String> describe(final InetDiagDecoder d)
    {
        final Map<String, String> v = new TreeMap<>();
        if (d.error() != null)
        {
            return v;
        }
        v.put("family", String.valueOf(d.family()));
        v.put("state", String.valueOf(d.state()));
        v.put("sport", String.valueOf(d.sport()));
        v.put("dport", String.valueOf(d.dport()));
        v.put("src", String.valueOf(d.src()));
        v.put("dst", String.valueOf(d.dst()));
        v.put("ifindex", String.valueOf(d.ifindex()));
        v.put("cookie", Long.toHexString(d.cookie()));
        v.put("queues", d.rqueue() + "," + d.wqueue() + "," + d.uid() + "," + d.inode());
        v.put("protocol", String.valueOf(d.protocol()));
        v.put("shutdown", String.valueOf(d.shutdown()));
        v.put("tos", String.valueOf(d.tos()));
        v.put("tclass", String.valueOf(d.tclass()));
        v.put("v6only", String.valueOf(d.v6only()));
        v.put("mark", String.valueOf(d.mark()));
        v.put("classId", String.valueOf(d.classId()));
        v.put("cgroupId", String.valueOf(d.cgroupId()));
        v.put("congestion", String.valueOf(d.congestion()));
        v.put("tcpInfoLength", String.valueOf(d.tcpInfoLength()));
        final long[] tcpi = {
            d.tcpiState(), d.tcpiRetransmits(), d.tcpiRto(), d.tcpiLost(), d.tcpiRtt(), d.tcpiRttvar(), d.tcpiSndCwnd(),
            d.tcpiTotalRetrans(), d.tcpiBytesAcked(), d.tcpiBytesReceived(), d.tcpiMinRtt(), d.tcpiDeliveryRate(),
            d.tcpiBytesSent(),
        };
        for (int i = 0; i < TCPI.length; i++)
        {
            v.put("tcpi." + TCPI[i][0], String.valueOf(tcpi[i]));
        }
        return v;
    }

    static Parsed parse(final byte[] m, final int length)
    {
        final Parsed p = new Parsed();
        final int len = frame(m, length, p);
        if (len < 0)
        {
            return p;
        }
        if (u16(m, 4) != 20)
        {
            return p.fail(InetDiagDecoder.ERR_NOT_SOCK_DIAG, 0);
        }
        if (len < 16 + 72)
        {
            return p.fail(InetDiagDecoder.ERR_SHORT_INET_DIAG_MSG, 16);
        }
        final int family = u8(m, 16);
        if (family != 2 && family != 10)
        {
            return p.fail(InetDiagDecoder.ERR_NOT_INET, 16);
        }
        final Walk walk = attributes(m, 88, len);
        final Map<Integer, Attr> last = new HashMap<>();
        for (final Attr a : walk.attrs)
        {
            final int t = a.type;
            if (t == 4 && !isNulString(m, a))
            {
                return p.fail(AttributeIterator.ERR_NOT_NUL_STRING, a.at);
            }
            if ((t == 8 || t == 10 || t == 5 || t == 6 || t == 11) && a.payloadLength != 1)
            {
                return p.fail(AttributeIterator.ERR_NOT_U8, a.at);
            }
            if ((t == 15 || t == 17) && a.payloadLength != 4)
            {
                return p.fail(AttributeIterator.ERR_NOT_U32, a.at);
            }
            if (t == 21 && a.payloadLength != 8)
            {
                return p.fail(AttributeIterator.ERR_NOT_U64, a.at);
            }
            if (t == 1 && a.payloadLength != 16)
            {
                return p.fail(InetDiagDecoder.ERR_MEMINFO_LENGTH, a.at);
            }
            if (t == 22 && a.payloadLength != 2)
            {
                return p.fail(InetDiagDecoder.ERR_SOCKOPT_LENGTH, a.at);
            }
            if ((t == 19 || t == 20) && !isNested(a))
            {
                return p.fail(AttributeIterator.ERR_NOT_NESTED, a.at);
            }
            last.put(t, a);
        }
        if (walk.error != null)
        {
            return p.fail(walk.error, walk.errorAt);
        }
        final int addrLen = family == 2 ? 4 : 16;
        p.put("family", family);
        p.put("state", u8(m, 17));
        p.put("sport", u16be(m, 20));
        p.put("dport", u16be(m, 22));
        p.put("src", inet(m, 24, addrLen));
        p.put("dst", inet(m, 40, addrLen));
        p.put("ifindex", s32(m, 56));
        p.put("cookie", Long.toHexString(u32(m, 60) | u32(m, 64) << 32));
        p.put("queues", u32(m, 72) + "," + u32(m, 76) + "," + u32(m, 80) + "," + u32(m, 84));
        p.put("protocol", u8attr(m, last.get(10)));
        p.put("shutdown", u8attr(m, last.get(8)));
        p.put("tos", u8attr(m, last.get(5)));
        p.put("tclass", u8attr(m, last.get(6)));
        p.put("v6only", u8attr(m, last.get(11)));
        p.put("mark", last.containsKey(15) ? u32(m, last.get(15).payloadAt) : -1);
        p.put("classId", last.containsKey(17) ? u32(m, last.get(17).payloadAt) : -1);
        p.put("cgroupId", last.containsKey(21) ? u64(m, last.get(21).payloadAt) : 0);
        p.put("congestion", last.containsKey(4) ? string(m, last.get(4)) : null);
        final Attr info = last.get(2);
        p.put("tcpInfoLength", info == null ? 0 : info.payloadLength);
        for (final Object[] field : TCPI)
        {
            final int at = (Integer)field[1];
            final int size = (Integer)field[2];
            long value = -1;
            if (info != null && at + size <= info.payloadLength)
            {
                value = size == 1 ? u8(m, info.payloadAt + at) : size == 4 ? u32(m, info.payloadAt + at)
                    : u64(m, info.payloadAt + at);
            }
            p.put("tcpi." + field[0], value);
        }
        return p;
    }

    private static int u8attr(final byte[] m, final Attr a)
    {
        return a == null ? -1 : u8(m, a.payloadAt);
    }
}
