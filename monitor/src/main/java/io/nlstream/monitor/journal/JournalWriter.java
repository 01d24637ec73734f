package io.nlstream.monitor.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.ByteBuffer;

/**
 * Appends capture entries. One per thread (a Chronicle appender is single-threaded). Allocation-free:
 * the source buffer is wrapped once and reused.
 */
public final class JournalWriter implements AutoCloseable
{
    private final Journal journal;
    private final ExcerptAppender appender;
    private final JournalPretoucher pretoucher;
    private ByteBuffer wrappedSource;
    private BytesStore<?, ByteBuffer> sourceStore;
    private long appends;

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
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeByte((byte)CaptureHeader.VERSION);
            bytes.writeByte((byte)origin);
            bytes.writeShort((short)protocol);
            bytes.writeInt(group);
            bytes.writeLong(wallNanos);
            bytes.writeLong(monoNanos);
            bytes.writeLong(netns);
            bytes.writeInt(nsid);
            bytes.writeInt(flags);
            bytes.writeInt(length);
            if (length > 0)
            {
                bytes.write(sourceStore, (long)offset, (long)length);
            }
            if (pretoucher != null)
            {
                notePosition(bytes);
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
        appender.close();
    }
}
