package io.nlstream.sinks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Replays an old map-based {@link Event} into a {@link FieldWriter}, so that the byte writers can be held to
 * what {@link JsonEncoder} and {@link TextEncoder} print for the same event: String to
 * {@link FieldWriter#field(Name, CharSequence)}, Integer and Long to {@code field(long)}, Boolean to
 * {@code field(boolean)}, a Map to an object, a List to a list (its Maps to list objects), and a null value
 * inside a map to {@link FieldWriter#absent}.
 * <p>
 * Given a random source, it also takes the other roads to the same text now and then: a String as a constant
 * {@link Name}, or, when its UTF-8 gives it back unchanged, as a string attribute in a buffer (heap or
 * direct, at an offset, with a NUL and garbage after it), or, when it is ASCII, as {@code ascii} bytes.
 */
final class EventReplay
{
    private final SplittableRandom random;

    private EventReplay(final SplittableRandom random)
    {
        this.random = random;
    }

    static void replay(final Event event, final FieldWriter out)
    {
        new EventReplay(null).event(event, out);
    }

    static void replay(final Event event, final FieldWriter out, final SplittableRandom random)
    {
        new EventReplay(random).event(event, out);
    }

    private void event(final Event event, final FieldWriter out)
    {
        out.beginEvent(event.seq(), event.tsNanos(), Name.of(event.kind()), event.op() == null ? null : Name.of(event.op()),
            event.netns());
        for (final Map.Entry<String, Object> f : event.fields().entrySet())
        {
            value(out, Name.of(f.getKey()), f.getValue());
        }
        out.endEvent();
    }

    private void value(final FieldWriter out, final Name name, final Object v)
    {
        if (v == null)
        {
            out.absent(name);
        }
        else if (v instanceof String)
        {
            string(out, name, (String)v);
        }
        else if (v instanceof Integer || v instanceof Long)
        {
            out.field(name, ((Number)v).longValue());
        }
        else if (v instanceof Boolean)
        {
            out.field(name, ((Boolean)v).booleanValue());
        }
        else if (v instanceof Map)
        {
            out.beginObject(name);
            entries(out, (Map<?, ?>)v);
            out.endObject();
        }
        else if (v instanceof List)
        {
            out.beginList(name);
            for (final Object o : (List<?>)v)
            {
                if (o instanceof Map)
                {
                    out.beginListObject();
                    entries(out, (Map<?, ?>)o);
                    out.endListObject();
                }
                else if (random != null && random.nextBoolean() && o != null)
                {
                    out.element(Name.of((String)o));
                }
                else
                {
                    out.element((String)o);
                }
            }
            out.endList();
        }
        else
        {
            throw new IllegalArgumentException("no FieldWriter call for " + v.getClass());
        }
    }

    private void entries(final FieldWriter out, final Map<?, ?> map)
    {
        for (final Map.Entry<?, ?> e : map.entrySet())
        {
            value(out, Name.of((String)e.getKey()), e.getValue());
        }
    }

    private void string(final FieldWriter out, final Name name, final String s)
    {
        final int road = random == null ? 0 : random.nextInt(4);
        final byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        final boolean roundTrips = s.indexOf('\0') < 0 && new String(utf8, StandardCharsets.UTF_8).equals(s);
        if (road == 1)
        {
            out.field(name, Name.of(s));
        }
        else if (road == 2 && roundTrips)
        {
            final int offset = random.nextInt(0, 5);
            final int trailing = random.nextInt(0, 4);
            final ByteBuffer buf = random.nextBoolean() ? ByteBuffer.allocate(offset + utf8.length + 1 + trailing)
                : ByteBuffer.allocateDirect(offset + utf8.length + 1 + trailing);
            buf.put(offset, utf8);
            for (int i = 0; i < trailing; i++)
            {
                buf.put(offset + utf8.length + 1 + i, (byte)random.nextInt(1, 256));
            }
            // the NUL at offset + utf8.length ends the string unless the length given stops before it
            out.string(name, buf, offset, utf8.length + (random.nextBoolean() ? 0 : 1 + trailing));
        }
        else if (road == 3 && s.chars().allMatch(c -> c < 0x80))
        {
            final byte[] src = new byte[utf8.length + 4];
            System.arraycopy(utf8, 0, src, 2, utf8.length);
            out.ascii(name, src, 2, utf8.length);
        }
        else
        {
            out.field(name, s);
        }
    }
}
