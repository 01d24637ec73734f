package io.nlstream.sinks;

import io.nlstream.netlink.InetAddresses;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link FieldWriter} that appends UTF-8 to one growable byte array: the bytes that go to stdout or into a
 * Kafka record as they are, with no String or StringBuilder per event.
 * <p>
 * {@link #beginEvent} appends after whatever the buffer already holds, so a caller can batch: write events,
 * {@link #newLine()} after each, {@link #writeTo} when {@link #length()} is large, then {@link #reset()}.
 * Another calls {@link #reset()} before each event and hands {@link #toByteArray()} to Kafka. The array starts
 * at {@value #INITIAL_CAPACITY} bytes, doubles when an event needs more, and never shrinks: after the largest
 * event has been seen, writing allocates nothing for ASCII content. Non-ASCII bytes of a
 * {@link #string string} attribute are decoded through a String first, so that invalid UTF-8 comes out as the
 * String-based encoders printed it (U+FFFD).
 * <p>
 * The output is byte for byte what the map model's JsonEncoder and TextEncoder (now the sinks tests'
 * reference) printed for the same event as a map, encoded as UTF-8 ({@code String.getBytes(UTF_8)}; an
 * unpaired surrogate that those encoders leave unescaped becomes '?'). Not thread safe: one writer per thread.
 */
public abstract sealed class ByteFieldWriter implements FieldWriter permits JsonFieldWriter, TextFieldWriter
{
    public static final int INITIAL_CAPACITY = 64 * 1024;

    /** The largest array the JVM reliably allocates. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    /**
     * For each ASCII char, what follows the backslash when JSON needs it escaped, or 0 when it is written as it
     * is: JsonEncoder.string's rules (the short escapes; anything else below 0x20, and DEL, as 'u' and four hex
     * digits).
     */
    private static final byte[] ESCAPE = new byte[128];

    /** What {@link #copyAscii} saw: a byte JSON escapes, one that makes text quote the value, a non-ASCII byte. */
    static final int ESCAPED = 1;
    static final int QUOTED = 2;
    static final int NON_ASCII = 4;

    /** For each byte value, the {@link #ESCAPED}, {@link #QUOTED} and {@link #NON_ASCII} bits it sets. */
    private static final byte[] CLASS = new byte[256];

    static
    {
        for (int c = 0; c < 0x20; c++)
        {
            ESCAPE[c] = 'u';
        }
        ESCAPE[0x7f] = 'u';
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
        ESCAPE['\n'] = 'n';
        ESCAPE['\r'] = 'r';
        ESCAPE['\t'] = 't';
        ESCAPE['\b'] = 'b';
        ESCAPE['\f'] = 'f';
        for (int c = 0; c < 256; c++)
        {
            if (c >= 0x80)
            {
                CLASS[c] = NON_ASCII;
            }
            else
            {
                CLASS[c] = (byte)((ESCAPE[c] != 0 ? ESCAPED : 0) | (plainAscii(c) ? 0 : QUOTED));
            }
        }
    }

    byte[] buffer = new byte[INITIAL_CAPACITY];
    int position;
    private final byte[] date = new byte[Timestamps.DATE_LENGTH];
    private long dateDays = Long.MIN_VALUE;
    /** Where a non-ASCII string attribute is gathered to be decoded. */
    private byte[] scratch = new byte[256];
    /** The {@link #ESCAPED} and {@link #QUOTED} bits of what the last {@link #copyAscii} copied. */
    int copied;
    /** The last addresses {@link #putAddress} formatted: length (0: none), bytes as two longs, text. */
    private static final int RECENT_ADDRESSES = 2;
    private final int[] recentLength = new int[RECENT_ADDRESSES];
    private final long[] recentHigh = new long[RECENT_ADDRESSES];
    private final long[] recentLow = new long[RECENT_ADDRESSES];
    private final int[] recentTextLength = new int[RECENT_ADDRESSES];
    private final byte[] recentText = new byte[RECENT_ADDRESSES * InetAddresses.MAX_IPV6_TEXT];
    private int recentNext;

    ByteFieldWriter()
    {
    }

    /**
     * @param format "json", "text" (each kind laid out as {@link TextLayouts} says) or "kv" (every field as
     *               {@code name=value}), as {@code --format} takes it
     * @throws IllegalArgumentException for any other format, with the message EventEncoder.forFormat gave
     */
    public static ByteFieldWriter forFormat(final String format)
    {
        switch (format)
        {
            case "json":
                return new JsonFieldWriter();
            case "text":
                return new TextFieldWriter(TextLayouts.all());
            case "kv":
                return new TextFieldWriter();
            default:
                throw new IllegalArgumentException("unknown output format '" + format + "': expected json, text or kv");
        }
    }

    /** Forgets the content; the array is kept. */
    public final void reset()
    {
        position = 0;
    }

    /** Bytes written since the last {@link #reset()}. */
    public final int length()
    {
        return position;
    }

    /** The backing array, valid from 0 to {@link #length()}; replaced when it grows, so not to be kept. */
    public final byte[] array()
    {
        return buffer;
    }

    /** A copy of the content (a Kafka record value, which the producer keeps after send returns). */
    public final byte[] toByteArray()
    {
        return Arrays.copyOf(buffer, position);
    }

    /** Writes the content to {@code out}; the content stays until {@link #reset()}. */
    public final void writeTo(final OutputStream out) throws IOException
    {
        out.write(buffer, 0, position);
    }

    /** Ends a line: '\n', as the line-oriented sinks put after each event. */
    public final void newLine()
    {
        ensure(1);
        buffer[position++] = '\n';
    }

    /** Room for {@code n} more bytes. */
    final void ensure(final int n)
    {
        if (n > buffer.length - position)
        {
            grow(n);
        }
    }

    private void grow(final int n)
    {
        final long needed = (long)position + n;
        if (n < 0 || needed > MAX_CAPACITY)
        {
            throw new IllegalStateException("event text too large: length=" + position + " more=" + n
                + " capacity=" + MAX_CAPACITY);
        }
        long capacity = buffer.length;
        while (capacity < needed)
        {
            capacity = Math.min(2 * capacity, MAX_CAPACITY);
        }
        buffer = Arrays.copyOf(buffer, (int)capacity);
    }

    /** Worst-case bytes for {@code n} source units that expand by {@code factor}, saturated. */
    static int bound(final int n, final int factor, final int extra)
    {
        return (int)Math.min(MAX_CAPACITY, (long)Math.max(n, 0) * factor + extra);
    }

    final void putByte(final byte b)
    {
        ensure(1);
        buffer[position++] = b;
    }

    final void putByte(final char c)
    {
        putByte((byte)c);
    }

    final void putBytes(final byte[] src)
    {
        ensure(src.length);
        System.arraycopy(src, 0, buffer, position, src.length);
        position += src.length;
    }

    final void putLong(final long value)
    {
        ensure(Digits.MAX_LONG_LENGTH);
        position = Digits.putLong(buffer, position, value);
    }

    final void putBoolean(final boolean value)
    {
        putBytes(value ? TRUE : FALSE);
    }

    /** {@link Timestamps#format}, the date kept from the last call: events close in time share their day. */
    final void putTimestamp(final long epochNanos)
    {
        ensure(Timestamps.LENGTH);
        final long days = Math.floorDiv(epochNanos, Timestamps.NANOS_PER_DAY);
        if (days != dateDays)
        {
            Timestamps.date(days, date, 0);
            dateDays = days;
        }
        System.arraycopy(date, 0, buffer, position, Timestamps.DATE_LENGTH);
        position = Timestamps.time(epochNanos - days * Timestamps.NANOS_PER_DAY, buffer, position + Timestamps.DATE_LENGTH);
    }

    /**
     * The address text of {@link InetAddresses#format(ByteBuffer, int, int)}. The texts of the last two IPv4 or IPv6
     * addresses written are kept: a flow's reply tuple (without NAT) names its original's two addresses again, and so
     * they are copied rather than formatted twice.
     */
    final void putAddress(final ByteBuffer buf, final int offset, final int length)
    {
        ensure(InetAddresses.maxTextLength(length));
        if (length != 4 && length != 16)
        {
            position = InetAddresses.format(buf, offset, length, buffer, position);
            return;
        }
        final long high = length == 4 ? buf.getInt(offset) & 0xFFFFFFFFL : buf.getLong(offset);
        final long low = length == 4 ? 0 : buf.getLong(offset + 8);
        for (int i = 0; i < RECENT_ADDRESSES; i++)
        {
            if (recentLength[i] == length && recentHigh[i] == high && recentLow[i] == low)
            {
                final int n = recentTextLength[i];
                System.arraycopy(recentText, i * InetAddresses.MAX_IPV6_TEXT, buffer, position, n);
                position += n;
                return;
            }
        }
        final int start = position;
        position = InetAddresses.format(buf, offset, length, buffer, start);
        final int i = recentNext;
        recentNext = (i + 1) % RECENT_ADDRESSES;
        recentLength[i] = length;
        recentHigh[i] = high;
        recentLow[i] = low;
        recentTextLength[i] = position - start;
        System.arraycopy(buffer, start, recentText, i * InetAddresses.MAX_IPV6_TEXT, position - start);
    }

    final void putMac(final ByteBuffer buf, final int offset, final int length)
    {
        ensure(bound(length, 3, 0));
        position = InetAddresses.mac(buf, offset, length, buffer, position);
    }

    /** Lower-case hex without separators, as the map model printed conntrack labels ({@code Character.forDigit(nibble, 16)}). */
    final void putHex(final ByteBuffer buf, final int offset, final int length)
    {
        ensure(bound(length, 2, 0));
        final byte[] b = buffer;
        int p = position;
        for (int i = 0; i < length; i++)
        {
            final int v = buf.get(offset + i) & 0xFF;
            b[p++] = HEX[v >>> 4];
            b[p++] = HEX[v & 0xF];
        }
        position = p;
    }

    /** {@code s} between quotes, escaped as JsonEncoder.string escapes it. */
    final void putJsonString(final CharSequence s)
    {
        final int length = s.length();
        ensure(bound(length, 6, 2));
        final byte[] b = buffer;
        int p = position;
        b[p++] = '"';
        for (int i = 0; i < length; i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                final byte e = ESCAPE[c];
                if (e == 0)
                {
                    b[p++] = (byte)c;
                }
                else
                {
                    p = escape(b, p, c, e);
                }
            }
            else if (c < 0x800)
            {
                b[p++] = (byte)(0xC0 | c >>> 6);
                b[p++] = (byte)(0x80 | c & 0x3F);
            }
            else if (Character.isSurrogate(c))
            {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1)))
                {
                    p = putCodePoint(b, p, Character.toCodePoint(c, s.charAt(++i)));
                }
                else
                {
                    // unpaired: JsonEncoder escapes it rather than let the UTF-8 encoder turn it into '?'
                    p = unicodeEscape(b, p, c);
                }
            }
            else
            {
                p = put3(b, p, c);
            }
        }
        b[p++] = '"';
        position = p;
    }

    /** {@code s} as UTF-8, as {@code String.getBytes(UTF_8)} encodes it: an unpaired surrogate becomes '?'. */
    final void putUtf8(final CharSequence s)
    {
        final int length = s.length();
        ensure(bound(length, 3, 0));
        final byte[] b = buffer;
        int p = position;
        for (int i = 0; i < length; i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                b[p++] = (byte)c;
            }
            else if (c < 0x800)
            {
                b[p++] = (byte)(0xC0 | c >>> 6);
                b[p++] = (byte)(0x80 | c & 0x3F);
            }
            else if (Character.isSurrogate(c))
            {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1)))
                {
                    p = putCodePoint(b, p, Character.toCodePoint(c, s.charAt(++i)));
                }
                else
                {
                    b[p++] = '?';
                }
            }
            else
            {
                p = put3(b, p, c);
            }
        }
        position = p;
    }

    /**
     * Escapes the ASCII bytes at {@code [from, position)} in place as JSON string content (no quotes): they
     * were copied there raw, and now need the room their escapes take.
     */
    final void escapeInPlace(final int from)
    {
        final int length = position - from;
        int escaped = 0;
        for (int i = from; i < position; i++)
        {
            final byte e = ESCAPE[buffer[i]];
            if (e != 0)
            {
                escaped += e == 'u' ? 5 : 1;
            }
        }
        if (escaped == 0)
        {
            return;
        }
        ensure(escaped);
        final byte[] b = buffer;
        // from the back, so that nothing is overwritten before it is read
        int src = from + length;
        int dst = src + escaped;
        position = dst;
        while (src > from)
        {
            final byte c = b[--src];
            final byte e = ESCAPE[c];
            if (e == 0)
            {
                b[--dst] = c;
            }
            else if (e == 'u')
            {
                b[--dst] = HEX[c & 0xF];
                b[--dst] = HEX[c >>> 4 & 0xF];
                b[--dst] = '0';
                b[--dst] = '0';
                b[--dst] = 'u';
                b[--dst] = '\\';
            }
            else
            {
                b[--dst] = e;
                b[--dst] = '\\';
            }
        }
    }

    /**
     * Copies the bytes of a string attribute (up to the first NUL within {@code length}) to the position if they
     * are all ASCII, and returns how many, with {@link #copied} saying whether they need escaping or quoting;
     * else copies nothing and returns {@code ~n} (negative), {@code n} being the attribute's length up to its
     * NUL, for the caller to decode.
     */
    final int copyAscii(final ByteBuffer buf, final int offset, final int length)
    {
        ensure(Math.max(length, 0));
        final byte[] b = buffer;
        final int p = position;
        int n = 0;
        int flags = 0;
        while (n < length)
        {
            final byte c = buf.get(offset + n);
            if (c == 0)
            {
                break;
            }
            flags |= CLASS[c & 0xFF];
            b[p + n] = c;
            n++;
        }
        copied = flags;
        if ((flags & NON_ASCII) != 0)
        {
            return ~n;
        }
        position = p + n;
        return n;
    }

    /** As {@link #copyAscii(ByteBuffer, int, int)} for bytes that have no NUL to stop at. */
    final int copyAscii(final byte[] src, final int offset, final int length)
    {
        ensure(Math.max(length, 0));
        final byte[] b = buffer;
        final int p = position;
        if (length >= Long.BYTES && allPlain(src, offset, length))
        {
            // the common case (a Community ID): one copy, no byte-by-byte classing
            System.arraycopy(src, offset, b, p, length);
            copied = 0;
            position = p + length;
            return length;
        }
        int flags = 0;
        for (int i = 0; i < length; i++)
        {
            final byte c = src[offset + i];
            flags |= CLASS[c & 0xFF];
            b[p + i] = c;
        }
        copied = flags;
        if ((flags & NON_ASCII) != 0)
        {
            return ~length;
        }
        position = p + length;
        return length;
    }

    /**
     * Whether {@code length} (at least 8) bytes are all {@link #plainAscii}, eight at a time: no byte with its high bit
     * set, none below 0x21, none equal to '"', '\\' or DEL. Each test is the exact "some byte of the word" form
     * (a borrow reaches a byte's high bit only from a byte that is itself below the bound), so false means one
     * of them is there somewhere and the caller classes the bytes one by one. A tail shorter than eight is read as
     * the last eight bytes, overlapping the word before.
     */
    private static boolean allPlain(final byte[] src, final int offset, final int length)
    {
        final int end = offset + length;
        for (int i = offset; i < end; i += Long.BYTES)
        {
            final long w = (long)LONGS.get(src, Math.min(i, end - Long.BYTES));
            if (((w | (w - 0x2121212121212121L) | hasZero(w ^ 0x2222222222222222L) | hasZero(w ^ 0x5C5C5C5C5C5C5C5CL)
                | hasZero(w ^ 0x7F7F7F7F7F7F7F7FL)) & 0x8080808080808080L) != 0)
            {
                return false;
            }
        }
        return true;
    }

    /** The high bit of some byte set when some byte of {@code w} is zero (and only then, taken over the whole word). */
    private static long hasZero(final long w)
    {
        return w - 0x0101010101010101L & ~w;
    }

    /** Puts the ASCII bytes at {@code [from, position)} between quotes and escapes them as JSON. */
    final void quoteInPlace(final int from)
    {
        ensure(1);
        System.arraycopy(buffer, from, buffer, from + 1, position - from);
        buffer[from] = '"';
        position++;
        escapeInPlace(from + 1);
        putByte('"');
    }

    /** Whether TextEncoder prints {@code s} without quotes: non-empty, nothing at or below space, no '"', '\\' or DEL. */
    static boolean plain(final CharSequence s)
    {
        final int length = s.length();
        if (length == 0)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = s.charAt(i);
            if (c <= ' ' || c == '"' || c == '\\' || c == 0x7f)
            {
                return false;
            }
        }
        return true;
    }

    /** Whether an ASCII byte is one TextEncoder prints without quotes. */
    static boolean plainAscii(final int b)
    {
        return b > ' ' && b != '"' && b != '\\' && b != 0x7f;
    }

    /** {@code n} bytes decoded as UTF-8 the way AttributeIterator.string does (bad sequences become U+FFFD). */
    final String decode(final ByteBuffer buf, final int offset, final int n)
    {
        if (scratch.length < n)
        {
            scratch = new byte[Math.max(n, 2 * scratch.length)];
        }
        buf.get(offset, scratch, 0, n);
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * Bytes given as ASCII that are not: each byte from 0x80 up becomes U+FFFD, as a US-ASCII decoder (the map
     * model's reading of {@link FieldWriter#ascii}) makes it.
     */
    static String decodeAscii(final byte[] src, final int offset, final int n)
    {
        return new String(src, offset, n, StandardCharsets.US_ASCII);
    }

    private static int escape(final byte[] b, final int at, final char c, final byte e)
    {
        if (e == 'u')
        {
            return unicodeEscape(b, at, c);
        }
        b[at] = '\\';
        b[at + 1] = e;
        return at + 2;
    }

    /** A backslash, 'u' and four lower-case hex digits, as JsonEncoder writes them with String.format. */
    private static int unicodeEscape(final byte[] b, final int at, final char c)
    {
        b[at] = '\\';
        b[at + 1] = 'u';
        b[at + 2] = HEX[c >>> 12];
        b[at + 3] = HEX[c >>> 8 & 0xF];
        b[at + 4] = HEX[c >>> 4 & 0xF];
        b[at + 5] = HEX[c & 0xF];
        return at + 6;
    }

    private static int put3(final byte[] b, final int at, final char c)
    {
        b[at] = (byte)(0xE0 | c >>> 12);
        b[at + 1] = (byte)(0x80 | c >>> 6 & 0x3F);
        b[at + 2] = (byte)(0x80 | c & 0x3F);
        return at + 3;
    }

    private static int putCodePoint(final byte[] b, final int at, final int cp)
    {
        b[at] = (byte)(0xF0 | cp >>> 18);
        b[at + 1] = (byte)(0x80 | cp >>> 12 & 0x3F);
        b[at + 2] = (byte)(0x80 | cp >>> 6 & 0x3F);
        b[at + 3] = (byte)(0x80 | cp & 0x3F);
        return at + 4;
    }
}
