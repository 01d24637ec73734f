package io.nlstream.monitor.read;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level fields of one JSON object as nlstream writes it (one line, keys without escapes): name to the
 * value's JSON text, in order. For comparing two states of an object field by field ({@code diff}); not a
 * general JSON parser.
 */
final class JsonFields
{
    private JsonFields()
    {
    }

    /**
     * @throws IllegalArgumentException when {@code json} is not one object
     */
    static Map<String, String> of(final byte[] json, final int length)
    {
        return of(new String(json, 0, length, StandardCharsets.UTF_8));
    }

    static Map<String, String> of(final String json)
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        int i = skipSpace(json, 0);
        expect(json, i, '{');
        i = skipSpace(json, i + 1);
        if (i < json.length() && json.charAt(i) == '}')
        {
            return fields;
        }
        while (true)
        {
            expect(json, i, '"');
            final int nameEnd = endOfString(json, i);
            final String name = json.substring(i + 1, nameEnd - 1);
            i = skipSpace(json, nameEnd);
            expect(json, i, ':');
            final int valueStart = skipSpace(json, i + 1);
            final int valueEnd = endOfValue(json, valueStart);
            fields.put(name, json.substring(valueStart, valueEnd));
            i = skipSpace(json, valueEnd);
            if (i < json.length() && json.charAt(i) == ',')
            {
                i = skipSpace(json, i + 1);
                continue;
            }
            expect(json, i, '}');
            return fields;
        }
    }

    /** A string value's text without its quotes (escapes kept as written), or the value itself. */
    static String bare(final String value)
    {
        return value.length() >= 2 && value.charAt(0) == '"' ? value.substring(1, value.length() - 1) : value;
    }

    /**
     * An address and port given as JSON values, as {@code ss} prints them: {@code 10.0.0.1:80},
     * {@code [fd00::1]:80}, the address alone without a port, {@code -} without an address.
     */
    static String endpoint(final String address, final String port)
    {
        final String a = address == null ? "-" : bare(address);
        if (port == null)
        {
            return a;
        }
        return (a.indexOf(':') >= 0 ? "[" + a + "]" : a) + ":" + port;
    }

    private static int endOfValue(final String s, final int start)
    {
        if (start >= s.length())
        {
            throw new IllegalArgumentException("a value expected at " + start);
        }
        final char c = s.charAt(start);
        if (c == '"')
        {
            return endOfString(s, start);
        }
        if (c == '{' || c == '[')
        {
            int depth = 0;
            int i = start;
            while (i < s.length())
            {
                final char d = s.charAt(i);
                if (d == '"')
                {
                    i = endOfString(s, i);
                    continue;
                }
                if (d == '{' || d == '[')
                {
                    depth++;
                }
                else if (d == '}' || d == ']')
                {
                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                }
                i++;
            }
            throw new IllegalArgumentException("unterminated " + c + " at " + start);
        }
        int i = start;
        while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0)
        {
            i++;
        }
        if (i == start)
        {
            throw new IllegalArgumentException("a value expected at " + start);
        }
        return i;
    }

    /** @return the index after the closing quote of the string that opens at {@code start} */
    private static int endOfString(final String s, final int start)
    {
        int i = start + 1;
        while (i < s.length())
        {
            final char c = s.charAt(i);
            if (c == '\\')
            {
                i += 2;
                continue;
            }
            if (c == '"')
            {
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("unterminated string at " + start);
    }

    private static int skipSpace(final String s, final int from)
    {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i)))
        {
            i++;
        }
        return i;
    }

    private static void expect(final String s, final int at, final char c)
    {
        if (at >= s.length() || s.charAt(at) != c)
        {
            throw new IllegalArgumentException("'" + c + "' expected at " + at + " of " + s);
        }
    }
}
