package io.nlstream.sinks;

import java.nio.charset.StandardCharsets;

/**
 * A field name or a constant value (a kind, an op, a flag name, a state name), encoded once: writers copy
 * its bytes instead of encoding a String per event. Names are ASCII without characters that need escaping
 * in JSON; values may be any text ({@link #of} checks which).
 */
public final class Name
{
    private final String text;
    private final byte[] bytes;
    private final boolean plain;
    /** {@code ,"name":} for a plain name, the comma first (JsonFieldWriter copies it from 0 or from 1); else null. */
    private final byte[] jsonKey;

    private Name(final String text)
    {
        this.text = text;
        this.bytes = text.getBytes(StandardCharsets.UTF_8);
        boolean p = !text.isEmpty();
        for (int i = 0; i < text.length() && p; i++)
        {
            final char c = text.charAt(i);
            p = c > ' ' && c < 0x7f && c != '"' && c != '\\';
        }
        this.plain = p;
        this.jsonKey = p ? (",\"" + text + "\":").getBytes(StandardCharsets.US_ASCII) : null;
    }

    public static Name of(final String text)
    {
        return new Name(text);
    }

    public String text()
    {
        return text;
    }

    /** UTF-8; not to be modified. */
    public byte[] bytes()
    {
        return bytes;
    }

    /** Printable ASCII without quotes or backslashes: written as it is in JSON strings and unquoted in text. */
    public boolean plain()
    {
        return plain;
    }

    byte[] jsonKey()
    {
        return jsonKey;
    }

    @Override
    public String toString()
    {
        return text;
    }
}
