package io.nlstream.sinks;

/**
 * RFC 3339 UTC with nanoseconds ({@code 2026-11-28T10:00:00.123456789Z}), formatted without java.time
 * objects so that encoders can run per event cheaply.
 */
public final class Timestamps
{
    private Timestamps()
    {
    }

    public static String rfc3339(final long epochNanos)
    {
        final StringBuilder sb = new StringBuilder(30);
        append(sb, epochNanos);
        return sb.toString();
    }

    public static void append(final StringBuilder sb, final long epochNanos)
    {
        final long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        final long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
        final long days = Math.floorDiv(seconds, 86_400L);
        final long secOfDay = Math.floorMod(seconds, 86_400L);

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

        pad(sb, y, 4).append('-');
        pad(sb, m, 2).append('-');
        pad(sb, d, 2).append('T');
        pad(sb, secOfDay / 3600, 2).append(':');
        pad(sb, secOfDay / 60 % 60, 2).append(':');
        pad(sb, secOfDay % 60, 2).append('.');
        pad(sb, nanos, 9).append('Z');
    }

    private static StringBuilder pad(final StringBuilder sb, final long value, final int width)
    {
        final String s = Long.toString(value);
        for (int i = s.length(); i < width; i++)
        {
            sb.append('0');
        }
        return sb.append(s);
    }
}
