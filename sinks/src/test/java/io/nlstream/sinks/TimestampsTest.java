package io.nlstream.sinks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Timestamps#format(long, byte[], int)}, the one implementation behind the String forms, against
 * java.time over the whole range of a long, before 1970 included.
 */
class TimestampsTest
{
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'")
        .withZone(ZoneOffset.UTC);

    private static String javaTime(final long nanos)
    {
        return ISO.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
    }

    private static void check(final long nanos, final byte[] dst, final int at)
    {
        final String expected = javaTime(nanos);
        Arrays.fill(dst, (byte)'#');
        assertEquals(at + Timestamps.LENGTH, Timestamps.format(nanos, dst, at), "nanos=" + nanos);
        assertEquals(expected, new String(dst, at, Timestamps.LENGTH, StandardCharsets.US_ASCII), "nanos=" + nanos);
        assertEquals('#', dst[at + Timestamps.LENGTH], "wrote past its length");
        assertEquals(expected, Timestamps.rfc3339(nanos));
    }

    @Test
    void wholeRangeOfALong()
    {
        final SplittableRandom random = new SplittableRandom(3339);
        final byte[] dst = new byte[64];
        for (int i = 0; i < 100_000; i++)
        {
            check(random.nextLong(), dst, random.nextInt(0, 30));
        }
        for (final long edge : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1_000_000_001L, -1_000_000_000L, -999_999_999L,
            -1, 0, 1, 999_999_999L, 1_000_000_000L, Long.MAX_VALUE - 1, Long.MAX_VALUE})
        {
            check(edge, dst, 1);
        }
    }

    @Test
    void dayAndYearBoundaries()
    {
        final byte[] dst = new byte[40];
        // every first of January and March (after the leap day) from 1678 to 2262, and the nanosecond before each
        for (int year = 1678; year <= 2261; year++)
        {
            for (final int month : new int[] {1, 3})
            {
                final long day = LocalDate.of(year, month, 1).toEpochDay() * 86_400L * 1_000_000_000L;
                check(day, dst, 0);
                check(day - 1, dst, 0);
            }
        }
    }
}
