package io.nlstream.monitor.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A journal entry as read back: the capture header's fields and the payload, which sits in
 * {@link #buffer()} from {@link #payloadOffset()} for {@link #payloadLength()} bytes. Reused by the
 * reader from entry to entry; copy what must outlive the next read.
 */
public final class JournalEntry
{
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private long index;
    private int length;
    private boolean headerOnly;
    private int headerLength = CaptureHeader.LENGTH;
    private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();

    byte[] ensureCapacity(final int size)
    {
        if (buffer.capacity() < size)
        {
            buffer = ByteBuffer.allocate(Math.max(size, buffer.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        return buffer.array();
    }

    /**
     * Checks the entry read into the buffer; returns null when it is well formed, else what is wrong.
     */
    String set(final long index, final int length)
    {
        this.index = index;
        this.length = length;
        this.headerOnly = false;
        this.headerLength = CaptureHeader.LENGTH_V1;
        if (length < CaptureHeader.LENGTH_V1)
        {
            return "entry of " + length + " bytes is shorter than the capture header (" + CaptureHeader.LENGTH_V1 + ")";
        }
        final String framing = framing(length);
        if (framing != null || version() == CaptureHeader.VERSION_1)
        {
            return framing;
        }
        crc.reset();
        crc.update(buffer.array(), 0, CaptureHeader.LENGTH_V1);
        crc.update(buffer.array(), CaptureHeader.LENGTH, length - CaptureHeader.LENGTH);
        final int expected = buffer.getInt(CaptureHeader.CRC_OFFSET);
        if ((int)crc.getValue() != expected)
        {
            return "checksum mismatch (CRC32C " + Integer.toHexString((int)crc.getValue()) + ", the entry says "
                + Integer.toHexString(expected) + "): the entry is damaged";
        }
        return null;
    }

    /** The version and the lengths, as far as the header tells them; sets {@link #headerLength}. */
    private String framing(final int length)
    {
        final int header = CaptureHeader.length(version());
        if (header < 0)
        {
            return "unknown capture header version " + version() + " (this build reads " + CaptureHeader.VERSION_1 + " and "
                + CaptureHeader.VERSION + ")";
        }
        headerLength = header;
        final int payload = buffer.getInt(CaptureHeader.PAYLOAD_LENGTH_OFFSET);
        if (payload < 0 || payload != length - header)
        {
            return "payload length " + payload + " does not match entry length " + length;
        }
        return null;
    }

    /** As {@link #set}, for an entry of which only the capture header was read (the payload is not in the buffer). */
    String setHeaderOnly(final long index, final int length)
    {
        this.index = index;
        this.length = length;
        this.headerOnly = true;
        this.headerLength = CaptureHeader.LENGTH_V1;
        return framing(length);
    }

    /** Whether only the capture header was read: {@link #buffer()} does not hold the payload. */
    public boolean headerOnly()
    {
        return headerOnly;
    }

    /** The journal index of this entry: the event's {@code seq}. */
    public long index()
    {
        return index;
    }

    public int version()
    {
        return buffer.get(CaptureHeader.VERSION_OFFSET) & 0xFF;
    }

    public int origin()
    {
        return buffer.get(CaptureHeader.ORIGIN_OFFSET) & 0xFF;
    }

    public int protocol()
    {
        return buffer.getShort(CaptureHeader.PROTOCOL_OFFSET) & 0xFFFF;
    }

    public int group()
    {
        return buffer.getInt(CaptureHeader.GROUP_OFFSET);
    }

    public long wallNanos()
    {
        return buffer.getLong(CaptureHeader.WALL_NANOS_OFFSET);
    }

    public long monoNanos()
    {
        return buffer.getLong(CaptureHeader.MONO_NANOS_OFFSET);
    }

    public long netns()
    {
        return buffer.getLong(CaptureHeader.NETNS_OFFSET);
    }

    public int nsid()
    {
        return buffer.getInt(CaptureHeader.NSID_OFFSET);
    }

    public int flags()
    {
        return buffer.getInt(CaptureHeader.FLAGS_OFFSET);
    }

    public ByteBuffer buffer()
    {
        return buffer;
    }

    public int payloadOffset()
    {
        return headerLength;
    }

    public int payloadLength()
    {
        return length - headerLength;
    }

    /** The whole entry's bytes: header and payload. */
    public int length()
    {
        return length;
    }
}
