package io.nlstream.monitor.read;

import io.nlstream.config.FilterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compiled masks answer as {@link FilterSpec.Cidr#contains} does, for addresses near and far from each network. */
class CidrMatcherTest
{
    private static final String[] NETWORKS = {
        "0.0.0.0/0", "10.0.0.0/8", "10.240.1.2", "128.0.0.0/1", "192.168.1.0/31", "172.16.0.0/12", "10.1.2.3/30",
        "::/0", "fd00::/8", "::1", "2001:db8::/32", "2001:db8:1:2::/64", "2001:db8:1:2:3::/65", "::ffff:0:0/96",
        "::ffff:10.0.0.0/104", "::ffff:10.1.2.3", "::ffff:0:0/95", "::fffe:0:0/96", "fe80::/10", "::ffff:0.0.0.0/97",
    };

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void answersAsCidrContainsForEveryNetworkAlone(final String order)
    {
        final Random random = new Random(20261202L);
        for (final String network : NETWORKS)
        {
            check(List.of(FilterSpec.Cidr.parse(network)), random, order);
        }
    }

    @Test
    void answersAsCidrContainsForSetsOfNetworks()
    {
        final Random random = new Random(7L);
        for (int round = 0; round < 200; round++)
        {
            final List<FilterSpec.Cidr> set = new ArrayList<>();
            final int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++)
            {
                set.add(FilterSpec.Cidr.parse(NETWORKS[random.nextInt(NETWORKS.length)]));
            }
            check(set, random, random.nextBoolean() ? "LITTLE_ENDIAN" : "BIG_ENDIAN");
        }
    }

    @Test
    void familiesMeetThroughMappedAddresses()
    {
        final CidrMatcher v4 = new CidrMatcher(List.of(FilterSpec.Cidr.parse("10.0.0.0/8")));
        assertTrue(v4.matches(at(bytes("10.9.8.7")), 3, 4));
        assertTrue(v4.matches(at(bytes("::ffff:10.9.8.7")), 3, 16));
        assertFalse(v4.matches(at(bytes("::10.9.8.7")), 3, 16), "an IPv4-compatible address is not mapped");
        final CidrMatcher any6 = new CidrMatcher(List.of(FilterSpec.Cidr.parse("::/0")));
        assertFalse(any6.matches(at(bytes("10.9.8.7")), 3, 4), "::/0 holds no IPv4 address");
        assertFalse(v4.matches(at(bytes("10.9.8.7")), -1, 4), "no address (offset -1)");
        assertFalse(v4.matches(at(bytes("10.9.8.7")), 3, 5), "neither 4 nor 16 bytes");
    }

    private static void check(final List<FilterSpec.Cidr> cidrs, final Random random, final String order)
    {
        final CidrMatcher matcher = new CidrMatcher(cidrs);
        for (int i = 0; i < 2_000; i++)
        {
            final byte[] addr = near(cidrs.get(random.nextInt(cidrs.size())), random);
            boolean expected = false;
            for (final FilterSpec.Cidr c : cidrs)
            {
                expected |= c.contains(addr);
            }
            final ByteBuffer buf = ByteBuffer.allocate(40).order("BIG_ENDIAN".equals(order) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            final int offset = 1 + random.nextInt(20);
            buf.put(offset, addr);
            assertEquals(expected, matcher.matches(buf, offset, addr.length), () -> cidrs + " and " + hex(addr));
        }
    }

    /** An address of the network's family or the other, mapped or not, with a few bits flipped around its prefix. */
    private static byte[] near(final FilterSpec.Cidr cidr, final Random random)
    {
        final byte[] net = cidr.address();
        byte[] a;
        switch (random.nextInt(4))
        {
            case 0:
                a = net.clone();
                break;
            case 1: // the other family's form
                if (net.length == 4)
                {
                    a = new byte[16];
                    a[10] = (byte)0xff;
                    a[11] = (byte)0xff;
                    System.arraycopy(net, 0, a, 12, 4);
                }
                else
                {
                    a = new byte[4];
                    System.arraycopy(net, 12, a, 0, 4);
                }
                break;
            case 2:
                a = new byte[random.nextBoolean() ? 4 : 16];
                random.nextBytes(a);
                break;
            default:
                a = net.clone();
                random.nextBytes(a);
                System.arraycopy(net, 0, a, 0, Math.min(net.length, random.nextInt(net.length + 1)));
                break;
        }
        final int flips = random.nextInt(3);
        for (int f = 0; f < flips; f++)
        {
            final int bit = Math.max(0, Math.min(a.length * 8 - 1, cidr.prefixLength() - 2 + random.nextInt(4)));
            a[bit / 8] ^= (byte)(0x80 >>> (bit % 8));
        }
        return a;
    }

    private static ByteBuffer at(final byte[] addr)
    {
        final ByteBuffer buf = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(3, addr);
        return buf;
    }

    private static byte[] bytes(final String address)
    {
        return FilterSpec.Cidr.parse(address).address();
    }

    private static String hex(final byte[] a)
    {
        final StringBuilder s = new StringBuilder();
        for (final byte b : a)
        {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }
}
