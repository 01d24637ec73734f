package io.nlstream.monitor.cli;

import io.nlstream.monitor.read.EventView;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.sinks.ByteFieldWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Prints events, one line each, in a format (json, text): written straight from the typed event into one
 * reused buffer, handed to the stream in 256 KiB pieces; {@link #flush()} when caught up.
 */
final class EventPrinter implements ReadPipeline.Consumer, AutoCloseable
{
    private static final int FLUSH_AT = 256 * 1024;

    private final ByteFieldWriter writer;
    private final OutputStream out;
    private long printed;

    EventPrinter(final String format, final OutputStream out)
    {
        this.writer = ByteFieldWriter.forFormat(format);
        this.out = out;
    }

    @Override
    public void accept(final EventView event)
    {
        event.write(writer);
        writer.newLine();
        printed++;
        if (writer.length() >= FLUSH_AT)
        {
            drain();
        }
    }

    long printed()
    {
        return printed;
    }

    private void drain()
    {
        try
        {
            writer.writeTo(out);
            writer.reset();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write events to output", e);
        }
    }

    void flush()
    {
        drain();
        try
        {
            out.flush();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot flush output", e);
        }
    }

    @Override
    public void close()
    {
        flush();
    }
}
