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
    /** The indexes of the cycle file this writer last appended to; a new one gets a CYCLE_LINK annotation after the first entry. */
    private long cycleStart = Long.MAX_VALUE;
    private long nextCycleStart = Long.MIN_VALUE;
    private final net.openhft.chronicle.queue.RollCycle rollCycle;
    private long lastEntryIndex = -1;
    private final ByteBuffer link = ByteBuffer.allocateDirect(AnnotationRecord.CYCLE_LINK_LENGTH).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    private net.openhft.chronicle.queue.ExcerptTailer counter;
    /**
     * What this writer may not write when the pretoucher finds the filesystem full: no append goes within this many
     * bytes of the first page that could not be had (Chronicle's index arrays, 32 KiB each, are written between entries).
     */
    private static final long FULL_MARGIN = 256 << 10;
    /** Entries not written since the disk filled, and the wall clock of the first; written as a gap once space returns. */
    private long unwritten;
    private long unwrittenSinceNanos;
    private long diskGaps;
    private final ByteBuffer gap = ByteBuffer.allocateDirect(GapRecord.LENGTH_WITH_SINCE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    // the entry being appended; grows (once) past its first size for a message larger than that
    private final Bytes<?> scratch = Bytes.allocateElasticDirect(INITIAL_SCRATCH_BYTES);

    JournalWriter(final Journal journal, final ExcerptAppender appender, final JournalPretoucher pretoucher)
    {
        this.journal = journal;
        this.appender = appender;
        this.pretoucher = pretoucher;
        this.rollCycle = journal.queue().rollCycle();
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
        if (pretoucher != null && (unwritten > 0 || pretoucher.blockedAt() != 0))
        {
            if (full(length))
            {
                unwritten(wallNanos);
                return;
            }
            if (unwritten > 0)
            {
                writeDiskGap(protocol, wallNanos, monoNanos, netns);
            }
        }
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
        journal.bell().ring();
        final long index = appender.lastIndexAppended();
        lastEntryIndex = index;
        // two compares an append; the roll cycle's arithmetic only when the cycle changed
        if (index >= nextCycleStart || index < cycleStart)
        {
            final int cycle = rollCycle.toCycle(index);
            cycleStart = rollCycle.toIndex(cycle, 0);
            nextCycleStart = rollCycle.toIndex(cycle + 1, 0);
            linkCycle(cycle, wallNanos, monoNanos);
        }
    }

    /**
     * Whether an entry of {@code length} bytes could land on (or near) a page the filesystem has no room for: the
     * pretoucher, which faults pages in ahead of the write position, found one it could not. A mapped write there
     * would be a SIGBUS, which kills the process: stop short of it, while the pretoucher tries again.
     */
    private boolean full(final int length)
    {
        final long blocked = pretoucher.blockedAt();
        if (blocked == 0)
        {
            return false;
        }
        final long at = pretoucher.notedAddress();
        return at == 0 || pretoucher.notedChunkEnd() != pretoucher.blockedChunkEnd()
            || at + 4 + CaptureHeader.LENGTH + length + FULL_MARGIN > blocked;
    }

    private void unwritten(final long wallNanos)
    {
        if (unwritten++ == 0)
        {
            unwrittenSinceNanos = wallNanos;
            java.util.logging.Logger.getLogger(JournalWriter.class.getName()).severe(() -> "journal " + journal.dir()
                + ": no space left on its filesystem (" + freeSpace() + "): capture goes on, counting what it cannot write;"
                + " the journal stays readable up to here, and a gap will mark the time it could not write once there is space");
        }
    }

    /** Once space returned: a gap entry (errno ENOSPC) spanning the entries not written, and a log line. */
    private void writeDiskGap(final int protocol, final long wallNanos, final long monoNanos, final long netns)
    {
        final long lost = unwritten;
        final long since = unwrittenSinceNanos;
        unwritten = 0;
        gap.putLong(GapRecord.OVERRUNS_OFFSET, lost);
        gap.putInt(GapRecord.ERRNO_OFFSET, io.nlstream.netlink.internal.LibC.ENOSPC);
        gap.putInt(GapRecord.ERRNO_OFFSET + 4, 0);
        gap.putLong(GapRecord.SINCE_OFFSET, since);
        append(CaptureHeader.ORIGIN_GAP, protocol, 0, wallNanos, monoNanos, netns, -1, 0, gap, 0, GapRecord.LENGTH_WITH_SINCE);
        diskGaps++;
        java.util.logging.Logger.getLogger(JournalWriter.class.getName()).warning(() -> "journal " + journal.dir()
            + ": space again; " + lost + " entries were not written in the " + (wallNanos - since) / 1_000_000 + " ms before"
            + " (journalled as a gap, errno ENOSPC)");
    }

    private String freeSpace()
    {
        try
        {
            final java.nio.file.FileStore store = java.nio.file.Files.getFileStore(journal.dir());
            return store + ", " + store.getUsableSpace() + " bytes free";
        }
        catch (final java.io.IOException e)
        {
            return "free space unknown: " + e.getMessage();
        }
    }

    /** Gaps this writer journalled for entries it could not write on a full disk (a caller resyncs after each). */
    public long diskGaps()
    {
        return diskGaps;
    }

    /** Entries not written since the filesystem filled (0 when writing). */
    public long unwritten()
    {
        return unwritten;
    }

    /**
     * After this writer's first entry in a cycle file: a CYCLE_LINK annotation naming the file before it and how
     * many entries that one holds (final: the appender wrote its end-of-file mark before the first entry of this
     * one). Once a cycle per writer; none in the journal's first file.
     */
    private void linkCycle(final int cycle, final long wallNanos, final long monoNanos)
    {
        final net.openhft.chronicle.queue.impl.single.SingleChronicleQueue queue =
            (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)journal.queue();
        final int previous;
        try
        {
            previous = queue.nextCycle(cycle, net.openhft.chronicle.queue.TailerDirection.BACKWARD);
        }
        catch (final java.text.ParseException e)
        {
            return;
        }
        if (previous < 0 || previous >= cycle)
        {
            return;
        }
        if (counter == null)
        {
            counter = queue.createTailer();
        }
        final long entries = counter.excerptsInCycle(previous);
        final int length = AnnotationRecord.writeCycleLink(link, cycle, previous, entries);
        final long entry = lastEntryIndex;
        append(CaptureHeader.ORIGIN_ANNOTATION, 0, 0, wallNanos, monoNanos, 0, -1, 0, link, 0, length);
        lastEntryIndex = entry;
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

    /** Index of the last entry this writer was asked to append (not counting its own links between cycle files). */
    public long lastIndex()
    {
        return lastEntryIndex;
    }

    @Override
    public void close()
    {
        if (unwritten > 0)
        {
            java.util.logging.Logger.getLogger(JournalWriter.class.getName()).warning("journal " + journal.dir() + ": closed with "
                + unwritten + " entries not written since " + java.time.Instant.ofEpochSecond(0, unwrittenSinceNanos)
                + " (its filesystem is still full: " + freeSpace() + "); the journal ends before them");
        }
        if (counter != null)
        {
            counter.close();
        }
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
