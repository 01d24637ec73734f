package io.nlstream.sinks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The allocation-free {@link CommunityId#compute(ByteBuffer, int, int, int, int, int, int, byte[], int)}: the
 * spec's baseline through it, and random flows against both the String API and the implementation CommunityId
 * had before its byte core (kept below, with the JDK's digest() and Base64, as the slow reference).
 */
class CommunityIdBytesTest
{
    private static final int ICMP = 1;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int ICMPV6 = 58;
    private static final int SCTP = 132;

    static Stream<Arguments> baseline()
    {
        return Stream.concat(CommunityIdTest.readmeTables(),
            CommunityIdTest.baselineJson().map(a -> Arguments.of(Stream.concat(Stream.of(0), Arrays.stream(a.get())).toArray())));
    }

    @ParameterizedTest(name = "seed {0} proto {1} {2}/{4} -> {3}/{5}")
    @MethodSource("baseline")
    void specBaselineThroughTheBytePath(final int seed, final int proto, final String saddr, final String daddr,
        final int sport, final int dport, final String id)
    {
        final byte[] s = CommunityIdTest.ip(saddr);
        final byte[] d = CommunityIdTest.ip(daddr);
        // daddr before saddr, at odd offsets, in a little-endian direct buffer: none of it may matter
        final ByteBuffer buf = ByteBuffer.allocateDirect(3 + 2 * s.length + 5).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(3, d).put(3 + d.length + 1, s);
        buf.position(1);
        final byte[] dst = new byte[40];
        final int n = new CommunityId(seed).compute(buf, 3 + d.length + 1, 3, s.length, proto, sport, dport, dst, 7);
        assertEquals(CommunityId.LENGTH, n);
        assertEquals(id, new String(dst, 7, n, StandardCharsets.US_ASCII));
        assertEquals(1, buf.position());
    }

    @Test
    void randomFlowsMatchTheStringApiAndTheReference()
    {
        final SplittableRandom random = new SplittableRandom(20_240_611);
        final CommunityId ids = new CommunityId();
        final CommunityId seeded = new CommunityId(0xBEEF);
        final byte[] dst = new byte[64];
        for (int i = 0; i < 50_000; i++)
        {
            final int len = random.nextBoolean() ? 4 : 16;
            final byte[] s = new byte[len];
            final byte[] d = new byte[len];
            random.nextBytes(s);
            switch (random.nextInt(4))
            {
                case 0: // same host both ends: ordered by port
                    System.arraycopy(s, 0, d, 0, len);
                    break;
                case 1: // a common prefix, differing late
                    System.arraycopy(s, 0, d, 0, len);
                    d[len - 1] ^= (byte)(1 + random.nextInt(255));
                    break;
                default:
                    random.nextBytes(d);
            }
            final int proto;
            final int sport;
            final int dport;
            switch (random.nextInt(6))
            {
                case 0:
                    proto = TCP;
                    sport = port(random);
                    dport = port(random);
                    break;
                case 1:
                    proto = UDP;
                    sport = port(random);
                    dport = port(random);
                    break;
                case 2:
                    proto = SCTP;
                    sport = port(random);
                    dport = port(random);
                    break;
                case 3:
                    proto = len == 4 ? ICMP : ICMPV6;
                    // types with and without counterparts; ICMPv6 types sit around 128-145
                    sport = len == 4 ? random.nextInt(0, 20) : random.nextBoolean() ? random.nextInt(126, 148) : random.nextInt(0, 5);
                    dport = random.nextInt(0, 256);
                    break;
                case 4:
                    proto = len == 4 ? ICMPV6 : ICMP; // the other family's ICMP: hashed all the same
                    sport = random.nextInt(0, 256);
                    dport = random.nextInt(0, 256);
                    break;
                default:
                    proto = withoutPorts(random);
                    sport = -1;
                    dport = -1;
            }
            final CommunityId instance = random.nextBoolean() ? ids : seeded;
            final int seed = instance == ids ? 0 : 0xBEEF;
            final String expected = reference(seed, s, d, proto, sport, dport);
            assertEquals(expected, instance.compute(s, d, proto, sport, dport));

            final int sAt = random.nextInt(0, 8);
            final int dAt = sAt + len + random.nextInt(0, 8);
            final ByteBuffer buf = random.nextBoolean() ? ByteBuffer.allocate(dAt + len) : ByteBuffer.allocateDirect(dAt + len);
            buf.order(random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            buf.put(sAt, s).put(dAt, d);
            final int at = random.nextInt(0, 30);
            final int n = instance.compute(buf, sAt, dAt, len, proto, sport, dport, dst, at);
            assertEquals(expected, new String(dst, at, n, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void bytePathRejectsWhatTheStringPathRejects()
    {
        final ByteBuffer buf = ByteBuffer.allocate(32);
        final byte[] dst = new byte[30];
        final CommunityId ids = new CommunityId();
        final IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
            () -> ids.compute(buf, 0, 8, 5, TCP, 1, 2, dst, 0));
        assertEquals("Invalid value addressLength=5 for address: must be 4 (IPv4) or 16 (IPv6)", length.getMessage());
        final IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
            () -> ids.compute(buf, 0, 20, 16, TCP, 1, 2, dst, 0));
        assertEquals("Invalid value saddrOffset=0 daddrOffset=20 for address: outside the buffer (addressLength=16 limit=32)",
            outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ids.compute(buf, -1, 8, 4, TCP, 1, 2, dst, 0));
        assertThrows(IllegalArgumentException.class, () -> ids.compute(buf, 0, 8, 4, 256, -1, -1, dst, 0));
        assertThrows(IllegalArgumentException.class, () -> ids.compute(buf, 0, 8, 4, TCP, -1, -1, dst, 0));
        assertThrows(IllegalArgumentException.class, () -> ids.compute(buf, 0, 8, 4, TCP, 1, -1, dst, 0));
        assertThrows(IllegalArgumentException.class, () -> ids.compute(buf, 0, 8, 4, UDP, 1, 65536, dst, 0));
        assertThrows(IllegalArgumentException.class, () -> ids.compute(buf, 0, 8, 4, ICMP, 300, 0, dst, 0));
        // a rejected call leaves the instance usable
        assertEquals(CommunityId.v1(new byte[4], new byte[4], TCP, 1, 2),
            new String(dst, 0, ids.compute(buf, 0, 8, 4, TCP, 1, 2, dst, 0), StandardCharsets.US_ASCII));
    }

    private static int withoutPorts(final SplittableRandom random)
    {
        int proto;
        do
        {
            proto = random.nextInt(0, 256);
        }
        while (CommunityId.hasPorts(proto));
        return proto;
    }

    private static int port(final SplittableRandom random)
    {
        return random.nextInt(4) == 0 ? random.nextInt(0, 3) : random.nextInt(0, 65536);
    }

    /** CommunityId.compute as it was before the byte core: the same rules written with whole arrays. */
    private static String reference(final int seed, final byte[] saddr, final byte[] daddr, final int proto, final int sport,
        final int dport)
    {
        int port1 = sport;
        int port2 = dport;
        boolean oneWay = false;
        if (proto == ICMP || proto == ICMPV6)
        {
            final int counterpart = proto == ICMP ? CommunityId.icmpCounterpart(sport) : CommunityId.icmpv6Counterpart(sport);
            if (counterpart >= 0)
            {
                port2 = counterpart;
            }
            else
            {
                oneWay = true;
            }
        }
        int cmp = Arrays.compareUnsigned(saddr, daddr);
        if (cmp == 0)
        {
            cmp = Integer.compare(port1, port2);
        }
        final boolean swap = !oneWay && cmp >= 0;
        final ByteBuffer input = ByteBuffer.allocate(40);
        input.putShort((short)seed);
        input.put(swap ? daddr : saddr).put(swap ? saddr : daddr);
        input.put((byte)proto).put((byte)0);
        if (port1 >= 0)
        {
            input.putShort((short)(swap ? port2 : port1)).putShort((short)(swap ? port1 : port2));
        }
        try
        {
            final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(input.array(), 0, input.position());
            return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
