package io.nlstream.sinks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Decimal text of longs equals Long.toString: every power of ten and its neighbours (where the digit count and
 * the split into eight-digit parts change), the extremes, and random values of every magnitude.
 */
class DigitsTest
{
    private static void check(final long v)
    {
        final byte[] dst = new byte[Digits.MAX_LONG_LENGTH + 3];
        final int end = Digits.putLong(dst, 2, v);
        assertEquals(Long.toString(v), new String(dst, 2, end - 2, StandardCharsets.US_ASCII));
    }

    @Test
    void boundaries()
    {
        check(0);
        check(Long.MAX_VALUE);
        check(Long.MIN_VALUE);
        check(Long.MIN_VALUE + 1);
        long p = 1;
        for (int k = 0; k < 19; k++)
        {
            for (long d = -2; d <= 2; d++)
            {
                check(p + d);
                check(-(p + d));
            }
            p *= 10;
        }
    }

    @Test
    void randomValuesOfEveryMagnitude()
    {
        final Random r = new Random(8);
        for (int i = 0; i < 200_000; i++)
        {
            check(r.nextLong() >> r.nextInt(64));
        }
    }
}
