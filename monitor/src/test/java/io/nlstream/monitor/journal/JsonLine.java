package io.nlstream.monitor.journal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: a strict parser for one line of nlstream's JSON output. Objects become LinkedHashMap (key
 * order kept, duplicate keys rejected), arrays List, integers Long, other numbers Double. Anything that
 * is not exactly one JSON value throws IllegalArgumentException with the offset.
 */
public final class JsonLine
{
    private final String s;
    private int i;

    private JsonLine(final String s)
    {
        this.s = s;
    }

    public static Object parse(final String text)
    {
        final JsonLine p = new JsonLine(text);
        p.ws();
        final Object v = p.value();
        p.ws();
        if (p.i != text.length())
        {
            throw p.error("trailing characters");
        }
        return v;
    }

    /** One line that must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(final String line)
    {
        final Object v = parse(line);
        if (!(v instanceof Map))
        {
            throw new IllegalArgumentException("not a JSON object: " + line);
        }
        return (Map<String, Object>)v;
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
            case '{': return object();
            case '[': return array();
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || c >= '0' && c <= '9')
                {
                    return number();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        i++;
        ws();
        if (peek('}'))
        {
            i++;
            return map;
        }
        while (true)
        {
            ws();
            if (!peek('"'))
            {
                throw error("expected a key");
            }
            final String key = string();
            ws();
            expect(':');
            ws();
            final Object v = value();
            if (map.containsKey(key))
            {
                throw error("duplicate key " + key);
            }
            map.put(key, v);
            ws();
            if (peek(','))
            {
                i++;
                continue;
            }
            expect('}');
            return map;
        }
    }

    private List<Object> array()
    {
        final List<Object> list = new ArrayList<>();
        i++;
        ws();
        if (peek(']'))
        {
            i++;
            return list;
        }
        while (true)
        {
            ws();
            list.add(value());
            ws();
            if (peek(','))
            {
                i++;
                continue;
            }
            expect(']');
            return list;
        }
    }

    private String string()
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
            if (c < 0x20)
            {
                throw error("control character in string");
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char e = s.charAt(i++);
            switch (e)
            {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    sb.append((char)Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                    break;
                default: throw error("bad escape \\" + e);
            }
        }
    }

    private Object number()
    {
        final int start = i;
        if (peek('-'))
        {
            i++;
        }
        while (i < s.length() && "0123456789.eE+-".indexOf(s.charAt(i)) >= 0)
        {
            i++;
        }
        final String text = s.substring(start, i);
        if (text.matches("-?(0|[1-9][0-9]*)"))
        {
            return Long.parseLong(text);
        }
        if (text.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"))
        {
            return Double.parseDouble(text);
        }
        throw error("bad number " + text);
    }

    private Object literal(final String word, final Object v)
    {
        if (!s.startsWith(word, i))
        {
            throw error("expected " + word);
        }
        i += word.length();
        return v;
    }

    private void ws()
    {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0)
        {
            i++;
        }
    }

    private boolean peek(final char c)
    {
        return i < s.length() && s.charAt(i) == c;
    }

    private void expect(final char c)
    {
        if (!peek(c))
        {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException(what + " at offset " + i + " in: " + s);
    }
}
