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
            throw new NetlinkException("cannot open network namespace " + nsPath + ": " + nat.libc.strerror(errno)
                + (errno == LibC.EACCES && nsPath.startsWith("/proc")
                    ? " (the namespace of another user's process, or of one with more capabilities, needs CAP_SYS_PTRACE)" : ""),
                errno);
        }
        try
        {
            if (nat.libc.setns(fd, LibC.CLONE_NEWNET) < 0)
            {
                final int errno = nat.runtime.getLastError();
                throw new NetlinkException("cannot enter network namespace " + nsPath + ": " + nat.libc.strerror(errno)
                    + (errno == LibC.EPERM ? " (entering another network namespace needs CAP_SYS_ADMIN)"
                        : errno == LibC.EINVAL ? " (not a network namespace)" : ""),
                    errno);
            }
        }
        finally
        {
            nat.libc.close(fd);
        }
    }

    /**
     * Runs {@code action} on the calling thread inside the namespace at {@code nsPath}, then returns the thread
     * to the namespace it was in: what {@code action} opens (a socket) stays in the namespace entered.
     *
     * @throws NetlinkException when the namespace cannot be entered (gone, not one, no CAP_SYS_ADMIN); the
     *                          thread is then where it was
     * @throws IllegalStateException when the thread cannot return (it must not be used for anything else)
     */
    public static <T> T within(final Path nsPath, final java.util.function.Supplier<T> action)
    {
        final Native nat = Native.get();
        final int home = nat.libc.open("/proc/thread-self/ns/net", LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (home < 0)
        {
            final int errno = nat.runtime.getLastError();
            throw new NetlinkException("cannot open this thread's network namespace: " + nat.libc.strerror(errno), errno);
        }
        try
        {
            enterOnThisThread(nsPath);
            try
            {
                return action.get();
            }
            finally
            {
                if (nat.libc.setns(home, LibC.CLONE_NEWNET) < 0)
                {
                    final int errno = nat.runtime.getLastError();
                    throw new IllegalStateException("cannot return from network namespace " + nsPath + ": " + nat.libc.strerror(errno));
                }
            }
        }
        finally
        {
            nat.libc.close(home);
        }
    }
}
