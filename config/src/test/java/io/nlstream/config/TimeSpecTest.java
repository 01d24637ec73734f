package io.nlstream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TimeSpecTest
{
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
    private static final long NOW_NANOS = 1_795_860_000L * 1_000_000_000L;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        2026-11-28T10:00:00Z                 | 2026-11-28T10:00:00Z
        2026-11-28t10:00:00z                 | 2026-11-28T10:00:00Z
        2026-11-28T10:00:00.5Z               | 2026-11-28T10:00:00.500Z
        2026-11-28T10:00:00.123456789Z       | 2026-11-28T10:00:00.123456789Z
        2026-11-28T12:00:00.000000001+02:00  | 2026-11-28T10:00:00.000000001Z
        2026-11-28T04:30:00-05:30            | 2026-11-28T10:00:00Z
        2026-11-28T10:00:00-00:00            | 2026-11-28T10:00:00Z
        1970-01-01T00:00:00Z                 | 1970-01-01T00:00:00Z
        1969-12-31T23:59:59.999999999Z       | 1969-12-31T23:59:59.999999999Z
        2262-04-11T23:47:16.854775807Z       | 2262-04-11T23:47:16.854775807Z
        now                                  | 2026-11-28T10:00:00Z
        -250ms                               | 2026-11-28T09:59:59.750Z
        -30s                                 | 2026-11-28T09:59:30Z
        -5m                                  | 2026-11-28T09:55:00Z
        -1h                                  | 2026-11-28T09:00:00Z
        -2d                                  | 2026-11-26T10:00:00Z
        5m                                   | 2026-11-28T09:55:00Z
        250ms                                | 2026-11-28T09:59:59.750Z
        2d                                   | 2026-11-26T10:00:00Z
        """)
    void parses(String spec, String expected)
    {
        long nanos = TimeSpec.parse(spec, NOW);
        assertEquals(expected, TimeSpec.format(nanos));
    }

    @Test
    void keepsEveryNanosecond()
    {
        assertEquals(NOW_NANOS + 123_456_789, TimeSpec.parse("2026-11-28T10:00:00.123456789Z", NOW));
        assertEquals(NOW_NANOS - 7_200_000_000_000L + 1, TimeSpec.parse("2026-11-28T10:00:00.000000001+02:00", NOW));
        assertEquals(-1, TimeSpec.parse("1969-12-31T23:59:59.999999999Z", NOW));
        assertEquals(Long.MAX_VALUE, TimeSpec.parse("2262-04-11T23:47:16.854775807Z", NOW));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
        ''                                 | not a time
        yesterday                          | not a time
        NOW                                | not a time
        2026-11-28                         | not a time
        2026-11-28T10:00Z                  | not a time
        2026-11-28T10:00:00                | not a time
        2026-11-28 10:00:00Z               | not a time
        2026-11-28T10:00:00+0200           | not a time
        2026-11-28T10:00:00+02:00:30       | not a time
        2026-11-28T10:00:00.Z              | not a time
        2026-11-28T10:00:00.1234567891Z    | more than 9 fractional digits
        2026-02-30T10:00:00Z               | not a valid date and time
        2026-11-28T25:00:00Z               | not a valid date and time
        2026-11-28T10:00:00+25:00          | not a valid date and time
        2262-04-11T23:47:16.854775808Z     | out of range
        1600-01-01T00:00:00Z               | out of range
        +5m                                | not a time
        5x                                 | not a time
        5                                  | not a time
        5m5                                | not a time
        5M                                 | not a time
        -5                                 | not a time
        -5x                                | not a time
        -m                                 | not a time
        --5m                               | not a time
        -5 m                               | not a time
        -99999999999999999999d             | not a time
        -200000d                           | out of range
        """)
    void rejects(String spec, String reason)
    {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeSpec.parse(spec, NOW));
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
    }

    @Test
    void saysWhatIsExpected()
    {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeSpec.parse("noon", NOW));
        assertEquals("not a time; expected RFC 3339 like 2026-11-28T10:00:00Z, now,"
            + " or a relative time like -5m or 5m (units ms, s, m, h, d)", e.getMessage());
    }
}
