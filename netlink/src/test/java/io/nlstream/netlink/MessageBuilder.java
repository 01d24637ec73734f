package io.nlstream.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Netlink messages for the malformed-message tables: a header whose {@code nlmsg_len} is counted, the family's
 * struct a field at a time, attributes whose {@code nla_len} and padding are counted, nests that count
 * themselves, and escapes for what a malformed message needs (a raw attribute header, raw bytes, a
 * {@code nlmsg_len} that lies). Numbers are written in host order, as the kernel writes them (network order
 * where the name says {@code be}).
 *
 * <pre>
 * message(RTM_NEWNEIGH)
 *     .u8(AF_INET).u8(0).u16(0).u32(2)                 // struct ndmsg: family, pads, ifindex
 *     .u16(NUD_REACHABLE).u8(0).u8(RTN_UNICAST)         //   state, flags, type
 *     .attr(NDA_DST, 10, 88, 0, 2)                      // nla_len 8
 *     .raw(0, 0, 0)                                     // trailing bytes
 *     .bytes();                                         // nlmsg_len 39
 * </pre>
 */
public final class MessageBuilder
{
    private static final ByteOrder HOST = ByteOrder.nativeOrder();

    private byte[] out = new byte[64];
    private int length;
    private int nlmsgLen = -1;

    private MessageBuilder()
    {
    }

    /** A message of {@code type}: flags, seq and pid 0 (see {@link #flags}). */
    public static MessageBuilder message(final int type)
    {
        final MessageBuilder m = new MessageBuilder();
        m.u32(0).u16(type).u16(0).u32(0).u32(0);
        return m;
    }

    /** Bytes without a netlink header: an attribute stream, a nest's payload. */
    public static MessageBuilder attributes()
    {
        return new MessageBuilder();
    }

    public MessageBuilder flags(final int flags)
    {
        put(6, 2, flags);
        return this;
    }

    public MessageBuilder seq(final int seq)
    {
        put(8, 4, seq);
        return this;
    }

    public MessageBuilder pid(final int pid)
    {
        put(12, 4, pid);
        return this;
    }

    /** {@code nlmsg_len} as given instead of the length built (a header that claims more or less than there is). */
    public MessageBuilder nlmsgLen(final int claimed)
    {
        nlmsgLen = claimed;
        return this;
    }

    public MessageBuilder u8(final int value)
    {
        return append(1, value);
    }

    public MessageBuilder u16(final int value)
    {
        return append(2, value);
    }

    public MessageBuilder u32(final long value)
    {
        return append(4, value);
    }

    public MessageBuilder u64(final long value)
    {
        return append(8, value);
    }

    /** Network order, as ports and conntrack's numbers are. */
    public MessageBuilder be16(final int value)
    {
        return raw(value >>> 8, value);
    }

    public MessageBuilder be32(final long value)
    {
        return raw((int)(value >>> 24), (int)(value >>> 16), (int)(value >>> 8), (int)value);
    }

    /** Network order, as conntrack's counters, timestamps and DCCP handshake sequence are. */
    public MessageBuilder be64(final long value)
    {
        return be32(value >>> 32).be32(value);
    }

    /** Bytes as they are, each the low 8 bits of an int. */
    public MessageBuilder raw(final int... bytes)
    {
        ensure(bytes.length);
        for (final int b : bytes)
        {
            out[length++] = (byte)b;
        }
        return this;
    }

    public MessageBuilder raw(final byte[] bytes)
    {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, out, length, bytes.length);
        length += bytes.length;
        return this;
    }

    /** Zero bytes. */
    public MessageBuilder zeros(final int n)
    {
        ensure(n);
        length += n;
        return this;
    }

    /** An attribute: {@code nla_len} = 4 + the payload's length, then the payload, then zeros to a multiple of 4. */
    public MessageBuilder attr(final int type, final int... payload)
    {
        attrHeader(Netlink.NLA_HDRLEN + payload.length, type);
        raw(payload);
        return pad();
    }

    public MessageBuilder attr(final int type, final byte[] payload)
    {
        attrHeader(Netlink.NLA_HDRLEN + payload.length, type);
        raw(payload);
        return pad();
    }

    public MessageBuilder attrU8(final int type, final int value)
    {
        return attr(type, number(1, value));
    }

    public MessageBuilder attrU16(final int type, final int value)
    {
        return attr(type, number(2, value));
    }

    public MessageBuilder attrU32(final int type, final long value)
    {
        return attr(type, number(4, value));
    }

    public MessageBuilder attrU64(final int type, final long value)
    {
        return attr(type, number(8, value));
    }

    public MessageBuilder attrBe16(final int type, final int value)
    {
        return attr(type, value >>> 8, value);
    }

    public MessageBuilder attrBe32(final int type, final long value)
    {
        return attr(type, (int)(value >>> 24), (int)(value >>> 16), (int)(value >>> 8), (int)value);
    }

    /** A big-endian 64-bit attribute ({@link #be64}): {@code nla_len} 12. */
    public MessageBuilder attrBe64(final int type, final long value)
    {
        return attrHeader(Netlink.NLA_HDRLEN + 8, type).be64(value).pad();
    }

    /** A NUL-terminated string attribute. */
    public MessageBuilder attrString(final int type, final String value)
    {
        final byte[] text = value.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(text, text.length + 1));
    }

    /**
     * A nested attribute ({@code type} as given: or {@code NLA_F_NESTED} in when the kernel sets it) whose
     * {@code nla_len} counts what {@code body} appends.
     */
    public MessageBuilder nest(final int type, final Consumer<MessageBuilder> body)
    {
        final int at = length;
        attrHeader(0, type);
        body.accept(this);
        put(at, 2, length - at);
        return pad();
    }

    /** An attribute header as given: an {@code nla_len} that need not match what follows. */
    public MessageBuilder attrHeader(final int nlaLen, final int type)
    {
        return append(2, nlaLen).append(2, type);
    }

    /** Zeros up to a multiple of 4 from the message's start. */
    public MessageBuilder pad()
    {
        return zeros(Netlink.nlaAlign(length) - length);
    }

    /** Where the next byte goes: an attribute's offset, for the error offset a table expects. */
    public int offset()
    {
        return length;
    }

    /** The message, {@code nlmsg_len} set (to the length built, or as {@link #nlmsgLen} said). */
    public byte[] bytes()
    {
        final byte[] message = Arrays.copyOf(out, length);
        if (length >= 4)
        {
            ByteBuffer.wrap(message).order(HOST).putInt(0, nlmsgLen >= 0 ? nlmsgLen : length);
        }
        return message;
    }

    /** The bytes appended, without touching the first four (a stream of attributes). */
    public byte[] attributeBytes()
    {
        return Arrays.copyOf(out, length);
    }

    private static byte[] number(final int size, final long value)
    {
        final ByteBuffer b = ByteBuffer.allocate(8).order(HOST);
        b.putLong(0, HOST == ByteOrder.LITTLE_ENDIAN ? value : value << 8 * (8 - size));
        return Arrays.copyOf(b.array(), size);
    }

    private MessageBuilder append(final int size, final long value)
    {
        ensure(size);
        length += size;
        put(length - size, size, value);
        return this;
    }

    private void put(final int at, final int size, final long value)
    {
        final byte[] n = number(size, value);
        System.arraycopy(n, 0, out, at, size);
    }

    private void ensure(final int n)
    {
        if (length + n > out.length)
        {
            out = Arrays.copyOf(out, Math.max(2 * out.length, length + n));
        }
    }
}
