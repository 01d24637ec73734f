package io.nlstream.monitor.testing;

import io.nlstream.monitor.read.EventView;
import io.nlstream.sinks.JsonFieldWriter;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An event (or a {@code state} object) as a reader prints it: the view rendered with {@link JsonFieldWriter}
 * and parsed back strictly with {@link Json}, so tests check the public output, not the typed view. Numbers
 * are Long, as JSON has no other integer.
 *
 * <p>{@link #seq()} and {@link #tsNanos()} come from the view: a state object prints neither, but its view
 * still says which record it was read from (the entry that last changed it).
 */
public final class JsonEvent
{
    private static final Set<String> HEADER = Set.of("seq", "ts", "kind", "op", "netns");

    private final String line;
    private final Map<String, Object> json;
    private final long seq;
    private final long tsNanos;

    private JsonEvent(final String line, final Map<String, Object> json, final long seq, final long tsNanos)
    {
        this.line = line;
        this.json = json;
        this.seq = seq;
        this.tsNanos = tsNanos;
    }

    /** Renders the view now (it is valid only during the consumer's call). */
    public static JsonEvent of(final EventView view)
    {
        final JsonFieldWriter w = new JsonFieldWriter();
        view.write(w);
        final String line = new String(w.array(), 0, w.length(), StandardCharsets.UTF_8);
        final Map<String, Object> json = Json.object(line);
        if (json.containsKey("seq") && ((Long)json.get("seq")).longValue() != view.seq())
        {
            throw new AssertionError("printed seq differs from the view's " + view.seq() + ": " + line);
        }
        return new JsonEvent(line, json, view.seq(), view.tsNanos());
    }

    /** The line as printed. */
    public String line()
    {
        return line;
    }

    /** The whole object, in printed order. */
    public Map<String, Object> json()
    {
        return json;
    }

    public String kind()
    {
        return (String)json.get("kind");
    }

    /** null for a state object. */
    public String op()
    {
        return (String)json.get("op");
    }

    public long seq()
    {
        return seq;
    }

    /** 0 when absent (every event but the ends one dump implies). */
    public long sub()
    {
        final Object sub = json.get("sub");
        return sub == null ? 0 : (Long)sub;
    }

    public long tsNanos()
    {
        return tsNanos;
    }

    public long netns()
    {
        return (Long)json.get("netns");
    }

    /** A field, null when absent. */
    public Object get(final String name)
    {
        return json.get(name);
    }

    /** A numeric field as a long; fails when absent. */
    public long number(final String name)
    {
        final Object v = json.get(name);
        if (!(v instanceof Long))
        {
            throw new AssertionError("no number " + name + " in " + line);
        }
        return (Long)v;
    }

    /** Everything after the header (seq, ts, kind, op, netns): the kind's fields and what the state adds. */
    public Map<String, Object> fields()
    {
        final Map<String, Object> out = new LinkedHashMap<>(json);
        out.keySet().removeAll(HEADER);
        return out;
    }

    @Override
    public String toString()
    {
        return line;
    }
}
