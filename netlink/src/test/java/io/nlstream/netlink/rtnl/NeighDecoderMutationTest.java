package io.nlstream.netlink.rtnl;

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
 * NeighDecoder against a slow reference parser on captured neighbour messages damaged at random: no
 * exception ever, and the same error at the same offset or the same value from every getter.
 */
class NeighDecoderMutationTest
{
    private static final long SEED = 0x5EED_001CL;
    private static final int ITERATIONS = 50_000;

    @Test
    void agreesWithTheReferenceOnDamagedMessages()
    {
        final List<byte[]> corpus = new ArrayList<>(
            FixtureMessages.messageBytes("neigh/getneigh-dump.hex", Rtnetlink.RTM_NEWNEIGH));
        corpus.add(Fixtures.bytes("neigh/proxy-newneigh.hex"));
        corpus.add(Fixtures.bytes("neigh/delneigh-event.hex"));
        assertEquals(13, corpus.size());

        final NeighDecoder neigh = new NeighDecoder();
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
                final boolean ok = neigh.wrap(buf, offset, length);
                assertEquals(expected.error == null, ok, "accepted");
                assertEquals(expected.error, neigh.error());
                assertEquals(expected.errorAt, neigh.errorOffset() < 0 ? -1 : neigh.errorOffset() - offset);
                assertEquals(expected.values, describe(neigh));
                outcomes.merge(ok ? "ok" : neigh.error(), 1, Integer::sum);
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
        assertTrue(outcomes.containsKey(NeighDecoder.ERR_ADDRESS_LENGTH), outcomes::toString);
    }

    static Map<String, String> describe(final NeighDecoder d)
    {
        final Map<String, String> v = new TreeMap<>();
        if (d.error() != null)
        {
            return v;
        }
        v.put("messageType", String.valueOf(d.messageType()));
        v.put("family", String.valueOf(d.family()));
        v.put("ifindex", String.valueOf(d.ifindex()));
        v.put("state", String.valueOf(d.state()));
        v.put("flags", String.valueOf(d.flags()));
        v.put("type", String.valueOf(d.type()));
        v.put("dst", String.valueOf(d.dst()));
        v.put("lladdr", String.valueOf(d.lladdr()));
        v.put("cacheinfo", d.confirmed() + "," + d.refcnt());
        v.put("port", String.valueOf(d.port()));
        v.put("master", String.valueOf(d.master()));
        v.put("protocol", String.valueOf(d.protocol()));
        v.put("flagsExt", String.valueOf(d.flagsExt()));
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
        final int type = u16(m, 4);
        if (type != 28 && type != 29)
        {
            return p.fail(NeighDecoder.ERR_NOT_NEIGH, 0);
        }
        if (len < 28)
        {
            return p.fail(NeighDecoder.ERR_SHORT_NDMSG, 16);
        }
        final int family = u8(m, 16);
        final int addrLen = family == 2 ? 4 : family == 10 ? 16 : -1;
        final Walk walk = attributes(m, 28, len);
        final Map<Integer, Attr> last = new HashMap<>();
        for (final Attr a : walk.attrs)
        {
            final int t = a.type;
            if (t == 1 && addrLen >= 0 && a.payloadLength != addrLen)
            {
                return p.fail(NeighDecoder.ERR_ADDRESS_LENGTH, a.at);
            }
            if (t == 3 && a.payloadLength != 16)
            {
                return p.fail(NeighDecoder.ERR_CACHEINFO_LENGTH, a.at);
            }
            if ((t == 4 || t == 7 || t == 8 || t == 9 || t == 10 || t == 11 || t == 13 || t == 15) && a.payloadLength != 4)
            {
                return p.fail(AttributeIterator.ERR_NOT_U32, a.at);
            }
            if ((t == 5 || t == 6 || t == 16) && a.payloadLength != 2)
            {
                return p.fail(AttributeIterator.ERR_NOT_U16, a.at);
            }
            if ((t == 12 || t == 17) && a.payloadLength != 1)
            {
                return p.fail(AttributeIterator.ERR_NOT_U8, a.at);
            }
            if (t == 14 && !isNested(a))
            {
                return p.fail(AttributeIterator.ERR_NOT_NESTED, a.at);
            }
            last.put(t, a);
        }
        if (walk.error != null)
        {
            return p.fail(walk.error, walk.errorAt);
        }
        p.put("messageType", type);
        p.put("family", family);
        p.put("ifindex", s32(m, 20));
        p.put("state", u16(m, 24));
        p.put("flags", u8(m, 26));
        p.put("type", u8(m, 27));
        final Attr dst = last.get(1);
        p.put("dst", dst == null ? null : inet(m, dst.payloadAt, dst.payloadLength));
        final Attr ll = last.get(2);
        p.put("lladdr", ll == null ? null : hex(m, ll.payloadAt, ll.payloadLength));
        final Attr ci = last.get(3);
        p.put("cacheinfo", ci == null ? "-1,-1" : u32(m, ci.payloadAt) + "," + u32(m, ci.payloadAt + 12));
        p.put("port", last.containsKey(6) ? u16be(m, last.get(6).payloadAt) : -1);
        p.put("master", last.containsKey(9) ? s32(m, last.get(9).payloadAt) : 0);
        p.put("protocol", last.containsKey(12) ? u8(m, last.get(12).payloadAt) : -1);
        p.put("flagsExt", last.containsKey(15) ? s32(m, last.get(15).payloadAt) : 0);
        return p;
    }
}
