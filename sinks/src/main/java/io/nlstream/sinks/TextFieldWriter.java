package io.nlstream.sinks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One human line per event, as the map model's TextEncoder printed the event's map (the tests' reference):
 * <pre>
 * 2026-11-28T10:00:00.123456789Z conn new netns=N name=value ...     (no seq)
 * conn netns=N name=value ...                                        (a state object: op null)
 * orig.src=10.0.0.1 orig.sport=1234                                  (an object, flattened)
 * status=SEEN_REPLY,ASSURED                                          (a list; "" when empty)
 * nexthops="{gateway=10.0.0.1, oif=2, weight=1},{gateway=null, oif=3, weight=1}"
 * </pre>
 * A value is quoted, with JSON string escapes, unless it is non-empty and has nothing at or below a space, no
 * '"', '\\' or DEL (chars from 0x80 up count as plain). A list is judged as the one text its elements make
 * joined with ','; the objects of a list print as the old map's {@code toString} printed them, where an
 * {@link #absent} field is {@code name=null}. Outside a list's objects an absent field prints nothing.
 * <p>
 * A list of plain constants (flags, status bits) is written straight into the buffer. Any other list is
 * gathered in a reused StringBuilder, as the old encoder joined it: whether it needs quotes is known only at
 * its end, and an unpaired surrogate in it comes out escaped if it does and as '?' if it does not.
 */
public final class TextFieldWriter extends ByteFieldWriter
{
    private static final Name FOREVER = Name.of("forever");
    private static final byte[] NETNS = " netns=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUOTES = "\"\"".getBytes(StandardCharsets.US_ASCII);

    /** A list at field level: elements joined with ',', then quoted as one value. */
    private static final byte LIST = 0;
    /** A list inside a list's object: {@code [a, b]}, as a java.util.List prints. */
    private static final byte INNER_LIST = 1;
    /** An object inside a list: {@code {a=1, b=null}}, as a java.util.Map prints. */
    private static final byte MAP = 2;

    /** {@code orig.} and deeper: what goes before the names of an object's fields. */
    private byte[] prefix = new byte[128];
    private int prefixLength;
    private int[] prefixMarks = new int[8];
    private int objectDepth;

    private final StringBuilder joined = new StringBuilder(256);
    /**
     * Where the open field-level list's text starts in the buffer while it holds only plain constants (flags,
     * status bits: the common list), written there directly since it needs no quotes; -1 once it is gathered
     * in {@link #joined}.
     */
    private int directList = -1;
    private byte[] joinKinds = new byte[8];
    private boolean[] joinFirst = new boolean[8];
    private int joinDepth;

    public TextFieldWriter()
    {
    }

    @Override
    public void beginEvent(final long seq, final long tsNanos, final Name kind, final Name op, final long netns)
    {
        // an event abandoned half-way (an exception) must not leave its nesting to the next one
        prefixLength = 0;
        objectDepth = 0;
        joinDepth = 0;
        directList = -1;
        if (op != null)
        {
            putTimestamp(tsNanos);
            putByte(' ');
            putBytes(kind.bytes());
            putByte(' ');
            putBytes(op.bytes());
        }
        else
        {
            putBytes(kind.bytes());
        }
        putBytes(NETNS);
        putLong(netns);
    }

    @Override
    public void endEvent()
    {
        // a line has no closing mark; the caller adds the line end
    }

    @Override
    public void lifetime(final Name name, final long seconds)
    {
        if (seconds == INFINITE_LIFETIME)
        {
            field(name, FOREVER);
            return;
        }
        field(name, seconds);
    }

    @Override
    public void field(final Name name, final long value)
    {
        if (joinDepth > 0)
        {
            joinKey(name);
            joined.append(value);
            return;
        }
        fieldStart(name);
        putLong(value);
    }

    @Override
    public void field(final Name name, final boolean value)
    {
        if (joinDepth > 0)
        {
            joinKey(name);
            joined.append(value);
            return;
        }
        fieldStart(name);
        putBoolean(value);
    }

    @Override
    public void field(final Name name, final Name value)
    {
        if (value == null)
        {
            absent(name);
        }
        else if (joinDepth > 0)
        {
            joinKey(name);
            joined.append(value.text());
        }
        else
        {
            fieldStart(name);
            putName(value);
        }
    }

    @Override
    public void field(final Name name, final CharSequence value)
    {
        if (value == null)
        {
            absent(name);
        }
        else if (joinDepth > 0)
        {
            joinKey(name);
            joined.append(value);
        }
        else
        {
            fieldStart(name);
            quoted(value);
        }
    }

    @Override
    public void string(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        final int start = begin(name);
        final int n = copyAscii(buf, offset, length);
        if (n < 0)
        {
            value(decode(buf, offset, ~n));
        }
        else
        {
            asciiValue(start);
        }
    }

    @Override
    public void ascii(final Name name, final byte[] src, final int offset, final int length)
    {
        final int start = begin(name);
        final int n = copyAscii(src, offset, length);
        if (n < 0)
        {
            value(decodeAscii(src, offset, ~n));
        }
        else
        {
            asciiValue(start);
        }
    }

    @Override
    public void address(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        final int start = begin(name);
        putAddress(buf, offset, length);
        plainValue(start);
    }

    @Override
    public void cidr(final Name name, final ByteBuffer buf, final int offset, final int length, final int prefixLength)
    {
        final int start = begin(name);
        putAddress(buf, offset, length);
        putByte('/');
        putLong(prefixLength);
        plainValue(start);
    }

    @Override
    public void mac(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        final int start = begin(name);
        putMac(buf, offset, length);
        plainValue(start);
    }

    @Override
    public void hex(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        final int start = begin(name);
        putHex(buf, offset, length);
        plainValue(start);
    }

    @Override
    public void timestamp(final Name name, final long epochNanos)
    {
        final int start = begin(name);
        putTimestamp(epochNanos);
        plainValue(start);
    }

    @Override
    public void absent(final Name name)
    {
        // a list's map printed its nulls (Map.toString); TextEncoder skipped them everywhere else
        if (joinDepth > 0 && joinKinds[joinDepth - 1] == MAP)
        {
            joinKey(name);
            joined.append("null");
        }
    }

    @Override
    public void beginObject(final Name name)
    {
        if (joinDepth > 0)
        {
            joinKey(name);
            joined.append('{');
            pushJoin(MAP);
            return;
        }
        if (objectDepth == prefixMarks.length)
        {
            prefixMarks = Arrays.copyOf(prefixMarks, 2 * objectDepth);
        }
        prefixMarks[objectDepth++] = prefixLength;
        final byte[] bytes = name.bytes();
        if (prefixLength + bytes.length + 1 > prefix.length)
        {
            prefix = Arrays.copyOf(prefix, Math.max(2 * prefix.length, prefixLength + bytes.length + 1));
        }
        System.arraycopy(bytes, 0, prefix, prefixLength, bytes.length);
        prefixLength += bytes.length;
        prefix[prefixLength++] = '.';
    }

    @Override
    public void endObject()
    {
        if (joinDepth > 0)
        {
            joined.append('}');
            joinDepth--;
        }
        else if (objectDepth > 0)
        {
            prefixLength = prefixMarks[--objectDepth];
        }
    }

    @Override
    public void beginList(final Name name)
    {
        if (joinDepth > 0)
        {
            joinKey(name);
            joined.append('[');
            pushJoin(INNER_LIST);
            return;
        }
        fieldStart(name);
        joined.setLength(0);
        pushJoin(LIST);
        directList = position;
    }

    @Override
    public void element(final Name value)
    {
        if (directList >= 0 && joinDepth == 1 && value != null && value.plain())
        {
            final byte[] bytes = value.bytes();
            ensure(bytes.length + 1);
            if (joinFirst[0])
            {
                joinFirst[0] = false;
            }
            else
            {
                buffer[position++] = ',';
            }
            System.arraycopy(bytes, 0, buffer, position, bytes.length);
            position += bytes.length;
            return;
        }
        joinSeparate();
        joined.append(value == null ? "null" : value.text());
    }

    @Override
    public void element(final CharSequence value)
    {
        joinSeparate();
        joined.append(value);
    }

    @Override
    public void beginListObject()
    {
        joinSeparate();
        joined.append('{');
        pushJoin(MAP);
    }

    @Override
    public void endListObject()
    {
        joined.append('}');
        joinDepth--;
    }

    @Override
    public void endList()
    {
        if (joinDepth == 0)
        {
            return;
        }
        if (joinKinds[--joinDepth] != LIST)
        {
            joined.append(']');
        }
        else if (directList >= 0)
        {
            if (position == directList)
            {
                putBytes(QUOTES);
            }
            directList = -1;
        }
        else
        {
            quoted(joined);
        }
    }

    /** Moves the list's text so far from the buffer to {@link #joined}: it is to hold more than plain constants. */
    private void leaveDirectList()
    {
        final byte[] b = buffer;
        for (int i = directList; i < position; i++)
        {
            joined.append((char)b[i]);
        }
        position = directList;
        directList = -1;
    }

    /** {@code " prefix.name="} */
    private void fieldStart(final Name name)
    {
        final byte[] bytes = name.bytes();
        ensure(prefixLength + bytes.length + 2);
        final byte[] b = buffer;
        int p = position;
        b[p++] = ' ';
        System.arraycopy(prefix, 0, b, p, prefixLength);
        p += prefixLength;
        System.arraycopy(bytes, 0, b, p, bytes.length);
        p += bytes.length;
        b[p++] = '=';
        position = p;
    }

    /** Starts a value written into the buffer: after its name, or, in a list, after its separator and key. */
    private int begin(final Name name)
    {
        if (joinDepth > 0)
        {
            joinKey(name);
        }
        else
        {
            fieldStart(name);
        }
        return position;
    }

    /**
     * Ends a value whose ASCII bytes {@link #copyAscii} put at {@code [start, position)}: quoted if TextEncoder
     * would quote it, or, inside a list, moved from the buffer to the list's text.
     */
    private void asciiValue(final int start)
    {
        if (joinDepth > 0)
        {
            final byte[] b = buffer;
            for (int i = start; i < position; i++)
            {
                joined.append((char)b[i]);
            }
            position = start;
        }
        else if (position == start || (copied & QUOTED) != 0)
        {
            quoteInPlace(start);
        }
    }

    /**
     * As {@link #asciiValue}, for text made only of characters that need no quotes (digits, hex, ':', '.', '-',
     * '/'): only empty text is quoted.
     */
    private void plainValue(final int start)
    {
        if (joinDepth > 0)
        {
            asciiValue(start);
        }
        else if (position == start)
        {
            putBytes(QUOTES);
        }
    }

    /** Ends a value given as text, after its name. */
    private void value(final CharSequence text)
    {
        if (joinDepth > 0)
        {
            joined.append(text);
        }
        else
        {
            quoted(text);
        }
    }

    private void quoted(final CharSequence s)
    {
        if (plain(s))
        {
            putUtf8(s);
        }
        else
        {
            putJsonString(s);
        }
    }

    private void putName(final Name value)
    {
        if (value.plain())
        {
            putBytes(value.bytes());
        }
        else
        {
            quoted(value.text());
        }
    }

    private void pushJoin(final byte kind)
    {
        if (joinDepth == joinKinds.length)
        {
            joinKinds = Arrays.copyOf(joinKinds, 2 * joinDepth);
            joinFirst = Arrays.copyOf(joinFirst, 2 * joinDepth);
        }
        joinKinds[joinDepth] = kind;
        joinFirst[joinDepth] = true;
        joinDepth++;
    }

    /** ',' between a list's elements, ", " between the entries of a Map or List printed by toString. */
    private void joinSeparate()
    {
        if (directList >= 0)
        {
            leaveDirectList();
        }
        final int top = joinDepth - 1;
        if (joinFirst[top])
        {
            joinFirst[top] = false;
        }
        else if (joinKinds[top] == LIST)
        {
            joined.append(',');
        }
        else
        {
            joined.append(", ");
        }
    }

    private void joinKey(final Name name)
    {
        joinSeparate();
        joined.append(name.text()).append('=');
    }
}
