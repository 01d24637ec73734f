package io.nlstream.sinks;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.InetAddresses;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The calls that read bytes (string attributes, addresses, MACs, hex, timestamps) against the String each
 * stood for in the old model, written with {@link FieldWriter#field(Name, CharSequence)}: the same output in
 * both formats, at field level, inside an object and inside a list's object (where text prints as a map's
 * toString).
 */
class FieldWriterBytesTest
{
    private static final Name KIND = Name.of("conn");
    private static final Name OP = Name.of("new");
    private static final Name BEFORE = Name.of("before");
    private static final Name AFTER = Name.of("after");
    private static final Name OBJECT = Name.of("orig");
    private static final Name LIST = Name.of("hops");
    private static final Name GONE = Name.of("gone");
    private static final Name VALUE = Name.of("value");

    private final ByteFieldWriter[] fast = {new JsonFieldWriter(), new TextFieldWriter()};
    private final ByteFieldWriter[] slow = {new JsonFieldWriter(), new TextFieldWriter()};

    /** Writes one value both ways in every format and place, and insists on the same bytes. */
    private void same(final Consumer<FieldWriter> bytes, final Consumer<FieldWriter> string, final String what)
    {
        for (int format = 0; format < 2; format++)
        {
            for (int place = 0; place < 3; place++)
            {
                fast[format].reset();
                slow[format].reset();
                write(fast[format], place, bytes);
                write(slow[format], place, string);
                if (!Arrays.equals(slow[format].toByteArray(), fast[format].toByteArray()))
                {
                    assertEquals(new String(slow[format].toByteArray(), StandardCharsets.UTF_8),
                        new String(fast[format].toByteArray(), StandardCharsets.UTF_8),
                        (format == 0 ? "json" : "text") + " place " + place + ": " + what);
                }
            }
        }
    }

    private static void write(final FieldWriter out, final int place, final Consumer<FieldWriter> value)
    {
        out.beginEvent(1, 2, KIND, OP, 3);
        out.field(BEFORE, -1);
        switch (place)
        {
            case 0:
                value.accept(out);
                break;
            case 1:
                out.beginObject(OBJECT);
                value.accept(out);
                out.field(AFTER, true);
                out.endObject();
                break;
            default:
                out.beginList(LIST);
                out.beginListObject();
                out.field(BEFORE, 7);
                value.accept(out);
                out.absent(GONE);
                out.endListObject();
                out.beginListObject();
                value.accept(out);
                out.endListObject();
                out.endList();
        }
        out.field(AFTER, "x");
        out.endEvent();
    }

    /** Bytes a string attribute might hold: text, escapes, NULs, good and bad UTF-8. */
    private static byte[] attributeBytes(final SplittableRandom random)
    {
        final byte[] b = new byte[64];
        int n = 0;
        final int pieces = random.nextInt(0, 10);
        for (int i = 0; i < pieces && n < 56; i++)
        {
            switch (random.nextInt(12))
            {
                case 0:                                                      // a NUL: the string ends here
                    b[n++] = 0;
                    break;
                case 1:                                                      // controls
                    b[n++] = (byte)random.nextInt(1, 0x20);
                    break;
                case 2:
                    b[n++] = (byte)"\"\\\u007f =,{}".charAt(random.nextInt(8));
                    break;
                case 3:                                                      // a lone continuation byte
                    b[n++] = (byte)random.nextInt(0x80, 0xC0);
                    break;
                case 4:                                                      // a lead byte, maybe truncated
                    b[n++] = (byte)random.nextInt(0xC0, 0x100);
                    break;
                case 5:                                                      // a surrogate in UTF-8: invalid
                    b[n++] = (byte)0xED;
                    b[n++] = (byte)random.nextInt(0xA0, 0xC0);
                    b[n++] = (byte)random.nextInt(0x80, 0xC0);
                    break;
                case 6:                                                      // an overlong '/' and NUL
                    b[n++] = (byte)0xC0;
                    b[n++] = (byte)(random.nextBoolean() ? 0xAF : 0x80);
                    break;
                case 7:                                                      // good UTF-8 of any code point
                {
                    final byte[] cp = new String(Character.toChars(random.nextInt(0x80, 0x110000)))
                        .getBytes(StandardCharsets.UTF_8);
                    System.arraycopy(cp, 0, b, n, cp.length);
                    n += cp.length;
                    break;
                }
                case 8:                                                      // past U+10FFFF
                    b[n++] = (byte)0xF4;
                    b[n++] = (byte)0x90;
                    b[n++] = (byte)0x80;
                    b[n++] = (byte)0x80;
                    break;
                default:
                    for (int k = random.nextInt(1, 6); k > 0; k--)
                    {
                        b[n++] = (byte)random.nextInt(0x21, 0x7f);
                    }
            }
        }
        return Arrays.copyOf(b, n);
    }

    private static ByteBuffer buffer(final SplittableRandom random, final int offset, final byte[] content, final int trailing)
    {
        final int size = offset + content.length + trailing;
        final ByteBuffer buf = random.nextBoolean() ? ByteBuffer.allocate(size) : ByteBuffer.allocateDirect(size);
        buf.order(random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < offset; i++)
        {
            buf.put(i, (byte)random.nextInt(256));
        }
        buf.put(offset, content);
        for (int i = 0; i < trailing; i++)
        {
            buf.put(offset + content.length + i, (byte)random.nextInt(256));
        }
        buf.position(random.nextInt(size + 1));
        return buf;
    }

    @Test
    void stringAttributesReadAsAttributeIteratorReadsThem()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 30_000; i++)
        {
            final byte[] content = attributeBytes(random);
            final int offset = random.nextInt(0, 9);
            final ByteBuffer buf = buffer(random, offset, content, random.nextInt(0, 4));
            final int length = random.nextInt(4) == 0 ? random.nextInt(0, content.length + 1) : content.length;
            final String expected = AttributeIterator.string(buf, offset, length);
            final int position = buf.position();
            same(w -> w.string(VALUE, buf, offset, length), w -> w.field(VALUE, expected), PropertyText.hex(content));
            assertEquals(position, buf.position());
        }
    }

    @Test
    void asciiBytesAreTheirText()
    {
        final SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] content = attributeBytes(random);
            final byte[] src = new byte[content.length + 6];
            System.arraycopy(content, 0, src, 3, content.length);
            // not ASCII after all: read as the map model read it (monitor's MapEventWriter), byte by byte
            final String expected = new String(content, StandardCharsets.US_ASCII);
            same(w -> w.ascii(VALUE, src, 3, content.length), w -> w.field(VALUE, expected), PropertyText.hex(content));
        }
    }

    /**
     * The word-at-a-time test behind {@code ascii} (eight bytes at once, the tail overlapping): one byte of every value
     * at every place of plain text 8 to 40 bytes long, each written as the byte-by-byte classing writes it. A mask
     * that let one through (a quote, a control, a high byte in any lane) would print it unescaped here.
     */
    @Test
    void asciiWordTestFindsEveryByteThatIsNotPlain()
    {
        final byte[] plain = "1:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP+/=".getBytes(StandardCharsets.US_ASCII);
        for (int length = 8; length <= 40; length++)
        {
            for (int at = 0; at < length; at++)
            {
                for (int value = 0; value < 256; value++)
                {
                    if (length % 8 != 1 && length != 12 && length != 30 && value % 17 != 0 && !"\"\\\u007f !#[]~".contains(String.valueOf((char)value))
                        && value != 0x80 && value != 0xFF && value != 0x1F)
                    {
                        continue;
                    }
                    final byte[] src = new byte[length + 5];
                    System.arraycopy(plain, 0, src, 2, length);
                    src[2 + at] = (byte)value;
                    final String expected = new String(src, 2, length, StandardCharsets.US_ASCII);
                    final int n = length;
                    same(w -> w.ascii(VALUE, src, 2, n), w -> w.field(VALUE, expected), "length " + length + ", byte " + value + " at " + at);
                }
            }
        }
    }

    @Test
    void addressesCidrsMacsAndHexAreTheirStrings()
    {
        final SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 30_000; i++)
        {
            final int length = random.nextInt(4) == 0 ? random.nextInt(0, 21) : random.nextBoolean() ? 4 : 16;
            final byte[] content = new byte[length];
            random.nextBytes(content);
            if (length == 16)
            {
                zeroRuns(random, content);
            }
            final int offset = random.nextInt(0, 9);
            final ByteBuffer buf = buffer(random, offset, content, random.nextInt(0, 4));
            final String text = InetAddresses.format(buf, offset, length);
            final String what = PropertyText.hex(content);
            same(w -> w.address(VALUE, buf, offset, length), w -> w.field(VALUE, text), what);
            final int prefix = random.nextInt(-1, 129);
            same(w -> w.cidr(VALUE, buf, offset, length, prefix), w -> w.field(VALUE, text + "/" + prefix), what);
            final String mac = InetAddresses.mac(buf, offset, length);
            same(w -> w.mac(VALUE, buf, offset, length), w -> w.field(VALUE, mac), what);
            final String hex = referenceHex(buf, offset, length);
            same(w -> w.hex(VALUE, buf, offset, length), w -> w.field(VALUE, hex), what);
        }
    }

    /** The cases glibc treats apart: ::, ::1, mapped and compatible IPv4, zero runs of every length. */
    private static void zeroRuns(final SplittableRandom random, final byte[] a)
    {
        switch (random.nextInt(6))
        {
            case 0:
                Arrays.fill(a, (byte)0);
                a[15] = (byte)random.nextInt(0, 2);
                return;
            case 1:
                Arrays.fill(a, 0, 10, (byte)0);
                a[10] = (byte)0xFF;
                a[11] = (byte)0xFF;
                return;
            case 2:
                Arrays.fill(a, 0, 12, (byte)0);
                return;
            default:
                for (int g = 0; g < 8; g++)
                {
                    if (random.nextBoolean())
                    {
                        a[2 * g] = 0;
                        a[2 * g + 1] = 0;
                    }
                }
        }
    }

    /** EventDecoder.hex, which printed conntrack labels in the old model. */
    private static String referenceHex(final ByteBuffer buf, final int offset, final int length)
    {
        final StringBuilder sb = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++)
        {
            final int b = buf.get(offset + i) & 0xFF;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    @Test
    void timestampsAreTimestampsRfc3339()
    {
        final SplittableRandom random = new SplittableRandom(10);
        for (int i = 0; i < 20_000; i++)
        {
            final long nanos = i < 4 ? new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}[i] : random.nextLong();
            final String text = Timestamps.rfc3339(nanos);
            same(w -> w.timestamp(VALUE, nanos), w -> w.field(VALUE, text), Long.toString(nanos));
        }
    }

    /**
     * A writer keeps the date of its last timestamp: events whose time and timestamp field fall on the same
     * day, walking back and forth across midnights, a leap day and 1970, against the old encoders.
     */
    @Test
    void timestampsCloseInTimeShareTheirDay()
    {
        final SplittableRandom random = new SplittableRandom(13);
        final ByteFieldWriter[] writers = {new JsonFieldWriter(), new TextFieldWriter()};
        final EventEncoder[] encoders = {new JsonEncoder(), new TextEncoder()};
        for (final long startDay : new long[] {-1, 0, java.time.LocalDate.of(2024, 2, 28).toEpochDay(),
            java.time.LocalDate.of(2099, 12, 31).toEpochDay()})
        {
            long nanos = startDay * 86_400_000_000_000L - 5_000_000_000L;
            for (int i = 0; i < 3_000; i++)
            {
                nanos += random.nextLong(-3_600_000_000_000L, 3 * 3_600_000_000_000L);
                final long field = nanos + random.nextLong(-60_000_000_000L, 60_000_000_000L);
                final Event old = new Event(i, nanos, "conn", "new", 1).put("start", Timestamps.rfc3339(field));
                for (int f = 0; f < 2; f++)
                {
                    writers[f].reset();
                    writers[f].beginEvent(i, nanos, KIND, OP, 1);
                    writers[f].timestamp(Name.of("start"), field);
                    writers[f].endEvent();
                    final StringBuilder expected = new StringBuilder();
                    encoders[f].encode(old, expected);
                    assertEquals(expected.toString(), new String(writers[f].toByteArray(), StandardCharsets.US_ASCII));
                }
            }
        }
    }

    @Test
    void asciiOfPrintableBytesIsItsText()
    {
        final byte[] id = "1:bk9LJnGUnGlq3ZaGida0bS5qXw4=".getBytes(StandardCharsets.US_ASCII);
        same(w -> w.ascii(VALUE, id, 0, id.length), w -> w.field(VALUE, "1:bk9LJnGUnGlq3ZaGida0bS5qXw4="), "community id");
        same(w -> w.ascii(VALUE, id, 0, 0), w -> w.field(VALUE, ""), "empty");
    }

    /** Constants are their text, wherever they are written (numbers and booleans: FieldWritersPropertyTest). */
    @Test
    void namesAreTheirText()
    {
        final SplittableRandom random = new SplittableRandom(11);
        final RandomEvents strings = new RandomEvents(random);
        for (int i = 0; i < 20_000; i++)
        {
            final String s = strings.string();
            same(w -> w.field(VALUE, Name.of(s)), w -> w.field(VALUE, s), PropertyText.hex(s.getBytes(StandardCharsets.UTF_16BE)));
        }
    }

    /** Hex for messages. */
    static final class PropertyText
    {
        private PropertyText()
        {
        }

        static String hex(final byte[] bytes)
        {
            final StringBuilder sb = new StringBuilder();
            for (final byte b : bytes)
            {
                sb.append(String.format("%02x", b & 0xFF));
            }
            return sb.toString();
        }
    }
}
