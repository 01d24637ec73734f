package io.nlstream.monitor.capture;

import io.nlstream.netlink.NetNamespace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A namespace's count of TCP and UDP sockets as the kernel keeps it per namespace (/proc/net/sockstat and sockstat6:
 * {@code TCP: inuse N orphan N tw N}, {@code UDP: inuse N}, {@code TCP6: inuse N}, {@code UDP6: inuse N}), read on
 * the calling thread inside the namespace: a few microseconds, where a socket dump makes the kernel walk its whole
 * socket hash (about a millisecond per TCP dump on a host with much memory, whichever namespace asks). Sockets the
 * dumps list are hashed, and hashing one counts it: with no socket destroyed (the kernel announces those), counts
 * that did not move mean no socket was made.
 */
final class SocketCounts
{
    private SocketCounts()
    {
    }

    /**
     * The counts of namespace {@code nsPath} (null: the calling thread's own) as one comparable text, or null when
     * they cannot be read (the namespace gone, no /proc): the caller then dumps.
     */
    static String of(final Path nsPath)
    {
        try
        {
            return nsPath == null ? read() : NetNamespace.within(nsPath, SocketCounts::read);
        }
        catch (final RuntimeException e)
        {
            return null;
        }
    }

    private static String read()
    {
        try
        {
            return counts(Files.readString(Path.of("/proc/thread-self/net/sockstat"), StandardCharsets.US_ASCII)
                + Files.readString(Path.of("/proc/thread-self/net/sockstat6"), StandardCharsets.US_ASCII));
        }
        catch (final IOException e)
        {
            return null;
        }
    }

    /**
     * The figures of the dumped protocols from sockstat text: in use and TIME-WAIT, not memory nor {@code alloc}
     * (those move with buffers, and alloc is the whole host's). Null when a line is missing.
     */
    static String counts(final String sockstat)
    {
        final StringBuilder out = new StringBuilder(64);
        for (final String protocol : new String[] {"TCP:", "UDP:", "TCP6:", "UDP6:"})
        {
            final int at = lineStart(sockstat, protocol);
            if (at < 0)
            {
                return null;
            }
            final int end = sockstat.indexOf('\n', at) < 0 ? sockstat.length() : sockstat.indexOf('\n', at);
            final String line = sockstat.substring(at, end);
            out.append(protocol).append(field(line, " inuse ")).append('/').append(field(line, " tw ")).append(' ');
        }
        return out.toString();
    }

    private static int lineStart(final String text, final String prefix)
    {
        if (text.startsWith(prefix))
        {
            return 0;
        }
        final int at = text.indexOf('\n' + prefix);
        return at < 0 ? -1 : at + 1;
    }

    /** The number after {@code name} in {@code line}, or "-" when it has none (UDP has no tw). */
    private static String field(final String line, final String name)
    {
        final int at = line.indexOf(name);
        if (at < 0)
        {
            return "-";
        }
        int end = at + name.length();
        while (end < line.length() && Character.isDigit(line.charAt(end)))
        {
            end++;
        }
        return line.substring(at + name.length(), end);
    }
}
