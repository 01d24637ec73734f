package io.nlstream.monitor.cli;

import io.nlstream.sinks.Timestamps;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logs go to stderr, one line each; stdout carries only events. A line is text
 * ({@code nlstream 2026-12-01T21:31:27.382183659Z info MESSAGE}) or, with {@code --log-format json}, one JSON
 * object for log collectors: {@code {"ts":...,"level":...,"logger":...,"msg":...}} and {@code "thrown"} with an
 * exception's stack trace.
 */
final class Logging
{
    static final String JSON = "json";
    /** The logger named in the lines that commands write themselves (errors, what a journal holds). */
    private static final String COMMAND_LOGGER = "nlstream";

    /** Set by {@link #format} before the settings are parsed (for usage errors) and by {@link #configure}. */
    private static volatile boolean json;

    private Logging()
    {
    }

    /** How the lines of this process are written from now on: {@code text} or {@code json}. */
    static void format(final String format)
    {
        json = JSON.equals(format);
    }

    static void configure(final String level, final String format)
    {
        format(format);
        jsonStderr(json);
        final Logger root = Logger.getLogger("");
        for (final Handler h : root.getHandlers())
        {
            root.removeHandler(h);
        }
        final ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(json ? new JsonFormatter() : new Formatter()
        {
            @Override
            public String format(final LogRecord r)
            {
                final StringBuilder sb = new StringBuilder(128);
                sb.append("nlstream ").append(r.getInstant()).append(' ').append(r.getLevel().getName().toLowerCase())
                    .append(' ').append(formatMessage(r)).append('\n');
                if (r.getThrown() != null)
                {
                    sb.append("  caused by: ").append(r.getThrown()).append('\n');
                }
                return sb.toString();
            }
        });
        final Level l = julLevel(level);
        handler.setLevel(l);
        root.addHandler(handler);
        root.setLevel(l);
        // Chronicle logs through SLF4J's simple binding; keep it on stderr and quiet unless something is wrong
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug".equals(level) ? "info" : "warn");
        // a reader opening a journal learns its roll cycle from the journal's metadata; that is not news
        System.setProperty("org.slf4j.simpleLogger.log.net.openhft.chronicle.queue.impl.single.SCQMeta", "error");
        // the forwarder logs a Kafka outage once; the client would log every reconnect attempt
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        // ... and an empty journal directory (no metadata yet) is simply an empty journal
        System.setProperty("org.slf4j.simpleLogger.log.net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder", "error");
        // thread affinity is not used: without JNA (left out on purpose, see the pom) Chronicle's Affinity falls back
        // to its no-op implementation, which is what nlstream wants
        System.setProperty("org.slf4j.simpleLogger.log.net.openhft.affinity.Affinity", "error");
    }

    /** {@code --log-level} changed while running (SIGHUP): applies to the records logged from now on. */
    static void level(final String level)
    {
        final Level l = julLevel(level);
        final Logger root = Logger.getLogger("");
        root.setLevel(l);
        for (final Handler h : root.getHandlers())
        {
            h.setLevel(l);
        }
    }

    static Level julLevel(final String level)
    {
        switch (level)
        {
            case "error":
                return Level.SEVERE;
            case "warn":
                return Level.WARNING;
            case "debug":
                return Level.FINE;
            default:
                return Level.INFO;
        }
    }

    static void error(final PrintStream err, final String message)
    {
        if (json)
        {
            err.print(JsonFormatter.line(Instant.now(), "error", COMMAND_LOGGER, message, null));
        }
        else
        {
            err.println("nlstream: error: " + message);
        }
    }

    /** An error with what threw it: in text the stack trace follows the line, in JSON it is the line's "thrown". */
    static void error(final PrintStream err, final String message, final Throwable thrown)
    {
        if (json)
        {
            err.print(JsonFormatter.line(Instant.now(), "error", COMMAND_LOGGER, message, stackTrace(thrown)));
        }
        else
        {
            err.println("nlstream: error: " + message);
            thrown.printStackTrace(err);
        }
    }

    /** What a command says besides its output (what a journal holds, what was exported): info. */
    static void note(final PrintStream err, final String message)
    {
        if (json)
        {
            err.print(JsonFormatter.line(Instant.now(), "info", COMMAND_LOGGER, message, null));
        }
        else
        {
            err.println("nlstream: " + message);
        }
    }

    /**
     * With JSON, every line on stderr is an object, also those that libraries write there themselves (Chronicle and
     * Kafka log through SLF4J's simple binding, which writes text to System.err): System.err becomes a
     * {@link JsonLines} over the real one. Made before the ConsoleHandler, which takes System.err as it is then.
     */
    private static void jsonStderr(final boolean on)
    {
        final boolean wrapped = System.err instanceof JsonLines.Stream;
        if (on && !wrapped)
        {
            System.setErr(new JsonLines.Stream(System.err));
        }
        else if (!on && wrapped)
        {
            System.setErr(((JsonLines.Stream)System.err).underlying());
        }
    }

    /** A line of advice after a usage error ("Try 'nlstream run --help'."): as it is in text, info in JSON. */
    static void hint(final PrintStream err, final String message)
    {
        if (json)
        {
            note(err, message);
        }
        else
        {
            err.println(message);
        }
    }

    private static String stackTrace(final Throwable thrown)
    {
        final StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** One JSON object per record, on one line: every character a string cannot hold as it is is escaped. */
    static final class JsonFormatter extends Formatter
    {
        @Override
        public String format(final LogRecord r)
        {
            return line(r.getInstant(), levelName(r.getLevel()), r.getLoggerName() == null ? "" : r.getLoggerName(),
                formatMessage(r), r.getThrown() == null ? null : stackTrace(r.getThrown()));
        }

        /** The names log collectors know rather than java.util.logging's (SEVERE, FINE). */
        static String levelName(final Level level)
        {
            final int v = level.intValue();
            return v >= Level.SEVERE.intValue() ? "error"
                : v >= Level.WARNING.intValue() ? "warning"
                : v >= Level.INFO.intValue() ? "info"
                : v >= Level.FINE.intValue() ? "debug"
                : "trace";
        }

        static String line(final Instant ts, final String level, final String logger, final String msg, final String thrown)
        {
            final StringBuilder sb = new StringBuilder(128 + msg.length());
            sb.append("{\"ts\":\"");
            Timestamps.append(sb, ts.getEpochSecond() * 1_000_000_000L + ts.getNano());
            sb.append("\",\"level\":");
            string(sb, level);
            sb.append(",\"logger\":");
            string(sb, logger);
            sb.append(",\"msg\":");
            string(sb, msg);
            if (thrown != null)
            {
                sb.append(",\"thrown\":");
                string(sb, thrown);
            }
            return sb.append("}\n").toString();
        }

        static void string(final StringBuilder sb, final String s)
        {
            sb.append('"');
            for (int i = 0; i < s.length(); i++)
            {
                final char c = s.charAt(i);
                switch (c)
                {
                    case '"':
                        sb.append("\\\"");
                        break;
                    case '\\':
                        sb.append("\\\\");
                        break;
                    case '\n':
                        sb.append("\\n");
                        break;
                    case '\r':
                        sb.append("\\r");
                        break;
                    case '\t':
                        sb.append("\\t");
                        break;
                    default:
                        // control characters, DEL, and a lone surrogate (which UTF-8 cannot encode) as \\uXXXX
                        final boolean lone = Character.isHighSurrogate(c)
                            ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                            : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
                        if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || lone)
                        {
                            sb.append(String.format("\\u%04x", (int)c));
                        }
                        else
                        {
                            sb.append(c);
                        }
                }
            }
            sb.append('"');
        }
    }
}
