package io.nlstream.netlink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IgnoredSignalsTest
{
    private static final String STATUS = "Name:\tjava\nState:\tS (sleeping)\nSigBlk:\t0000000000000000\n";

    /** The SigIgn line of /proc/PID/status is a 64-bit hex mask, bit N-1 for signal N. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SigIgn:\t0000000000000001 | 1  | true",
        "SigIgn:\t0000000000000001 | 2  | false",
        "SigIgn:\t0000000000001000 | 13 | true",
        "SigIgn:\t0000000000001000 | 1  | false",
        "SigIgn:\t0000000000000000 | 1  | false",
        "SigIgn:\t8000000000000000 | 64 | true",
        "SigIgn:\tffffffffffffffff | 64 | true",
        "SigIgn:\tffffffffffffffff | 0  | false",
        "SigIgn:\tffffffffffffffff | 65 | false",
        "SigIgn:\tnot-hex          | 1  | false",
        "SigIgn:                   | 1  | false",
        "SigCgt:\t0000000000000001 | 1  | false"})
    void readsTheMask(final String line, final int sig, final boolean ignored)
    {
        assertEquals(ignored, IgnoredSignals.ignored(STATUS + line.strip() + "\nSigCgt:\t0000000000000000\n", sig), line);
    }

    @Test
    void nothingKnownIsNothingIgnored()
    {
        assertFalse(IgnoredSignals.ignored(null, IgnoredSignals.SIGHUP));
        assertFalse(IgnoredSignals.ignored(STATUS, IgnoredSignals.SIGHUP));
    }

    /** What the kernel says of a process nohup started: its SIGHUP is ignored, and the mask is read as such. */
    @Test
    void aProcessNohupStartedIgnoresSighup() throws Exception
    {
        assertTrue(IgnoredSignals.ignored(statusOf("nohup", "cat", "/proc/self/status"), IgnoredSignals.SIGHUP));
        assertFalse(IgnoredSignals.ignored(statusOf("env", "-i", "cat", "/proc/self/status"), 15), "SIGTERM");
    }

    private static String statusOf(final String... command) throws Exception
    {
        final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "cat ended");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
