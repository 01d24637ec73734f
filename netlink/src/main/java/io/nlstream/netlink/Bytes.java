package io.nlstream.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Absolute reads in the kernel's byte order (host order) or in network order, whatever order the
 * {@link ByteBuffer} happens to be set to. Netlink headers and most attributes are host order; a few
 * attributes (ports, some conntrack fields) are network order.
 * <p>
 * The buffer's position, limit and order are never changed: a buffer is shared with other readers
 * (a journal tailer, another decoder), and {@code ByteBuffer.allocate} defaults to big-endian.
 */
public final class Bytes
{
    public static final ByteOrder HOST_ORDER = ByteOrder.nativeOrder();

    private Bytes()
    {
    }

    public static int u8(final ByteBuffer buf, final int index)
    {
        return buf.get(index) & 0xFF;
    }

    public static int u16(final ByteBuffer buf, final int index)
    {
        final short v = buf.getShort(index);
        return (buf.order() == HOST_ORDER ? v : Short.reverseBytes(v)) & 0xFFFF;
    }

    /**
     * A u32 or s32 in host order; callers that mean u32 use {@link Integer#toUnsignedLong(int)}.
     */
    public static int i32(final ByteBuffer buf, final int index)
    {
        final int v = buf.getInt(index);
        return buf.order() == HOST_ORDER ? v : Integer.reverseBytes(v);
    }

    public static long i64(final ByteBuffer buf, final int index)
    {
        final long v = buf.getLong(index);
        return buf.order() == HOST_ORDER ? v : Long.reverseBytes(v);
    }

    public static int u16be(final ByteBuffer buf, final int index)
    {
        final short v = buf.getShort(index);
        return (buf.order() == ByteOrder.BIG_ENDIAN ? v : Short.reverseBytes(v)) & 0xFFFF;
    }

    public static int i32be(final ByteBuffer buf, final int index)
    {
        final int v = buf.getInt(index);
        return buf.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }
}
