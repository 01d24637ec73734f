package io.nlstream.monitor.capture;

import java.io.IOException;
import java.nio.file.DirectoryStream;
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

    /**
     * The namespace's name as {@code ip netns identify} finds it: the name {@code nsPath} has under /run/netns
     * when it is there, else the first entry of /run/netns whose inode is {@code inode}; null when none (the
     * host's namespace usually, or one made by a container runtime).
     */
    public static String name(final Path nsPath, final long inode)
    {
        return name(Path.of("/run/netns"), nsPath, inode);
    }

    static String name(final Path runNetns, final Path nsPath, final long inode)
    {
        if (nsPath != null && runNetns.equals(nsPath.toAbsolutePath().getParent()) && inodeOf(nsPath) == inode)
        {
            return nsPath.getFileName().toString();
        }
        if (!Files.isDirectory(runNetns))
        {
            return null;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(runNetns))
        {
            for (final Path entry : entries)
            {
                if (inodeOf(entry) == inode)
                {
                    return entry.getFileName().toString();
                }
            }
        }
        catch (final IOException e)
        {
            return null;
        }
        return null;
    }

    private static long inodeOf(final Path path)
    {
        try
        {
            return ((Number)Files.getAttribute(path, "unix:ino")).longValue();
        }
        catch (final IOException | UnsupportedOperationException | IllegalArgumentException e)
        {
            return -1;
        }
    }
}
