package io.nlstream.sinks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One JSON object per event, as the map model's JsonEncoder printed the event's map (the tests' reference):
 * <pre>
 * {"seq":S,"ts":"2026-11-28T10:00:00.123456789Z","kind":"conn","op":"new","netns":N,"name":value,...}
 * {"kind":"conn","netns":N,"name":value,...}                       (a state object: op null)
 * "orig":{"src":"10.0.0.1","sport":1234}                            (an object)
 * "status":["SEEN_REPLY","ASSURED"]                                 (a list; [] when empty)
 * "nexthops":[{"gateway":"10.0.0.1","oif":2,"weight":1},{...}]      (a list of objects)
 * </pre>
 * Strings are escaped as JsonEncoder.string escapes them; an {@link #absent} field is left out, as the map
 * left out its null values.
 */
public final class JsonFieldWriter extends ByteFieldWriter
{
    private static final byte[] SEQ = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TS = ",\"ts\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KIND_AFTER_TS = "\",\"kind\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KIND = "{\"kind\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OP = ",\"op\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NETNS = ",\"netns\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    /** Whether the next member or element needs a comma before it: one flag serves every nesting level. */
    private boolean comma;
    /** The host and namespace name last written, each with its member's bytes: every event of a reader repeats them. */
    private final Member host = new Member(HOST);
    private final Member netnsName = new Member(NETNS_NAME);

    /**
     * A string member whose value is usually the same String as last time: its {@code ,"name":"value"} bytes are
     * kept for that String (by identity; any other CharSequence is encoded each time, as it may change).
     */
    private static final class Member
    {
        private final Name name;
        private String value;
        private byte[] bytes;

        Member(final Name name)
        {
            this.name = name;
        }
    }

    public JsonFieldWriter()
    {
    }

    @Override
    public void beginEvent(final long seq, final long tsNanos, final Name kind, final Name op, final long netns)
    {
        if (op != null)
        {
            putBytes(SEQ);
            putLong(seq);
            putBytes(TS);
            putTimestamp(tsNanos);
            putBytes(KIND_AFTER_TS);
            putName(kind);
            putBytes(OP);
            putName(op);
        }
        else
        {
            putBytes(KIND);
            putName(kind);
        }
        putBytes(NETNS);
        putLong(netns);
        comma = true;
    }

    @Override
    public void endEvent()
    {
        putByte('}');
    }

    @Override
    public void field(final Name name, final long value)
    {
        key(name);
        putLong(value);
    }

    @Override
    public void field(final Name name, final boolean value)
    {
        key(name);
        putBoolean(value);
    }

    @Override
    public void field(final Name name, final Name value)
    {
        if (value != null)
        {
            key(name);
            putName(value);
        }
    }

    @Override
    public void container(final CharSequence containerId, final CharSequence podUid, final CharSequence runtime)
    {
        field(CONTAINER_ID, containerId);
        field(POD_UID, podUid);
        field(CONTAINER_RUNTIME, runtime);
    }

    @Override
    public void host(final CharSequence host)
    {
        member(this.host, host);
    }

    @Override
    public void netnsName(final CharSequence name)
    {
        member(netnsName, name);
    }

    private void member(final Member m, final CharSequence value)
    {
        if (value == null)
        {
            return;
        }
        if (!(value instanceof String) || !comma || !m.name.plain())
        {
            field(m.name, value);
            return;
        }
        if (value != m.value)
        {
            // encoded once per String: written here as any field is, then kept
            final int start = position;
            field(m.name, value);
            m.bytes = Arrays.copyOfRange(buffer, start, position);
            m.value = (String)value;
            return;
        }
        putBytes(m.bytes);
    }

    @Override
    public void field(final Name name, final CharSequence value)
    {
        if (value != null)
        {
            key(name);
            putJsonString(value);
        }
    }

    @Override
    public void string(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        key(name);
        putByte('"');
        final int start = position;
        final int n = copyAscii(buf, offset, length);
        if (n >= 0)
        {
            if ((copied & ESCAPED) != 0)
            {
                escapeInPlace(start);
            }
            putByte('"');
        }
        else
        {
            position = start - 1;
            putJsonString(decode(buf, offset, ~n));
        }
    }

    @Override
    public void ascii(final Name name, final byte[] src, final int offset, final int length)
    {
        key(name);
        putByte('"');
        final int start = position;
        final int n = copyAscii(src, offset, length);
        if (n >= 0)
        {
            if ((copied & ESCAPED) != 0)
            {
                escapeInPlace(start);
            }
            putByte('"');
        }
        else
        {
            position = start - 1;
            putJsonString(decodeAscii(src, offset, ~n));
        }
    }

    @Override
    public void address(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        key(name);
        putByte('"');
        putAddress(buf, offset, length);
        putByte('"');
    }

    @Override
    public void cidr(final Name name, final ByteBuffer buf, final int offset, final int length, final int prefixLength)
    {
        key(name);
        putByte('"');
        putAddress(buf, offset, length);
        putByte('/');
        putLong(prefixLength);
        putByte('"');
    }

    @Override
    public void mac(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        key(name);
        putByte('"');
        putMac(buf, offset, length);
        putByte('"');
    }

    @Override
    public void hex(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        key(name);
        putByte('"');
        putHex(buf, offset, length);
        putByte('"');
    }

    @Override
    public void timestamp(final Name name, final long epochNanos)
    {
        key(name);
        putByte('"');
        putTimestamp(epochNanos);
        putByte('"');
    }

    @Override
    public void absent(final Name name)
    {
        // JsonEncoder skips a map's null values
    }

    @Override
    public void beginObject(final Name name)
    {
        key(name);
        putByte('{');
        comma = false;
    }

    @Override
    public void endObject()
    {
        putByte('}');
        comma = true;
    }

    @Override
    public void beginList(final Name name)
    {
        key(name);
        putByte('[');
        comma = false;
    }

    @Override
    public void element(final Name value)
    {
        separate();
        if (value == null)
        {
            putBytes(NULL);
        }
        else
        {
            putName(value);
        }
    }

    @Override
    public void element(final CharSequence value)
    {
        separate();
        if (value == null)
        {
            putBytes(NULL);
        }
        else
        {
            putJsonString(value);
        }
    }

    @Override
    public void beginListObject()
    {
        separate();
        putByte('{');
        comma = false;
    }

    @Override
    public void endListObject()
    {
        putByte('}');
        comma = true;
    }

    @Override
    public void endList()
    {
        putByte(']');
        comma = true;
    }

    private void separate()
    {
        if (comma)
        {
            putByte(',');
        }
        comma = true;
    }

    /** {@code ,"name":}, the comma left out first in an object. */
    private void key(final Name name)
    {
        if (!name.plain())
        {
            separate();
            putJsonString(name.text());
            putByte(':');
            return;
        }
        // the common case in one bounds check and one copy: names are short constants, their key text made once
        final byte[] k = name.jsonKey();
        final int from = comma ? 0 : 1;
        final int n = k.length - from;
        ensure(n);
        System.arraycopy(k, from, buffer, position, n);
        position += n;
        comma = true;
    }

    private void putName(final Name value)
    {
        if (value.plain())
        {
            final byte[] bytes = value.bytes();
            ensure(bytes.length + 2);
            final byte[] b = buffer;
            int p = position;
            b[p++] = '"';
            System.arraycopy(bytes, 0, b, p, bytes.length);
            p += bytes.length;
            b[p++] = '"';
            position = p;
        }
        else
        {
            putJsonString(value.text());
        }
    }
}
