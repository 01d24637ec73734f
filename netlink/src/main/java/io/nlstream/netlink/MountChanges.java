package io.nlstream.netlink;

import io.nlstream.netlink.internal.LibC;
import io.nlstream.netlink.internal.Native;

/**
 * Tells whether this process's mount table changed since it last asked, without reading it: the kernel marks
 * {@code /proc/self/mountinfo} with {@code POLLPRI | POLLERR} after every mount and unmount in the mount namespace
 * (proc(5), "/proc/pid/mounts"), seen here through an epoll of its own. Asking consumes the mark. For a reader
 * that would otherwise read every mount's line on a timer (a host with hundreds of namespaces bind-mounted has
 * hundreds of lines).
 */
public final class MountChanges implements AutoCloseable
{
    private final Native nat;
    private final int fd;
    private final Epoll epoll;

    private MountChanges(final Native nat, final int fd, final Epoll epoll)
    {
        this.nat = nat;
        this.fd = fd;
        this.epoll = epoll;
    }

    /**
     * Watches {@code mountinfo} (normally {@code /proc/self/mountinfo}).
     *
     * @throws NetlinkException when it cannot be opened or polled (the caller then reads it on a timer)
     */
    public static MountChanges open(final String mountinfo)
    {
        final Native nat = Native.get();
        final int fd = nat.libc.open(mountinfo, LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            final int errno = nat.runtime.getLastError();
            throw new NetlinkException("cannot open " + mountinfo + ": " + nat.libc.strerror(errno), errno);
        }
        Epoll epoll = null;
        try
        {
            epoll = new Epoll(1);
            epoll.add(fd, 0, LibC.EPOLLPRI | LibC.EPOLLERR);
            final MountChanges changes = new MountChanges(nat, fd, epoll);
            changes.changed(); // a fresh open may or may not carry a mark: the caller reads the table first anyway
            return changes;
        }
        catch (final RuntimeException e)
        {
            if (epoll != null)
            {
                epoll.close();
            }
            nat.libc.close(fd);
            throw e;
        }
    }

    /** Whether a mount or unmount happened since the last call (or the open). Does not block. */
    public boolean changed()
    {
        return epoll.await(0) > 0;
    }

    @Override
    public void close()
    {
        epoll.close();
        nat.libc.close(fd);
    }
}
