package io.nlstream.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The captured netlink messages of {@code netlink/src/test/resources/fixtures}: rtnetlink at the top,
 * ctnetlink in {@code conntrack/}, sock_diag in {@code diag/} (copied into this jar at build time; the
 * README.md of each folder, also in the jar, says which kernel and commands produced them).
 */
public final class Fixtures
{
    private Fixtures()
    {
    }

    /**
     * A fixture at index 0 of a direct buffer in host order, as the capture path receives messages.
     *
     * @param name a fixture's path under {@code fixtures/} without {@code .hex}, e.g. {@code veth-newlink}
     *             or {@code conntrack/tcp4-dnat-new}
     */
    public static ByteBuffer direct(final String name)
    {
        final byte[] bytes = bytes(name);
        // cache-line aligned, so that every fork reads the message at the same alignment (malloc's
        // placement differs from run to run, and with it how many reads straddle a cache line)
        final ByteBuffer buf = ByteBuffer.allocateDirect(bytes.length + 128).alignedSlice(64)
            .limit(bytes.length).slice().order(ByteOrder.nativeOrder());
        buf.put(bytes).clear();
        return buf;
    }

    /**
     * The bytes of a {@code .hex} fixture: '#' lines are comments, the rest is hex pairs.
     */
    public static byte[] bytes(final String name)
    {
        final String resource = "/fixtures/" + name + ".hex";
        final String text;
        try (InputStream in = Fixtures.class.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("no fixture " + resource + " in the benchmark jar");
            }
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read fixture " + resource + ": " + e, e);
        }
        final StringBuilder hex = new StringBuilder();
        for (final String line : text.split("\n"))
        {
            if (!line.startsWith("#"))
            {
                hex.append(line.replaceAll("\\s+", ""));
            }
        }
        if (hex.length() % 2 != 0)
        {
            throw new IllegalArgumentException("fixture " + resource + " has an odd number of hex digits: " + hex.length());
        }
        final byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++)
        {
            out[i] = (byte)Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
        }
        return out;
    }
}
