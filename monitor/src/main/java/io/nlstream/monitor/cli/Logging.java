package io.nlstream.monitor.cli;

import java.io.PrintStream;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logs go to stderr, one line each; stdout carries only events.
 */
final class Logging
{
    private Logging()
    {
    }

    static void configure(final String level)
    {
        final Logger root = Logger.getLogger("");
        for (final Handler h : root.getHandlers())
        {
            root.removeHandler(h);
        }
        final ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new Formatter()
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
    }

    static Level julLevel(final String level)
    {
        switch (level)
        {
            case "error": return Level.SEVERE;
            case "warn": return Level.WARNING;
            case "debug": return Level.FINE;
            default: return Level.INFO;
        }
    }

    static void error(final PrintStream err, final String message)
    {
        err.println("nlstream: error: " + message);
    }
}
