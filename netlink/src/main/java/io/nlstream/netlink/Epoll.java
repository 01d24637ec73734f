package io.nlstream.netlink;

import io.nlstream.netlink.internal.LibC;
import io.nlstream.netlink.internal.Native;
import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One epoll instance: the capture thread of a source waits on it for any of its namespaces' sockets to have
 * datagrams, so that one thread serves any number of sockets. Level-triggered: a socket left with datagrams
 * (a reader that stopped at its budget) is reported again by the next {@link #await}. Waiting allocates nothing.
 *
 * <pre>
 * struct epoll_event   x86_64 (packed, 12 bytes)     other 64-bit (16 bytes)
 *   u32 events           0                             0
 *   u64 data             4                             8
 * </pre>
 *
 * Not thread safe: one instance belongs to one thread.
 */
public final class Epoll implements AutoCloseable
{
    private static final boolean PACKED = "amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch"));
    private static final int EVENT_SIZE = PACKED ? 12 : 16;
    private static final int DATA_OFFSET = PACKED ? 4 : 8;

    private final Native nat;
    private final int epfd;
    private final int capacity;
    private final ByteBuffer events;
    private final Pointer eventsPointer;
    private final ByteBuffer control = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    private final Pointer controlPointer;
    private boolean closed;

    /** @param capacity the most ready sockets one {@link #await} reports */
    public Epoll(final int capacity)
    {
        this.nat = Native.get();
        this.capacity = capacity;
        this.epfd = nat.libc.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (epfd < 0)
        {
            final int errno = nat.runtime.getLastError();
            throw new NetlinkException("epoll_create1 failed: " + nat.libc.strerror(errno), errno);
        }
        this.events = ByteBuffer.allocateDirect(capacity * EVENT_SIZE).order(ByteOrder.nativeOrder());
        this.eventsPointer = Pointer.wrap(nat.runtime, events);
        this.controlPointer = Pointer.wrap(nat.runtime, control);
    }

    /** Watches {@code fd} for datagrams; {@link #data(int)} reports {@code data} for it. */
    public void add(final int fd, final long data)
    {
        add(fd, data, LibC.EPOLLIN);
    }

    /** As {@link #add(int, long)}, for the events {@code mask} ({@code EPOLLIN}, {@code EPOLLPRI}, ...). */
    public void add(final int fd, final long data, final int mask)
    {
        control.putInt(0, mask);
        control.putLong(DATA_OFFSET, data);
        if (nat.libc.epoll_ctl(epfd, LibC.EPOLL_CTL_ADD, fd, controlPointer) < 0)
        {
            final int errno = nat.runtime.getLastError();
            throw new NetlinkException("epoll_ctl(ADD, fd " + fd + ") failed: " + nat.libc.strerror(errno), errno);
        }
    }

    /** Stops watching {@code fd} (before it is closed: a closed fd leaves epoll by itself only when no copy is open). */
    public void remove(final int fd)
    {
        nat.libc.epoll_ctl(epfd, LibC.EPOLL_CTL_DEL, fd, controlPointer);
    }

    /**
     * Waits up to {@code timeoutMillis} (0: not at all) for watched sockets to have datagrams.
     *
     * @return how many are ready ({@link #data(int)} of 0 to that less one); 0 on timeout or a signal
     */
    public int await(final int timeoutMillis)
    {
        final int n = nat.libc.epoll_wait(epfd, eventsPointer, capacity, timeoutMillis);
        if (n < 0)
        {
            final int errno = nat.runtime.getLastError();
            if (errno == LibC.EINTR)
            {
                return 0;
            }
            throw new NetlinkException("epoll_wait failed: " + nat.libc.strerror(errno), errno);
        }
        return n;
    }

    /** The data given with {@link #add} of the {@code i}th ready socket of the last {@link #await}. */
    public long data(final int i)
    {
        return events.getLong(i * EVENT_SIZE + DATA_OFFSET);
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            nat.libc.close(epfd);
        }
    }
}
