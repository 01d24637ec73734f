package io.nlstream.sinks;

import java.util.Collection;
import java.util.Map;

/**
 * Test reference for {@link TextFieldWriter}, what readers printed before the byte writers (the property
 * tests require the writer to give the same bytes). One human line per {@link Event} in the spirit of
 * {@code ip monitor}:
 * <pre>
 * 2026-11-28T10:00:00.123456789Z link new ifindex=4 ifname=veth0 flags=BROADCAST,MULTICAST,UP mtu=1500 ...
 * </pre>
 * Fields are {@code name=value}; nested objects flatten to {@code orig.src=...}; lists join with commas.
 * Values with spaces are quoted. State objects (no op) start with the kind.
 */
public final class TextEncoder implements EventEncoder
{
    @Override
    public void encode(final Event event, final StringBuilder out)
    {
        if (event.op() != null)
        {
            Timestamps.append(out, event.tsNanos());
            out.append(' ').append(event.kind()).append(' ').append(event.op());
        }
        else
        {
            out.append(event.kind());
        }
        out.append(" netns=").append(event.netns());
        for (final Map.Entry<String, Object> f : event.fields().entrySet())
        {
            field(out, f.getKey(), f.getValue());
        }
    }

    private static void field(final StringBuilder out, final String name, final Object v)
    {
        if (v instanceof Map)
        {
            for (final Map.Entry<?, ?> e : ((Map<?, ?>)v).entrySet())
            {
                if (e.getValue() != null)
                {
                    field(out, name + "." + e.getKey(), e.getValue());
                }
            }
            return;
        }
        out.append(' ').append(name).append('=');
        if (v instanceof Collection)
        {
            boolean first = true;
            final StringBuilder joined = new StringBuilder();
            for (final Object o : (Collection<?>)v)
            {
                if (!first)
                {
                    joined.append(',');
                }
                first = false;
                joined.append(o);
            }
            quoted(out, joined.toString());
        }
        else
        {
            quoted(out, String.valueOf(v));
        }
    }

    private static void quoted(final StringBuilder out, final String s)
    {
        boolean plain = !s.isEmpty();
        for (int i = 0; i < s.length() && plain; i++)
        {
            final char c = s.charAt(i);
            plain = c > ' ' && c != '"' && c != '\\' && c != 0x7f;
        }
        if (plain)
        {
            out.append(s);
        }
        else
        {
            JsonEncoder.string(out, s);
        }
    }
}
