package io.nlstream.monitor.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser for tests (iproute2's -j output and nlstream's own lines): objects become
 * LinkedHashMap, arrays List, numbers Long or Double. nlstream's lines are checked against its schemas.
 */
public final class Json
{
    private final String s;
    private int i;

    private Json(final String s)
    {
        this.s = s;
    }

    public static Object parse(final String text)
    {
        final Json p = new Json(text);
        p.ws();
        final Object v = p.value();
        p.ws();
        if (p.i != text.length())
        {
            throw p.error("trailing characters");
        }
        return v;
    }

    /**
     * Parses one object; when it is nlstream's output (an event, a {@code state} object, a {@code diff} line),
     * also fails unless it holds to the published schema ({@link EventSchemas#check}): every line a test reads
     * is checked, whatever printed it.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(final String text)
    {
        final Map<String, Object> object = (Map<String, Object>)parse(text);
        if (EventSchemas.isOutput(object))
        {
            EventSchemas.check(text);
        }
        return object;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> array(final String text)
    {
        return (List<Object>)parse(text);
    }

    private Object value()
    {
        if (i >= s.length())
        {
            throw error("unexpected end");
        }
        final char c = s.charAt(i);
        switch (c)
        {
            case '{':
                return obj();
            case '[':
                return arr();
            case '"':
                return str();
            case 't':
                return lit("true", Boolean.TRUE);
            case 'f':
                return lit("false", Boolean.FALSE);
            case 'n':
                return lit("null", null);
            default:
                return num();
        }
    }

    private Map<String, Object> obj()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        i++;
        ws();
        if (peek() == '}')
        {
            i++;
            return m;
        }
        while (true)
        {
            ws();
            final String k = str();
            ws();
            expect(':');
            ws();
            m.put(k, value());
            ws();
            if (peek() == ',')
            {
                i++;
                continue;
            }
            expect('}');
            return m;
        }
    }

    private List<Object> arr()
    {
        final List<Object> l = new ArrayList<>();
        i++;
        ws();
        if (peek() == ']')
        {
            i++;
            return l;
        }
        while (true)
        {
            ws();
            l.add(value());
            ws();
            if (peek() == ',')
            {
                i++;
                continue;
            }
            expect(']');
            return l;
        }
    }

    private String str()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            if (i >= s.length())
            {
                throw error("unterminated string");
            }
            final char c = s.charAt(i++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c == '\\')
            {
                final char e = s.charAt(i++);
                switch (e)
                {
                    case 'n':
                        sb.append('\n');
                        break;
                    case 't':
                        sb.append('\t');
                        break;
                    case 'r':
                        sb.append('\r');
                        break;
                    case 'b':
                        sb.append('\b');
                        break;
                    case 'f':
                        sb.append('\f');
                        break;
                    case 'u':
                        sb.append((char)Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default:
                        sb.append(e);
                }
            }
            else
            {
                sb.append(c);
            }
        }
    }

    private Object num()
    {
        final int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0)
        {
            i++;
        }
        final String n = s.substring(start, i);
        if (n.isEmpty())
        {
            throw error("unexpected character");
        }
        if (n.contains(".") || n.contains("e") || n.contains("E"))
        {
            return Double.parseDouble(n);
        }
        return Long.parseLong(n);
    }

    private Object lit(final String word, final Object v)
    {
        if (!s.startsWith(word, i))
        {
            throw error("bad literal");
        }
        i += word.length();
        return v;
    }

    private char peek()
    {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private void ws()
    {
        while (i < s.length() && Character.isWhitespace(s.charAt(i)))
        {
            i++;
        }
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException(what + " at " + i + " in " + (s.length() > 200 ? s.substring(0, 200) + "..." : s));
    }
}
