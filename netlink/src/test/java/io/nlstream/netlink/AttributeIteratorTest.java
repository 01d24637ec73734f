package io.nlstream.netlink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;

import static io.nlstream.netlink.AttributeIterator.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttributeIteratorTest
{
    private final AttributeIterator it = new AttributeIterator();
    private final AttributeIterator inner = new AttributeIterator();

    private static ByteBuffer buf(final int... bytes)
    {
        final byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            b[i] = (byte)bytes[i];
        }
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    }

    /**
     * IFLA_MTU, a nested IFLA_LINKINFO (kind "veth", empty data), IFLA_OPERSTATE without its padding.
     */
    private static ByteBuffer mtuLinkInfoOperState()
    {
        return buf(
            0x08, 0x00, 0x04, 0x00,             // nla_len 8, IFLA_MTU
            0xdc, 0x05, 0x00, 0x00,             //   1500
            0x14, 0x00, 0x12, 0x80,             // nla_len 20, IFLA_LINKINFO | NLA_F_NESTED
            0x09, 0x00, 0x01, 0x00,             //   nla_len 9, IFLA_INFO_KIND
            0x76, 0x65, 0x74, 0x68, 0x00,       //     "veth\0"
            0x00, 0x00, 0x00,                   //     padding
            0x04, 0x00, 0x02, 0x00,             //   nla_len 4, IFLA_INFO_DATA, empty
            0x05, 0x00, 0x10, 0x00,             // nla_len 5, IFLA_OPERSTATE
            0x06);                              //   IF_OPER_UP, last attribute, padding missing
    }

    @Test
    void walksAttributesAndANestWithASecondIterator()
    {
        final ByteBuffer buf = mtuLinkInfoOperState();

        it.reset(buf, 0, buf.limit());
        assertTrue(it.next());
        assertEquals(4, it.type());
        assertEquals(0, it.attributeOffset());
        assertEquals(4, it.payloadOffset());
        assertEquals(4, it.payloadLength());
        assertTrue(it.isU32());
        assertEquals(1500, it.u32());
        assertFalse(it.nested());

        assertTrue(it.next());
        assertEquals(18, it.type(), "NLA_F_NESTED masked off");
        assertTrue(it.nested());
        assertTrue(it.isNested());
        inner.reset(buf, it.payloadOffset(), it.payloadLength());
        assertTrue(inner.next());
        assertEquals(1, inner.type());
        assertTrue(inner.isNulString());
        assertEquals("veth", inner.string());
        assertTrue(inner.next());
        assertEquals(2, inner.type());
        assertTrue(inner.isNested());
        assertTrue(inner.isFlag());
        assertFalse(inner.next());
        assertFalse(inner.malformed());

        assertTrue(it.next());
        assertEquals(16, it.type());
        assertTrue(it.isU8());
        assertEquals(6, it.u8());
        assertFalse(it.next());
        assertFalse(it.malformed());
        assertNull(it.error());
        assertEquals(0, buf.position());
        assertEquals(buf.capacity(), buf.limit());
    }

    @Test
    void enterWalksANestAsResetOnItsPayloadWould()
    {
        final ByteBuffer buf = mtuLinkInfoOperState();
        final AttributeIterator byReset = new AttributeIterator();
        it.reset(buf, 0, buf.limit());
        assertThrows(IllegalStateException.class, () -> inner.enter(it), "not on an attribute yet");
        assertTrue(it.next()); // IFLA_MTU
        assertTrue(it.next()); // IFLA_LINKINFO
        inner.enter(it);
        byReset.reset(buf, it.payloadOffset(), it.payloadLength());
        int seen = 0;
        while (byReset.next())
        {
            assertTrue(inner.next());
            assertEquals(byReset.type(), inner.type());
            assertEquals(byReset.attributeOffset(), inner.attributeOffset());
            assertEquals(byReset.payloadLength(), inner.payloadLength());
            seen++;
        }
        assertEquals(2, seen);
        assertFalse(inner.next());
        assertFalse(inner.malformed());
        // the outer walk goes on past the nest
        assertTrue(it.next());
        assertEquals(16, it.type());
        assertFalse(it.next());
        assertThrows(IllegalStateException.class, () -> inner.enter(it), "past the end");
    }

    @Test
    void enterClearsAnEarlierErrorAndAFailureStaysFailed()
    {
        final ByteBuffer buf = buf(
            0x0c, 0x00, 0x01, 0x80,             // nla_len 12, a nest
            0x03, 0x00, 0x01, 0x00,             //   nla_len 3: broken
            0x00, 0x00, 0x00, 0x00,
            0x0c, 0x00, 0x02, 0x80,             // nla_len 12, a good nest
            0x08, 0x00, 0x01, 0x00,             //   nla_len 8
            0x01, 0x00, 0x00, 0x00);
        it.reset(buf, 0, buf.limit());
        assertTrue(it.next());
        assertFalse(inner.enter(it).next());
        assertEquals(ERR_SHORT_ATTRIBUTE, inner.error());
        assertEquals(4, inner.errorOffset());
        assertFalse(inner.next(), "a failed walk stays failed");
        assertEquals(ERR_SHORT_ATTRIBUTE, inner.error());
        assertTrue(it.next());
        assertTrue(inner.enter(it).next());
        assertFalse(inner.malformed());
        assertNull(inner.error());
        assertEquals(-1, inner.errorOffset());
        assertEquals(1, inner.u32());
    }

    static Stream<Arguments> framing()
    {
        return Stream.of(
            Arguments.of("nla_len 0", new int[] {
                0x00, 0x00, 0x03, 0x00, // nla_len: 0, would loop forever
                0x00, 0x00, 0x00, 0x00,
            }, ERR_SHORT_ATTRIBUTE, 0),
            Arguments.of("nla_len < 4", new int[] {
                0x03, 0x00, 0x03, 0x00, // nla_len: 3, shorter than its own header
                0x00, 0x00, 0x00, 0x00,
            }, ERR_SHORT_ATTRIBUTE, 0),
            Arguments.of("nla_len past end", new int[] {
                0x08, 0x00, 0x04, 0x00, // nla_len 8, IFLA_MTU
                0xdc, 0x05, 0x00, 0x00, //   1500
                0x0c, 0x00, 0x03, 0x00, // nla_len: 12, only 8 bytes remain
                0x65, 0x74, 0x68, 0x00,
            }, ERR_LENGTH_PAST_END, 8),
            Arguments.of("trailing bytes", new int[] {
                0x08, 0x00, 0x04, 0x00, // nla_len 8, IFLA_MTU
                0xdc, 0x05, 0x00, 0x00, //   1500
                0x00, 0x00,             // two bytes: no room for another header
            }, ERR_TRAILING_BYTES, 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framing")
    void stopsOnBrokenFraming(final String name, final int[] bytes, final String error, final int errorOffset)
    {
        final ByteBuffer buf = buf(bytes);
        it.reset(buf, 0, buf.limit());
        while (it.next())
        {
            assertTrue(it.payloadOffset() + it.payloadLength() <= buf.limit());
        }
        assertTrue(it.malformed());
        assertEquals(error, it.error());
        assertEquals(errorOffset, it.errorOffset());
        assertFalse(it.next(), "stays stopped");
    }

    @Test
    void rejectsAnAreaOutsideTheBuffer()
    {
        final ByteBuffer buf = buf(0x04, 0x00, 0x01, 0x00);
        assertFalse(it.reset(buf, 0, 8).next());
        assertEquals(ERR_AREA_PAST_END, it.error());
        assertFalse(it.reset(buf, -4, 4).next());
        assertEquals(ERR_AREA_PAST_END, it.error());
        assertFalse(it.reset(buf, 2, Integer.MAX_VALUE).next());
        assertEquals(ERR_AREA_PAST_END, it.error());
        assertTrue(it.reset(buf, 0, 4).next(), "reset clears the error");
        assertFalse(it.reset(buf, 4, 0).next());
        assertFalse(it.malformed(), "an empty run is fine");
    }

    @Test
    void validatesSizesLikeMnlAttrValidate()
    {
        assertSizes(0, false, false, false, false, true, false, true);
        assertSizes(1, true, false, false, false, false, false, false);
        assertSizes(2, false, true, false, false, false, false, false);
        assertSizes(3, false, false, false, false, false, false, false);
        assertSizes(4, false, false, true, false, false, false, true);
        assertSizes(8, false, false, false, true, false, false, true);
    }

    private void assertSizes(final int payload, final boolean u8, final boolean u16, final boolean u32,
        final boolean u64, final boolean flag, final boolean string, final boolean nested)
    {
        // payload of 'x' bytes: never a NUL-terminated string
        final ByteBuffer buf = ByteBuffer.allocate(4 + payload).order(ByteOrder.nativeOrder());
        buf.putShort(0, (short)(4 + payload));
        for (int i = 0; i < payload; i++)
        {
            buf.put(4 + i, (byte)'x');
        }
        assertTrue(it.reset(buf, 0, buf.limit()).next());
        assertEquals(u8, it.isU8(), "u8 " + payload);
        assertEquals(u16, it.isU16(), "u16 " + payload);
        assertEquals(u32, it.isU32(), "u32 " + payload);
        assertEquals(u64, it.isU64(), "u64 " + payload);
        assertEquals(flag, it.isFlag(), "flag " + payload);
        assertEquals(string, it.isNulString(), "string " + payload);
        assertEquals(nested, it.isNested(), "nested " + payload);
    }

    @Test
    void nulStringMustBeNonEmptyAndEndInNul()
    {
        assertTrue(it.reset(buf(0x05, 0x00, 0x03, 0x00, 0x00), 0, 5).next());
        assertTrue(it.isNulString(), "just the NUL is the empty string");
        assertEquals("", it.string());
        assertTrue(it.reset(buf(0x08, 0x00, 0x03, 0x00, 'a', 0x00, 'b', 0x00), 0, 8).next());
        assertTrue(it.isNulString());
        assertEquals("a", it.string(), "up to the first NUL");
        assertTrue(it.reset(buf(0x06, 0x00, 0x03, 0x00, 'a', 'b', 0x00, 0x00), 0, 8).next());
        assertFalse(it.isNulString(), "the NUL after nla_len is padding, not payload");
        assertEquals("ab", it.string());
        assertTrue(it.reset(buf(0x08, 0x00, 0x03, 0x00, 0xc3, 0xbc, 'x', 0x00), 0, 8).next());
        assertEquals("\u00fcx", it.string(), "UTF-8");
    }

    @Test
    void readsHostAndNetworkOrderWhateverTheBufferOrder()
    {
        for (final ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN})
        {
            final ByteBuffer buf = buf(
                0x0c, 0x00, 0x01, 0x40,                         // nla_len 12, type 1 | NLA_F_NET_BYTEORDER
                0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88).order(order);
            assertTrue(it.reset(buf, 0, 12).next());
            assertEquals(1, it.type());
            assertTrue(it.netByteorder());
            assertEquals(0x01, it.u8());
            assertEquals(0x0201, it.u16());
            assertEquals(0x0102, it.u16be());
            assertEquals(0x04030201, it.u32());
            assertEquals(0x04030201, it.s32());
            assertEquals(0x01020304, it.u32be());
            assertEquals(0x8807060504030201L, it.u64());
        }
    }
}
