package io.nlstream.sinks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test reference: the map event model readers printed before the typed views and the byte writers (a few
 * fixed fields and an ordered map of the kind's own fields). Slow and obviously correct, it is what the
 * property tests hold {@link JsonFieldWriter} and {@link TextFieldWriter} to, through {@link JsonEncoder} and
 * {@link TextEncoder}; nothing in main uses it.
 *
 * <p>{@code op} is null for objects printed by {@code state}; {@code seq} is the journal index of the entry
 * the event came from (for state objects: of the entry that last changed them).
 */
public final class Event
{
    private final long seq;
    private final long tsNanos;
    private final String kind;
    private final String op;
    private final long netns;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public Event(final long seq, final long tsNanos, final String kind, final String op, final long netns)
    {
        this.seq = seq;
        this.tsNanos = tsNanos;
        this.kind = kind;
        this.op = op;
        this.netns = netns;
    }

    /** Adds a field; null values are left out so absent attributes stay absent in JSON. */
    public Event put(final String name, final Object value)
    {
        if (value != null)
        {
            fields.put(name, value);
        }
        return this;
    }

    /** Removes a field; returns this. */
    public Event remove(final String name)
    {
        fields.remove(name);
        return this;
    }

    /** A copy with another op, seq and time (op null: an object's state). */
    public Event copy(final String newOp, final long newSeq, final long newTsNanos)
    {
        final Event e = new Event(newSeq, newTsNanos, kind, newOp, netns);
        e.fields.putAll(fields);
        return e;
    }

    public long seq()
    {
        return seq;
    }

    public long tsNanos()
    {
        return tsNanos;
    }

    public String kind()
    {
        return kind;
    }

    public String op()
    {
        return op;
    }

    public long netns()
    {
        return netns;
    }

    public Object get(final String name)
    {
        return fields.get(name);
    }

    public Map<String, Object> fields()
    {
        return Collections.unmodifiableMap(fields);
    }

    @Override
    public String toString()
    {
        return JsonEncoder.toJson(this);
    }
}
