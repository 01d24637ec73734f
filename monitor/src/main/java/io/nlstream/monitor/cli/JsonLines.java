package io.nlstream.monitor.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stderr with {@code --log-format json}: a line that is already a JSON object passes as it is; any other becomes
 * one, so that a log collector never meets text. SLF4J's simple binding ({@code [THREAD] LEVEL LOGGER - MSG}, how
 * Chronicle and the Kafka client log) keeps its level and logger; anything else (a stack trace a library prints)
 * is one object per line, logger {@code stderr}, level {@code error}.
 */
final class JsonLines extends OutputStream
{
    private static final Pattern SIMPLE_LOGGER = Pattern.compile("\\[[^\\]]*\\] (ERROR|WARN|INFO|DEBUG|TRACE) (\\S+) - (.*)", Pattern.DOTALL);

    private final PrintStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    JsonLines(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public synchronized void write(final int b)
    {
        if (b == '\n')
        {
            endLine();
        }
        else
        {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(final byte[] b, final int off, final int len)
    {
        for (int i = off; i < off + len; i++)
        {
            write(b[i]);
        }
    }

    @Override
    public synchronized void flush()
    {
        out.flush();
    }

    private void endLine()
    {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r"))
        {
            text = text.substring(0, text.length() - 1);
        }
        out.print(toJson(text));
        out.flush();
    }

    /** {@code text}, one line without its newline, as one JSON line with its newline; nothing for a blank line. */
    static String toJson(final String text)
    {
        if (text.isBlank())
        {
            return "";
        }
        if (text.startsWith("{\"ts\":") && text.endsWith("}"))
        {
            return text + "\n";
        }
        final Matcher m = SIMPLE_LOGGER.matcher(text);
        if (m.matches())
        {
            final String level = m.group(1).equals("WARN") ? "warning" : m.group(1).toLowerCase();
            return Logging.JsonFormatter.line(Instant.now(), level, m.group(2), m.group(3), null);
        }
        return Logging.JsonFormatter.line(Instant.now(), "error", "stderr", text, null);
    }

    /** System.err while JSON is on; remembers the stream it wraps, to put it back. */
    static final class Stream extends PrintStream
    {
        private final PrintStream underlying;

        Stream(final PrintStream underlying)
        {
            super(new JsonLines(underlying), true, StandardCharsets.UTF_8);
            this.underlying = underlying;
        }

        PrintStream underlying()
        {
            return underlying;
        }
    }
}
