package io.nlstream.netlink;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static io.nlstream.netlink.AttributeIterator.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The policy tables and the one parser every decoder fills its tables with, on hand-built attribute runs
 * ({@link MessageBuilder}): sizes, kinds, repeated types, nests walked by the decoder and nests checked in place,
 * and the first refusal in message order. The decoders' own tests check the same against captured messages and a
 * reference parser.
 */
class AttributeParserTest
{
    private static final AttributePolicy INNER = AttributePolicy.level("INNER").u8(1).be16(2).build();
    private static final AttributePolicy CHECKED_INNER = AttributePolicy.level("CHECKED").u32(1).build();
    private static final AttributePolicy TOP = AttributePolicy.level("TOP")
        .u32(1)
        .nulString(2)
        .nested(INNER, 3)
        .checked(CHECKED_INNER, 4)
        .exact(5, 6, "five is six bytes")
        .binary(6, 2, 4, "six is 2 to 4 bytes")
        .any(7)
        .flag(8)
        .u64(33)
        .build();

    private final AttributeParser parser = new AttributeParser();
    private final int[] top = TOP.newTable();
    private final int[] inner = INNER.newTable();

    // the attributes follow a netlink header (the builder writes nlmsg_len in a run's first four bytes)
    private static final int S = Netlink.NLMSG_HDRLEN;

    private static MessageBuilder m()
    {
        return MessageBuilder.message(0x10);
    }

    private static ByteBuffer buffer(final MessageBuilder m)
    {
        return ByteBuffer.wrap(m.bytes());
    }

    @Test
    void fillsOffsetsByTypeAndSkipsTypesItDoesNotKnow()
    {
        final ByteBuffer buf = buffer(m()
            .attrU32(1, 7)
            .attrString(2, "eth0")
            .attrU32(20, 1) // undeclared, above the table: skipped
            .attr(7, 1, 2, 3) // any size
            .attr(8)
            .attrU64(33, 9));
        assertTrue(parser.top(buf, S, buf.limit() - S, TOP, top), parser.error());
        assertEquals(S + 4, top[1]);
        assertEquals(4, parser.length(top[1]));
        assertEquals(5, parser.length(top[2]));
        assertEquals(3, parser.length(top[7]));
        assertEquals(0, parser.length(top[8]));
        assertEquals(8, parser.length(top[33]));
        assertEquals(-1, top[3]);
        assertTrue(AttributeParser.filled(top));
        assertFalse(parser.suspicious());
    }

    @Test
    void aSecondFillForgetsWhatTheFirstMessageHadAndThisOneLacks()
    {
        final ByteBuffer first = buffer(m().attrU32(1, 7).attrString(2, "a").attrU64(33, 1));
        assertTrue(parser.top(first, S, first.limit() - S, TOP, top));
        final ByteBuffer second = buffer(m().attrString(2, "b"));
        assertTrue(parser.top(second, S, second.limit() - S, TOP, top));
        assertEquals(-1, top[1]);
        assertEquals(-1, top[33]);
        assertEquals(S + 4, top[2]);
        AttributeParser.clear(top);
        assertFalse(AttributeParser.filled(top));
        for (int type = 1; type < top.length; type++)
        {
            assertEquals(-1, top[type], "type " + type);
        }
    }

    @Test
    void theLastOfARepeatedAttributeWins()
    {
        final ByteBuffer buf = buffer(m().attrU32(1, 7).attrU32(1, 8));
        assertTrue(parser.top(buf, S, buf.limit() - S, TOP, top));
        assertEquals(S + 12, top[1]);
        assertFalse(parser.suspicious(), "a repeated plain attribute needs no second look");
    }

    @Test
    void refusesWhatBreaksItsRuleWithTheRulesError()
    {
        refused(m().attrU16(1, 7), ERR_NOT_U32, S);
        refused(m().attrU32(1, 7).attr(2, 'a', 'b'), ERR_NOT_NUL_STRING, S + 8);
        refused(m().attr(2), ERR_NOT_NUL_STRING, S);
        refused(m().attr(5, 1, 2, 3, 4, 5), "five is six bytes", S);
        refused(m().attr(6, 1), "six is 2 to 4 bytes", S);
        refused(m().attr(6, 1, 2, 3, 4, 5), "six is 2 to 4 bytes", S);
        refused(m().attr(8, 1), ERR_NOT_FLAG, S);
        refused(m().attr(3, 1, 2), ERR_NOT_NESTED, S);
        refused(m().attrU32(1, 1).attrHeader(2, 1), ERR_SHORT_ATTRIBUTE, S + 8);
        final ByteBuffer ok = buffer(m().attr(6, 1, 2).attr(3));
        assertTrue(parser.top(ok, S, ok.limit() - S, TOP, top), "2 bytes fit 2..4, an empty nest is a nest");
    }

    private void refused(final MessageBuilder m, final String error, final int offset)
    {
        final ByteBuffer buf = buffer(m);
        assertFalse(parser.top(buf, S, buf.limit() - S, TOP, top));
        assertEquals(error, parser.error());
        assertEquals(offset, parser.errorOffset());
        assertTrue(parser.findFirstError(buf, S, buf.limit() - S, TOP), "the depth-first walk refuses it too");
        assertEquals(error, parser.error());
        assertEquals(offset, parser.errorOffset());
    }

    @Test
    void aNestIsFilledWhenTheDecoderEntersItAndEmptiedWhenAbsent()
    {
        final ByteBuffer buf = buffer(m().nest(3, n -> n.attrU8(1, 6).attrBe16(2, 80)));
        assertTrue(parser.top(buf, S, buf.limit() - S, TOP, top));
        assertTrue(parser.nestOrClear(top[3], INNER, inner));
        assertEquals(1, parser.length(inner[1]));
        assertEquals(80, Bytes.u16be(buf, inner[2]));
        final ByteBuffer without = buffer(m().attrU32(1, 1));
        assertTrue(parser.top(without, S, without.limit() - S, TOP, top));
        assertTrue(parser.nestOrClear(top[3], INNER, inner));
        assertFalse(AttributeParser.filled(inner));
        assertEquals(-1, inner[1]);
        assertEquals(-1, inner[2]);
    }

    @Test
    void aCheckedNestIsValidatedInPlaceInMessageOrder()
    {
        final ByteBuffer bad = buffer(m()
            .nest(4, n -> n.attrU16(1, 1)) // CHECKED's type 1 is a u32
            .attrU16(1, 7)); // and TOP's type 1 too, later
        assertFalse(parser.top(bad, S, bad.limit() - S, TOP, top));
        assertEquals(ERR_NOT_U32, parser.error());
        assertEquals(S + 4, parser.errorOffset(), "inside the checked nest, not the later top-level u32");
        final ByteBuffer good = buffer(m().nest(4, n -> n.attrU32(1, 1)));
        assertTrue(parser.top(good, S, good.limit() - S, TOP, top));
    }

    @Test
    void anErrorInsideANestComesFirstWhenTheNestComesFirst()
    {
        // the fill of the top level refuses type 1 at S + 12; the nest before it, walked later, is refused at S + 4
        final ByteBuffer buf = buffer(m()
            .nest(3, n -> n.attrU16(1, 6))
            .attrU16(1, 7));
        assertFalse(parser.top(buf, S, buf.limit() - S, TOP, top));
        assertEquals(S + 12, parser.errorOffset());
        assertTrue(parser.findFirstError(buf, S, buf.limit() - S, TOP));
        assertEquals(ERR_NOT_U8, parser.error());
        assertEquals(S + 4, parser.errorOffset());
    }

    @Test
    void aNestMetTwiceIsSuspiciousSinceOnlyTheLastIsLookedInto()
    {
        final ByteBuffer buf = buffer(m()
            .nest(3, n -> n.attrU16(1, 6)) // bad, and replaced by the next
            .nest(3, n -> n.attrU8(1, 6)));
        assertTrue(parser.top(buf, S, buf.limit() - S, TOP, top));
        assertTrue(parser.suspicious());
        assertTrue(parser.nestOrClear(top[3], INNER, inner), "the last copy is well formed");
        assertTrue(parser.findFirstError(buf, S, buf.limit() - S, TOP), "the kernel refuses the first copy");
        assertEquals(ERR_NOT_U8, parser.error());
        assertEquals(S + 4, parser.errorOffset());
    }

    @Test
    void aPolicyRefusesTypesAndSizesThatCannotBe()
    {
        assertThrows(IllegalArgumentException.class, () -> AttributePolicy.level("X").u8(0));
        assertThrows(IllegalArgumentException.class, () -> AttributePolicy.level("X").u8(Netlink.NLA_TYPE_MASK + 1));
        assertThrows(IllegalArgumentException.class, () -> AttributePolicy.level("X").binary(1, 4, 2, "e"));
        assertEquals(34, TOP.tableSize());
        assertSame(INNER, TOP.child(3));
        assertNull(TOP.child(1));
        assertEquals("TOP", TOP.toString());
    }
}
