package io.nlstream.monitor.read;

import java.nio.ByteBuffer;

/**
 * Hashes an object's identity (the fields that make it one object in the kernel's tables) into 64 bits, the
 * key of {@link ObjectTable}, plus an independent 32-bit check, so that two objects are taken for one only
 * if 96 bits agree (about n²/2⁹⁷ for n live objects: never, in practice). Feed the fields with the
 * {@code add} methods between {@link #start} and {@link #hash}/{@link #check}. Reused; not thread safe.
 */
final class IdentityHash
{
    private static final long M1 = 0x9E3779B97F4A7C15L;
    private static final long M2 = 0xC2B2AE3D27D4EB4FL;
    private static final long M3 = 0x165667B19E3779F9L;

    private long a;
    private long b;

    IdentityHash start(final long seed)
    {
        a = seed * M1 + 0x243F6A8885A308D3L;
        b = seed * M3 + 0x13198A2E03707344L;
        return this;
    }

    IdentityHash add(final long word)
    {
        a = Long.rotateLeft((a ^ word) * M1, 31) * M2;
        b = Long.rotateLeft((b + word) * M3, 27) ^ (b >>> 29);
        return this;
    }

    /** {@code length} bytes from {@code offset}, with their count (so "ab"+"c" differs from "a"+"bc"). */
    IdentityHash add(final ByteBuffer buf, final int offset, final int length)
    {
        add(length);
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            add(buf.getLong(offset + i));
        }
        long tail = 0;
        for (; i < length; i++)
        {
            tail = tail << 8 | (buf.get(offset + i) & 0xFF);
        }
        return add(tail);
    }

    IdentityHash add(final CharSequence s)
    {
        if (s == null)
        {
            return add(-1L);
        }
        add(s.length());
        for (int i = 0; i < s.length(); i += 4)
        {
            long w = 0;
            for (int j = i; j < Math.min(i + 4, s.length()); j++)
            {
                w = w << 16 | s.charAt(j);
            }
            add(w);
        }
        return this;
    }

    /** Never 0: 0 marks an empty slot in the tables. */
    long hash()
    {
        final long h = fmix(a ^ b >>> 7);
        return h == 0 ? 1 : h;
    }

    int check()
    {
        return (int)(fmix(b + M2) >>> 32);
    }

    static long fmix(final long x)
    {
        long h = x;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
