package io.nlstream.netlink.internal;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.LongLong;
import jnr.ffi.types.size_t;

/**
 * libc calls that libmnl does not wrap.
 */
public interface LibC
{
    int SOL_SOCKET = 1;
    int SO_RCVBUF = 8;
    int SO_RCVTIMEO = 20;
    int SO_RCVBUFFORCE = 33;

    int MSG_TRUNC = 0x20;
    int MSG_DONTWAIT = 0x40;

    int CLOCK_REALTIME = 0;

    int EPERM = 1;
    int EINTR = 4;
    int EAGAIN = 11;
    int EACCES = 13;
    int EFAULT = 14;
    int ENOSPC = 28;
    int ENOBUFS = 105;

    /** errno is needed: ENOBUFS (overrun) and EAGAIN (timeout) are part of normal operation. */
    long recvmsg(int fd, Pointer msghdr, int flags);

    int setsockopt(int fd, int level, int optname, Pointer optval, int optlen);

    int getsockopt(int fd, int level, int optname, Pointer optval, Pointer optlen);

    int connect(int fd, Pointer addr, int addrlen);

    @IgnoreError
    int clock_gettime(int clockId, Pointer timespec);

    String strerror(int errnum);

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int CLONE_NEWNET = 0x40000000;

    int open(String path, int flags);

    int close(int fd);

    int O_DIRECTORY = 0x10000;
    int LOCK_EX = 2;
    int LOCK_NB = 4;
    int LOCK_UN = 8;

    /** An advisory lock on an open file description (a directory's too), held until it is closed. */
    int flock(int fd, int operation);

    /** Moves the calling thread (only) into the namespace that fd refers to. */
    int setns(int fd, int nstype);

    int EINVAL = 22;
    /** Linux 5.14+: fault pages in writable, as a write would, without writing to them. */
    int MADV_POPULATE_WRITE = 23;

    /**
     * @param addr page-aligned address, passed as a number (a mapping this process owns)
     */
    int madvise(@LongLong long addr, @size_t long length, int advice);

    /** fcntl(2) command: set a pipe's capacity (Linux 2.6.35+), up to /proc/sys/fs/pipe-max-size unprivileged. */
    int F_SETPIPE_SZ = 1031;

    @IgnoreError
    int fcntl(int fd, int cmd, int arg);

    int EPOLL_CLOEXEC = 0x80000;
    int EPOLL_CTL_ADD = 1;
    int EPOLL_CTL_DEL = 2;
    int EPOLLIN = 0x001;
    int EPOLLPRI = 0x002;
    int EPOLLERR = 0x008;

    int epoll_create1(int flags);

    /** @param event a {@code struct epoll_event} (x86_64: packed, 12 bytes; elsewhere 16) */
    int epoll_ctl(int epfd, int op, int fd, Pointer event);

    /** The capture thread's wait: errno (EINTR) is read only when it returns -1, through the runtime. */
    int epoll_wait(int epfd, Pointer events, int maxevents, int timeoutMillis);

    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;

    /** A counter the kernel keeps: readable (for epoll) while it is above zero. */
    int eventfd(int initval, int flags);

    /** Adds {@code value} to the counter; any thread. */
    @IgnoreError
    int eventfd_write(int fd, @LongLong long value);

    /** Reads the counter (8 bytes at {@code value}) and sets it to zero; -1 (EAGAIN) when it is zero, non-blocking. */
    @IgnoreError
    int eventfd_read(int fd, Pointer value);
}
