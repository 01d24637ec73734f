package io.nlstream.netlink;

import io.nlstream.netlink.internal.LibC;
import io.nlstream.netlink.internal.Native;

import java.nio.file.Path;

/**
 * Network namespaces by name or path. A netlink socket belongs to the namespace of the thread that opened
 * it, so a capture thread enters its namespace before opening its socket.
 */
public final class NetNamespace
{
    private NetNamespace()
    {
    }

    /**
     * The nsfs path of a namespace given as a name ({@code ip netns add NAME} makes /run/netns/NAME) or as
     * a path (/proc/PID/ns/net, /run/netns/NAME, /var/run/docker/netns/...).
     */
    public static Path resolve(final String nameOrPath)
    {
        return nameOrPath.contains("/") ? Path.of(nameOrPath) : Path.of("/run/netns", nameOrPath);
    }

    /** Moves the calling thread into the namespace at {@code nsPath}. */
    public static void enterOnThisThread(final Path nsPath)
    {
        final Native nat = Native.get();
        final int fd = nat.libc.open(nsPath.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            final int errno = nat.runtime.getLastError();
            throw new NetlinkException("cannot open network namespace " + nsPath + ": " + nat.libc.strerror(errno), errno);
        }
        try
        {
            if (nat.libc.setns(fd, LibC.CLONE_NEWNET) < 0)
            {
                final int errno = nat.runtime.getLastError();
                throw new NetlinkException("cannot enter network namespace " + nsPath + ": " + nat.libc.strerror(errno)
                    + (errno == LibC.EPERM ? " (entering another network namespace needs CAP_SYS_ADMIN)"
                    : errno == LibC.EINVAL ? " (not a network namespace)" : ""), errno);
            }
        }
        finally
        {
            nat.libc.close(fd);
        }
    }
}
