package io.nlstream.monitor.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;

import java.nio.ByteBuffer;

/**
 * Appends capture entries. One per thread (a Chronicle appender is single-threaded). Allocation-free:
 * the source buffer is wrapped once and reused.
 * <p>
 * An entry is put together in a native scratch buffer (header, then the message) and handed to Chronicle
 * in one {@code writeBytes}, not written field by field into a {@code writingDocument()} context: the
 * bytes are the same, but with 1.9 KiB link messages the context path took 5–8 µs on 1% of appends
 * (p99 5.5 µs at 50,000/s) and this one 0.6 µs (bench/RESULTS.md, "JournalLatency"). The extra copy
 * costs less than it saves: p50 191 ns against 270 ns.
 */
public final class JournalWriter implements AutoCloseable
{
    private static final int INITIAL_SCRATCH_BYTES = 64 * 1024;

    private final Journal journal;
    private final ExcerptAppender appender;
    private final JournalPretoucher pretoucher;
    private ByteBuffer wrappedSource;
    private BytesStore<?, ByteBuffer> sourceStore;
    /** The source as the checksum reads it (its own position and limit). */
    private ByteBuffer sourceView;
    private final ByteBuffer header = ByteBuffer.allocateDirect(CaptureHeader.LENGTH).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    private final BytesStore<?, ByteBuffer> headerStore = BytesStore.wrap(header);
    private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    private long appends;
    // the entry being appended; grows (once) past its first size for a message larger than that
    private final Bytes<?> scratch = Bytes.allocateElasticDirect(INITIAL_SCRATCH_BYTES);

    JournalWriter(final Journal journal, final ExcerptAppender appender, final JournalPretoucher pretoucher)
    {
        this.journal = journal;
        this.appender = appender;
        this.pretoucher = pretoucher;
    }

    /**
     * Appends one entry whose payload is {@code length} bytes of {@code source} at {@code offset}.
     */
    public void append(
        final int origin,
        final int protocol,
        final int group,
        final long wallNanos,
        final long monoNanos,
        final long netns,
        final int nsid,
        final int flags,
        final ByteBuffer source,
        final int offset,
        final int length)
    {
        if (source != wrappedSource)
        {
            wrappedSource = source;
            sourceStore = BytesStore.wrap(source);
            sourceView = source.duplicate();
        }
        try
        {
            final ByteBuffer h = header;
            h.put(CaptureHeader.VERSION_OFFSET, (byte)CaptureHeader.VERSION);
            h.put(CaptureHeader.ORIGIN_OFFSET, (byte)origin);
            h.putShort(CaptureHeader.PROTOCOL_OFFSET, (short)protocol);
            h.putInt(CaptureHeader.GROUP_OFFSET, group);
            h.putLong(CaptureHeader.WALL_NANOS_OFFSET, wallNanos);
            h.putLong(CaptureHeader.MONO_NANOS_OFFSET, monoNanos);
            h.putLong(CaptureHeader.NETNS_OFFSET, netns);
            h.putInt(CaptureHeader.NSID_OFFSET, nsid);
            h.putInt(CaptureHeader.FLAGS_OFFSET, flags);
            h.putInt(CaptureHeader.PAYLOAD_LENGTH_OFFSET, length);
            // CRC32C of the header's first 44 bytes and the payload (intrinsic: tens of ns for a few hundred bytes)
            crc.reset();
            h.clear().limit(CaptureHeader.LENGTH_V1);
            crc.update(h);
            if (length > 0)
            {
                sourceView.clear().position(offset).limit(offset + length);
                crc.update(sourceView);
            }
            h.clear();
            h.putInt(CaptureHeader.CRC_OFFSET, (int)crc.getValue());
            final Bytes<?> entry = scratch;
            entry.clear();
            entry.write(headerStore, 0L, (long)CaptureHeader.LENGTH);
            if (length > 0)
            {
                entry.write(sourceStore, (long)offset, (long)length);
            }
            appender.writeBytes(entry);
            if (pretoucher != null)
            {
                notePosition(appender.wire().bytes());
            }
        }
        catch (final RuntimeException e)
        {
            throw new JournalException("cannot append to journal " + journal.dir() + ": " + e, e);
        }
        appends++;
    }

    /**
     * Tells the pretoucher where this append ended in the mapped chunk, so it keeps the pages after it
     * faulted in.
     */
    private void notePosition(final Bytes<?> bytes)
    {
        final BytesStore<?, ?> store = bytes.bytesStore();
        if (store instanceof MappedBytesStore)
        {
            final MappedBytesStore chunk = (MappedBytesStore)store;
            final long position = bytes.writePosition();
            final long limit = chunk.safeLimit();
            if (position >= chunk.start() && position < limit)
            {
                pretoucher.note(chunk.addressForWrite(position), limit - position);
            }
        }
    }

    public long appends()
    {
        return appends;
    }

    /** Index of the last entry this writer appended. */
    public long lastIndex()
    {
        return appender.lastIndexAppended();
    }

    @Override
    public void close()
    {
        try
        {
            appender.close();
        }
        finally
        {
            scratch.releaseLast();
        }
    }
}
