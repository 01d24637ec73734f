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
    /** Run at the first piece handed to the stream, once per process (see {@link #onceBusy}). */
    private static final java.util.concurrent.atomic.AtomicReference<Runnable> WHEN_BUSY = new java.util.concurrent.atomic.AtomicReference<>();

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

    /**
     * {@code action} runs once, when a printer first has a full piece to hand over (256 KiB of events): for what is
     * worth its cost only to a reader that prints much (main's growing of a stdout pipe).
     */
    static void onceBusy(final Runnable action)
    {
        WHEN_BUSY.set(action);
    }

    long printed()
    {
        return printed;
    }

    private void drain()
    {
        if (writer.length() >= FLUSH_AT && WHEN_BUSY.get() != null)
        {
            final Runnable action = WHEN_BUSY.getAndSet(null);
            if (action != null)
            {
                action.run();
            }
        }
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
