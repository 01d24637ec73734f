package io.nlstream.monitor.attribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps socket inodes to the processes holding them, as {@code ss -p} does: every {@code /proc/PID/fd/N}
 * link of the form {@code socket:[INODE]}. One walk finds every socket of every process, so it is done
 * once for a batch of unknown inodes, never per event.
 */
public final class ProcScanner
{
    private static final String SOCKET_PREFIX = "socket:[";

    private final Path proc;
    private long walks;
    private long linksRead;
    private long lastWalkNanos;

    /** Who holds a socket: the first process found (lowest pid), and how many hold it. */
    public static final class Owner
    {
        public final int pid;
        public final String comm;

        Owner(final int pid, final String comm)
        {
            this.pid = pid;
            this.comm = comm;
        }

        @Override
        public String toString()
        {
            return pid + "/" + comm;
        }
    }

    public ProcScanner(final Path proc)
    {
        this.proc = proc;
    }

    public ProcScanner()
    {
        this(Path.of("/proc"));
    }

    /** Walks /proc once; returns inode -> owner for every socket found. */
    public Map<Long, Owner> scan()
    {
        final long start = System.nanoTime();
        final Map<Long, Owner> owners = new HashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, ProcScanner::isPid))
        {
            for (final Path pidDir : pids)
            {
                scanProcess(pidDir, owners);
            }
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot list " + proc + ": " + e, e);
        }
        walks++;
        lastWalkNanos = System.nanoTime() - start;
        return owners;
    }

    private void scanProcess(final Path pidDir, final Map<Long, Owner> owners)
    {
        final int pid = Integer.parseInt(pidDir.getFileName().toString());
        Owner owner = null;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd")))
        {
            for (final Path fd : fds)
            {
                final String target;
                try
                {
                    target = Files.readSymbolicLink(fd).toString();
                }
                catch (final IOException | UnsupportedOperationException e)
                {
                    continue; // closed between listing and reading
                }
                linksRead++;
                if (target.startsWith(SOCKET_PREFIX) && target.endsWith("]"))
                {
                    final long inode = Long.parseLong(target, SOCKET_PREFIX.length(), target.length() - 1, 10);
                    if (owner == null)
                    {
                        owner = new Owner(pid, comm(pidDir));
                    }
                    owners.putIfAbsent(inode, owner);
                }
            }
        }
        catch (final IOException | SecurityException e)
        {
            // the process exited, or its fds are not ours to read: nothing to attribute
        }
    }

    private static String comm(final Path pidDir)
    {
        try
        {
            final String comm = new String(Files.readAllBytes(pidDir.resolve("comm")), StandardCharsets.UTF_8);
            return comm.endsWith("\n") ? comm.substring(0, comm.length() - 1) : comm;
        }
        catch (final IOException e)
        {
            return "";
        }
    }

    private static boolean isPid(final Path p)
    {
        final String name = p.getFileName().toString();
        for (int i = 0; i < name.length(); i++)
        {
            if (name.charAt(i) < '0' || name.charAt(i) > '9')
            {
                return false;
            }
        }
        return !name.isEmpty();
    }

    public long walks()
    {
        return walks;
    }

    public long linksRead()
    {
        return linksRead;
    }

    public long lastWalkNanos()
    {
        return lastWalkNanos;
    }
}
