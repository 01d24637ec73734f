package io.nlstream.netlink;

import io.nlstream.netlink.internal.LibC;
import io.nlstream.netlink.internal.Native;

/**
 * Tells whether this process's mount table changed since it last asked, without reading it: the kernel marks
 * {@code /proc/self/mountinfo} with {@code POLLPRI | POLLERR} after every mount and unmount in the mount namespace
 * (proc(5), "/proc/pid/mounts"), seen here through an epoll of its own. Asking consumes the mark. For a reader
 * that would otherwise read every mount's line on a timer (a host with hundreds of namespaces bind-mounted has
 * hundreds of lines). {@link #await} sleeps until the next change (or a {@link #wake} from another thread).
 */
public final class MountChanges implements AutoCloseable
{
    private final Native nat;
    private final int fd;
    private final Epoll epoll;
    private final Wakeup wakeup;
    /** A mark {@link #await} saw (the kernel's is consumed by the look), for the next {@link #changed}. */
    private boolean marked;
    private boolean closed;

    private MountChanges(final Native nat, final int fd, final Epoll epoll, final Wakeup wakeup)
    {
        this.nat = nat;
        this.fd = fd;
        this.epoll = epoll;
        this.wakeup = wakeup;
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
        Wakeup wakeup = null;
        try
        {
            epoll = new Epoll(2);
            epoll.add(fd, MARK, LibC.EPOLLPRI | LibC.EPOLLERR);
            wakeup = new Wakeup();
            epoll.add(wakeup.fd(), WAKE);
            final MountChanges changes = new MountChanges(nat, fd, epoll, wakeup);
            changes.changed(); // a fresh open may or may not carry a mark: the caller reads the table first anyway
            return changes;
        }
        catch (final RuntimeException e)
        {
            if (epoll != null)
            {
                epoll.close();
            }
            if (wakeup != null)
            {
                wakeup.close();
            }
            nat.libc.close(fd);
            throw e;
        }
    }

    /** Whether a mount or unmount happened since the last call (or the open). Does not block. */
    public boolean changed()
    {
        look(0);
        final boolean was = marked;
        marked = false;
        return was;
    }

    /**
     * Sleeps until a mount or unmount, a {@link #wake}, or {@code timeoutMillis}. The mark stays for {@link #changed}.
     *
     * @return whether the table changed (since the last {@link #changed})
     */
    public boolean await(final int timeoutMillis)
    {
        if (!marked)
        {
            look(timeoutMillis);
        }
        return marked;
    }

    /** Ends an {@link #await} now (any thread; after {@link #close} it does nothing). */
    public void wake()
    {
        wakeup.signal();
    }

    private void look(final int timeoutMillis)
    {
        final int ready = epoll.await(timeoutMillis);
        for (int i = 0; i < ready; i++)
        {
            if (epoll.data(i) == MARK)
            {
                marked = true;
            }
            else
            {
                wakeup.clear();
            }
        }
    }

    private static final long MARK = 0;
    private static final long WAKE = 1;

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            epoll.close();
            wakeup.close();
            nat.libc.close(fd);
        }
    }
}
