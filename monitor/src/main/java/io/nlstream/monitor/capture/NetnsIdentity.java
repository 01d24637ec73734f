package io.nlstream.monitor.capture;

import io.nlstream.monitor.journal.ContainerIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The identity of a network namespace: the inode number of its nsfs file, as {@code ip netns identify}
 * and {@code lsns} show it; its name under /run/netns; the container it belongs to.
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
            final long inode = inodeInLink(target);
            if (inode < 0)
            {
                throw new IllegalStateException("unexpected network namespace link " + nsLink + " -> " + target);
            }
            return inode;
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot read network namespace identity from " + nsLink + ": " + e, e);
        }
    }

    /** The inode a /proc/PID/ns/net link names ({@code net:[4026531840]}), or -1 when it names none. */
    static long inodeInLink(final String target)
    {
        final int open = target.indexOf('[');
        final int close = target.indexOf(']');
        if (!target.startsWith("net:[") || open != 4 || close != target.length() - 1 || close == open + 1)
        {
            return -1;
        }
        try
        {
            return Long.parseLong(target, open + 1, close, 10);
        }
        catch (final NumberFormatException e)
        {
            return -1;
        }
    }

    /** The namespace a process's ns/net link names, or -1 (the process is gone, or may not be looked at). */
    static long netnsOf(final Path nsLink)
    {
        try
        {
            return inodeInLink(Files.readSymbolicLink(nsLink).toString());
        }
        catch (final IOException | UnsupportedOperationException | SecurityException e)
        {
            return -1;
        }
    }

    /** At most this many processes are looked at, so that finding a container costs a bounded time. */
    static final int MAX_PROCESSES = 1 << 16;
    /** At most this many of the namespace's processes have their cgroup read, oldest first. */
    static final int MAX_CANDIDATES = 16;
    /** /proc/PID/cgroup is read up to this size (a line per hierarchy: a few hundred bytes). */
    private static final int MAX_CGROUP_BYTES = 64 * 1024;

    /**
     * The container the namespace {@code inode} belongs to: the cgroup ({@link Cgroups}) of the oldest process
     * that lives in it (by start time, then pid; the next oldest when one names no container, up to
     * {@value #MAX_CANDIDATES}), found by reading each process's /proc/PID/ns/net (up to {@value #MAX_PROCESSES}
     * processes). In Kubernetes the oldest is the pod's sandbox (pause) process, which holds the namespace for
     * the pod's containers, so {@code container_id} is the sandbox's. {@link ContainerIdentity#NONE} for the
     * host's namespace (the one of pid 1), one no process lives in (kept by a bind mount under /run/netns), and
     * one whose processes live in no container's cgroup. Never throws; a process that goes away meanwhile,
     * or whose links this process may not read, is passed over.
     */
    public static ContainerIdentity container(final long inode)
    {
        return container(Path.of("/proc"), inode);
    }

    static ContainerIdentity container(final Path proc, final long inode)
    {
        if (inode <= 0 || netnsOf(proc.resolve("1/ns/net")) == inode)
        {
            return ContainerIdentity.NONE;
        }
        long[] starts = new long[16];
        int[] pids = new int[16];
        int members = 0;
        int examined = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc))
        {
            for (final Path entry : entries)
            {
                final int pid = pid(entry.getFileName().toString());
                if (pid <= 1)
                {
                    continue;
                }
                if (++examined > MAX_PROCESSES)
                {
                    break;
                }
                if (netnsOf(entry.resolve("ns/net")) != inode)
                {
                    continue;
                }
                final long start = startTime(entry.resolve("stat"));
                if (start < 0)
                {
                    continue;
                }
                if (members == pids.length)
                {
                    starts = java.util.Arrays.copyOf(starts, 2 * members);
                    pids = java.util.Arrays.copyOf(pids, 2 * members);
                }
                starts[members] = start;
                pids[members++] = pid;
            }
        }
        catch (final IOException | DirectoryIteratorException | SecurityException e)
        {
            // what was found so far is as good as any
        }
        final boolean[] tried = new boolean[members];
        for (int attempt = 0; attempt < Math.min(members, MAX_CANDIDATES); attempt++)
        {
            int oldest = -1;
            for (int i = 0; i < members; i++)
            {
                if (!tried[i] && (oldest < 0 || starts[i] < starts[oldest] || starts[i] == starts[oldest] && pids[i] < pids[oldest]))
                {
                    oldest = i;
                }
            }
            tried[oldest] = true;
            final ContainerIdentity found = Cgroups.containerOf(readCgroup(proc.resolve(pids[oldest] + "/cgroup")));
            if (!found.isEmpty())
            {
                return found;
            }
        }
        return ContainerIdentity.NONE;
    }

    /** A /proc entry's pid, or -1 when the name is not one. */
    static int pid(final String name)
    {
        if (name.isEmpty() || name.length() > 9)
        {
            return -1;
        }
        int pid = 0;
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            pid = 10 * pid + c - '0';
        }
        return pid;
    }

    /** Field 22 of /proc/PID/stat (starttime, clock ticks after boot), or -1. */
    static long startTime(final Path stat)
    {
        try
        {
            final String s = Files.readString(stat, StandardCharsets.ISO_8859_1);
            // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, so fields are counted after the last ')'
            final int close = s.lastIndexOf(')');
            if (close < 0)
            {
                return -1;
            }
            final String[] fields = s.substring(close + 1).trim().split(" +");
            return fields.length > 19 ? Long.parseLong(fields[19]) : -1;
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }

    private static String readCgroup(final Path file)
    {
        try (InputStream in = Files.newInputStream(file))
        {
            return new String(in.readNBytes(MAX_CGROUP_BYTES), StandardCharsets.ISO_8859_1);
        }
        catch (final IOException | SecurityException e)
        {
            return null;
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
