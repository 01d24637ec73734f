package io.nlstream.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Numbers with {@code _} separators, byte sizes and durations as people type them. */
final class Units
{
    static final String SIZE_EXPECTED = "expected a number of bytes with optional k, M, G, T suffix";
    static final String DURATION_EXPECTED = "expected a number with a unit ms, s, m, h or d, e.g. 500ms or 5s";

    private static final String DIGITS = "\\d+(?:_\\d+)*";
    private static final Pattern INTEGER = Pattern.compile("[+-]?" + DIGITS);
    private static final Pattern SIZE = Pattern.compile("(" + DIGITS + ")(k|K|KiB|m|M|MiB|g|G|GiB|t|T|TiB)?");
    private static final Pattern DURATION = Pattern.compile("(" + DIGITS + ")(ms|s|m|h|d)");

    private Units()
    {
    }

    static long parseLong(String text, long min, long max)
    {
        if (!INTEGER.matcher(text).matches())
        {
            throw new IllegalArgumentException("not an integer");
        }
        try
        {
            long value = Long.parseLong(text.replace("_", ""));
            if (value >= min && value <= max)
            {
                return value;
            }
        }
        catch (NumberFormatException tooLong)
        {
            // reported below, like any other value out of range
        }
        throw new IllegalArgumentException("not an integer between " + min + " and " + max);
    }

    static long parseSize(String text)
    {
        Matcher m = SIZE.matcher(text);
        if (!m.matches())
        {
            throw new IllegalArgumentException("not a size; " + SIZE_EXPECTED);
        }
        String suffix = m.group(2) == null ? "" : m.group(2);
        int shift = switch (suffix)
        {
            case "" -> 0;
            case "k", "K", "KiB" -> 10;
            case "m", "M", "MiB" -> 20;
            case "g", "G", "GiB" -> 30;
            default -> 40;
        };
        try
        {
            return Math.multiplyExact(Long.parseLong(m.group(1).replace("_", "")), 1L << shift);
        }
        catch (ArithmeticException | NumberFormatException e)
        {
            throw new IllegalArgumentException("size too large; at most " + Long.MAX_VALUE + " bytes");
        }
    }

    /** The shortest exact spelling: {@code 67108864} is {@code 64MiB}, {@code 1000} stays {@code 1000}. */
    static String formatSize(long bytes)
    {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++)
        {
            long unit = 1L << (40 - 10 * i);
            if (bytes != 0 && bytes % unit == 0)
            {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }

    static Duration parseDuration(String text)
    {
        Matcher m = DURATION.matcher(text);
        if (!m.matches())
        {
            throw new IllegalArgumentException("not a duration; " + DURATION_EXPECTED);
        }
        try
        {
            long amount = Long.parseLong(m.group(1).replace("_", ""));
            return switch (m.group(2))
            {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        catch (ArithmeticException | NumberFormatException e)
        {
            throw new IllegalArgumentException("duration too large");
        }
    }
}
