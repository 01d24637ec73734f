package io.nlstream.netlink;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InetAddressesTest
{
    private static ByteBuffer hex(final String hex)
    {
        final byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++)
        {
            b[i] = (byte)Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return ByteBuffer.wrap(b);
    }

    @Test
    void ipv4DottedQuad()
    {
        assertEquals("192.0.2.1", InetAddresses.format(hex("c0000201"), 0, 4));
        assertEquals("255.255.255.255", InetAddresses.format(hex("ffffffff"), 0, 4));
        assertEquals("0.0.0.0", InetAddresses.format(hex("00000000"), 0, 4));
        assertEquals("10.1.2.3", InetAddresses.format(hex("ee0a010203"), 1, 4));
    }

    /**
     * fixtures/inet6-ntop.txt holds what glibc's inet_ntop wrote on the capture machine.
     */
    @Test
    void ipv6AsGlibcInetNtopWritesIt()
    {
        int n = 0;
        for (final String line : Fixtures.text("inet6-ntop.txt").split("\n"))
        {
            if (line.startsWith("#") || line.isBlank())
            {
                continue;
            }
            final String[] parts = line.split(" ");
            final ByteBuffer buf = hex("abcd" + parts[0] + "ef");
            assertEquals(parts[1], InetAddresses.format(buf, 2, 16), parts[0]);
            n++;
        }
        assertEquals(519, n);
    }

    @Test
    void macAnyLength()
    {
        assertEquals("02:00:00:00:0b:00", InetAddresses.mac(hex("020000000b00"), 0, 6));
        assertEquals("", InetAddresses.mac(hex(""), 0, 0));
        assertEquals("ff", InetAddresses.mac(hex("ff"), 0, 1));
        assertEquals("80:00:00:48:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:bc:de",
            InetAddresses.mac(hex("80000048fe800000000000000002c903000abcde"), 0, 20));
        assertEquals("01:02:03", InetAddresses.format(hex("010203"), 0, 3), "odd lengths as hex");
    }

    @Test
    void bytesAtAPositionAreTheStringText()
    {
        final byte[] dst = new byte[64];
        Arrays.fill(dst, (byte)'#');
        final int end = InetAddresses.format(hex("abcd00000000000000000000ffff0a000001ef"), 2, 16, dst, 5);
        assertEquals("#####::ffff:10.0.0.1#", new String(dst, 0, end + 1, StandardCharsets.US_ASCII));
        assertEquals(5 + "::ffff:10.0.0.1".length(), end);
        assertEquals(5, InetAddresses.mac(hex(""), 0, 0, dst, 5), "no bytes, no text");
        assertEquals(15, InetAddresses.maxTextLength(4));
        assertEquals(45, InetAddresses.maxTextLength(16));
        assertEquals(17, InetAddresses.maxTextLength(6));
        assertEquals(0, InetAddresses.maxTextLength(0));
    }

    /**
     * The byte core against the String code it replaced (kept below as the reference), on addresses built
     * to have zero runs of every length and place, in buffers of both orders, heap and direct, at offsets.
     */
    @Test
    void byteCoreMatchesTheReferenceOnRandomAddresses()
    {
        final SplittableRandom random = new SplittableRandom(5952);
        for (int i = 0; i < 60_000; i++)
        {
            final int length = pickLength(random);
            final byte[] address = new byte[length];
            if (length == 16)
            {
                randomIpv6(random, address);
            }
            else
            {
                random.nextBytes(address);
            }
            final int offset = random.nextInt(4);
            final ByteBuffer buf = random.nextBoolean() ? ByteBuffer.allocate(offset + length + 3)
                : ByteBuffer.allocateDirect(offset + length + 3);
            buf.order(random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            buf.put(offset, address);
            final String expected = reference(address);

            final int bound = InetAddresses.maxTextLength(length);
            assertTrue(bound <= Math.max(45, 3 * length));
            final int at = random.nextInt(8);
            final byte[] dst = new byte[at + bound];
            final int end = InetAddresses.format(buf, offset, length, dst, at);
            final String hexInput = hexOf(address);
            assertEquals(expected, new String(dst, at, end - at, StandardCharsets.US_ASCII), hexInput);
            assertEquals(expected, InetAddresses.format(buf, offset, length), hexInput);
            assertEquals(0, buf.position());
            final byte[] macText = new byte[at + Math.max(0, 3 * length - 1)];
            final int macEnd = InetAddresses.mac(buf, offset, length, macText, at);
            assertEquals(referenceMac(address), new String(macText, at, macEnd - at, StandardCharsets.US_ASCII));
            assertEquals(referenceMac(address), InetAddresses.mac(buf, offset, length));
        }
    }

    private static int pickLength(final SplittableRandom random)
    {
        switch (random.nextInt(6))
        {
            case 0:
                return 4;
            case 1:
                return random.nextInt(0, 21);
            default:
                return 16;
        }
    }

    /** Mostly zero groups in runs, the mapped and compatible prefixes, and the all-zero and loopback cases. */
    private static void randomIpv6(final SplittableRandom random, final byte[] address)
    {
        random.nextBytes(address);
        switch (random.nextInt(8))
        {
            case 0:
                Arrays.fill(address, 0, 10, (byte)0);
                address[10] = (byte)0xFF;
                address[11] = (byte)0xFF;
                return;
            case 1:
                Arrays.fill(address, 0, 12, (byte)0);
                return;
            case 2:
                Arrays.fill(address, (byte)0);
                address[15] = (byte)random.nextInt(3);
                if (random.nextBoolean())
                {
                    address[14] = (byte)random.nextInt(2);
                }
                return;
            default:
                for (int g = 0; g < 8; g++)
                {
                    final int choice = random.nextInt(4);
                    if (choice < 2)
                    {
                        address[2 * g] = 0;
                        address[2 * g + 1] = 0;
                    }
                    else if (choice == 2)
                    {
                        // leading zeros inside a group
                        address[2 * g] = 0;
                        address[2 * g + 1] = (byte)random.nextInt(0, 256);
                    }
                }
        }
    }

    private static String hexOf(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : bytes)
        {
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }

    /** The StringBuilder implementation InetAddresses had before its byte core, unchanged in its rules. */
    private static String reference(final byte[] a)
    {
        final StringBuilder sb = new StringBuilder();
        if (a.length == 4)
        {
            return referenceIpv4(a, 0);
        }
        if (a.length != 16)
        {
            return referenceMac(a);
        }
        final int[] words = new int[8];
        for (int i = 0; i < 8; i++)
        {
            words[i] = (a[2 * i] & 0xFF) << 8 | a[2 * i + 1] & 0xFF;
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++)
        {
            if (words[i] == 0)
            {
                if (curBase == -1)
                {
                    curBase = i;
                    curLen = 1;
                }
                else
                {
                    curLen++;
                }
                if (curLen > bestLen)
                {
                    bestBase = curBase;
                    bestLen = curLen;
                }
            }
            else
            {
                curBase = -1;
                curLen = 0;
            }
        }
        if (bestLen < 2)
        {
            bestBase = -1;
        }
        for (int i = 0; i < 8; i++)
        {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen)
            {
                if (i == bestBase)
                {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0)
            {
                sb.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xFFFF)))
            {
                return sb.append(referenceIpv4(a, 12)).toString();
            }
            sb.append(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8)
        {
            sb.append(':');
        }
        return sb.toString();
    }

    private static String referenceMac(final byte[] a)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++)
        {
            if (i > 0)
            {
                sb.append(':');
            }
            sb.append(String.format("%02x", a[i] & 0xFF));
        }
        return sb.toString();
    }

    private static String referenceIpv4(final byte[] a, final int at)
    {
        return (a[at] & 0xFF) + "." + (a[at + 1] & 0xFF) + "." + (a[at + 2] & 0xFF) + "." + (a[at + 3] & 0xFF);
    }
}
