package io.nlstream.netlink.internal;

import sun.misc.Unsafe;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads without the per-access checks of {@link ByteBuffer} (index against limit, byte order,
 * read-only scope), for the few hot loops that have already proved the bytes they read lie inside the
 * buffer: {@code AttributeIterator} checks each attribute's frame against the end of its run, and the run
 * against {@link ByteBuffer#limit()}, before reading anything in it. The same technique as Agrona's
 * {@code UnsafeBuffer} and Chronicle's {@code Bytes}: a buffer is a base object (the heap array, or null
 * for direct memory) plus an address, both read once per buffer from {@link Buffer}'s own fields.
 * <p>
 * Reads are in host (native) order, which is the order of netlink headers and of most attributes; the
 * buffer's own {@link ByteBuffer#order()} plays no part, as with {@code io.nlstream.netlink.Bytes}.
 * <p>
 * {@link #AVAILABLE} is false when this JVM lays out {@code java.nio.Buffer} differently (checked at
 * class load by reading known bytes from a heap and a direct buffer); callers then keep to the
 * ByteBuffer reads. Nothing here is used by code that has not bounds-checked first: an unchecked read
 * past the end of a buffer reads whatever memory is there.
 */
public final class Memory
{
    public static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private static final Unsafe UNSAFE;
    private static final long ADDRESS_FIELD;
    private static final long HB_FIELD;

    /**
     * Whether the unchecked reads work on this JVM.
     */
    public static final boolean AVAILABLE;

    static
    {
        Unsafe unsafe = null;
        long address = -1;
        long hb = -1;
        boolean ok = false;
        try
        {
            final Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = (Unsafe)f.get(null);
            address = unsafe.objectFieldOffset(Buffer.class.getDeclaredField("address"));
            hb = unsafe.objectFieldOffset(ByteBuffer.class.getDeclaredField("hb"));
            ok = true;
        }
        catch (final ReflectiveOperationException | RuntimeException e)
        {
            ok = false;
        }
        UNSAFE = unsafe;
        ADDRESS_FIELD = address;
        HB_FIELD = hb;
        AVAILABLE = ok && selfCheck();
    }

    private Memory()
    {
    }

    /**
     * @return the object reads of {@code buf} are relative to: its backing array, or null when direct.
     */
    public static Object base(final ByteBuffer buf)
    {
        return buf.isDirect() ? null : UNSAFE.getObject(buf, HB_FIELD);
    }

    /**
     * @return the address of {@code buf}'s index 0 relative to {@link #base}: a native address when
     * direct, an array offset (the array's base offset plus the buffer's own offset into it) on the heap.
     */
    public static long address(final ByteBuffer buf)
    {
        return UNSAFE.getLong(buf, ADDRESS_FIELD);
    }

    public static int u8(final Object base, final long address)
    {
        return UNSAFE.getByte(base, address) & 0xFF;
    }

    /**
     * @return a u16 in host order.
     */
    public static int u16(final Object base, final long address)
    {
        return UNSAFE.getShort(base, address) & 0xFFFF;
    }

    /**
     * @return a u32 or s32 in host order.
     */
    public static int i32(final Object base, final long address)
    {
        return UNSAFE.getInt(base, address);
    }

    public static long i64(final Object base, final long address)
    {
        return UNSAFE.getLong(base, address);
    }

    /**
     * @return a big-endian (network order) u16.
     */
    public static int u16be(final Object base, final long address)
    {
        final short v = UNSAFE.getShort(base, address);
        return (LITTLE_ENDIAN ? Short.reverseBytes(v) : v) & 0xFFFF;
    }

    /**
     * @return a big-endian (network order) u32 or s32.
     */
    public static int i32be(final Object base, final long address)
    {
        final int v = UNSAFE.getInt(base, address);
        return LITTLE_ENDIAN ? Integer.reverseBytes(v) : v;
    }

    /**
     * Reads known bytes through both kinds of buffer, at an offset into a heap array and through a
     * slice, so a JVM whose Buffer fields mean something else turns the fast path off instead of
     * reading garbage.
     */
    private static boolean selfCheck()
    {
        try
        {
            final byte[] array = new byte[16];
            for (int i = 0; i < array.length; i++)
            {
                array[i] = (byte)(i + 1);
            }
            final ByteBuffer heap = ByteBuffer.wrap(array).position(3).slice().asReadOnlyBuffer();
            final ByteBuffer direct = ByteBuffer.allocateDirect(16);
            direct.put(array).clear();
            final ByteBuffer directSlice = direct.position(5).slice();
            return u8(base(heap), address(heap) + 2) == 6
                && u8(base(direct), address(direct) + 9) == 10
                && u8(base(directSlice), address(directSlice) + 1) == 7
                && i32(base(heap), address(heap)) == heap.order(ByteOrder.nativeOrder()).getInt(0);
        }
        catch (final RuntimeException e)
        {
            return false;
        }
    }
}
