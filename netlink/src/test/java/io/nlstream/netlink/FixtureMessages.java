package io.nlstream.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for the fixtures in {@code fixtures/route}, {@code fixtures/neigh} and {@code fixtures/diag}
 * (see the README in each): key=value expectations, the messages of a captured dump stream, and the
 * same bytes in buffers of every kind.
 */
public final class FixtureMessages
{
    private FixtureMessages()
    {
    }

    /**
     * A {@code key=value} file: '#' lines are comments, split at the first '=' (keys hold IPv6 colons).
     */
    public static Map<String, String> keyValues(final String name)
    {
        final Map<String, String> map = new HashMap<>();
        for (final String line : Fixtures.text(name).split("\n"))
        {
            final int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0)
            {
                map.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return map;
    }

    /**
     * @return {offset, length} of every message of {@code type} in a stream of concatenated datagrams.
     */
    public static List<int[]> messages(final ByteBuffer buf, final int type)
    {
        final List<int[]> spans = new ArrayList<>();
        for (int off = 0; off < buf.limit();)
        {
            final int len = NetlinkFraming.check(buf, off, buf.limit() - off);
            if (len < 0)
            {
                throw new IllegalStateException("bad framing at " + off + ": " + NetlinkFraming.describe(len));
            }
            if (NetlinkFraming.type(buf, off) == type)
            {
                spans.add(new int[] {off, len});
            }
            off = NetlinkFraming.nextOffset(off, len, buf.limit());
        }
        return spans;
    }

    /**
     * @return each message of {@code type} in the dump fixture, as its own byte array.
     */
    public static List<byte[]> messageBytes(final String name, final int type)
    {
        final byte[] all = Fixtures.bytes(name);
        final List<byte[]> out = new ArrayList<>();
        for (final int[] span : messages(ByteBuffer.wrap(all).order(ByteOrder.nativeOrder()), type))
        {
            final byte[] one = new byte[span[1]];
            System.arraycopy(all, span[0], one, 0, span[1]);
            out.add(one);
        }
        return out;
    }

    public static byte[] b(final int... bytes)
    {
        final byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            out[i] = (byte)bytes[i];
        }
        return out;
    }

    /**
     * The same bytes in a heap and a direct buffer, in both orders: the decoders read host order
     * whatever order the buffer is set to.
     */
    public static ByteBuffer[] buffers(final byte[] bytes)
    {
        final ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(0, bytes);
        final ByteBuffer directLe = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        directLe.put(0, bytes);
        return new ByteBuffer[] {
            ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()),
            ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN),
            direct,
            directLe,
        };
    }
}
