package io.nlstream.netlink;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AttributeParser#suspicious()} says a nest appeared twice in a level, and nothing else: in a table of more
 * than 32 entries (IFLA_*: types up to 54) a type from 32 on shares a bit of the fill's mask with a type below 32
 * (IFLA_MIN_MTU, 50, with IFLA_LINKINFO, 18), which must not make the nest look repeated.
 */
class AttributeParserSuspiciousTest
{
    private static final AttributePolicy CHILD = AttributePolicy.level("child").u32(1).build();
    // 51 entries: larger than the fill's 32-bit mask
    private static final AttributePolicy LARGE = AttributePolicy.level("large")
        .u32(50)
        .nested(CHILD, 18)
        .build();
    private static final AttributePolicy SMALL = AttributePolicy.level("small").nested(CHILD, 18).build();

    @Test
    void aTypeSharingANestsBitInALargeTableIsNotARepeat()
    {
        final ByteBuffer buf = buffer(MessageBuilder.attributes()
            .attrU32(50, 1500)
            .nest(18, n -> n.attrU32(1, 7))
            .attributeBytes());
        final AttributeParser parser = new AttributeParser();
        final int[] table = LARGE.newTable();
        assertTrue(parser.top(buf, 0, buf.capacity(), LARGE, table));
        assertFalse(parser.suspicious());
        assertEquals(4, table[50]);
        assertEquals(12, table[18]);
        // and again, over the table the last message filled
        assertTrue(parser.top(buf, 0, buf.capacity(), LARGE, table));
        assertFalse(parser.suspicious());
    }

    @Test
    void aNestTwiceInALargeTableIsSuspicious()
    {
        final ByteBuffer buf = buffer(MessageBuilder.attributes()
            .nest(18, n -> n.attrU32(1, 7))
            .attrU32(50, 1500)
            .nest(18, n -> n.attrU32(1, 8))
            .attributeBytes());
        final AttributeParser parser = new AttributeParser();
        final int[] table = LARGE.newTable();
        assertTrue(parser.top(buf, 0, buf.capacity(), LARGE, table));
        assertTrue(parser.suspicious());
        assertEquals(24, table[18]);
    }

    @Test
    void aNestTwiceInASmallTableIsSuspiciousAndOnceIsNot()
    {
        final AttributeParser parser = new AttributeParser();
        final int[] table = SMALL.newTable();
        final ByteBuffer twice = buffer(MessageBuilder.attributes()
            .nest(18, n -> n.attrU32(1, 7))
            .nest(18, n -> n.attrU32(1, 8))
            .attributeBytes());
        assertTrue(parser.top(twice, 0, twice.capacity(), SMALL, table));
        assertTrue(parser.suspicious());
        final ByteBuffer once = buffer(MessageBuilder.attributes()
            .nest(18, n -> n.attrU32(1, 7))
            .attributeBytes());
        assertTrue(parser.top(once, 0, once.capacity(), SMALL, table));
        assertFalse(parser.suspicious());
    }

    private static ByteBuffer buffer(final byte[] bytes)
    {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }
}
