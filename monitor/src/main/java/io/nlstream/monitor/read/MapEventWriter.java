package io.nlstream.monitor.read;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.InetAddresses;
import io.nlstream.sinks.Event;
import io.nlstream.sinks.FieldWriter;
import io.nlstream.sinks.Name;
import io.nlstream.sinks.Timestamps;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the map event model from a typed event (transitional: until the byte writers replace it).
 */
public final class MapEventWriter implements FieldWriter
{
    private Event event;
    private final Deque<Object> stack = new ArrayDeque<>();
    private List<Object> list;
    private Map<String, Object> listObject;

    public Event event()
    {
        return event;
    }

    private void put(final Name name, final Object value)
    {
        if (listObject != null)
        {
            listObject.put(name.text(), value);
        }
        else if (!stack.isEmpty())
        {
            @SuppressWarnings("unchecked")
            final Map<String, Object> m = (Map<String, Object>)stack.peek();
            m.put(name.text(), value);
        }
        else
        {
            event.put(name.text(), value);
        }
    }

    @Override
    public void beginEvent(final long seq, final long tsNanos, final Name kind, final Name op, final long netns)
    {
        event = new Event(seq, tsNanos, kind.text(), op == null ? null : op.text(), netns);
        stack.clear();
    }

    @Override
    public void endEvent()
    {
    }

    @Override
    public void field(final Name name, final long value)
    {
        put(name, value);
    }

    @Override
    public void field(final Name name, final boolean value)
    {
        put(name, value);
    }

    @Override
    public void field(final Name name, final Name value)
    {
        put(name, value.text());
    }

    @Override
    public void field(final Name name, final CharSequence value)
    {
        put(name, value.toString());
    }

    @Override
    public void string(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        put(name, AttributeIterator.string(buf, offset, length));
    }

    @Override
    public void ascii(final Name name, final byte[] src, final int offset, final int length)
    {
        put(name, new String(src, offset, length, StandardCharsets.US_ASCII));
    }

    @Override
    public void address(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        put(name, InetAddresses.format(buf, offset, length));
    }

    @Override
    public void cidr(final Name name, final ByteBuffer buf, final int offset, final int length, final int prefixLength)
    {
        put(name, InetAddresses.format(buf, offset, length) + "/" + prefixLength);
    }

    @Override
    public void mac(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        put(name, InetAddresses.mac(buf, offset, length));
    }

    @Override
    public void hex(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            final int b = buf.get(offset + i) & 0xFF;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        put(name, sb.toString());
    }

    @Override
    public void timestamp(final Name name, final long epochNanos)
    {
        put(name, Timestamps.rfc3339(epochNanos));
    }

    @Override
    public void absent(final Name name)
    {
        if (listObject != null)
        {
            listObject.put(name.text(), null);
        }
    }

    @Override
    public void beginObject(final Name name)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        put(name, m);
        stack.push(m);
    }

    @Override
    public void endObject()
    {
        stack.pop();
    }

    @Override
    public void beginList(final Name name)
    {
        list = new ArrayList<>();
        put(name, list);
    }

    @Override
    public void element(final Name value)
    {
        list.add(value.text());
    }

    @Override
    public void element(final CharSequence value)
    {
        list.add(value.toString());
    }

    @Override
    public void beginListObject()
    {
        listObject = new LinkedHashMap<>();
        list.add(listObject);
    }

    @Override
    public void endListObject()
    {
        listObject = null;
    }

    @Override
    public void endList()
    {
        list = null;
    }
}
