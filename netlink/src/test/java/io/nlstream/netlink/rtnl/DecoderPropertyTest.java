package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.Fixtures;
import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random mutations of the captured fixtures (vishvananda/netlink style): the fast decoders never
 * throw, and they accept exactly what {@link ReferenceDecoders} accepts, with the same values, or
 * reject it with the same error at the same offset. Seeded, so a failure reproduces; the message
 * names the iteration and the bytes.
 */
class DecoderPropertyTest
{
    private static final long SEED = 0x6e6c73747265616dL;
    private static final int ITERATIONS = 100_000;

    private final LinkDecoder link = new LinkDecoder();
    private final AddrDecoder addr = new AddrDecoder();
    private final ByteBuffer direct = ByteBuffer.allocateDirect(8192);

    @Test
    void referenceAgreesOnTheCapturedFixtures()
    {
        final List<String> all = new ArrayList<>(Fixtures.LINK_FIXTURES);
        all.addAll(Fixtures.ADDR_FIXTURES);
        for (final String name : all)
        {
            final byte[] bytes = Fixtures.bytes(name);
            compare(() -> name, bytes, 0, bytes.length, ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()));
            final boolean isLink = Fixtures.LINK_FIXTURES.contains(name);
            assertEquals(null, (isLink ? link.error() : addr.error()), name);
        }
    }

    @Test
    void mutatedFixturesNeverThrowAndMatchTheReference()
    {
        final List<byte[]> fixtures = new ArrayList<>();
        final List<int[]> headers = new ArrayList<>();
        for (final String name : Fixtures.LINK_FIXTURES)
        {
            fixtures.add(Fixtures.bytes(name));
        }
        for (final String name : Fixtures.ADDR_FIXTURES)
        {
            fixtures.add(Fixtures.bytes(name));
        }
        for (final byte[] f : fixtures)
        {
            final boolean isLink = ReferenceDecoders.u16(f, 4) == Rtnetlink.RTM_NEWLINK
                || ReferenceDecoders.u16(f, 4) == Rtnetlink.RTM_DELLINK;
            headers.add(attributeHeaders(f, isLink ? 32 : 24));
        }

        final Random rng = new Random(SEED);
        final Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int which = rng.nextInt(fixtures.size());
            final byte[] msg = mutate(rng, fixtures.get(which), headers.get(which));

            // somewhere inside a larger buffer, with junk either side and a length that may be off
            final int pre = rng.nextInt(9);
            final int post = rng.nextInt(9);
            final byte[] bytes = new byte[pre + msg.length + post];
            for (int j = 0; j < pre; j++)
            {
                bytes[j] = (byte)rng.nextInt(256);
            }
            for (int j = pre + msg.length; j < bytes.length; j++)
            {
                bytes[j] = (byte)rng.nextInt(256);
            }
            System.arraycopy(msg, 0, bytes, pre, msg.length);
            final int length = rng.nextInt(4) == 0 ? rng.nextInt(msg.length + post + 1) : msg.length;
            final ByteBuffer buf = buffer(rng, bytes);

            final int iteration = i;
            compare(() -> "iteration " + iteration + " offset " + pre + " length " + length + " bytes "
                + hex(bytes), bytes, pre, length, buf);
            outcomes.merge(String.valueOf(link.error()), 1, Integer::sum);
            outcomes.merge(String.valueOf(addr.error()), 1, Integer::sum);
        }

        // the mutations must reach past the framing into the attribute checks, and still let many through
        final List<String> mustSee = List.of("null", NetlinkFraming.LENGTH_PAST_END, NetlinkFraming.LENGTH_TOO_SMALL,
            LinkDecoder.ERR_NOT_LINK, AddrDecoder.ERR_NOT_ADDR, AttributeIterator.ERR_SHORT_ATTRIBUTE,
            AttributeIterator.ERR_LENGTH_PAST_END, AttributeIterator.ERR_TRAILING_BYTES,
            AttributeIterator.ERR_NOT_U8, AttributeIterator.ERR_NOT_U32, AttributeIterator.ERR_NOT_NUL_STRING,
            AttributeIterator.ERR_NOT_NESTED, AddrDecoder.ERR_ADDRESS_LENGTH, AddrDecoder.ERR_CACHEINFO_LENGTH);
        for (final String outcome : mustSee)
        {
            assertTrue(outcomes.getOrDefault(outcome, 0) > 0, () -> "never saw " + outcome + ": " + outcomes);
        }
        assertTrue(outcomes.get("null") > ITERATIONS / 10, outcomes::toString);
    }

    private void compare(final Supplier<String> context, final byte[] bytes, final int offset, final int length,
        final ByteBuffer buf)
    {
        final ReferenceDecoders.Values fastLink;
        final ReferenceDecoders.Values fastAddr;
        try
        {
            link.wrap(buf, offset, length);
            fastLink = ReferenceDecoders.linkGetters(link);
            addr.wrap(buf, offset, length);
            fastAddr = ReferenceDecoders.addrGetters(addr);
        }
        catch (final RuntimeException e)
        {
            throw new AssertionError("decoder threw on " + context.get(), e);
        }
        assertEquals(0, buf.position(), context);
        assertEquals(bytes.length, buf.limit(), context);
        assertSame("link", ReferenceDecoders.link(bytes, offset, length), fastLink, context);
        assertSame("addr", ReferenceDecoders.addr(bytes, offset, length), fastAddr, context);
    }

    private static void assertSame(final String what, final ReferenceDecoders.Values expected,
        final ReferenceDecoders.Values actual, final Supplier<String> context)
    {
        if (!expected.equals(actual))
        {
            final Map<String, String> diff = new TreeMap<>();
            for (final String key : expected.names)
            {
                if (!Objects.equals(expected.get(key), actual.get(key)))
                {
                    diff.put(key, "reference=" + expected.get(key) + " fast=" + actual.get(key));
                }
            }
            fail(what + " differs " + diff + " on " + context.get());
        }
    }

    private static byte[] mutate(final Random rng, final byte[] original, final int[] headers)
    {
        byte[] msg = original.clone();
        final int mutations = 1 + rng.nextInt(3);
        for (int m = 0; m < mutations && msg.length > 0; m++)
        {
            final int kind = rng.nextInt(10);
            if (kind < 3)
            {
                msg[rng.nextInt(msg.length)] = (byte)rng.nextInt(256);
            }
            else if (kind < 6 && headers.length > 0)
            {
                // aim at an attribute header: nla_len small, near its old value, or any; or nla_type
                final int at = headers[rng.nextInt(headers.length)];
                if (at + 4 > msg.length)
                {
                    continue;
                }
                final int old = ReferenceDecoders.u16(msg, at);
                final int choice = rng.nextInt(4);
                final int value = choice == 0 ? rng.nextInt(12) : choice == 1 ? old + rng.nextInt(9) - 4
                    : choice == 2 ? rng.nextInt(0x10000) : -1;
                if (value >= 0)
                {
                    msg[at] = (byte)value;
                    msg[at + 1] = (byte)(value >>> 8);
                }
                else
                {
                    msg[at + 2] = (byte)rng.nextInt(80);
                    msg[at + 3] = (byte)(rng.nextBoolean() ? 0 : 0x80);
                }
            }
            else if (kind == 6)
            {
                msg = Arrays.copyOf(msg, rng.nextInt(msg.length + 1));
            }
            else if (kind == 7 && msg.length >= 4)
            {
                final int len = rng.nextInt(msg.length + 9);
                msg[0] = (byte)len;
                msg[1] = (byte)(len >>> 8);
                msg[2] = 0;
                msg[3] = 0;
            }
            else if (kind == 8 && msg.length >= 18)
            {
                // the family decides address lengths; the type which decoder applies
                msg[rng.nextBoolean() ? 16 : 4] = (byte)new int[] {0, 2, 10, 7, 16, 17, 20, 21, 45}[rng.nextInt(9)];
            }
            else
            {
                final int at = rng.nextInt(msg.length);
                msg[at] ^= (byte)(1 << rng.nextInt(8));
            }
        }
        return msg;
    }

    /**
     * Offsets of attribute headers in a well-formed fixture, nested ones included wherever a payload
     * parses as attributes.
     */
    private static int[] attributeHeaders(final byte[] msg, final int start)
    {
        final List<Integer> out = new ArrayList<>();
        collect(msg, start, msg.length, out, 0);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void collect(final byte[] msg, final int start, final int end, final List<Integer> out, final int depth)
    {
        final ReferenceDecoders.Run run = ReferenceDecoders.parse(msg, start, end);
        if (run.error() != null || depth > 3)
        {
            return;
        }
        for (final ReferenceDecoders.Attr a : run.attrs())
        {
            out.add(a.offset());
            if (a.payload().length >= 4)
            {
                collect(msg, a.offset() + 4, a.offset() + 4 + a.payload().length, out, depth + 1);
            }
        }
    }

    private ByteBuffer buffer(final Random rng, final byte[] bytes)
    {
        final ByteBuffer buf;
        if (rng.nextInt(4) == 0 && bytes.length <= direct.capacity())
        {
            // one direct buffer for the run: allocateDirect per iteration would dominate the time
            buf = direct.clear().limit(bytes.length);
            buf.put(0, bytes);
        }
        else
        {
            buf = ByteBuffer.wrap(bytes);
        }
        return buf.order(rng.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : bytes)
        {
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }
}
