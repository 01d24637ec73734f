package io.nlstream.netlink;

import java.nio.ByteBuffer;

/**
 * Text forms of the addresses carried in attributes, the same strings iproute2 prints: IPv4 as a
 * dotted quad, IPv6 as glibc's {@code inet_ntop} writes it (RFC 5952: lower case, leading zeros
 * dropped, the longest run of two or more zero groups as {@code ::}, the first of equal runs), and
 * link-layer addresses as lower-case colon-separated hex.
 * <p>
 * glibc also writes the last 32 bits as a dotted quad when the address is IPv4-mapped
 * ({@code ::ffff:1.2.3.4}) or IPv4-compatible ({@code ::1.2.3.4}, but {@code ::1} and {@code ::} stay).
 * Allocates the result: for readers, not capture.
 */
public final class InetAddresses
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private InetAddresses()
    {
    }

    /**
     * @param length 4 (IPv4) or 16 (IPv6); any other length is written as {@link #mac} does, so that a
     *               reader shows an unexpected address rather than failing on it.
     */
    public static String format(final ByteBuffer buf, final int offset, final int length)
    {
        if (length == 4)
        {
            return ipv4(buf, offset);
        }
        if (length == 16)
        {
            return ipv6(buf, offset);
        }
        return mac(buf, offset, length);
    }

    /**
     * Lower-case colon-separated hex of any length (6 for Ethernet, 20 for InfiniBand, 0 gives "").
     */
    public static String mac(final ByteBuffer buf, final int offset, final int length)
    {
        final StringBuilder sb = new StringBuilder(Math.max(0, length * 3 - 1));
        for (int i = 0; i < length; i++)
        {
            if (i > 0)
            {
                sb.append(':');
            }
            final int b = buf.get(offset + i) & 0xFF;
            sb.append(HEX[b >>> 4]).append(HEX[b & 0xF]);
        }
        return sb.toString();
    }

    private static String ipv4(final ByteBuffer buf, final int offset)
    {
        final StringBuilder sb = new StringBuilder(15);
        appendIpv4(sb, buf, offset);
        return sb.toString();
    }

    private static void appendIpv4(final StringBuilder sb, final ByteBuffer buf, final int offset)
    {
        for (int i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                sb.append('.');
            }
            sb.append(buf.get(offset + i) & 0xFF);
        }
    }

    private static String ipv6(final ByteBuffer buf, final int offset)
    {
        final int[] words = new int[8];
        for (int i = 0; i < 8; i++)
        {
            words[i] = Bytes.u16be(buf, offset + 2 * i);
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
                // strictly longer: the first of equal runs wins
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

        final StringBuilder sb = new StringBuilder(39);
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
            // glibc inet_ntop6: IPv4-compatible (six zero groups) or IPv4-mapped (five, then ffff)
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xFFFF)))
            {
                appendIpv4(sb, buf, offset + 12);
                return sb.toString();
            }
            sb.append(Integer.toHexString(words[i]));
        }
        // a run reaching the last group ends the text with "::"
        if (bestBase != -1 && bestBase + bestLen == 8)
        {
            sb.append(':');
        }
        return sb.toString();
    }
}
