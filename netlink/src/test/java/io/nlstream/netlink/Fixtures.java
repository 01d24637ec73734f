package io.nlstream.netlink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the captured fixtures in {@code src/test/resources/fixtures} (see the README there).
 */
public final class Fixtures
{
    public static final List<String> LINK_FIXTURES = List.of(
        "lo-newlink.hex", "bridge-newlink.hex", "veth-newlink.hex", "nocarrier-newlink.hex", "dellink.hex",
        "netns-move-dellink.hex");
    public static final List<String> ADDR_FIXTURES = List.of(
        "ipv4-newaddr.hex", "ipv6-newaddr.hex", "ipv6-linklocal-newaddr.hex", "deladdr.hex");

    private Fixtures()
    {
    }

    /**
     * The bytes of a {@code .hex} fixture: '#' lines are comments, the rest is hex pairs.
     */
    public static byte[] bytes(final String name)
    {
        final String text = text(name);
        final StringBuilder hex = new StringBuilder();
        for (final String line : text.split("\n"))
        {
            if (!line.startsWith("#"))
            {
                hex.append(line.replaceAll("\\s+", ""));
            }
        }
        final byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++)
        {
            out[i] = (byte)Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /**
     * A fixture in a heap buffer set to host order, starting at index 0.
     */
    public static ByteBuffer buffer(final String name)
    {
        return ByteBuffer.wrap(bytes(name)).order(ByteOrder.nativeOrder());
    }

    /**
     * {@code ip-expected.txt}: key=value lines, split at the first '=' (keys hold IPv6 colons).
     */
    public static Map<String, String> ipExpected()
    {
        final Map<String, String> map = new HashMap<>();
        for (final String line : text("ip-expected.txt").split("\n"))
        {
            final int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0)
            {
                map.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return map;
    }

    public static String text(final String name)
    {
        try (InputStream in = open(name))
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(final String name)
    {
        final InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name);
        if (in == null)
        {
            throw new IllegalArgumentException("no fixture " + name);
        }
        return in;
    }
}
