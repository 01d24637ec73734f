package io.nlstream.netlink;

import io.nlstream.netlink.internal.Memory;

import java.nio.ByteBuffer;

/**
 * The buffer a decoder has wrapped, read without ByteBuffer's per-read checks once the decoder has
 * validated what it reads (see {@link Memory}); on a JVM where {@link Memory#AVAILABLE} is false the
 * reads go through {@link Bytes} instead. Reads are absolute, in host order or (the {@code be} reads) in
 * network order, whatever the buffer's {@link ByteBuffer#order()}.
 * <p>
 * Only offsets a decoder has checked against the message (and the message against the buffer's limit)
 * may be read: nothing here checks an index.
 */
public final class ByteView
{
    private ByteBuffer buf;
    private Object base;
    private long address;

    /**
     * Points this view at {@code buf}; cheap when it already is.
     */
    public void wrap(final ByteBuffer buf)
    {
        if (buf != this.buf)
        {
            this.buf = buf;
            if (Memory.AVAILABLE)
            {
                base = Memory.base(buf);
                address = Memory.address(buf);
            }
        }
    }

    public ByteBuffer buffer()
    {
        return buf;
    }

    public int u8(final int index)
    {
        return Memory.AVAILABLE ? Memory.u8(base, address + index) : Bytes.u8(buf, index);
    }

    public int u16(final int index)
    {
        return Memory.AVAILABLE ? Memory.u16(base, address + index) : Bytes.u16(buf, index);
    }

    public int i32(final int index)
    {
        return Memory.AVAILABLE ? Memory.i32(base, address + index) : Bytes.i32(buf, index);
    }

    public int u16be(final int index)
    {
        return Memory.AVAILABLE ? Memory.u16be(base, address + index) : Bytes.u16be(buf, index);
    }

    public int i32be(final int index)
    {
        return Memory.AVAILABLE ? Memory.i32be(base, address + index) : Bytes.i32be(buf, index);
    }

    /**
     * @return a big-endian u64 (conntrack counters and timestamps).
     */
    public long i64be(final int index)
    {
        return ((long)i32be(index) << 32) | Integer.toUnsignedLong(i32be(index + 4));
    }
}
