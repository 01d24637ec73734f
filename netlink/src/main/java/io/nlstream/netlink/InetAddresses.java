package io.nlstream.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Text forms of the addresses carried in attributes, the same strings iproute2 prints: IPv4 as a
 * dotted quad, IPv6 as glibc's {@code inet_ntop} writes it (RFC 5952: lower case, leading zeros
 * dropped, the longest run of two or more zero groups as {@code ::}, the first of equal runs), and
 * link-layer addresses as lower-case colon-separated hex.
 * <p>
 * glibc also writes the last 32 bits as a dotted quad when the address is IPv4-mapped
 * ({@code ::ffff:1.2.3.4}) or IPv4-compatible ({@code ::1.2.3.4}, but {@code ::1} and {@code ::} stay).
 * <p>
 * One implementation writes ASCII bytes into the caller's array without allocating
 * ({@link #format(ByteBuffer, int, int, byte[], int)}, for writers that run per event); the String methods
 * are that text decoded, for readers that want a String. Bytes are read with absolute gets (an IPv4
 * address as one int, an IPv6 address as two longs, turned to network order whatever order the buffer is
 * set to); the buffer's position, limit and order are left alone.
 */
public final class InetAddresses
{
    /** The longest IPv6 text ({@code INET6_ADDRSTRLEN} without its NUL): what 16 bytes can need. */
    public static final int MAX_IPV6_TEXT = 45;

    private static final int MAX_IPV4_TEXT = 15;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Each byte's decimal text, four slots apiece: its length, then up to three digits. */
    private static final byte[] DECIMAL = new byte[256 * 4];

    static
    {
        for (int i = 0; i < 256; i++)
        {
            final byte[] text = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
            DECIMAL[4 * i] = (byte)text.length;
            System.arraycopy(text, 0, DECIMAL, 4 * i + 1, text.length);
        }
    }

    /**
     * For each mask of zero groups (bit i for group i), the run written as {@code ::}: its first group times 16
     * plus its length, 0 when no run is two groups or longer. The longest wins, the first of equal runs (glibc).
     */
    private static final byte[] ZERO_RUN = new byte[256];

    static
    {
        for (int mask = 0; mask < 256; mask++)
        {
            int bestBase = -1;
            int bestLen = 0;
            int curLen = 0;
            for (int i = 0; i < 8; i++)
            {
                curLen = (mask & 1 << i) != 0 ? curLen + 1 : 0;
                // strictly longer: the first of equal runs wins
                if (curLen > bestLen)
                {
                    bestBase = i - curLen + 1;
                    bestLen = curLen;
                }
            }
            ZERO_RUN[mask] = (byte)(bestLen < 2 ? 0 : bestBase * 16 + bestLen);
        }
    }

    private InetAddresses()
    {
    }

    /**
     * @param length 4 (IPv4) or 16 (IPv6); any other length is written as {@link #mac} does, so that a
     *               reader shows an unexpected address rather than failing on it.
     */
    public static String format(final ByteBuffer buf, final int offset, final int length)
    {
        final byte[] text = new byte[maxTextLength(length)];
        return ascii(text, format(buf, offset, length, text, 0));
    }

    /**
     * Lower-case colon-separated hex of any length (6 for Ethernet, 20 for InfiniBand, 0 gives "").
     */
    public static String mac(final ByteBuffer buf, final int offset, final int length)
    {
        final byte[] text = new byte[Math.max(0, 3 * length - 1)];
        return ascii(text, mac(buf, offset, length, text, 0));
    }

    /**
     * The most bytes {@link #format(ByteBuffer, int, int, byte[], int)} writes for an address of this length:
     * 15 for 4, {@value #MAX_IPV6_TEXT} for 16, {@code 3 * length - 1} (0 for 0) for any other; never more
     * than {@code max(45, 3 * length)}.
     */
    public static int maxTextLength(final int length)
    {
        if (length == 4)
        {
            return MAX_IPV4_TEXT;
        }
        if (length == 16)
        {
            return MAX_IPV6_TEXT;
        }
        return length <= 0 ? 0 : 3 * length - 1;
    }

    /**
     * Writes the text of {@link #format(ByteBuffer, int, int)} as ASCII into {@code dst} from {@code at};
     * allocates nothing.
     *
     * @param length 4 (IPv4), 16 (IPv6), any other length as {@link #mac(ByteBuffer, int, int, byte[], int)}
     * @param dst    room for {@link #maxTextLength(int)} bytes from {@code at} (at most {@code max(45, 3 * length)}):
     *               the caller's guarantee, not checked beyond the array's own bounds
     * @return the position after the text
     */
    public static int format(final ByteBuffer buf, final int offset, final int length, final byte[] dst, final int at)
    {
        if (length == 4)
        {
            return ipv4(buf, offset, dst, at);
        }
        if (length == 16)
        {
            return ipv6(buf, offset, dst, at);
        }
        return mac(buf, offset, length, dst, at);
    }

    /**
     * Writes lower-case colon-separated hex of {@code length} bytes into {@code dst} from {@code at}
     * ({@code 3 * length - 1} bytes, none for 0; for 16 bytes more than {@link #maxTextLength(int)}, which
     * bounds {@link #format(ByteBuffer, int, int, byte[], int)}); allocates nothing.
     *
     * @return the position after the text
     */
    public static int mac(final ByteBuffer buf, final int offset, final int length, final byte[] dst, final int at)
    {
        int p = at;
        for (int i = 0; i < length; i++)
        {
            if (i > 0)
            {
                dst[p++] = ':';
            }
            final int b = buf.get(offset + i) & 0xFF;
            dst[p++] = HEX[b >>> 4];
            dst[p++] = HEX[b & 0xF];
        }
        return p;
    }

    private static int ipv4(final ByteBuffer buf, final int offset, final byte[] dst, final int at)
    {
        return ipv4(Bytes.i32be(buf, offset), dst, at);
    }

    /** The dotted quad of an address held in an int, first byte highest. */
    private static int ipv4(final int address, final byte[] dst, final int at)
    {
        int p = decimalByte(address >>> 24, dst, at);
        dst[p++] = '.';
        p = decimalByte(address >>> 16 & 0xFF, dst, p);
        dst[p++] = '.';
        p = decimalByte(address >>> 8 & 0xFF, dst, p);
        dst[p++] = '.';
        return decimalByte(address & 0xFF, dst, p);
    }

    private static int decimalByte(final int value, final byte[] dst, final int at)
    {
        final int slot = 4 * value;
        final int length = DECIMAL[slot];
        dst[at] = DECIMAL[slot + 1];
        if (length > 1)
        {
            dst[at + 1] = DECIMAL[slot + 2];
            if (length > 2)
            {
                dst[at + 2] = DECIMAL[slot + 3];
            }
        }
        return at + length;
    }

    /** Eight bytes in network order, whatever order the buffer is set to. */
    private static long u64be(final ByteBuffer buf, final int index)
    {
        final long v = buf.getLong(index);
        return buf.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    /** Group {@code index} (0 to 7) of an address read as two longs. */
    private static int word(final long high, final long low, final int index)
    {
        final long half = index < 4 ? high : low;
        return (int)(half >>> (48 - 16 * (index & 3))) & 0xFFFF;
    }

    /**
     * The four groups of one half as bits of a mask, 1 for a zero group, group 0 (the highest 16 bits) in bit
     * {@code first}: {@code (g - 1) >>> 31} is 1 exactly for a 16-bit g of 0.
     */
    private static int zeroGroups(final long half, final int first)
    {
        return (((int)(half >>> 48) - 1) >>> 31) << first
            | (((int)(half >>> 32) & 0xFFFF) - 1 >>> 31) << first + 1
            | (((int)(half >>> 16) & 0xFFFF) - 1 >>> 31) << first + 2
            | (((int)half & 0xFFFF) - 1 >>> 31) << first + 3;
    }

    private static int ipv6(final ByteBuffer buf, final int offset, final byte[] dst, final int at)
    {
        final long high = u64be(buf, offset);
        final long low = u64be(buf, offset + 8);
        final int run = ZERO_RUN[zeroGroups(high, 0) | zeroGroups(low, 4)];
        final int bestLen = run & 0xF;
        // no run: a base no group reaches
        final int bestBase = bestLen == 0 ? 8 : run >>> 4;
        final int runEnd = bestBase + bestLen;

        int p = at;
        for (int i = 0; i < 8; i++)
        {
            if (i >= bestBase && i < runEnd)
            {
                if (i == bestBase)
                {
                    dst[p++] = ':';
                }
                continue;
            }
            if (i != 0)
            {
                dst[p++] = ':';
            }
            // glibc inet_ntop6: IPv4-compatible (six zero groups) or IPv4-mapped (five, then ffff)
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && word(high, low, 5) == 0xFFFF)))
            {
                return ipv4((int)low, dst, p);
            }
            p = hexWord(word(high, low, i), dst, p);
        }
        // a run reaching the last group ends the text with "::"
        if (runEnd == 8 && bestLen != 0)
        {
            dst[p++] = ':';
        }
        return p;
    }

    /** A group without its leading zeros, as {@code Integer.toHexString}: its digits counted, then written back to front. */
    private static int hexWord(final int word, final byte[] dst, final int at)
    {
        final int end = at + (35 - Integer.numberOfLeadingZeros(word | 1) >> 2);
        int w = word;
        for (int p = end - 1; p >= at; p--)
        {
            dst[p] = HEX[w & 0xF];
            w >>>= 4;
        }
        return end;
    }

    private static String ascii(final byte[] text, final int length)
    {
        // ISO-8859-1 maps each ASCII byte to its char without a decoder's checks
        return new String(text, 0, length, StandardCharsets.ISO_8859_1);
    }
}
