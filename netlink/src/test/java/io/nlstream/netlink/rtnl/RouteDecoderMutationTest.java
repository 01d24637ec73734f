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
 * RouteDecoder against a slow reference parser on captured route messages damaged at random: no
 * exception ever, and the same answer: the same error at the same offset, or the same value from
 * every getter.
 */
class RouteDecoderMutationTest
{
    private static final long SEED = 0x5EED_0024L;
    private static final int ITERATIONS = 50_000;

    @Test
    void agreesWithTheReferenceOnDamagedMessages()
    {
        final List<byte[]> corpus = new ArrayList<>();
        corpus.addAll(FixtureMessages.messageBytes("route/getroute-dump.hex", Rtnetlink.RTM_NEWROUTE));
        corpus.addAll(FixtureMessages.messageBytes("route/getroute6-dump.hex", Rtnetlink.RTM_NEWROUTE));
        corpus.add(Fixtures.bytes("route/delroute-event.hex"));
        assertEquals(27, corpus.size());

        final RouteDecoder route = new RouteDecoder();
        final Random r = new Random(SEED);
        int accepted = 0;
        final Map<String, Integer> errors = new TreeMap<>();
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
                final boolean ok = route.wrap(buf, offset, length);
                assertEquals(expected.error == null, ok, "accepted");
                assertEquals(expected.error, route.error());
                assertEquals(expected.errorAt, route.errorOffset() < 0 ? -1 : route.errorOffset() - offset);
                assertEquals(expected.values, describe(route, offset));
                accepted += ok ? 1 : 0;
                errors.merge(ok ? "ok" : route.error(), 1, Integer::sum);
            }
            catch (final Throwable t)
            {
                fail("seed " + SEED + " iteration " + i + " offset " + offset + " length " + length + ": "
                    + hex(view, 0, view.length), t);
            }
        }
        final int ok = accepted;
        assertTrue(ok > ITERATIONS / 20 && ok < ITERATIONS * 9 / 10, () -> ok + " of " + ITERATIONS + " accepted");
        // the damage reaches every layer: framing, rtmsg, attributes, sizes, the rtnexthop walk
        assertTrue(errors.size() >= 18, errors::toString);
        assertTrue(errors.containsKey(RouteDecoder.ERR_RTNH_PAST_END) && errors.containsKey(RouteDecoder.ERR_VIA_LENGTH),
            errors::toString);
    }

    static Map<String, String> describe(final RouteDecoder d, final int offset)
    {
        final Map<String, String> v = new TreeMap<>();
        if (d.error() != null)
        {
            return v;
        }
        v.put("messageType", String.valueOf(d.messageType()));
        v.put("family", String.valueOf(d.family()));
        v.put("dstLen", String.valueOf(d.dstLen()));
        v.put("srcLen", String.valueOf(d.srcLen()));
        v.put("tos", String.valueOf(d.tos()));
        v.put("table", String.valueOf(d.table()));
        v.put("protocol", String.valueOf(d.protocol()));
        v.put("scope", String.valueOf(d.scope()));
        v.put("type", String.valueOf(d.type()));
        v.put("flags", String.valueOf(d.flags()));
        v.put("dst", String.valueOf(d.dst()));
        v.put("dstCidr", String.valueOf(d.dstCidr()));
        v.put("src", String.valueOf(d.src()));
        v.put("gateway", String.valueOf(d.gateway()));
        v.put("oif", String.valueOf(d.oif()));
        v.put("priority", String.valueOf(d.priority()));
        v.put("prefsrc", String.valueOf(d.prefsrc()));
        v.put("mark", String.valueOf(d.mark()));
        v.put("nhId", String.valueOf(d.nhId()));
        v.put("pref", String.valueOf(d.pref()));
        v.put("via", String.valueOf(d.via()));
        v.put("cacheInfoExpires", String.valueOf(d.cacheInfoExpires()));
        v.put("metricsOffset", String.valueOf(d.metricsOffset() < 0 ? -1 : d.metricsOffset() - offset));
        v.put("metricsLength", String.valueOf(d.metricsLength()));
        v.put("nexthopCount", String.valueOf(d.nexthopCount()));
        for (int i = 0; i < d.nexthopCount(); i++)
        {
            v.put("nh" + i, d.nexthopIfindex(i) + "," + d.nexthopWeight(i) + ","
                + d.nexthopGateway(i));
        }
        return v;
    }

    private static int addressBytes(final int family)
    {
        return family == 2 ? 4 : family == 10 ? 16 : -1;
    }

    private static String address(final byte[] m, final int family, final int at, final int length)
    {
        return addressBytes(family) < 0 ? hex(m, at, length) : inet(m, at, length);
    }

    private static String via(final byte[] m, final Attr a)
    {
        final int family = u16(m, a.payloadAt);
        return address(m, family, a.payloadAt + 2, a.payloadLength - 2);
    }

    private static boolean viaOk(final byte[] m, final Attr a)
    {
        if (a.payloadLength < 2)
        {
            return false;
        }
        final int bytes = addressBytes(u16(m, a.payloadAt));
        return bytes < 0 || a.payloadLength == 2 + bytes;
    }

    /**
     * The reference: struct rtmsg, then each attribute checked in order; RTA_MULTIPATH walked as
     * RTNH_OK / RTNH_NEXT and the kernel's "no extra data after nexthops" rule.
     */
    static Parsed parse(final byte[] m, final int length)
    {
        final Parsed p = new Parsed();
        final int len = frame(m, length, p);
        if (len < 0)
        {
            return p;
        }
        final int type = u16(m, 4);
        if (type != 24 && type != 25)
        {
            return p.fail(RouteDecoder.ERR_NOT_ROUTE, 0);
        }
        if (len < 28)
        {
            return p.fail(RouteDecoder.ERR_SHORT_RTMSG, 16);
        }
        final int family = u8(m, 16);
        final int addrLen = addressBytes(family);
        final Walk walk = attributes(m, 28, len);
        final Map<Integer, Attr> last = new HashMap<>();
        final List<List<int[]>> nexthopLists = new ArrayList<>();
        final Map<Integer, List<int[]>> nexthopsOf = new HashMap<>();
        for (final Attr a : walk.attrs)
        {
            final int t = a.type;
            if ((t == 1 || t == 2 || t == 5 || t == 7) && addrLen >= 0 && a.payloadLength != addrLen)
            {
                return p.fail(RouteDecoder.ERR_ADDRESS_LENGTH, a.at);
            }
            if ((t == 3 || t == 4 || t == 6 || t == 15 || t == 16 || t == 30 || t == 11 || t == 25) && a.payloadLength != 4)
            {
                return p.fail(AttributeIterator.ERR_NOT_U32, a.at);
            }
            if ((t == 20 || t == 26 || t == 27) && a.payloadLength != 1)
            {
                return p.fail(AttributeIterator.ERR_NOT_U8, a.at);
            }
            if ((t == 21 || t == 28 || t == 29) && a.payloadLength != 2)
            {
                return p.fail(AttributeIterator.ERR_NOT_U16, a.at);
            }
            if (t == 23 && a.payloadLength != 8)
            {
                return p.fail(AttributeIterator.ERR_NOT_U64, a.at);
            }
            if (t == 12 && a.payloadLength != 32)
            {
                return p.fail(RouteDecoder.ERR_CACHEINFO_LENGTH, a.at);
            }
            if (t == 18 && !viaOk(m, a))
            {
                return p.fail(RouteDecoder.ERR_VIA_LENGTH, a.at);
            }
            if ((t == 8 || t == 22) && !isNested(a))
            {
                return p.fail(AttributeIterator.ERR_NOT_NESTED, a.at);
            }
            if (t == 9)
            {
                // each nexthop: {at, ifindex, weight, flags} and its gateway kept beside it
                final List<int[]> nexthops = new ArrayList<>();
                final int end = a.payloadAt + a.payloadLength;
                int pos = a.payloadAt;
                while (pos < end)
                {
                    if (end - pos < 8)
                    {
                        return p.fail(RouteDecoder.ERR_RTNH_TRAILING, pos);
                    }
                    final int rtnhLen = u16(m, pos);
                    if (rtnhLen < 8)
                    {
                        return p.fail(RouteDecoder.ERR_RTNH_LENGTH, pos);
                    }
                    if (rtnhLen > end - pos)
                    {
                        return p.fail(RouteDecoder.ERR_RTNH_PAST_END, pos);
                    }
                    final Walk inner = attributes(m, pos + 8, pos + rtnhLen);
                    for (final Attr x : inner.attrs)
                    {
                        if (x.type == 5 && addrLen >= 0 && x.payloadLength != addrLen)
                        {
                            return p.fail(RouteDecoder.ERR_ADDRESS_LENGTH, x.at);
                        }
                        if (x.type == 18 && !viaOk(m, x))
                        {
                            return p.fail(RouteDecoder.ERR_VIA_LENGTH, x.at);
                        }
                        if (x.type == 11 && x.payloadLength != 4)
                        {
                            return p.fail(AttributeIterator.ERR_NOT_U32, x.at);
                        }
                        if (x.type == 22 && !isNested(x))
                        {
                            return p.fail(AttributeIterator.ERR_NOT_NESTED, x.at);
                        }
                        if (x.type == 21 && x.payloadLength != 2)
                        {
                            return p.fail(AttributeIterator.ERR_NOT_U16, x.at);
                        }
                    }
                    if (inner.error != null)
                    {
                        return p.fail(inner.error, inner.errorAt);
                    }
                    int gatewayAt = -1;
                    int gatewayLength = 0;
                    for (final Attr x : inner.attrs)
                    {
                        if (x.type == 5)
                        {
                            gatewayAt = x.payloadAt;
                            gatewayLength = x.payloadLength;
                        }
                    }
                    nexthops.add(new int[] {s32(m, pos + 4), u8(m, pos + 3) + 1, u8(m, pos + 2), gatewayAt, gatewayLength});
                    pos = Math.min(pos + align4(rtnhLen), end);
                }
                nexthopsOf.put(a.at, nexthops);
                nexthopLists.add(nexthops);
            }
            last.put(t, a);
        }
        if (walk.error != null)
        {
            return p.fail(walk.error, walk.errorAt);
        }

        p.put("messageType", type);
        p.put("family", family);
        final int dstLen = u8(m, 17);
        p.put("dstLen", dstLen);
        p.put("srcLen", u8(m, 18));
        p.put("tos", u8(m, 19));
        p.put("table", last.containsKey(15) ? u32(m, last.get(15).payloadAt) : u8(m, 20));
        p.put("protocol", u8(m, 21));
        p.put("scope", u8(m, 22));
        p.put("type", u8(m, 23));
        p.put("flags", s32(m, 24));
        final Attr dst = last.get(1);
        final String dstText = dst == null ? null : address(m, family, dst.payloadAt, dst.payloadLength);
        p.put("dst", dstText);
        final String cidr = dst == null ? (dstLen == 0 ? "default" : "0/" + dstLen) : dstText + "/" + dstLen;
        p.put("dstCidr", cidr);
        p.put("src", text(m, family, last.get(2)));
        p.put("gateway", text(m, family, last.get(5)));
        p.put("oif", last.containsKey(4) ? s32(m, last.get(4).payloadAt) : 0);
        p.put("priority", last.containsKey(6) ? u32(m, last.get(6).payloadAt) : -1);
        p.put("prefsrc", text(m, family, last.get(7)));
        p.put("mark", last.containsKey(16) ? u32(m, last.get(16).payloadAt) : -1);
        p.put("nhId", last.containsKey(30) ? u32(m, last.get(30).payloadAt) : -1);
        p.put("pref", last.containsKey(20) ? u8(m, last.get(20).payloadAt) : -1);
        p.put("via", last.containsKey(18) ? via(m, last.get(18)) : null);
        p.put("cacheInfoExpires", last.containsKey(12) ? s32(m, last.get(12).payloadAt + 8) : 0);
        p.put("metricsOffset", last.containsKey(8) ? last.get(8).payloadAt : -1);
        p.put("metricsLength", last.containsKey(8) ? last.get(8).payloadLength : 0);
        final List<int[]> nexthops = last.containsKey(9) ? nexthopsOf.get(last.get(9).at) : List.of();
        p.put("nexthopCount", nexthops.size());
        for (int i = 0; i < nexthops.size(); i++)
        {
            final int[] nh = nexthops.get(i);
            p.put("nh" + i, nh[0] + "," + nh[1] + "," + (nh[3] < 0 ? null : address(m, family, nh[3], nh[4])));
        }
        return p;
    }

    private static String text(final byte[] m, final int family, final Attr a)
    {
        return a == null ? null : address(m, family, a.payloadAt, a.payloadLength);
    }
}
