package io.nlstream.sinks;

import java.util.Collection;
import java.util.Map;

/**
 * Test reference for {@link JsonFieldWriter}: one JSON object per {@link Event}, on one line:
 * {@code seq, ts, kind, op, netns}, then the kind's fields in the order the decoder put them. What readers
 * printed before the byte writers; the property tests require the writer to give the same bytes.
 */
public final class JsonEncoder implements EventEncoder
{
    @Override
    public void encode(final Event event, final StringBuilder out)
    {
        out.append('{');
        if (event.op() != null)
        {
            out.append("\"seq\":").append(event.seq()).append(',');
            out.append("\"ts\":\"");
            Timestamps.append(out, event.tsNanos());
            out.append("\",");
        }
        out.append("\"kind\":");
        string(out, event.kind());
        if (event.op() != null)
        {
            out.append(",\"op\":");
            string(out, event.op());
        }
        out.append(",\"netns\":").append(event.netns());
        for (final Map.Entry<String, Object> f : event.fields().entrySet())
        {
            out.append(',');
            string(out, f.getKey());
            out.append(':');
            value(out, f.getValue());
        }
        out.append('}');
    }

    public static String toJson(final Event event)
    {
        final StringBuilder sb = new StringBuilder(256);
        new JsonEncoder().encode(event, sb);
        return sb.toString();
    }

    static void value(final StringBuilder out, final Object v)
    {
        if (v == null)
        {
            out.append("null");
        }
        else if (v instanceof String)
        {
            string(out, (String)v);
        }
        else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof Boolean)
        {
            out.append(v);
        }
        else if (v instanceof Number)
        {
            final double d = ((Number)v).doubleValue();
            if (Double.isFinite(d))
            {
                out.append(v);
            }
            else
            {
                out.append("null");
            }
        }
        else if (v instanceof Map)
        {
            out.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> e : ((Map<?, ?>)v).entrySet())
            {
                if (e.getValue() == null)
                {
                    continue;
                }
                if (!first)
                {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(e.getKey()));
                out.append(':');
                value(out, e.getValue());
            }
            out.append('}');
        }
        else if (v instanceof Collection)
        {
            out.append('[');
            boolean first = true;
            for (final Object o : (Collection<?>)v)
            {
                if (!first)
                {
                    out.append(',');
                }
                first = false;
                value(out, o);
            }
            out.append(']');
        }
        else
        {
            string(out, v.toString());
        }
    }

    static void string(final StringBuilder out, final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogate(s, i))
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private static boolean validSurrogate(final String s, final int i)
    {
        final char c = s.charAt(i);
        if (Character.isHighSurrogate(c))
        {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
