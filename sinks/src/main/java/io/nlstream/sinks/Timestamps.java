package io.nlstream.sinks;

/**
 * RFC 3339 UTC with nanoseconds ({@code 2026-11-28T10:00:00.123456789Z}), formatted without java.time
 * objects so that encoders can run per event cheaply. {@link #format(long, byte[], int)} writes the ASCII
 * bytes without allocating; the String forms are those bytes.
 * <p>
 * A long of nanoseconds spans 1677-09-21 to 2262-04-11, so the year always has four digits and every
 * timestamp is {@value #LENGTH} bytes.
 */
public final class Timestamps
{
    /** Bytes in every timestamp. */
    public static final int LENGTH = 30;

    static final long NANOS_PER_DAY = 86_400_000_000_000L;
    /** {@code YYYY-MM-DD} */
    static final int DATE_LENGTH = 10;

    private Timestamps()
    {
    }

    public static String rfc3339(final long epochNanos)
    {
        final StringBuilder sb = new StringBuilder(LENGTH);
        append(sb, epochNanos);
        return sb.toString();
    }

    public static void append(final StringBuilder sb, final long epochNanos)
    {
        final byte[] text = new byte[LENGTH];
        final int end = format(epochNanos, text, 0);
        for (int i = 0; i < end; i++)
        {
            sb.append((char)text[i]);
        }
    }

    /**
     * Writes the timestamp as {@value #LENGTH} ASCII bytes at {@code at}; allocates nothing.
     *
     * @return {@code at + LENGTH}
     */
    public static int format(final long epochNanos, final byte[] dst, final int at)
    {
        final long days = Math.floorDiv(epochNanos, NANOS_PER_DAY);
        final int p = date(days, dst, at);
        return time(epochNanos - days * NANOS_PER_DAY, dst, p);
    }

    /**
     * {@code YYYY-MM-DD} of a day since the epoch: the costly part (a chain of divisions), which a writer
     * keeps for the day its last timestamp fell on.
     */
    static int date(final long days, final byte[] dst, final int at)
    {
        // days since epoch to civil date (Howard Hinnant's algorithm)
        final long z = days + 719_468;
        final long era = Math.floorDiv(z, 146_097);
        final long doe = z - era * 146_097;
        final long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        final long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        final long mp = (5 * doy + 2) / 153;
        final long d = doy - (153 * mp + 2) / 5 + 1;
        final long m = mp < 10 ? mp + 3 : mp - 9;
        final long y = yoe + era * 400 + (m <= 2 ? 1 : 0);

        int p = Digits.put4(dst, at, (int)y);
        dst[p++] = '-';
        p = Digits.put2(dst, p, (int)m);
        dst[p++] = '-';
        return Digits.put2(dst, p, (int)d);
    }

    /** {@code THH:MM:SS.nnnnnnnnnZ} of a time of day, 0 to {@link #NANOS_PER_DAY} (exclusive). */
    static int time(final long nanoOfDay, final byte[] dst, final int at)
    {
        final int secOfDay = (int)(nanoOfDay / 1_000_000_000L);
        final int nanos = (int)(nanoOfDay - secOfDay * 1_000_000_000L);
        final int hours = secOfDay / 3600;
        final int secOfHour = secOfDay - hours * 3600;
        final int minutes = secOfHour / 60;
        int p = at;
        dst[p++] = 'T';
        p = Digits.put2(dst, p, hours);
        dst[p++] = ':';
        p = Digits.put2(dst, p, minutes);
        dst[p++] = ':';
        p = Digits.put2(dst, p, secOfHour - minutes * 60);
        dst[p++] = '.';
        p = Digits.put9(dst, p, nanos);
        dst[p++] = 'Z';
        return p;
    }
}
