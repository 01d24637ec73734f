package io.nlstream.netlink;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.nlstream.netlink.AttributeIterator.ERR_AREA_PAST_END;
import static io.nlstream.netlink.AttributeIterator.ERR_LENGTH_PAST_END;
import static io.nlstream.netlink.AttributeIterator.ERR_SHORT_ATTRIBUTE;
import static io.nlstream.netlink.AttributeIterator.ERR_TRAILING_BYTES;
import static io.nlstream.netlink.AttributeIterator.lenOf;
import static io.nlstream.netlink.AttributeIterator.typeOf;
import static io.nlstream.netlink.Netlink.NLA_HDRLEN;
import static io.nlstream.netlink.AttributePolicy.CHECKED;
import static io.nlstream.netlink.AttributePolicy.NESTED;
import static io.nlstream.netlink.AttributePolicy.NUL_STRING;
import static io.nlstream.netlink.AttributePolicy.kind;
import static io.nlstream.netlink.AttributePolicy.max;
import static io.nlstream.netlink.AttributePolicy.min;

/**
 * Fills tables of attribute offsets, one nesting level at a time, checking each attribute against its level's
 * {@link AttributePolicy}: {@code mnl_attr_parse} with {@code mnl_attr_validate2}, or the kernel's
 * {@code nla_parse_nested} with a policy, for a flyweight. A table is an {@code int[]} indexed by attribute type
 * holding the payload's offset in the buffer, -1 when absent; the last of a repeated attribute wins.
 *
 * <pre>{@code
 * if (!parser.top(buf, start, length, TOP, top)
 *     || !parser.nestOrClear(top[IFLA_LINKINFO], LINK_INFO, linkInfo)) return fail(...);
 * }</pre>
 *
 * The fast walk is one loop per level, and a decoder enters only the nests it reads. Refusals are found as a depth
 * first walk finds them, in the order of the message, by {@link #findFirstError}, which walks the whole message
 * against the policy tree: a decoder calls it on the cold path, when a fill failed, and when {@link #suspicious()} (a
 * nest appeared twice in a level: the fast walk looks into the last one only, the kernel checks both). Nothing is
 * thrown; a refusal is {@link #error()} at {@link #errorOffset()}. Not thread safe.
 */
public final class AttributeParser
{
    // the buffer of the message being parsed, read unchecked once top() has checked the area against its limit
    private final ByteView view = new ByteView();
    private ByteBuffer buf;
    // one per depth, for findFirstError; made on the first refusal
    private AttributeIterator[] deep = new AttributeIterator[0];
    private boolean suspicious;
    private boolean refusedInside;
    private String error;
    private int errorOffset = -1;

    /**
     * Fills {@code table} with the top-level attributes in {@code [offset, offset + length)} of {@code buf}, and
     * starts a message: {@link #suspicious()} is false again.
     *
     * @param table {@code policy.newTable()} or another of at least {@code policy.tableSize()} entries
     * @return false when an attribute breaks its rule or the framing is broken ({@link #error()})
     */
    public boolean top(final ByteBuffer buf, final int offset, final int length, final AttributePolicy policy,
        final int[] table)
    {
        suspicious = false;
        this.buf = buf;
        view.wrap(buf);
        if (offset < 0 || length < 0 || offset > buf.limit() || length > buf.limit() - offset)
        {
            return refuse(ERR_AREA_PAST_END, offset);
        }
        return fill(policy, table, offset, offset + length);
    }

    /**
     * Fills {@code table} with the attributes inside the nest whose payload starts at {@code payload}: an entry of
     * a table this parser filled from the same buffer.
     */
    public boolean nest(final int payload, final AttributePolicy policy, final int[] table)
    {
        return fill(policy, table, payload, payload + length(payload));
    }

    /**
     * {@link #nest} when {@code payload} is a nest's (>= 0); else (absent, -1) empties {@code table}, which costs
     * one read when it is empty already. A decoder calls it for every level it reads, so that every table holds
     * this message's attributes, none of the last one's.
     */
    public boolean nestOrClear(final int payload, final AttributePolicy policy, final int[] table)
    {
        if (payload >= 0)
        {
            return nest(payload, policy, table);
        }
        clear(table);
        return true;
    }

    /**
     * Every type absent. Entry 0 of a table (no attribute has type 0: that type is every family's
     * {@code *_UNSPEC}) holds which entries are set, bit {@code type} for the types below 32 and bit 0 for a
     * table filled from a level of a message, so emptying it writes only those; 0 is an empty table.
     */
    public static void clear(final int[] table)
    {
        // small enough to inline wherever a decoder empties the table of a nest its message lacks
        if (table[0] != 0)
        {
            empty(table, table[0]);
        }
    }

    private static void empty(final int[] table, final int set)
    {
        if (table.length > Integer.SIZE)
        {
            Arrays.fill(table, -1);
        }
        else
        {
            for (int rest = set & ~1; rest != 0; rest &= rest - 1)
            {
                table[Integer.numberOfTrailingZeros(rest)] = -1;
            }
        }
        table[0] = 0;
    }

    /**
     * @return whether {@code table} was filled from a level of this message (present, even if empty), not
     * emptied by {@link #clear}
     */
    public static boolean filled(final int[] table)
    {
        return table[0] != 0;
    }

    /**
     * The walk of one level, {@code [at, end)}: libmnl's {@code mnl_attr_ok} framing on the attribute headers as
     * {@link AttributeIterator} checks it, each attribute against its type's rule, its payload's offset into the
     * table. Locals only, no iterator object, so that the loop stays in registers.
     */
    private boolean fill(final AttributePolicy policy, final int[] table, final int start, final int end)
    {
        // Not emptied first: a level usually holds the same types as the last message's, which the loop writes
        // over, so only what this message lacks is emptied after it. A table too large for the bits is emptied.
        final int before = table[0];
        final boolean large = table.length > Integer.SIZE;
        if (large)
        {
            clear(table);
        }
        final ByteView view = this.view;
        final int[] fast = policy.fast;
        int set = 1;
        int at = start;
        for (int remaining = end - at; remaining >= NLA_HDRLEN; remaining = end - at)
        {
            final int header = view.i32(at);
            final int len = lenOf(header);
            if (len < NLA_HDRLEN || len > remaining)
            {
                table[0] = set | before;
                return refuse(len < NLA_HDRLEN ? ERR_SHORT_ATTRIBUTE : ERR_LENGTH_PAST_END, at);
            }
            final int type = typeOf(header);
            if (type < fast.length)
            {
                final int bit = 1 << type;
                // looked at one by one: a rule broken, a kind with more to check, a type seen before in the level
                if ((!fits(fast[type], len - NLA_HDRLEN) || (set & bit) != 0)
                    && !special(policy, type, at, len - NLA_HDRLEN, table, set))
                {
                    table[0] = set | before;
                    return refused(policy, type, at);
                }
                table[type] = at + NLA_HDRLEN;
                set |= bit;
            }
            // the last attribute may lack its padding: then at passes end, and the loop ends
            at += Netlink.nlaAlign(len);
        }
        if (at < end)
        {
            // 1 to 3 bytes left over: no room for a header
            table[0] = set | before;
            return refuse(ERR_TRAILING_BYTES, at);
        }
        final int stale = large ? 0 : before & ~set & ~1;
        if (stale != 0)
        {
            empty(table, stale);
        }
        // after the loop: an attribute of type 0 was written over it
        table[0] = set;
        return true;
    }

    /**
     * The fill's one check, {@code min <= length <= max}: {@code length - min} and {@code max - length} both not
     * negative.
     */
    private static boolean fits(final int fast, final int length)
    {
        final int over = length - (fast & 0xFFFF);
        return (over | (fast >>> 16) - over) >= 0;
    }

    /**
     * What the fill's loop looks at one by one: a size rule broken, a kind with more to check than a size, or a type
     * met before in the level ({@code set}, whose bits wrap for types from 32 on: a table that large was emptied, so
     * its entry tells).
     */
    private boolean special(final AttributePolicy policy, final int type, final int at, final int len,
        final int[] table, final int set)
    {
        final long rule = policy.rules[type];
        switch (kind(rule))
        {
            case NESTED:
                // set's bits wrap from type 32 on (type 50 is bit 18); a table that large was emptied by the fill, so
                // its entry tells exactly whether the type was seen before
                if (table.length > Integer.SIZE ? table[type] >= 0 : (set & 1 << type) != 0)
                {
                    // a nest seen twice in a level: the fast walk looks into the last one only
                    suspicious = true;
                }
                return len == 0 || len >= NLA_HDRLEN;
            case CHECKED:
                return len == 0 || len >= NLA_HDRLEN && checkIn(policy.children[type], at + NLA_HDRLEN, len);
            case NUL_STRING:
                return len > 0 && view.u8(at + NLA_HDRLEN + len - 1) == 0;
            default:
                // a size rule (met twice, or broken); type 0 (in no table) is let through, its entry rewritten
                return type == 0 || fits(policy.fast[type], len);
        }
    }

    /**
     * The contents of the iterator's current attribute, a nest the decoder does not read, against its policy.
     * False with the refusal recorded; the caller's own refusal then must not overwrite it.
     */
    private boolean checkIn(final AttributePolicy child, final int payload, final int len)
    {
        if (child == null)
        {
            return true;
        }
        deep(1).reset(buf, payload, len);
        if (validate(1, child))
        {
            return true;
        }
        refusedInside = true;
        return false;
    }

    private boolean refused(final AttributePolicy policy, final int type, final int at)
    {
        if (refusedInside)
        {
            // checkIn recorded what inside the nest was refused
            refusedInside = false;
            return false;
        }
        return refuse(policy.errors[type], at);
    }

    /**
     * @return whether a nest appeared twice in one level since {@link #top}: the decoder should
     * {@link #findFirstError} before it answers, since only the last copy was looked into
     */
    public boolean suspicious()
    {
        return suspicious;
    }

    /**
     * Walks {@code [offset, offset + length)} of {@code buf} depth first against {@code root} and its children, as
     * the kernel validates a message, and stops at the first attribute that breaks its rule or its level's
     * framing: that is {@link #error()} at {@link #errorOffset()}.
     *
     * @return true when something was refused; false leaves the last refusal as it was
     */
    public boolean findFirstError(final ByteBuffer buf, final int offset, final int length,
        final AttributePolicy root)
    {
        deep(0).reset(buf, offset, length);
        return !validate(0, root);
    }

    private boolean validate(final int depth, final AttributePolicy policy)
    {
        final AttributeIterator it = deep[depth];
        final long[] rules = policy.rules;
        while (it.next())
        {
            final int type = it.type();
            if (type >= rules.length)
            {
                continue;
            }
            final long rule = rules[type];
            final int len = it.payloadLength();
            final int kind = kind(rule);
            final boolean ok = len >= min(rule) && len <= max(rule)
                && (kind != NUL_STRING || it.isNulString())
                && (kind < NESTED || len == 0 || len >= NLA_HDRLEN);
            if (!ok)
            {
                return refuse(policy.errors[type], it.attributeOffset());
            }
            final AttributePolicy child = policy.children[type];
            if (child != null && len > 0)
            {
                deep(depth + 1).enter(it);
                if (!validate(depth + 1, child))
                {
                    return false;
                }
            }
        }
        return !it.malformed() || refuse(it.error(), it.errorOffset());
    }

    private AttributeIterator deep(final int depth)
    {
        if (depth >= deep.length)
        {
            final AttributeIterator[] grown = Arrays.copyOf(deep, depth + 1);
            for (int i = deep.length; i < grown.length; i++)
            {
                grown[i] = new AttributeIterator();
            }
            deep = grown;
        }
        return deep[depth];
    }

    private boolean refuse(final String error, final int errorOffset)
    {
        this.error = error;
        this.errorOffset = errorOffset;
        return false;
    }

    /**
     * @return what the last refusal was: an {@code ERR_*} of {@link AttributeIterator} or a policy's own error
     */
    public String error()
    {
        return error;
    }

    /**
     * @return the buffer index of the attribute (or left-over bytes) refused last, -1 before any refusal
     */
    public int errorOffset()
    {
        return errorOffset;
    }

    /**
     * @return the payload length of the attribute whose payload starts at {@code payload}, an entry of a table
     * this parser filled
     */
    public int length(final int payload)
    {
        return lenOf(view.i32(payload - NLA_HDRLEN)) - NLA_HDRLEN;
    }
}
