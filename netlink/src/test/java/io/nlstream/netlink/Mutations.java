package io.nlstream.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

/**
 * Random damage to a netlink message, for the random-mutation tests: bytes overwritten, length
 * fields (nlmsg_len, nla_len, rtnh_len) set to small or wrong values, bytes cut, inserted or removed
 * with nlmsg_len kept in step so the damage reaches the attributes. Seeded: a failure names its
 * seed and iteration and is reproduced by running again.
 */
public final class Mutations
{
    private Mutations()
    {
    }

    public static byte[] mutate(final byte[] seed, final Random r)
    {
        byte[] m = seed.clone();
        final int count = 1 + r.nextInt(3);
        for (int i = 0; i < count && m.length > 0; i++)
        {
            switch (r.nextInt(8))
            {
                case 0:
                    m[r.nextInt(m.length)] = (byte)r.nextInt(256);
                    break;
                case 1:
                {
                    // a length-ish u16 at a 2-aligned offset past the netlink header
                    final int at = 16 + 2 * r.nextInt(Math.max(1, (m.length - 17) / 2));
                    if (at + 1 < m.length)
                    {
                        setU16(m, at, r.nextInt(4) == 0 ? r.nextInt(65536) : r.nextInt(48));
                    }
                    break;
                }
                case 2:
                    m = Arrays.copyOf(m, r.nextInt(m.length + 1));
                    break;
                case 3:
                    if (m.length >= 4)
                    {
                        setU32(m, 0, r.nextInt(m.length + 24));
                    }
                    break;
                case 4:
                {
                    final int at = Math.min(m.length, 16 + r.nextInt(Math.max(1, m.length - 15)));
                    final byte[] extra = new byte[1 + r.nextInt(8)];
                    r.nextBytes(extra);
                    final byte[] out = new byte[m.length + extra.length];
                    System.arraycopy(m, 0, out, 0, at);
                    System.arraycopy(extra, 0, out, at, extra.length);
                    System.arraycopy(m, at, out, at + extra.length, m.length - at);
                    m = fixLength(out);
                    break;
                }
                case 5:
                {
                    if (m.length > 17)
                    {
                        final int at = 16 + r.nextInt(m.length - 16);
                        final int n = Math.min(1 + r.nextInt(8), m.length - at);
                        final byte[] out = new byte[m.length - n];
                        System.arraycopy(m, 0, out, 0, at);
                        System.arraycopy(m, at + n, out, at, m.length - at - n);
                        m = fixLength(out);
                    }
                    break;
                }
                case 6:
                {
                    final int at = r.nextInt(m.length);
                    m[at] ^= (byte)(1 << r.nextInt(8));
                    break;
                }
                default:
                    // the fixed header after nlmsghdr: family, lengths, the message type
                    final int at = r.nextBoolean() ? 4 : 16 + r.nextInt(4);
                    if (at < m.length)
                    {
                        m[at] = (byte)r.nextInt(256);
                    }
                    break;
            }
        }
        return m;
    }

    private static byte[] fixLength(final byte[] m)
    {
        if (m.length >= 4)
        {
            setU32(m, 0, m.length);
        }
        return m;
    }

    private static void setU16(final byte[] m, final int at, final int v)
    {
        ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).putShort(at, (short)v);
    }

    private static void setU32(final byte[] m, final int at, final int v)
    {
        ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).putInt(at, v);
    }

    /**
     * The message at {@code offset} in a buffer of a random kind and order, followed by garbage.
     */
    public static ByteBuffer place(final byte[] m, final int offset, final Random r)
    {
        final int capacity = offset + m.length + r.nextInt(8);
        final ByteBuffer buf;
        switch (r.nextInt(3))
        {
            case 0:
                buf = ByteBuffer.allocate(capacity).order(ByteOrder.nativeOrder());
                break;
            case 1:
                buf = ByteBuffer.allocate(capacity).order(ByteOrder.BIG_ENDIAN);
                break;
            default:
                buf = ByteBuffer.allocateDirect(capacity).order(r.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                break;
        }
        for (int i = 0; i < capacity; i++)
        {
            buf.put(i, (byte)r.nextInt(256));
        }
        buf.put(offset, m);
        return buf;
    }
}
