package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --log-format json}: each record one line that is one JSON object, whatever its message holds. */
class LoggingTest
{
    private static final String NASTY = "say \"hi\"\\ then\nnext line\r\ttab \u0001\u001f\u007f del, \u2028 sep, "
        + "\ud83d\ude00 pair, lone \ud800 high, lone \udc00 low, é";

    @Test
    void aRecordIsOneLineOfJsonWithItsFieldsEscaped()
    {
        final LogRecord r = new LogRecord(Level.WARNING, NASTY);
        r.setInstant(Instant.parse("2026-12-01T21:31:27.382183659Z"));
        r.setLoggerName("io.nlstream.monitor.cli.RunCommand");
        r.setThrown(new IllegalStateException("bad \"state\"\nsecond line"));
        final String line = new Logging.JsonFormatter().format(r);

        assertTrue(line.endsWith("}\n"), line);
        assertEquals(line.length() - 1, line.indexOf('\n'), "one line: " + line);
        assertTrue(line.substring(0, line.length() - 1).chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == 0x2028), line);
        assertFalse(line.contains("\ud800") || line.contains("\udc00"), "lone surrogates escaped, UTF-8 cannot carry them");
        assertTrue(line.contains("\ud83d\ude00") && line.contains("\\ud800"), line);
        final Map<String, Object> o = Json.object(line);
        assertEquals(List.of("ts", "level", "logger", "msg", "thrown"), List.copyOf(o.keySet()));
        assertEquals("2026-12-01T21:31:27.382183659Z", o.get("ts"));
        assertEquals("warning", o.get("level"));
        assertEquals("io.nlstream.monitor.cli.RunCommand", o.get("logger"));
        assertEquals(NASTY, o.get("msg"));
        assertTrue(((String)o.get("thrown")).startsWith("java.lang.IllegalStateException: bad \"state\"\nsecond line\n\tat "), o.toString());
    }

    @Test
    void timesHaveNineDigitsAndLevelsTheNamesCollectorsKnow()
    {
        final LogRecord r = new LogRecord(Level.SEVERE, "m {0}");
        r.setParameters(new Object[] {"x"});
        r.setInstant(Instant.parse("2026-12-01T21:31:27Z"));
        final Map<String, Object> o = Json.object(new Logging.JsonFormatter().format(r));
        assertEquals("2026-12-01T21:31:27.000000000Z", o.get("ts"));
        assertEquals("error", o.get("level"));
        assertEquals("", o.get("logger"));
        assertEquals("m x", o.get("msg"));
        assertFalse(o.containsKey("thrown"));
        assertEquals("info", Logging.JsonFormatter.levelName(Level.INFO));
        assertEquals("debug", Logging.JsonFormatter.levelName(Level.FINE));
        assertEquals("trace", Logging.JsonFormatter.levelName(Level.FINEST));
    }

    /** What libraries write to stderr themselves becomes JSON too: SLF4J's simple binding keeps its level and logger. */
    @Test
    void otherLinesOnStderrBecomeJsonObjects()
    {
        final Map<String, Object> simple = Json.object(JsonLines.toJson(
            "[main] WARN net.openhft.chronicle.threads.DiskSpaceMonitor - Took 0.3 ms to \"poll\" /tmp"));
        assertEquals("warning", simple.get("level"));
        assertEquals("net.openhft.chronicle.threads.DiskSpaceMonitor", simple.get("logger"));
        assertEquals("Took 0.3 ms to \"poll\" /tmp", simple.get("msg"));
        final Map<String, Object> other = Json.object(JsonLines.toJson("\tat java.base/java.lang.Thread.run(Thread.java:840)"));
        assertEquals("stderr", other.get("logger"));
        assertEquals("\tat java.base/java.lang.Thread.run(Thread.java:840)", other.get("msg"));
        final String own = Logging.JsonFormatter.line(Instant.EPOCH, "info", "x", "m", null);
        assertEquals(own, JsonLines.toJson(own.substring(0, own.length() - 1)), "a JSON line passes as it is");
        assertEquals("", JsonLines.toJson(""));

        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final JsonLines.Stream stream = new JsonLines.Stream(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        stream.print("first half, ");
        stream.println("second half");
        stream.print("[t] ERROR a.b - failed\r\n");
        final List<String> lines = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("first half, second half", Json.object(lines.get(0)).get("msg"));
        assertEquals("error", Json.object(lines.get(1)).get("level"));
        assertEquals("failed", Json.object(lines.get(1)).get("msg"));
    }
}
