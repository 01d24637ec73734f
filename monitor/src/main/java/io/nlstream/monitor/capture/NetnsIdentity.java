package io.nlstream.monitor.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The identity of a network namespace: the inode number of its nsfs file, as {@code ip netns identify}
 * and {@code lsns} show it.
 */
public final class NetnsIdentity
{
    private NetnsIdentity()
    {
    }

    /** The namespace of the calling thread. */
    public static long current()
    {
        return of(Path.of("/proc/thread-self/ns/net"));
    }

    public static long of(final Path nsLink)
    {
        try
        {
            final String target = Files.readSymbolicLink(nsLink).toString();
            // "net:[4026531840]"
            final int open = target.indexOf('[');
            final int close = target.indexOf(']');
            if (!target.startsWith("net:") || open < 0 || close < open)
            {
                throw new IllegalStateException("unexpected network namespace link " + nsLink + " -> " + target);
            }
            return Long.parseLong(target.substring(open + 1, close));
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot read network namespace identity from " + nsLink + ": " + e, e);
        }
    }
}
