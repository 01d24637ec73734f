package io.nlstream.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The slow, obviously correct side of the random-mutation tests: plain byte-array reads, a list of
 * attributes built before anything is checked, every rule written out again. The decoders are
 * checked against it, never the other way round, so it shares no code with them except the text
 * of addresses ({@link InetAddresses}, tested on its own against glibc).
 */
public final class ReferenceParsing
{
    private ReferenceParsing()
    {
    }

    /** One attribute as framed: where its header is, its type without flag bits, its payload. */
    public static final class Attr
    {
        public final int at;
        public final int type;
        public final int payloadAt;
        public final int payloadLength;

        Attr(final int at, final int type, final int payloadAt, final int payloadLength)
        {
            this.at = at;
            this.type = type;
            this.payloadAt = payloadAt;
            this.payloadLength = payloadLength;
        }
    }

    /** Every attribute framed correctly, in order, and the framing error after them, if any. */
    public static final class Walk
    {
        public final List<Attr> attrs = new ArrayList<>();
        public String error;
        public int errorAt = -1;
    }

    /** Outcome of a reference parse: an error and where, or the values of every getter by name. */
    public static final class Parsed
    {
        public String error;
        public int errorAt = -1;
        public final Map<String, String> values = new TreeMap<>();

        public Parsed fail(final String error, final int at)
        {
            this.error = error;
            this.errorAt = at;
            values.clear();
            return this;
        }

        public void put(final String name, final Object value)
        {
            values.put(name, String.valueOf(value));
        }
    }

    public static int u8(final byte[] b, final int at)
    {
        return b[at] & 0xFF;
    }

    public static int u16(final byte[] b, final int at)
    {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getShort(at) & 0xFFFF;
    }

    public static int u16be(final byte[] b, final int at)
    {
        return (u8(b, at) << 8) | u8(b, at + 1);
    }

    public static long u32(final byte[] b, final int at)
    {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(at) & 0xFFFFFFFFL;
    }

    public static int s32(final byte[] b, final int at)
    {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(at);
    }

    public static long u64(final byte[] b, final int at)
    {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getLong(at);
    }

    public static int align4(final int n)
    {
        return (n + 3) / 4 * 4;
    }

    /**
     * libmnl's mnl_nlmsg_ok on the first {@code length} bytes (no more than the array holds).
     *
     * @return nlmsg_len, or -1 with the error set in {@code p}
     */
    public static int frame(final byte[] msg, final int length, final Parsed p)
    {
        final int available = Math.min(length, msg.length);
        if (available < 16)
        {
            p.fail(NetlinkFraming.SHORT_HEADER, 0);
            return -1;
        }
        final long len = u32(msg, 0);
        if (len < 16)
        {
            p.fail(NetlinkFraming.LENGTH_TOO_SMALL, 0);
            return -1;
        }
        if (len > available)
        {
            p.fail(NetlinkFraming.LENGTH_PAST_END, 0);
            return -1;
        }
        return (int)len;
    }

    /**
     * Frames the attributes in {@code [start, end)} as mnl_attr_ok does.
     */
    public static Walk attributes(final byte[] msg, final int start, final int end)
    {
        final Walk walk = new Walk();
        int pos = start;
        while (pos < end)
        {
            final int remaining = end - pos;
            if (remaining < 4)
            {
                walk.error = AttributeIterator.ERR_TRAILING_BYTES;
                walk.errorAt = pos;
                break;
            }
            final int len = u16(msg, pos);
            if (len < 4)
            {
                walk.error = AttributeIterator.ERR_SHORT_ATTRIBUTE;
                walk.errorAt = pos;
                break;
            }
            if (len > remaining)
            {
                walk.error = AttributeIterator.ERR_LENGTH_PAST_END;
                walk.errorAt = pos;
                break;
            }
            walk.attrs.add(new Attr(pos, u16(msg, pos + 2) & 0x3FFF, pos + 4, len - 4));
            pos = Math.min(pos + align4(len), end);
        }
        return walk;
    }

    public static boolean isNulString(final byte[] msg, final Attr a)
    {
        return a.payloadLength > 0 && msg[a.payloadAt + a.payloadLength - 1] == 0;
    }

    public static boolean isNested(final Attr a)
    {
        return a.payloadLength == 0 || a.payloadLength >= 4;
    }

    public static String string(final byte[] msg, final Attr a)
    {
        int n = 0;
        while (n < a.payloadLength && msg[a.payloadAt + n] != 0)
        {
            n++;
        }
        return new String(msg, a.payloadAt, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String inet(final byte[] msg, final int at, final int length)
    {
        return InetAddresses.format(ByteBuffer.wrap(msg), at, length);
    }

    public static String hex(final byte[] msg, final int at, final int length)
    {
        return InetAddresses.mac(ByteBuffer.wrap(msg), at, length);
    }
}
