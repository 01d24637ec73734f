package io.nlstream.netlink;

import io.nlstream.netlink.internal.Memory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.nlstream.netlink.Netlink.NLA_F_NESTED;
import static io.nlstream.netlink.Netlink.NLA_HDRLEN;
import static io.nlstream.netlink.Netlink.NLA_TYPE_MASK;

/**
 * A reusable cursor over a run of netlink attributes ({@code struct nlattr}), with the guarantees of
 * libmnl's {@code mnl_attr_ok} and {@code mnl_attr_validate}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-+-+---------------------------+
 *  |         nla_len (u16)         |N|O|      nla_type (14 bits)   |
 *  +-------------------------------+-+-+---------------------------+
 *  |            payload (nla_len - 4 bytes)                        |
 *  |            ... padding to NLA_ALIGNTO (4)                     |
 *  +---------------------------------------------------------------+
 *  |            next struct nlattr ...                             |
 *
 *  N = NLA_F_NESTED (payload is itself a run of attributes), O = NLA_F_NET_BYTEORDER
 * </pre>
 *
 * {@link #next()} checks the framing of each attribute before exposing it: at least a header remains,
 * {@code nla_len} covers at least the header, and {@code nla_len} does not run past the end of the
 * run. The last attribute may lack its padding. Bytes left over that cannot hold a header are an
 * error (the kernel rejects them too under strict validation). The payload is not checked against a
 * type here: a decoder knows which types it expects and calls {@link #isU32()} and friends, then the
 * reader. A nested run is walked with a second iterator:
 *
 * <pre>{@code
 * inner.reset(buf, outer.payloadOffset(), outer.payloadLength());
 * }</pre>
 *
 * or, cheaper since the nest lies inside an attribute already checked, {@code inner.enter(outer)}.
 * <p>
 * Reads are absolute and never move the buffer's position or limit. The frame reads of {@link #next()}
 * are the hottest code of every decoder, so they skip ByteBuffer's per-read index, order and scope
 * checks ({@link ByteView}): {@link #reset} checks the whole run against the buffer's limit once, and
 * every header read lies inside the run. Not thread safe.
 */
public final class AttributeIterator
{
    public static final String ERR_AREA_PAST_END = "attribute area past end of buffer";
    public static final String ERR_SHORT_ATTRIBUTE = "attribute length shorter than its header";
    public static final String ERR_LENGTH_PAST_END = "attribute length past end of message";
    public static final String ERR_TRAILING_BYTES = "trailing bytes shorter than an attribute header";

    // What a decoder reports when a known attribute fails the matching isXxx() check.
    public static final String ERR_NOT_U8 = "u8 attribute payload is not 1 byte";
    public static final String ERR_NOT_U16 = "u16 attribute payload is not 2 bytes";
    public static final String ERR_NOT_U32 = "u32 attribute payload is not 4 bytes";
    public static final String ERR_NOT_U64 = "u64 attribute payload is not 8 bytes";
    public static final String ERR_NOT_FLAG = "flag attribute has a payload";
    public static final String ERR_NOT_NUL_STRING = "string attribute empty or not NUL-terminated";
    public static final String ERR_NOT_NESTED = "nested attribute payload shorter than an attribute header";

    private ByteBuffer buf;
    private final ByteView view = new ByteView();
    private int next;
    private int end;
    private int attributeOffset = -1;
    // nla_len and nla_type of the current attribute as read, in host order (see len() and rawType())
    private int header;
    private String error;
    private int errorOffset = -1;

    /**
     * Starts over on the attributes in {@code [offset, offset + length)}; an area outside the buffer
     * makes the first {@link #next()} fail with {@link #ERR_AREA_PAST_END}.
     *
     * @return this iterator
     */
    public AttributeIterator reset(final ByteBuffer buf, final int offset, final int length)
    {
        this.buf = buf;
        view.wrap(buf);
        this.attributeOffset = -1;
        this.header = 0;
        this.error = null;
        this.errorOffset = -1;
        this.next = offset;
        if (offset < 0 || length < 0 || offset > buf.limit() || length > buf.limit() - offset)
        {
            this.end = offset;
            fail(ERR_AREA_PAST_END, offset);
        }
        else
        {
            this.end = offset + length;
        }
        return this;
    }

    /**
     * Starts over on the payload of {@code outer}'s current attribute, a nest: the same as
     * {@code reset(buf, outer.payloadOffset(), outer.payloadLength())} without checking again what
     * {@code outer.next()} has checked.
     *
     * @return this iterator
     * @throws IllegalStateException when {@code outer} is not on an attribute
     */
    public AttributeIterator enter(final AttributeIterator outer)
    {
        final int at = outer.attributeOffset;
        if (at < 0)
        {
            throw new IllegalStateException("enter: the outer iterator is not on an attribute");
        }
        this.buf = outer.buf;
        view.wrap(outer.buf);
        this.attributeOffset = -1;
        this.header = 0;
        if (error != null)
        {
            this.error = null;
            this.errorOffset = -1;
        }
        this.next = at + NLA_HDRLEN;
        this.end = at + outer.len();
        return this;
    }

    /**
     * Moves to the next attribute.
     *
     * @return false at the end of the run, or when the framing is broken ({@link #malformed()}).
     */
    public boolean next()
    {
        final int at = next;
        final int remaining = end - at;
        if (remaining < NLA_HDRLEN)
        {
            // also the end of the run, and every call after a failure (fail() moves next to end)
            attributeOffset = -1;
            return remaining > 0 && fail(ERR_TRAILING_BYTES, at);
        }
        // nla_len and nla_type in one read: both host order, nla_len first
        final int header = view.i32(at);
        final int len = lenOf(header);
        if (len < NLA_HDRLEN)
        {
            // nla_len 0 would also loop forever on a naive walker.
            return fail(ERR_SHORT_ATTRIBUTE, at);
        }
        if (len > remaining)
        {
            return fail(ERR_LENGTH_PAST_END, at);
        }
        attributeOffset = at;
        this.header = header;
        final int aligned = at + Netlink.nlaAlign(len);
        next = aligned < end ? aligned : end;
        return true;
    }

    private boolean fail(final String error, final int offset)
    {
        this.error = error;
        this.errorOffset = offset;
        this.attributeOffset = -1;
        this.next = end;
        return false;
    }

    public boolean malformed()
    {
        return error != null;
    }

    /**
     * @return null, or one of the {@code ERR_*} framing constants.
     */
    public String error()
    {
        return error;
    }

    /**
     * @return the buffer index of the attribute (or left-over bytes) that broke the framing, -1 if none.
     */
    public int errorOffset()
    {
        return errorOffset;
    }

    /**
     * @return {@code nla_type} without the {@code NLA_F_NESTED} and {@code NLA_F_NET_BYTEORDER} bits.
     */
    public int type()
    {
        return typeOf(header);
    }

    /**
     * @return the {@code NLA_F_NESTED} bit. Many kernel nests (e.g. {@code IFLA_LINKINFO}) do not set it,
     * so decoders go by type, not by this bit.
     */
    public boolean nested()
    {
        return (rawType() & NLA_F_NESTED) != 0;
    }

    public boolean netByteorder()
    {
        return (rawType() & Netlink.NLA_F_NET_BYTEORDER) != 0;
    }

    private int len()
    {
        return lenOf(header);
    }

    private int rawType()
    {
        return Memory.LITTLE_ENDIAN ? header >>> 16 : header & 0xFFFF;
    }

    /**
     * @return nla_type without the {@code NLA_F_NESTED} and {@code NLA_F_NET_BYTEORDER} bits, from the 32-bit
     * host-order read of a {@code struct nlattr} header
     */
    public static int typeOf(final int header)
    {
        return (Memory.LITTLE_ENDIAN ? header >>> 16 : header) & NLA_TYPE_MASK;
    }

    /**
     * @return nla_len from the 32-bit host-order read of a {@code struct nlattr} header
     */
    public static int lenOf(final int header)
    {
        return Memory.LITTLE_ENDIAN ? header & 0xFFFF : header >>> 16;
    }

    public int attributeOffset()
    {
        return attributeOffset;
    }

    public int payloadOffset()
    {
        return attributeOffset + NLA_HDRLEN;
    }

    public int payloadLength()
    {
        return len() - NLA_HDRLEN;
    }

    public boolean isU8()
    {
        return payloadLength() == 1;
    }

    public boolean isU16()
    {
        return payloadLength() == 2;
    }

    public boolean isU32()
    {
        return payloadLength() == 4;
    }

    public boolean isU64()
    {
        return payloadLength() == 8;
    }

    public boolean isFlag()
    {
        return payloadLength() == 0;
    }

    /**
     * Non-empty and NUL-terminated, as {@code MNL_TYPE_NUL_STRING}; {@code nla_put_string} always
     * writes the NUL.
     */
    public boolean isNulString()
    {
        final int len = payloadLength();
        // through the view, as the headers are read: next() has framed the attribute inside the buffer; a
        // ByteBuffer.get here was a call out of the parser's loop (DirectByteBuffer's scope checks, not inlined)
        return len > 0 && view.u8(payloadOffset() + len - 1) == 0;
    }

    /**
     * Empty, or room for at least one attribute header, as {@code MNL_TYPE_NESTED}.
     */
    public boolean isNested()
    {
        final int len = payloadLength();
        return len == 0 || len >= NLA_HDRLEN;
    }

    public int u8()
    {
        return Bytes.u8(buf, payloadOffset());
    }

    public int u16()
    {
        return Bytes.u16(buf, payloadOffset());
    }

    public int u32()
    {
        return Bytes.i32(buf, payloadOffset());
    }

    public int s32()
    {
        return Bytes.i32(buf, payloadOffset());
    }

    public long u64()
    {
        return Bytes.i64(buf, payloadOffset());
    }

    public int u16be()
    {
        return Bytes.u16be(buf, payloadOffset());
    }

    public int u32be()
    {
        return Bytes.i32be(buf, payloadOffset());
    }

    /**
     * The payload up to its first NUL (or all of it), as UTF-8. Allocates: for readers, not capture.
     */
    public String string()
    {
        return string(buf, payloadOffset(), payloadLength());
    }

    /**
     * Bytes {@code [offset, offset + length)} up to the first NUL, as UTF-8 (bad sequences become U+FFFD).
     */
    public static String string(final ByteBuffer buf, final int offset, final int length)
    {
        int len = 0;
        while (len < length && buf.get(offset + len) != 0)
        {
            len++;
        }
        final byte[] bytes = new byte[len];
        for (int i = 0; i < len; i++)
        {
            bytes[i] = buf.get(offset + i);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
