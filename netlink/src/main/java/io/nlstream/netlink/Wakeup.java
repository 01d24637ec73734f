package io.nlstream.netlink;

import io.nlstream.netlink.internal.LibC;
import io.nlstream.netlink.internal.Native;
import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An eventfd that another thread signals to end an {@link Epoll#await} early: a serving thread can then wait until
 * its next timer instead of waking every few milliseconds to look for work handed to it (a namespace to open, a
 * stop). Added to the epoll like a socket; its owner {@link #clear}s it when it is reported ready.
 *
 * <p>{@link #signal} is safe from any thread, also during and after {@link #close} (it then does nothing: the
 * descriptor's number may already belong to another file).
 */
public final class Wakeup implements AutoCloseable
{
    private final Native nat;
    private final int fd;
    private final ByteBuffer counter = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    private final Pointer counterPointer;
    private boolean closed;

    public Wakeup()
    {
        this.nat = Native.get();
        this.fd = nat.libc.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (fd < 0)
        {
            final int errno = nat.runtime.getLastError();
            throw new NetlinkException("eventfd failed: " + nat.libc.strerror(errno), errno);
        }
        this.counterPointer = Pointer.wrap(nat.runtime, counter);
    }

    /** The descriptor to add to an {@link Epoll} (readable while signalled). */
    public int fd()
    {
        return fd;
    }

    /** Makes the descriptor readable until the next {@link #clear}; any thread. */
    public synchronized void signal()
    {
        if (!closed)
        {
            nat.libc.eventfd_write(fd, 1);
        }
    }

    /**
     * Takes the signals given so far (the owner, when the epoll reported the descriptor ready).
     *
     * @return how many signals there were since the last clear (0: none)
     */
    public long clear()
    {
        counter.putLong(0, 0L);
        return nat.libc.eventfd_read(fd, counterPointer) == 0 ? counter.getLong(0) : 0L;
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            nat.libc.close(fd);
        }
    }
}
