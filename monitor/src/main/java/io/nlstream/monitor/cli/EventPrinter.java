package io.nlstream.monitor.cli;

import io.nlstream.monitor.read.EventView;
import io.nlstream.monitor.read.MapEventWriter;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.sinks.EventEncoder;
import io.nlstream.sinks.StreamSink;

import java.io.OutputStream;

/**
 * Prints events, one line each, in a format (json, text), buffered; {@link #flush()} when caught up.
 */
final class EventPrinter implements ReadPipeline.Consumer, AutoCloseable
{
    private final MapEventWriter writer = new MapEventWriter();
    private final StreamSink sink;
    private long printed;

    EventPrinter(final String format, final OutputStream out)
    {
        this.sink = new StreamSink(EventEncoder.forFormat(format), out);
    }

    @Override
    public void accept(final EventView event)
    {
        event.write(writer);
        sink.accept(writer.event());
        printed++;
    }

    long printed()
    {
        return printed;
    }

    void flush()
    {
        sink.flush();
    }

    @Override
    public void close()
    {
        sink.flush();
    }
}
