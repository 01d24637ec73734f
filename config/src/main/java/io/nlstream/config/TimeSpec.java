package io.nlstream.config;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An instant as a user writes it on the command line, resolved to epoch nanoseconds (the journal's clock):
 * <ul>
 *   <li>RFC 3339: {@code 2026-11-28T10:00:00Z}, {@code 2026-11-28T10:00:00.123456789+02:00} (lowercase
 *       {@code t} and {@code z} too; at most nine fractional digits, since nothing finer is recorded);</li>
 *   <li>{@code now};</li>
 *   <li>relative to now: {@code -250ms}, {@code -30s}, {@code -5m}, {@code -1h}, {@code -2d}; without the sign
 *       ({@code 5m}) the same: times are in the past.</li>
 * </ul>
 * Epoch nanoseconds in a {@code long} span 1677-09-21 to 2262-04-11; instants outside are rejected.
 */
public final class TimeSpec
{
    static final String EXPECTED =
        "expected RFC 3339 like 2026-11-28T10:00:00Z, now, or a relative time like -5m or 5m (units ms, s, m, h, d)";

    // RFC 3339 date-time, stricter than ISO_OFFSET_DATE_TIME (which also takes 10:00Z and +02:00:30).
    private static final Pattern RFC3339 = Pattern.compile(
        "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
    // a duration without its sign ("5m", as journalctl's users type it) is one ago, as "-5m" is
    private static final Pattern AGO = Pattern.compile("\\d+[a-z]+");
    private static final Pattern TOO_FINE = Pattern.compile(".*\\.\\d{10,}.*");

    private TimeSpec()
    {
    }

    /**
     * @return the instant {@code spec} names, in nanoseconds since the epoch, relative times counted back from
     *         {@code clock}'s now
     * @throws IllegalArgumentException saying why {@code spec} is not an instant and what is expected
     */
    public static long parse(String spec, Clock clock)
    {
        String text = spec.strip();
        if (text.equals("now"))
        {
            return toNanos(clock.instant());
        }
        if (text.startsWith("-") || AGO.matcher(text).matches())
        {
            Instant then;
            try
            {
                then = clock.instant().minus(Units.parseDuration(text.startsWith("-") ? text.substring(1) : text));
            }
            catch (IllegalArgumentException | ArithmeticException | DateTimeException e)
            {
                throw new IllegalArgumentException("not a time; " + EXPECTED);
            }
            return toNanos(then);
        }
        String upper = text.toUpperCase(Locale.ROOT);
        if (!RFC3339.matcher(upper).matches())
        {
            throw new IllegalArgumentException("not a time; " + EXPECTED);
        }
        if (TOO_FINE.matcher(upper).matches())
        {
            throw new IllegalArgumentException("more than 9 fractional digits; nanoseconds are the finest precision");
        }
        Instant instant;
        try
        {
            instant = OffsetDateTime.parse(upper, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        }
        catch (DateTimeException e)
        {
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new IllegalArgumentException("not a valid date and time: " + why);
        }
        return toNanos(instant);
    }

    /** RFC 3339 in UTC with as many fractional digits as needed, e.g. {@code 2026-11-28T10:00:00.123456789Z}. */
    public static String format(long epochNanos)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
            Math.floorMod(epochNanos, 1_000_000_000L)).toString();
    }

    private static long toNanos(Instant instant)
    {
        try
        {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (ArithmeticException e)
        {
            throw new IllegalArgumentException(
                "out of range; times from 1677-09-21 to 2262-04-11 fit in epoch nanoseconds");
        }
    }
}
