package io.nlstream.netlink;

import java.nio.ByteBuffer;

/**
 * What every netlink message flyweight ({@code CtDecoder}, {@code InetDiagDecoder} and the rtnetlink
 * decoders) keeps about the message it last wrapped: the buffer and the offset of its
 * {@code struct nlmsghdr}, whether it was well formed, and if not, what failed first and where.
 * <p>
 * State and small final helpers only, on purpose: no shared wrap, and no per-decoder hook a shared wrap would
 * call (one call site for every decoder: megamorphic, and no longer inlined by C2). Each decoder keeps its own
 * {@code wrap}: it checks the headers ({@link #open}), then hands the attributes to the walk the build generated
 * from its {@link AttributePolicy} declarations ({@link Walked}), which fills the decoder's {@link Nest} of offset
 * tables, and ends with {@link #accept}. The helpers here are final and branch-free, so they inline into each
 * decoder's code. The fields are plain fields of the decoder object (a subclass reads {@link #buf},
 * {@link #offset} and {@link #valid} directly).
 * <p>
 * The pattern of a declared decoder:
 *
 * <pre>{@code
 * public boolean wrap(ByteBuffer buf, int offset, int length)
 * {
 *     final int len = open(buf, offset, length, TYPE_A, TYPE_B, ERR_NOT_X, HEADER_LEN, ERR_SHORT_X, nest);
 *     final int start = offset + ATTRIBUTES_OFFSET;
 *     return len >= 0 && accept(walk, walk.TOP(buf, start, offset + len - start, nest));
 * }
 * }</pre>
 *
 * A walk stops at the first failure, so the error recorded is the first one. Not thread safe.
 */
public abstract class MessageDecoder
{
    /** The buffer last wrapped. */
    protected ByteBuffer buf;
    /** Where the last wrapped message's {@code struct nlmsghdr} starts in {@link #buf}. */
    protected int offset;
    /** True once the last wrap accepted the message; every getter answers absent while false. */
    protected boolean valid;
    private String error;
    private int errorOffset = -1;

    protected MessageDecoder()
    {
    }

    /**
     * The buffer last wrapped: the offsets the decoder's accessors return (of attributes, tuples and fields)
     * point into it.
     */
    public final ByteBuffer buffer()
    {
        return buf;
    }

    /**
     * @return null after a successful wrap, else a constant naming what failed: one of
     * {@link NetlinkFraming}'s descriptions, an {@code ERR_*} of the decoder's class, or one of
     * {@link AttributeIterator}'s {@code ERR_*}.
     */
    public final String error()
    {
        return error;
    }

    /**
     * @return the buffer index of the header, struct or attribute (or a route's rtnexthop) that failed; -1 after
     * success.
     */
    public final int errorOffset()
    {
        return errorOffset;
    }

    /**
     * libmnl's framing of the header ({@link NetlinkFraming#check}), a message type the decoder reads ({@code typeA}
     * or {@code typeB}), and room for the family's fixed header ({@code fixedHeader} bytes) after
     * {@code struct nlmsghdr}.
     *
     * @return nlmsg_len, or -1 with the refusal recorded
     */
    private int frame(final int length, final int typeA, final int typeB, final String notType, final int fixedHeader,
        final String shortHeader)
    {
        final int len = NetlinkFraming.check(buf, offset, length);
        if (len < 0)
        {
            recordError(NetlinkFraming.describe(len), offset);
            return -1;
        }
        final int type = NetlinkFraming.type(buf, offset);
        if (type != typeA && type != typeB)
        {
            recordError(notType, offset);
            return -1;
        }
        if (len < Netlink.NLMSG_HDRLEN + fixedHeader)
        {
            recordError(shortHeader, offset + Netlink.NLMSG_HDRLEN);
            return -1;
        }
        return len;
    }

    /**
     * Starts a wrap: remembers where the message is, forgets the last wrap's result, checks the headers
     * ({@link #frame}), and on a bad header empties {@code nest}, so that the getters answer as if every attribute
     * were absent.
     *
     * @return nlmsg_len, or -1 with the error recorded
     */
    protected final int open(final ByteBuffer buf, final int offset, final int length, final int typeA,
        final int typeB, final String notType, final int fixedHeader, final String shortHeader, final Nest nest)
    {
        this.buf = buf;
        this.offset = offset;
        valid = false;
        error = null;
        errorOffset = -1;
        final int len = frame(length, typeA, typeB, notType, fixedHeader, shortHeader);
        if (len < 0)
        {
            nest.clear();
        }
        return len;
    }

    /**
     * Ends a wrap with the outcome of a generated walk: valid, or its refusal recorded (the walk has emptied the
     * tables).
     */
    protected final boolean accept(final Walk walk, final boolean walked)
    {
        if (!walked)
        {
            return recordError(walk.error(), walk.errorOffset());
        }
        valid = true;
        return true;
    }

    /**
     * @return nlmsg_type of the last message, 0 when its wrap failed
     */
    public final int messageType()
    {
        return valid ? NetlinkFraming.type(buf, offset) : 0;
    }

    // the family's fixed header (after struct nlmsghdr), host order; 0 when the last wrap failed

    protected final int fixedU8(final int field)
    {
        return valid ? Bytes.u8(buf, offset + Netlink.NLMSG_HDRLEN + field) : 0;
    }

    protected final int fixedU16(final int field)
    {
        return valid ? Bytes.u16(buf, offset + Netlink.NLMSG_HDRLEN + field) : 0;
    }

    protected final int fixedS32(final int field)
    {
        return valid ? Bytes.i32(buf, offset + Netlink.NLMSG_HDRLEN + field) : 0;
    }

    // an attribute's payload at an offset from a table, -1 when absent; host order but for u16be

    protected final int u8(final int payload)
    {
        return payload >= 0 ? Bytes.u8(buf, payload) : -1;
    }

    protected final int u16be(final int payload)
    {
        return payload >= 0 ? Bytes.u16be(buf, payload) : -1;
    }

    protected final long u32(final int payload)
    {
        return payload >= 0 ? Integer.toUnsignedLong(Bytes.i32(buf, payload)) : -1;
    }

    protected final int s32(final int payload, final int absent)
    {
        return payload >= 0 ? Bytes.i32(buf, payload) : absent;
    }

    /** The payload's length from its header, 0 when absent. */
    protected final int length(final int payload)
    {
        return payload >= 0 ? Nest.length(buf, payload) : 0;
    }

    /** A NUL-terminated string attribute without its NUL, or null. */
    protected final String string(final int payload)
    {
        return payload >= 0 ? AttributeIterator.string(buf, payload, Nest.length(buf, payload)) : null;
    }

    /** A hardware address (any length) as {@code aa:bb:...}, or null. */
    protected final String mac(final int payload)
    {
        return payload >= 0 ? InetAddresses.mac(buf, payload, Nest.length(buf, payload)) : null;
    }

    /**
     * Records why and where the message was refused ({@link #open} left it not valid).
     *
     * @return false
     */
    protected final boolean recordError(final String error, final int errorOffset)
    {
        this.error = error;
        this.errorOffset = errorOffset;
        return false;
    }
}
