package io.nlstream.netlink;

import io.nlstream.netlink.internal.Memory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unchecked reads must read what ByteBuffer's checked ones read, at every index, for every kind
 * of buffer a decoder meets: direct (the capture path), heap (tests, copies), slices of both at odd
 * offsets, read-only views, and either byte order set on the buffer.
 */
class ByteViewTest
{
    private static final int SIZE = 67;

    @Test
    void theUncheckedPathIsOnOnThisJvm()
    {
        // the decode benchmarks' numbers assume it; a JVM where it is off still decodes, more slowly
        assertTrue(Memory.AVAILABLE, "Memory self-check failed on " + System.getProperty("java.vm.version"));
    }

    static Stream<Arguments> buffers()
    {
        final byte[] bytes = new byte[SIZE + 13];
        new Random(42).nextBytes(bytes);
        final ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(bytes).clear();
        return Stream.of(
            Arguments.of("heap", ByteBuffer.wrap(bytes, 0, SIZE).slice()),
            Arguments.of("heap slice at 13", ByteBuffer.wrap(bytes).position(13).slice()),
            Arguments.of("heap read-only", ByteBuffer.wrap(bytes).position(5).slice().asReadOnlyBuffer()),
            Arguments.of("direct", direct.duplicate().limit(SIZE).slice()),
            Arguments.of("direct slice at 7", direct.duplicate().position(7).slice()),
            Arguments.of("direct read-only", direct.duplicate().position(3).slice().asReadOnlyBuffer()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buffers")
    void readsWhatByteBufferReads(final String name, final ByteBuffer source)
    {
        for (final ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN})
        {
            final ByteBuffer buf = source.duplicate().order(order);
            final ByteView view = new ByteView();
            view.wrap(buf);
            assertSame(buf, view.buffer());
            for (int i = 0; i + 8 <= SIZE; i++)
            {
                final String at = name + " order=" + order + " index=" + i;
                assertEquals(Bytes.u8(buf, i), view.u8(i), at);
                assertEquals(Bytes.u16(buf, i), view.u16(i), at);
                assertEquals(Bytes.i32(buf, i), view.i32(i), at);
                assertEquals(Bytes.u16be(buf, i), view.u16be(i), at);
                assertEquals(Bytes.i32be(buf, i), view.i32be(i), at);
                final long be64 = buf.duplicate().order(ByteOrder.BIG_ENDIAN).getLong(i);
                assertEquals(be64, view.i64be(i), at);
            }
        }
    }

    @Test
    void rewrappingFollowsTheNewBuffer()
    {
        final ByteBuffer a = ByteBuffer.allocateDirect(4).putInt(0, 0x01020304);
        final ByteBuffer b = ByteBuffer.wrap(new byte[] {9, 8, 7, 6});
        final ByteView view = new ByteView();
        view.wrap(a);
        assertEquals(0x01020304, view.i32be(0));
        view.wrap(b);
        assertEquals(0x09080706, view.i32be(0));
        view.wrap(a);
        assertEquals(0x01020304, view.i32be(0));
    }
}
