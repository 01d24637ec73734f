package io.nlstream.monitor.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads entries in journal order. Works while the writer is appending: {@link #next} returns false when
 * it has caught up, and true again once more was written.
 */
public final class JournalReader implements AutoCloseable
{
    private final Journal journal;
    private final ExcerptTailer tailer;
    private long corrupt;
    private CorruptEntryListener corruptListener = (index, reason) -> { };

    /** Told of each entry that cannot be read; reading goes on with the next one. */
    public interface CorruptEntryListener
    {
        void onCorrupt(long index, String reason);
    }

    JournalReader(final Journal journal, final ExcerptTailer tailer)
    {
        this.journal = journal;
        this.tailer = tailer;
    }

    public JournalReader onCorrupt(final CorruptEntryListener listener)
    {
        this.corruptListener = listener;
        return this;
    }

    public JournalReader toStart()
    {
        tailer.toStart();
        return this;
    }

    public JournalReader toEnd()
    {
        tailer.toEnd();
        return this;
    }

    /** Positions so that the next entry read is the one at {@code index}, or the first after it. */
    public boolean moveToIndex(final long index)
    {
        return tailer.moveToIndex(index);
    }

    /** The index the next read would return (approximately, before it exists). */
    public long index()
    {
        return tailer.index();
    }

    /**
     * Reads the next well-formed entry into {@code entry}. Entries that cannot be read are reported to the
     * listener with their index and skipped.
     */
    public boolean next(final JournalEntry entry)
    {
        return next(entry, null);
    }

    /**
     * As {@link #next(JournalEntry)}, but an entry whose netlink protocol is not in {@code protocols} (indexed by
     * protocol; null: all) is read as its capture header alone: the caller only counts it or skips it, and its
     * message is not copied. {@link JournalEntry#headerOnly()} tells which.
     */
    public boolean next(final JournalEntry entry, final boolean[] protocols)
    {
        while (true)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return false;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final long index = dc.index();
                final int length = (int)bytes.readRemaining();
                if (protocols != null && length >= CaptureHeader.LENGTH_V1)
                {
                    final int protocol = bytes.readUnsignedShort(bytes.readPosition() + CaptureHeader.PROTOCOL_OFFSET);
                    final int origin = bytes.readUnsignedByte(bytes.readPosition() + CaptureHeader.ORIGIN_OFFSET);
                    if ((protocol >= protocols.length || !protocols[protocol]) && origin != CaptureHeader.ORIGIN_GAP)
                    {
                        final byte[] array = entry.ensureCapacity(CaptureHeader.LENGTH_V1);
                        bytes.read(array, 0, CaptureHeader.LENGTH_V1);
                        final String problem = entry.setHeaderOnly(index, length);
                        if (problem == null)
                        {
                            return true;
                        }
                        corrupt++;
                        corruptListener.onCorrupt(index, problem);
                        continue;
                    }
                }
                final byte[] array = entry.ensureCapacity(length);
                bytes.read(array, 0, length);
                final String problem = entry.set(index, length);
                if (problem == null)
                {
                    return true;
                }
                corrupt++;
                corruptListener.onCorrupt(index, problem);
            }
            catch (final RuntimeException e)
            {
                throw new JournalException("cannot read journal " + journal.dir() + " at index " + tailer.index() + ": " + e, e);
            }
        }
    }

    public long corrupt()
    {
        return corrupt;
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
