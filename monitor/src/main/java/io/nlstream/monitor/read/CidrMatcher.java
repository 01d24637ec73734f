package io.nlstream.monitor.read;

import io.nlstream.config.FilterSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * {@code --ip}'s networks compiled to masks, to test an address where it lies in a message (network order)
 * without copying it out: one masked compare per network, as {@link FilterSpec.Cidr#contains} answers it
 * (families meet through IPv4-mapped IPv6 addresses, {@code ::ffff:a.b.c.d}).
 */
final class CidrMatcher
{
    private static final long MAPPED_HI = 0L;
    private static final long MAPPED_LO = 0x0000_ffff_0000_0000L;

    /** Per network that can hold an IPv4 address: its value and mask as a big-endian int. */
    private final int[] v4Value;
    private final int[] v4Mask;
    /** Per network that can hold an IPv6 address: value and mask of its high and low 8 bytes, big-endian. */
    private final long[] v6Hi;
    private final long[] v6HiMask;
    private final long[] v6Lo;
    private final long[] v6LoMask;

    CidrMatcher(final List<FilterSpec.Cidr> cidrs)
    {
        int n4 = 0;
        for (final FilterSpec.Cidr c : cidrs)
        {
            if (holdsIpv4(c))
            {
                n4++;
            }
        }
        v4Value = new int[n4];
        v4Mask = new int[n4];
        final int n6 = cidrs.size();
        v6Hi = new long[n6];
        v6HiMask = new long[n6];
        v6Lo = new long[n6];
        v6LoMask = new long[n6];
        int i4 = 0;
        int i6 = 0;
        for (final FilterSpec.Cidr c : cidrs)
        {
            final ByteBuffer a = ByteBuffer.wrap(c.address()).order(ByteOrder.BIG_ENDIAN);
            if (c.address().length == 4)
            {
                v4Value[i4] = a.getInt(0);
                v4Mask[i4++] = mask32(c.prefixLength());
                // an IPv4 network holds the IPv4-mapped IPv6 form of its addresses: ::ffff:a.b.c.d/(96 + prefix)
                v6Hi[i6] = MAPPED_HI;
                v6HiMask[i6] = -1L;
                v6Lo[i6] = MAPPED_LO | Integer.toUnsignedLong(a.getInt(0));
                v6LoMask[i6++] = 0xffff_ffff_0000_0000L | Integer.toUnsignedLong(mask32(c.prefixLength()));
            }
            else
            {
                if (holdsIpv4(c))
                {
                    v4Value[i4] = a.getInt(12);
                    v4Mask[i4++] = mask32(c.prefixLength() - 96);
                }
                v6Hi[i6] = a.getLong(0);
                v6HiMask[i6] = mask64(c.prefixLength());
                v6Lo[i6] = a.getLong(8);
                v6LoMask[i6++] = mask64(c.prefixLength() - 64);
            }
        }
    }

    /** An IPv4 network, or an IPv6 one within {@code ::ffff:0:0/96}. */
    private static boolean holdsIpv4(final FilterSpec.Cidr c)
    {
        final byte[] a = c.address();
        if (a.length == 4)
        {
            return true;
        }
        if (c.prefixLength() < 96)
        {
            return false;
        }
        for (int i = 0; i < 10; i++)
        {
            if (a[i] != 0)
            {
                return false;
            }
        }
        return a[10] == (byte)0xff && a[11] == (byte)0xff;
    }

    /** The first {@code bits} (clamped to 0..32) bits set. */
    private static int mask32(final int bits)
    {
        return bits <= 0 ? 0 : bits >= 32 ? -1 : -1 << (32 - bits);
    }

    private static long mask64(final int bits)
    {
        return bits <= 0 ? 0L : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    /**
     * Whether the address of {@code length} bytes (4 or 16; anything else never matches) at {@code offset} of
     * {@code buf}, in network order, is in one of the networks.
     */
    boolean matches(final ByteBuffer buf, final int offset, final int length)
    {
        if (offset < 0)
        {
            return false;
        }
        final boolean big = buf.order() == ByteOrder.BIG_ENDIAN;
        if (length == 4)
        {
            final int a = big ? buf.getInt(offset) : Integer.reverseBytes(buf.getInt(offset));
            for (int i = 0; i < v4Value.length; i++)
            {
                if ((a & v4Mask[i]) == v4Value[i])
                {
                    return true;
                }
            }
            return false;
        }
        if (length == 16)
        {
            final long hi = big ? buf.getLong(offset) : Long.reverseBytes(buf.getLong(offset));
            final long lo = big ? buf.getLong(offset + 8) : Long.reverseBytes(buf.getLong(offset + 8));
            for (int i = 0; i < v6Hi.length; i++)
            {
                if ((hi & v6HiMask[i]) == v6Hi[i] && (lo & v6LoMask[i]) == v6Lo[i])
                {
                    return true;
                }
            }
        }
        return false;
    }
}
