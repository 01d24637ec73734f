package io.nlstream.sinks;

import java.nio.charset.StandardCharsets;

/**
 * Decimal text of numbers written as ASCII into a byte array, the text {@link Long#toString(long)} gives,
 * without the String it allocates.
 */
final class Digits
{
    /** {@code "-9223372036854775808".length()}: the most a long needs. */
    static final int MAX_LONG_LENGTH = 20;

    // its magnitude has no positive long to negate to
    private static final byte[] MIN_VALUE = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    /** "00" to "99": a table look-up instead of a division for the last digit of each pair. */
    private static final byte[] PAIRS = new byte[200];

    static
    {
        for (int i = 0; i < 100; i++)
        {
            PAIRS[2 * i] = (byte)('0' + i / 10);
            PAIRS[2 * i + 1] = (byte)('0' + i % 10);
        }
    }

    private Digits()
    {
    }

    /**
     * Writes {@code value} at {@code at}; the caller leaves room for {@link #MAX_LONG_LENGTH} bytes.
     *
     * @return the position after the text
     */
    static int putLong(final byte[] dst, final int at, final long value)
    {
        if (value < 0)
        {
            if (value == Long.MIN_VALUE)
            {
                System.arraycopy(MIN_VALUE, 0, dst, at, MIN_VALUE.length);
                return at + MIN_VALUE.length;
            }
            dst[at] = '-';
            return putPositive(dst, at + 1, -value);
        }
        return putPositive(dst, at, value);
    }

    private static int putPositive(final byte[] dst, final int at, final long value)
    {
        if (value < 100_000_000L)
        {
            return putInt(dst, at, (int)value);
        }
        // one long division splits off the last eight digits; the rest are int divisions by constants, which
        // the JIT turns into multiplications (seq and netns are 10 to 16 digits, on every event)
        final long high = value / 100_000_000L;
        final int low = (int)(value - high * 100_000_000L);
        final int p = high < 100_000_000L ? putInt(dst, at, (int)high) : putPositive(dst, at, high);
        return put8(dst, p, low);
    }

    /** A non-negative int below 10^8, without leading zeros. */
    private static int putInt(final byte[] dst, final int at, final int value)
    {
        final int end = at + intLength(value);
        int p = end;
        int i = value;
        while (i >= 100)
        {
            final int q = i / 100;
            p = pair(dst, p - 2, i - q * 100);
            i = q;
        }
        if (i >= 10)
        {
            pair(dst, p - 2, i);
        }
        else
        {
            dst[p - 1] = (byte)('0' + i);
        }
        return end;
    }

    /** Exactly eight digits of {@code value} (0 to 99 999 999), leading zeros included. */
    private static int put8(final byte[] dst, final int at, final int value)
    {
        final int high = value / 10_000;
        put4(dst, at, high);
        put4(dst, at + 4, value - high * 10_000);
        return at + 8;
    }

    private static int intLength(final int v)
    {
        return v < 10_000 ? v < 100 ? v < 10 ? 1 : 2 : v < 1_000 ? 3 : 4
            : v < 1_000_000 ? v < 100_000 ? 5 : 6 : v < 10_000_000 ? 7 : 8;
    }

    /** The two digits of {@code value} (0 to 99) at {@code at}; returns {@code at}. */
    private static int pair(final byte[] dst, final int at, final int value)
    {
        dst[at] = PAIRS[2 * value];
        dst[at + 1] = PAIRS[2 * value + 1];
        return at;
    }

    /** Exactly two digits of {@code value} (0 to 99). */
    static int put2(final byte[] dst, final int at, final int value)
    {
        pair(dst, at, value);
        return at + 2;
    }

    /** Exactly four digits of {@code value} (0 to 9999). */
    static int put4(final byte[] dst, final int at, final int value)
    {
        final int q = value / 100;
        pair(dst, at, q);
        pair(dst, at + 2, value - q * 100);
        return at + 4;
    }

    /** Exactly nine digits of {@code value} (0 to 999999999): nanoseconds. */
    static int put9(final byte[] dst, final int at, final int value)
    {
        final int high = value / 100_000;
        final int low = value - high * 100_000;
        put4(dst, at, high);
        final int q = low / 10_000;
        dst[at + 4] = (byte)('0' + q);
        put4(dst, at + 5, low - q * 10_000);
        return at + 9;
    }
}
