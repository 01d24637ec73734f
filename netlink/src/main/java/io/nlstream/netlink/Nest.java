package io.nlstream.netlink;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Where the attributes of one nesting level of the last message are: {@link #at} holds, per attribute type, the
 * offset of its payload in the buffer (-1 when absent; the last of a repeated attribute wins), and each nest the
 * policy declares (not those only checked in place) has a {@code Nest} of its own, for the level inside it. A
 * generated walk ({@link Walked}) fills the whole tree for each message; a decoder keeps the tables it reads in
 * final fields and reads its getters from them.
 *
 * <pre>{@code
 * private final Nest nest = Nest.of(CtPolicies.TOP);
 * private final int[] top = nest.at;
 * private final int[] origIp = nest.nest(CTA_TUPLE_ORIG).nest(CTA_TUPLE_IP).at;
 * }</pre>
 */
public final class Nest
{
    /** Payload offsets by attribute type, -1 when absent; as long as the policy's table. */
    public final int[] at;
    // by attribute type: the level inside a declared nest, else null; read by the generated walks
    public final Nest[] nests;

    private Nest(final int[] at, final Nest[] nests)
    {
        this.at = at;
        this.nests = nests;
    }

    /**
     * A tree of empty tables shaped as {@code policy}: one for its level, one for each declared nest inside it, and
     * so on down.
     */
    public static Nest of(final AttributePolicy policy)
    {
        return of(policy, 0);
    }

    private static Nest of(final AttributePolicy policy, final int depth)
    {
        if (depth > 16)
        {
            throw new IllegalArgumentException(policy + ": nests more than 16 levels deep (a policy inside itself?)");
        }
        final int size = Math.max(1, policy.tableSize());
        final int[] at = new int[size];
        Arrays.fill(at, -1);
        final Nest[] nests = new Nest[size];
        for (int type = 1; type < size; type++)
        {
            if (AttributePolicy.kind(policy.rules[type]) == AttributePolicy.NESTED && policy.children[type] != null)
            {
                nests[type] = of(policy.children[type], depth + 1);
            }
        }
        return new Nest(at, nests);
    }

    /**
     * @return the level inside the declared nest {@code type}
     * @throws IllegalArgumentException when the policy declares no nest of that type
     */
    public Nest nest(final int type)
    {
        if (type <= 0 || type >= nests.length || nests[type] == null)
        {
            throw new IllegalArgumentException("no nest of type " + type + " is declared at this level");
        }
        return nests[type];
    }

    /**
     * Every table of the tree empty (a failed walk leaves them so; a decoder calls it when a message fails before
     * its walk).
     */
    public void clear()
    {
        if (at[0] < 0)
        {
            return;
        }
        Arrays.fill(at, -1);
        for (final Nest nest : nests)
        {
            if (nest != null)
            {
                nest.clear();
            }
        }
    }

    /**
     * @return the payload length of the attribute whose payload starts at {@code payload} in {@code buf} (an entry
     * of a table), from its header
     */
    public static int length(final ByteBuffer buf, final int payload)
    {
        return Bytes.u16(buf, payload - Netlink.NLA_HDRLEN) - Netlink.NLA_HDRLEN;
    }
}
