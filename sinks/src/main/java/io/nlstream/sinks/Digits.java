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
        if (value <= Integer.MAX_VALUE)
        {
            // int division is cheaper, and nearly every value an event carries fits
            int v = (int)value;
            final int end = at + intLength(v);
            int p = end;
            do
            {
                final int q = v / 10;
                dst[--p] = (byte)('0' + v - q * 10);
                v = q;
            }
            while (v != 0);
            return end;
        }
        long v = value;
        final int end = at + longLength(v);
        int p = end;
        do
        {
            final long q = v / 10;
            dst[--p] = (byte)('0' + (int)(v - q * 10));
            v = q;
        }
        while (v != 0);
        return end;
    }

    private static int intLength(final int value)
    {
        int n = 1;
        int limit = 10;
        while (n < 10 && value >= limit)
        {
            n++;
            limit *= 10;
        }
        return n;
    }

    private static int longLength(final long value)
    {
        int n = 1;
        long limit = 10;
        while (n < 19 && value >= limit)
        {
            n++;
            limit *= 10;
        }
        return n;
    }

    /** Exactly two digits of {@code value} (0 to 99). */
    static int put2(final byte[] dst, final int at, final int value)
    {
        dst[at] = (byte)('0' + value / 10);
        dst[at + 1] = (byte)('0' + value % 10);
        return at + 2;
    }

    /** Exactly {@code width} digits of a non-negative {@code value}, zeros in front. */
    static int putFixed(final byte[] dst, final int at, final int value, final int width)
    {
        int v = value;
        for (int p = at + width - 1; p >= at; p--)
        {
            final int q = v / 10;
            dst[p] = (byte)('0' + v - q * 10);
            v = q;
        }
        return at + width;
    }
}
