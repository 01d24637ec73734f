package io.nlstream.monitor.read;

import io.nlstream.sinks.Name;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small reusable ASCII builder for record keys and event ids.
 */
public final class Ascii
{
    private byte[] bytes = new byte[128];
    private int length;

    public Ascii reset()
    {
        length = 0;
        return this;
    }

    private void room(final int n)
    {
        if (length + n > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
    }

    public Ascii append(final long v)
    {
        if (v == Long.MIN_VALUE)
        {
            return append(Long.toString(v));
        }
        room(20);
        long x = v;
        if (x < 0)
        {
            bytes[length++] = '-';
            x = -x;
        }
        final int start = length;
        do
        {
            bytes[length++] = (byte)('0' + x % 10);
            x /= 10;
        }
        while (x != 0);
        for (int i = start, j = length - 1; i < j; i++, j--)
        {
            final byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
        return this;
    }

    public Ascii append(final char c)
    {
        room(1);
        bytes[length++] = (byte)c;
        return this;
    }

    public Ascii append(final byte[] src, final int offset, final int n)
    {
        room(n);
        System.arraycopy(src, offset, bytes, length, n);
        length += n;
        return this;
    }

    public Ascii append(final Name name)
    {
        return append(name.bytes(), 0, name.bytes().length);
    }

    public Ascii append(final String s)
    {
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return append(b, 0, b.length);
    }

    public byte[] toByteArray()
    {
        return Arrays.copyOf(bytes, length);
    }

    @Override
    public String toString()
    {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
