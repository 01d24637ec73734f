package io.nlstream.sinks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Test reference: writes encoded {@link Event}s, one per line, to a stream, as stdout was written before the
 * byte writers; the property tests require batches of {@link ByteFieldWriter} lines to give the same stream.
 * Buffered; the caller flushes when it has drained what is available.
 */
public final class StreamSink implements AutoCloseable
{
    private final EventEncoder encoder;
    private final BufferedWriter writer;
    private final StringBuilder line = new StringBuilder(512);

    public StreamSink(final EventEncoder encoder, final OutputStream out)
    {
        this.encoder = encoder;
        this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    public void accept(final Event event)
    {
        line.setLength(0);
        encoder.encode(event, line);
        line.append('\n');
        try
        {
            writer.append(line);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write event to output", e);
        }
    }

    public void flush()
    {
        try
        {
            writer.flush();
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
