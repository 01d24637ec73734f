package io.nlstream.netlink;

import java.util.Arrays;

import static io.nlstream.netlink.AttributeIterator.*;

/**
 * What one nesting level of a netlink message may hold: for each attribute type a size rule, and for a nest the
 * policy of the level inside it. The kernel's {@code struct nla_policy} array and libmnl's
 * {@code mnl_attr_data_type_len[]}, as data:
 *
 * <pre>{@code
 * static final AttributePolicy PROTO = AttributePolicy.level("CTA_TUPLE_PROTO")
 *     .u8(CTA_PROTO_NUM)
 *     .be16(CTA_PROTO_SRC_PORT, CTA_PROTO_DST_PORT)
 *     .build();
 * }</pre>
 *
 * A type without a rule, or above the highest declared, is skipped: a newer kernel's attributes do no harm. The
 * build turns the policies of a {@link Walked} class into a walk (WalkProcessor): per level one loop with a
 * {@code switch} over the declared types, each rule's check written in as constants, entering each declared nest
 * where it meets it, recording each attribute's place in a {@link Nest}. What no rule can say (a payload that is a
 * struct whose own fields decide its size, a run of structs) is a {@link Builder#hook hook}: a method of the walk's
 * subclass that the walk calls where it meets the attribute, in the same order as every other check. The policies
 * are data for the generator; at run time they only shape the {@link Nest}. Immutable.
 */
public final class AttributePolicy
{
    // rule kinds (the high half of a packed rule)
    static final int ANY = 0;
    static final int SIZE = 1;
    static final int NUL_STRING = 2;
    static final int NESTED = 3;
    static final int CHECKED = 4;
    static final int ADDRESS = 5;
    static final int HOOK = 6;

    /** The rule of a type not declared: any size, recorded, not checked. */
    static final long ANY_RULE = 0xFFFFL << 16;

    private final String name;
    // per type: min size | max size << 16 | kind << 32
    final long[] rules;
    final String[] errors;
    final AttributePolicy[] children;
    // per type: whether a rule was declared (an any() rule is the same as none but for this)
    final boolean[] declared;
    // per type: the name of a hook rule's method, else null
    final String[] hooks;

    private AttributePolicy(final Builder b)
    {
        this.name = b.name;
        this.rules = Arrays.copyOf(b.rules, b.size);
        this.errors = Arrays.copyOf(b.errors, b.size);
        this.children = Arrays.copyOf(b.children, b.size);
        this.declared = Arrays.copyOf(b.declared, b.size);
        this.hooks = Arrays.copyOf(b.hooks, b.size);
    }

    /**
     * @param name the level's name in messages and {@link #toString()}, e.g. {@code "CTA_TUPLE_PROTO"}
     */
    public static Builder level(final String name)
    {
        return new Builder(name);
    }

    /**
     * @return one past the highest declared type: the size of the level's table in a {@link Nest}
     */
    public int tableSize()
    {
        return rules.length;
    }

    /**
     * @return the policy of the nest {@code type}, or null when it is not a declared nest
     */
    public AttributePolicy child(final int type)
    {
        return type >= 0 && type < children.length ? children[type] : null;
    }

    static int min(final long rule)
    {
        return (int)rule & 0xFFFF;
    }

    static int max(final long rule)
    {
        return (int)(rule >>> 16) & 0xFFFF;
    }

    static int kind(final long rule)
    {
        return (int)(rule >>> 32);
    }

    @Override
    public String toString()
    {
        return name;
    }

    /**
     * Declares the rules of one level; a type declared twice keeps its last rule.
     */
    public static final class Builder
    {
        private final String name;
        private long[] rules = anyRules(8);
        private String[] errors = new String[8];
        private AttributePolicy[] children = new AttributePolicy[8];
        private boolean[] declared = new boolean[8];
        private String[] hooks = new String[8];
        private int size;

        private Builder(final String name)
        {
            this.name = name;
        }

        /** One byte ({@code NLA_U8}). */
        public Builder u8(final int... types)
        {
            return sizes(types, 1, 1, ERR_NOT_U8);
        }

        /** Two bytes, host order ({@code NLA_U16}). */
        public Builder u16(final int... types)
        {
            return sizes(types, 2, 2, ERR_NOT_U16);
        }

        /** Two bytes, network order ({@code NLA_BE16}): the same size rule as u16, for the reader's sake. */
        public Builder be16(final int... types)
        {
            return u16(types);
        }

        /** Four bytes ({@code NLA_U32}, also {@code NLA_S32}). */
        public Builder u32(final int... types)
        {
            return sizes(types, 4, 4, ERR_NOT_U32);
        }

        /** Four bytes, network order ({@code NLA_BE32}). */
        public Builder be32(final int... types)
        {
            return u32(types);
        }

        /** Eight bytes ({@code NLA_U64}). */
        public Builder u64(final int... types)
        {
            return sizes(types, 8, 8, ERR_NOT_U64);
        }

        /** No payload ({@code NLA_FLAG}). */
        public Builder flag(final int... types)
        {
            return sizes(types, 0, 0, ERR_NOT_FLAG);
        }

        /** Exactly {@code length} bytes, else {@code error}. */
        public Builder exact(final int type, final int length, final String error)
        {
            return rule(type, SIZE, length, length, error, null);
        }

        /** From {@code min} to {@code max} bytes, else {@code error} ({@code NLA_BINARY} with bounds). */
        public Builder binary(final int type, final int min, final int max, final String error)
        {
            return rule(type, SIZE, min, max, error, null);
        }

        /** Any size: recorded, not checked (the kernel's business, e.g. a bitmap whose size may grow). */
        public Builder any(final int... types)
        {
            for (final int type : types)
            {
                rule(type, ANY, 0, 0xFFFF, null, null);
            }
            return this;
        }

        /**
         * An address of the message's own family, as the header names it: exactly 4 bytes for AF_INET, 16 for
         * AF_INET6, any size for another family (an MPLS label stack, a bridge's MAC, MCTP), else {@code error}. The
         * walk of a policy that has one is given the family.
         */
        public Builder address(final String error, final int... types)
        {
            for (final int type : types)
            {
                rule(type, ADDRESS, 0, 0xFFFF, error, null);
            }
            return this;
        }

        /** Not empty and NUL-terminated ({@code NLA_NUL_STRING}, {@code MNL_TYPE_NUL_STRING}). */
        public Builder nulString(final int... types)
        {
            for (final int type : types)
            {
                rule(type, NUL_STRING, 1, 0xFFFF, ERR_NOT_NUL_STRING, null);
            }
            return this;
        }

        /**
         * A nest: empty or holding at least one attribute header ({@code MNL_TYPE_NESTED}), whose contents follow
         * {@code child}; the walk enters it where it meets it and fills its own table (a {@link Nest} inside the level's).
         */
        public Builder nested(final AttributePolicy child, final int... types)
        {
            for (final int type : types)
            {
                rule(type, NESTED, 0, 0xFFFF, ERR_NOT_NESTED, child);
            }
            return this;
        }

        /**
         * A nest whose contents the decoder does not read but the walk checks against {@code child} where it meets
         * it (a request's CTA_NAT_SRC, say): in the message's order, depth first, as the kernel would. With a null
         * {@code child} only the nest itself is checked (empty or holding a header), not what it holds. Its place is
         * recorded; it has no table of its own.
         */
        public Builder checked(final AttributePolicy child, final int... types)
        {
            for (final int type : types)
            {
                rule(type, CHECKED, 0, 0xFFFF, ERR_NOT_NESTED, child);
            }
            return this;
        }

        /**
         * An attribute checked by a method of the walk, for what no rule can check: the walk first checks its size,
         * {@code min} to {@code max} bytes of payload, else refuses it with {@code error} (null when any size passes)
         * at the attribute's offset; then records its offset as for any attribute; then calls
         * {@code hook(payload, length)} with the buffer index and the length of its payload. The hook reads the
         * payload through the walk's {@code view} and, to refuse it, returns {@code refuse(itsError, itsOffset)}
         * (false): the walk then returns false at once, its tables emptied. It may walk what the payload holds with
         * another of the walk's methods, on the same buffer (they share the view), into a {@link Nest} of its own: a
         * run of structs, each followed by attributes; and so refuse with what that walk found.
         * <p>
         * A walk of a policies class with a hook at any level is generated {@code abstract}: one
         * {@code protected abstract boolean hook(int payload, int length)} per distinct name, which a subclass
         * written by hand implements (a name used at several types or levels is one method). Hooks are called in
         * the message's order, depth first, like every other check, so the first refusal in the message wins, a
         * hook's or a rule's; in a nest only checked in place too.
         *
         * @param hook the method's name: a Java identifier, not one the walk has already (a policy's, {@code error},
         * {@code open}, {@code refuse}, ...; the generator says)
         */
        public Builder hook(final int type, final int min, final int max, final String error, final String hook)
        {
            if (hook == null || hook.isEmpty() || !Character.isJavaIdentifierStart(hook.charAt(0))
                || !hook.chars().allMatch(Character::isJavaIdentifierPart))
            {
                throw new IllegalArgumentException(name + ": type " + type + " has hook " + hook
                    + ", not a Java identifier");
            }
            if (error == null && (min != 0 || max != 0xFFFF))
            {
                throw new IllegalArgumentException(name + ": type " + type + " has sizes " + min + ".." + max
                    + " and no error to refuse others with");
            }
            rule(type, HOOK, min, max, error, null);
            hooks[type] = hook;
            return this;
        }

        private Builder sizes(final int[] types, final int min, final int max, final String error)
        {
            for (final int type : types)
            {
                rule(type, SIZE, min, max, error, null);
            }
            return this;
        }

        private Builder rule(final int type, final int kind, final int min, final int max, final String error,
            final AttributePolicy child)
        {
            if (type <= 0 || type > Netlink.NLA_TYPE_MASK)
            {
                throw new IllegalArgumentException(name + ": attribute type " + type + " is not 1.." + Netlink.NLA_TYPE_MASK);
            }
            if (min < 0 || max > 0xFFFF || min > max)
            {
                throw new IllegalArgumentException(name + ": type " + type + " has sizes " + min + ".." + max);
            }
            if (type >= rules.length)
            {
                final int length = Math.max(type + 1, rules.length * 2);
                final long[] grown = anyRules(length);
                System.arraycopy(rules, 0, grown, 0, rules.length);
                rules = grown;
                errors = Arrays.copyOf(errors, length);
                children = Arrays.copyOf(children, length);
                declared = Arrays.copyOf(declared, length);
                hooks = Arrays.copyOf(hooks, length);
            }
            rules[type] = min | (long)max << 16 | (long)kind << 32;
            errors[type] = error;
            children[type] = child;
            declared[type] = true;
            hooks[type] = null;
            size = Math.max(size, type + 1);
            return this;
        }

        private static long[] anyRules(final int length)
        {
            final long[] any = new long[length];
            Arrays.fill(any, ANY_RULE);
            return any;
        }

        public AttributePolicy build()
        {
            return new AttributePolicy(this);
        }
    }
}
