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
    private static final byte[] SEC = "sec".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HOST4 = "/32".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HOST6 = "/128".getBytes(StandardCharsets.US_ASCII);

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

    /** By kind; empty for the {@code kv} format (every field as {@code name=value}). */
    private final TextLayout[] layouts;
    /** The current event's layout, or null. */
    private TextLayout layout;
    /** Where the namespace's value starts, and where the fields start. */
    private int netnsStart;
    private int bodyStart;
    /** With a layout: where each top-level field starts (its space) and where its value starts. */
    private int[] fieldStarts = new int[64];
    private int[] valueStarts = new int[64];
    private int fields;
    private boolean[] taken = new boolean[64];
    private byte[] body = new byte[1024];

    /** The {@code kv} format: every field as {@code name=value}, in the order the event writes them. */
    public TextFieldWriter()
    {
        this(new TextLayout[0]);
    }

    /** The {@code text} format: each kind laid out by its layout; a kind without one as {@code kv}. */
    public TextFieldWriter(final TextLayout[] layouts)
    {
        this.layouts = layouts.clone();
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
        netnsStart = position;
        putLong(netns);
        bodyStart = position;
        fields = 0;
        layout = layoutOf(kind);
    }

    @Override
    public void netnsName(final CharSequence name)
    {
        // replaces the inode just written: nothing follows it yet
        position = netnsStart;
        quoted(name);
        bodyStart = position;
    }

    @Override
    public void endEvent()
    {
        // a line has no closing mark; the caller adds the line end
        if (layout != null)
        {
            lay(layout);
            layout = null;
        }
    }

    private TextLayout layoutOf(final Name kind)
    {
        final byte[] k = kind.bytes();
        for (final TextLayout l : layouts)
        {
            if (Arrays.equals(l.kind, k))
            {
                return l;
            }
        }
        return null;
    }

    /**
     * Writes the fields again, in the layout's order and words: the event wrote them as {@code kv} (each
     * " path=value", recorded in {@link #fieldStarts}), they are copied aside and the buffer rewound to the
     * first of them.
     */
    private void lay(final TextLayout l)
    {
        final int end = position;
        final int length = end - bodyStart;
        if (body.length < length)
        {
            body = new byte[Math.max(length, 2 * body.length)];
        }
        System.arraycopy(buffer, bodyStart, body, 0, length);
        final int n = fields;
        for (int i = 0; i < n; i++)
        {
            fieldStarts[i] -= bodyStart;
            valueStarts[i] -= bodyStart;
            taken[i] = false;
        }
        position = bodyStart;
        final TextLayout.Token[] tokens = l.tokens;
        for (int t = 0; t < tokens.length; t++)
        {
            final TextLayout.Token token = tokens[t];
            switch (token.type)
            {
                case TextLayout.VALUE:
                    value(token, find(token.path, n), n, length);
                    break;
                case TextLayout.LITERAL:
                    literal(token, n, length);
                    break;
                case TextLayout.HIDE:
                {
                    final int i = find(token.path, n);
                    if (i >= 0)
                    {
                        taken[i] = true;
                    }
                    break;
                }
                default:
                    rest(tokens, t + 1, n, length);
                    break;
            }
        }
    }

    private void value(final TextLayout.Token token, final int i, final int n, final int length)
    {
        if (i < 0)
        {
            return;
        }
        taken[i] = true;
        final byte[] b = body;
        final int from = valueStarts[i];
        final int to = fieldEnd(i, n, length);
        if (token.onlyWithout != null && find(token.onlyWithout, n) >= 0
            || token.omitIf != null && Arrays.equals(b, from, to, token.omitIf, 0, token.omitIf.length))
        {
            return;
        }
        if (token.omitIfSameAs != null)
        {
            final int j = find(token.omitIfSameAs, n);
            if (j >= 0 && Arrays.equals(b, from, to, b, valueStarts[j], fieldEnd(j, n, length)))
            {
                return;
            }
        }
        final boolean empty = to - from == 2 && b[from] == '"' && b[from + 1] == '"';
        if (empty && !token.emptyShown)
        {
            return;
        }
        ensure(token.before.length + token.after.length + (to - from) + 8);
        if (!token.glued)
        {
            buffer[position++] = ' ';
        }
        putBytes(token.before);
        if (!empty)
        {
            if (token.mapFrom != null && Arrays.equals(b, from, to, token.mapFrom, 0, token.mapFrom.length))
            {
                putBytes(token.mapTo);
            }
            else
            {
                valueText(token, from, to);
            }
        }
        putBytes(token.after);
    }

    private void valueText(final TextLayout.Token token, final int from, final int to)
    {
        final byte[] b = body;
        int end = to;
        if (token.hostPrefixOmitted)
        {
            final boolean six = indexOf(b, from, to, (byte)':') >= 0;
            final byte[] host = six ? HOST6 : HOST4;
            if (end - from > host.length && Arrays.equals(b, end - host.length, end, host, 0, host.length))
            {
                end -= host.length;
            }
        }
        final boolean bracket = token.bracketed && indexOf(b, from, end, (byte)':') >= 0;
        if (bracket)
        {
            putByte('[');
        }
        final int start = position;
        System.arraycopy(b, from, buffer, position, end - from);
        position += end - from;
        if (token.spaced)
        {
            for (int k = start; k < position; k++)
            {
                if (buffer[k] == ',')
                {
                    buffer[k] = ' ';
                }
            }
        }
        if (bracket)
        {
            putByte(']');
        }
        if (token.seconds && end > from && b[end - 1] >= '0' && b[end - 1] <= '9')
        {
            putBytes(SEC);
        }
    }

    private void literal(final TextLayout.Token token, final int n, final int length)
    {
        if (token.path != null)
        {
            final int i = find(token.path, n);
            if (i < 0 || holds(valueStarts[i], fieldEnd(i, n, length), token.element) != token.holds)
            {
                return;
            }
        }
        ensure(token.before.length + 1);
        if (!token.glued)
        {
            buffer[position++] = ' ';
        }
        putBytes(token.before);
    }

    /** The fields no token took, as the event wrote them, but those the tokens after this one print. */
    private void rest(final TextLayout.Token[] tokens, final int next, final int n, final int length)
    {
        for (int i = 0; i < n; i++)
        {
            if (taken[i] || namedAfter(tokens, next, i))
            {
                continue;
            }
            taken[i] = true;
            final int from = fieldStarts[i];
            final int to = fieldEnd(i, n, length);
            ensure(to - from);
            System.arraycopy(body, from, buffer, position, to - from);
            position += to - from;
        }
    }

    private boolean namedAfter(final TextLayout.Token[] tokens, final int next, final int field)
    {
        for (int t = next; t < tokens.length; t++)
        {
            if (tokens[t].path != null && named(field, tokens[t].path))
            {
                return true;
            }
        }
        return false;
    }

    private int find(final byte[] path, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            if (named(i, path))
            {
                return i;
            }
        }
        return -1;
    }

    /** Whether field {@code i} (" path=value" in {@link #body}) has this path. */
    private boolean named(final int i, final byte[] path)
    {
        final int from = fieldStarts[i] + 1;
        return Arrays.equals(body, from, valueStarts[i] - 1, path, 0, path.length);
    }

    private int fieldEnd(final int i, final int n, final int length)
    {
        return i + 1 < n ? fieldStarts[i + 1] : length;
    }

    /** Whether the list {@code a,b,c} at {@code [from, to)} has the element. */
    private boolean holds(final int from, final int to, final byte[] element)
    {
        final byte[] b = body;
        int start = from;
        while (start <= to)
        {
            int end = indexOf(b, start, to, (byte)',');
            if (end < 0)
            {
                end = to;
            }
            if (Arrays.equals(b, start, end, element, 0, element.length))
            {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static int indexOf(final byte[] b, final int from, final int to, final byte c)
    {
        for (int i = from; i < to; i++)
        {
            if (b[i] == c)
            {
                return i;
            }
        }
        return -1;
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
        if (layout != null)
        {
            mark(p, p + 1 + prefixLength + bytes.length + 1);
        }
        b[p++] = ' ';
        System.arraycopy(prefix, 0, b, p, prefixLength);
        p += prefixLength;
        System.arraycopy(bytes, 0, b, p, bytes.length);
        p += bytes.length;
        b[p++] = '=';
        position = p;
    }

    private void mark(final int start, final int value)
    {
        if (fields == fieldStarts.length)
        {
            fieldStarts = Arrays.copyOf(fieldStarts, 2 * fields);
            valueStarts = Arrays.copyOf(valueStarts, 2 * fields);
            taken = Arrays.copyOf(taken, 2 * fields);
        }
        fieldStarts[fields] = start;
        valueStarts[fields] = value;
        fields++;
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
