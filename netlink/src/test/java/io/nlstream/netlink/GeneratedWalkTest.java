package io.nlstream.netlink;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.nlstream.netlink.AttributeIterator.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A walk the build generated ({@link WalkProcessor}, from {@link WalkTestPolicies}) on hand-built attribute runs
 * ({@link MessageBuilder}): sizes, kinds, undeclared types, repeated types and nests, nests filled where met and
 * nests checked in place, the first refusal in message order, framing, and tables emptied when a message lacks what
 * the last one had or is refused; and hooks ({@link HookTestPolicies}): called with their payload, after their size
 * check, in message order, inside nests too. The decoders' own tests check their walks against captured messages,
 * malformed tables and a reference parser.
 */
class GeneratedWalkTest
{
    private final WalkTestWalk walk = new WalkTestWalk();
    private final Nest nest = Nest.of(WalkTestPolicies.TOP);
    private final int[] top = nest.at;
    private final int[] inner = nest.nest(3).at;

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

    private boolean walk(final ByteBuffer buf)
    {
        return walk.TOP(buf, S, buf.limit() - S, nest);
    }

    @Test
    void fillsOffsetsByTypeAndSkipsTypesItDoesNotKnow()
    {
        final ByteBuffer buf = buffer(m()
            .attrU32(1, 7)
            .attrString(2, "eth0")
            .attrU32(20, 1) // undeclared, inside the table: skipped
            .attrU32(40, 1) // undeclared, above the table: skipped
            .attr(7, 1, 2, 3) // any size
            .attr(8)
            .attrU64(33, 9));
        assertTrue(walk(buf), walk.error());
        assertEquals(S + 4, top[1]);
        assertEquals(4, Nest.length(buf, top[1]));
        assertEquals(5, Nest.length(buf, top[2]));
        assertEquals(3, Nest.length(buf, top[7]));
        assertEquals(0, Nest.length(buf, top[8]));
        assertEquals(8, Nest.length(buf, top[33]));
        assertEquals(-1, top[3]);
        assertEquals(-1, top[20]);
        assertEquals(34, top.length);
    }

    @Test
    void aSecondWalkForgetsWhatTheFirstMessageHadAndThisOneLacks()
    {
        final ByteBuffer first = buffer(m().attrU32(1, 7).attrString(2, "a").attrU64(33, 1)
            .nest(3, n -> n.attrU8(1, 6).attrBe16(2, 80)));
        assertTrue(walk(first));
        assertTrue(inner[1] >= 0 && inner[2] >= 0);
        final ByteBuffer second = buffer(m().attrString(2, "b"));
        assertTrue(walk(second));
        assertEquals(-1, top[1]);
        assertEquals(-1, top[33]);
        assertEquals(-1, top[3]);
        assertEquals(S + 4, top[2]);
        assertEquals(-1, inner[1], "the nest the second message lacks is emptied");
        assertEquals(-1, inner[2]);
        nest.clear();
        for (int type = 0; type < top.length; type++)
        {
            assertEquals(-1, top[type], "type " + type);
        }
    }

    @Test
    void theLastOfARepeatedAttributeWins()
    {
        final ByteBuffer buf = buffer(m().attrU32(1, 7).attrU32(1, 8));
        assertTrue(walk(buf));
        assertEquals(S + 12, top[1]);
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
        refused(m().attr(4, 1, 2, 3), ERR_NOT_NESTED, S);
        refused(m().attr(9, 1), ERR_NOT_NESTED, S);
        refused(m().attrU64(33, 1).attrU32(33, 1), ERR_NOT_U64, S + 12);
        final ByteBuffer ok = buffer(m().attr(6, 1, 2).attr(3).attr(9).attr(9, 4, 0, 1, 0));
        assertTrue(walk(ok), "2 bytes fit 2..4, an empty nest is a nest, a nest without a policy is looked at no deeper");
    }

    @Test
    void refusesBrokenFramingWhereItBreaks()
    {
        refused(m().attrU32(1, 1).attrHeader(2, 1), ERR_SHORT_ATTRIBUTE, S + 8);
        // nla_len past the end of the area
        refused(m().attrU32(1, 1).raw(40, 0, 7, 0), ERR_LENGTH_PAST_END, S + 8);
        // 1 to 3 bytes left over: no room for a header
        refused(m().attrU32(1, 1).raw(1, 2), ERR_TRAILING_BYTES, S + 8);
        // the same inside a nest
        refused(m().nest(3, n -> n.attrU8(1, 1).raw(1, 2)), ERR_TRAILING_BYTES, S + 12);
        final ByteBuffer buf = buffer(m().attrU32(1, 1));
        assertFalse(walk.TOP(buf, S, buf.limit(), nest), "an area past the buffer's end");
        assertEquals(ERR_AREA_PAST_END, walk.error());
        assertEquals(S, walk.errorOffset());
        assertFalse(walk.TOP(buf, -1, 4, nest));
        assertEquals(ERR_AREA_PAST_END, walk.error());
    }

    @Test
    void theLastAttributeMayLackItsPadding()
    {
        // a u8 whose nla_len is 5 ends the area without its 3 bytes of padding
        final byte[] bytes = m().attrU32(1, 1).raw(5, 0, 7, 0, 1).bytes();
        final ByteBuffer buf = ByteBuffer.wrap(bytes);
        assertEquals(S + 13, bytes.length);
        assertTrue(walk.TOP(buf, S, bytes.length - S, nest), walk.error());
        assertEquals(S + 4, top[1]);
        assertEquals(S + 12, top[7]);
    }

    private void refused(final MessageBuilder m, final String error, final int offset)
    {
        // a well-formed message first, so that a refusal has tables to empty
        assertTrue(walk(buffer(m().attrU32(1, 1).nest(3, n -> n.attrU8(1, 2)))));
        final ByteBuffer buf = buffer(m);
        assertFalse(walk(buf));
        assertEquals(error, walk.error());
        assertEquals(offset, walk.errorOffset());
        for (int type = 0; type < top.length; type++)
        {
            assertEquals(-1, top[type], "a refused message leaves every table empty: type " + type);
        }
        assertEquals(-1, inner[1]);
    }

    @Test
    void aNestIsFilledWhereMetAndEmptiedWhenAbsent()
    {
        final ByteBuffer buf = buffer(m().nest(3, n -> n.attrU8(1, 6).attrBe16(2, 80)));
        assertTrue(walk(buf));
        assertEquals(1, Nest.length(buf, inner[1]));
        assertEquals(80, Bytes.u16be(buf, inner[2]));
        final ByteBuffer without = buffer(m().attrU32(1, 1));
        assertTrue(walk(without));
        assertEquals(-1, inner[1]);
        assertEquals(-1, inner[2]);
    }

    @Test
    void aCheckedNestIsValidatedInPlaceInMessageOrder()
    {
        final ByteBuffer bad = buffer(m()
            .nest(4, n -> n.attrU16(1, 1)) // CHECKED's type 1 is a u32
            .attrU16(1, 7)); // and TOP's type 1 too, later
        assertFalse(walk(bad));
        assertEquals(ERR_NOT_U32, walk.error());
        assertEquals(S + 4, walk.errorOffset(), "inside the checked nest, not the later top-level u32");
        final ByteBuffer good = buffer(m().nest(4, n -> n.attrU32(1, 1)));
        assertTrue(walk(good));
        assertEquals(S + 4, top[4], "a checked nest is recorded, not entered");
    }

    @Test
    void anErrorInsideANestComesFirstWhenTheNestComesFirst()
    {
        final ByteBuffer buf = buffer(m()
            .nest(3, n -> n.attrU16(1, 6))
            .attrU16(1, 7));
        assertFalse(walk(buf));
        assertEquals(ERR_NOT_U8, walk.error());
        assertEquals(S + 4, walk.errorOffset());
    }

    @Test
    void aNestMetTwiceIsWalkedEachTimeAndTheLastWinsAsAWhole()
    {
        final ByteBuffer bad = buffer(m()
            .nest(3, n -> n.attrU16(1, 6)) // bad, though replaced by the next: the kernel refuses it
            .nest(3, n -> n.attrU8(1, 6)));
        assertFalse(walk(bad));
        assertEquals(ERR_NOT_U8, walk.error());
        assertEquals(S + 4, walk.errorOffset());
        final ByteBuffer twice = buffer(m()
            .nest(3, n -> n.attrU8(1, 6).attrBe16(2, 80))
            .nest(3, n -> n.attrU8(1, 7)));
        assertTrue(walk(twice));
        assertEquals(7, Bytes.u8(twice, inner[1]));
        assertEquals(-1, inner[2], "not the port of the first copy");
    }

    @Test
    void anAddressIsTheFamilysLength()
    {
        final AddressTestWalk addresses = new AddressTestWalk();
        final Nest table = Nest.of(AddressTestPolicies.TOP);
        final ByteBuffer v4 = buffer(m().attr(1, 10, 0, 0, 1).attrU8(2, 1));
        final ByteBuffer v6 = buffer(m().attr(1, new byte[16]).attrU8(2, 1));
        final ByteBuffer odd = buffer(m().attr(1, 1, 2, 3).attrU8(2, 1));
        final int afInet = 2;
        final int afInet6 = 10;
        assertTrue(addresses.TOP(v4, S, v4.limit() - S, table, afInet));
        assertEquals(S + 4, table.at[1]);
        assertTrue(addresses.TOP(v6, S, v6.limit() - S, table, afInet6));
        for (final int family : new int[] {0, 7, 28, 129})
        {
            assertTrue(addresses.TOP(odd, S, odd.limit() - S, table, family), "another family's address, any size");
        }
        for (final Object[] refused : new Object[][] {{v4, afInet6}, {v6, afInet}, {odd, afInet}, {odd, afInet6}})
        {
            final ByteBuffer buf = (ByteBuffer)refused[0];
            assertFalse(addresses.TOP(buf, S, buf.limit() - S, table, (Integer)refused[1]));
            assertEquals("not the family's address length", addresses.error());
            assertEquals(S, addresses.errorOffset());
            assertEquals(-1, table.at[2], "the tables are emptied");
        }
    }

    @Test
    void aPolicyRefusesTypesAndSizesThatCannotBe()
    {
        assertThrows(IllegalArgumentException.class, () -> AttributePolicy.level("X").u8(0));
        assertThrows(IllegalArgumentException.class, () -> AttributePolicy.level("X").u8(Netlink.NLA_TYPE_MASK + 1));
        assertThrows(IllegalArgumentException.class, () -> AttributePolicy.level("X").binary(1, 4, 2, "e"));
        assertEquals(34, WalkTestPolicies.TOP.tableSize());
        assertSame(WalkTestPolicies.INNER, WalkTestPolicies.TOP.child(3));
        assertNull(WalkTestPolicies.TOP.child(1));
        assertEquals("TOP", WalkTestPolicies.TOP.toString());
        assertThrows(IllegalArgumentException.class, () -> nest.nest(4), "a checked nest has no table");
    }

    /**
     * The hooks of {@link HookTestPolicies}: each call noted as {@code "hook payload length"}, with
     * {@code " recorded"} when the walk had recorded the payload's offset in a table before calling; a payload whose
     * first byte is 0xEE refused, {@code run} at its payload and {@code inner} at its attribute (a hook names its
     * own offset).
     */
    private static final class Hooks extends HookTestWalk
    {
        final Nest nest = Nest.of(HookTestPolicies.TOP);
        final List<String> calls = new ArrayList<>();

        @Override
        protected boolean run(final int payload, final int length)
        {
            return called("run", payload, length) || refuse("run refused", payload);
        }

        @Override
        protected boolean inner(final int payload, final int length)
        {
            return called("inner", payload, length) || refuse("inner refused", payload - 4);
        }

        private boolean called(final String hook, final int payload, final int length)
        {
            final boolean recorded = Arrays.stream(nest.at).anyMatch(at -> at == payload)
                || Arrays.stream(nest.nest(3).at).anyMatch(at -> at == payload);
            calls.add(call(hook, payload, length, recorded));
            return length == 0 || view.u8(payload) != 0xEE;
        }

        boolean walk(final ByteBuffer buf)
        {
            calls.clear();
            return TOP(buf, S, buf.limit() - S, nest);
        }
    }

    private static String call(final String hook, final int payload, final int length, final boolean recorded)
    {
        return hook + " " + payload + " " + length + (recorded ? " recorded" : "");
    }

    private final Hooks hooks = new Hooks();

    private void hooksRefused(final MessageBuilder m, final String error, final int offset, final String... calls)
    {
        assertTrue(hooks.walk(buffer(m().attrU32(1, 1).nest(3, n -> n.attrU8(1, 2)))));
        assertFalse(hooks.walk(buffer(m)));
        assertEquals(error, hooks.error());
        assertEquals(offset, hooks.errorOffset());
        assertEquals(List.of(calls), hooks.calls);
        assertTrue(Arrays.stream(hooks.nest.at).allMatch(at -> at == -1), "every table emptied");
        assertTrue(Arrays.stream(hooks.nest.nest(3).at).allMatch(at -> at == -1), "every table emptied");
    }

    @Test
    void aHookIsCalledWithItsPayloadOnceItsSizePassedAndItsOffsetIsRecorded()
    {
        // type 2: header at S + 8, 6 bytes of payload, padded to 8; type 5, empty, at S + 20
        final ByteBuffer buf = buffer(m().attrU32(1, 7).attr(2, 1, 2, 3, 4, 5, 6).attr(5));
        assertTrue(hooks.walk(buf), hooks.error());
        assertEquals(List.of(call("run", S + 12, 6, true), call("run", S + 24, 0, true)), hooks.calls);
        assertEquals(S + 12, hooks.nest.at[2]);
        assertEquals(S + 24, hooks.nest.at[5]);
        assertEquals(S + 4, hooks.nest.at[1]);
    }

    @Test
    void aHookIsNotCalledOnAnAttributeItsSizeRuleRefuses()
    {
        hooksRefused(m().attr(2, 1, 2, 3), "two is at least 4 bytes", S);
        hooksRefused(m().nest(3, n -> n.attr(2)), "two is 1 to 8 bytes", S + 4);
        hooksRefused(m().nest(3, n -> n.attr(2, new byte[9])), "two is 1 to 8 bytes", S + 4);
    }

    @Test
    void aBadAttributeBeforeTheHooksAttributeWins()
    {
        // the hook would refuse its attribute, but is never called
        hooksRefused(m().attrU16(1, 7).attr(2, 0xEE, 0, 0, 0), ERR_NOT_U32, S);
        hooksRefused(m().attr(5, 1).attr(2, 1, 2, 3).attr(2, 0xEE, 0, 0, 0), "two is at least 4 bytes", S + 8,
            call("run", S + 4, 1, true));
    }

    @Test
    void aHooksRefusalBeforeALaterBadAttributeWins()
    {
        hooksRefused(m().attrU32(1, 1).attr(2, 0xEE, 0, 0, 0).attrU16(1, 7).attr(5), "run refused", S + 12,
            call("run", S + 12, 4, true));
    }

    @Test
    void hooksAreCalledInMessageOrderDepthFirstInsideNestsFilledOrChecked()
    {
        final ByteBuffer buf = buffer(m()
            .attr(5, 1) // S: payload S + 4
            .nest(3, n -> n.attrU8(1, 1).attr(2, 9, 9)) // S + 8: INNER's type 2 at S + 20, payload S + 24
            .nest(4, n -> n.attr(1, 7)) // S + 28: checked in place, its type 1 at S + 32, payload S + 36
            .attr(2, 1, 2, 3, 4)); // S + 40: payload S + 44
        assertTrue(hooks.walk(buf), hooks.error());
        assertEquals(List.of(
            call("run", S + 4, 1, true),
            call("inner", S + 24, 2, true),
            call("inner", S + 36, 1, false), // a nest checked in place has no table
            call("run", S + 44, 4, true)), hooks.calls);
        assertEquals(S + 24, hooks.nest.nest(3).at[2]);
    }

    @Test
    void aHooksRefusalInsideANestComesFirstWhenTheNestComesFirst()
    {
        hooksRefused(m().nest(3, n -> n.attr(2, 0xEE)).attrU16(1, 7), "inner refused", S + 4,
            call("inner", S + 8, 1, true));
        hooksRefused(m().nest(4, n -> n.attr(1, 0xEE)).attr(2, 1), "inner refused", S + 4,
            call("inner", S + 8, 1, false));
        // and a bad attribute inside the nest before the hook's
        hooksRefused(m().nest(3, n -> n.attrU16(1, 1).attr(2, 0xEE)), ERR_NOT_U8, S + 4);
    }

    @Test
    void aWalkWithHooksIsAbstractWithOneMethodPerHook()
    {
        assertTrue(Modifier.isAbstract(HookTestWalk.class.getModifiers()));
        assertTrue(Modifier.isFinal(WalkTestWalk.class.getModifiers()), "a walk without hooks is final");
        final Set<String> declared = Arrays.stream(HookTestWalk.class.getDeclaredMethods())
            .filter(method -> Modifier.isAbstract(method.getModifiers()))
            .map(Method::getName)
            .collect(Collectors.toSet());
        assertEquals(Set.of("run", "inner"), declared);
        for (final String name : declared)
        {
            assertDoesNotThrow(() -> HookTestWalk.class.getDeclaredMethod(name, int.class, int.class));
        }
        assertThrows(IllegalArgumentException.class, () -> AttributePolicy.level("X").hook(1, 0, 4, null, "h"),
            "bounds without an error");
        assertThrows(IllegalArgumentException.class, () -> AttributePolicy.level("X").hook(1, 0, 4, "e", "not a name"));
        assertThrows(IllegalArgumentException.class, () -> AttributePolicy.level("X").hook(1, 0, 4, "e", null));
        assertThrows(IllegalArgumentException.class, () -> AttributePolicy.level("X").hook(0, 0, 4, "e", "h"));
    }
}
