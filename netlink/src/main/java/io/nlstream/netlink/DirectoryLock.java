package io.nlstream.netlink;

import io.nlstream.netlink.internal.LibC;
import io.nlstream.netlink.internal.Native;

import java.nio.file.Path;

/**
 * An exclusive flock(2) on a directory itself: unlike a lock file, nothing inside the directory (deleting a
 * file, replacing it) can take it away, and the kernel drops it when the process dies. Two open descriptions
 * conflict even within one process.
 */
public final class DirectoryLock implements AutoCloseable
{
    private final Native nat;
    private int fd;

    private DirectoryLock(final Native nat, final int fd)
    {
        this.nat = nat;
        this.fd = fd;
    }

    /**
     * @return the lock, or null when another holds it
     * @throws IllegalStateException when the directory cannot be opened or locked for another reason
     */
    public static DirectoryLock tryLock(final Path dir)
    {
        final Native nat = Native.get();
        final int fd = nat.libc.open(dir.toString(), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            final int errno = nat.runtime.getLastError();
            throw new IllegalStateException("cannot open directory " + dir + " to lock it: " + nat.libc.strerror(errno));
        }
        if (nat.libc.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) < 0)
        {
            final int errno = nat.runtime.getLastError();
            nat.libc.close(fd);
            if (errno == LibC.EAGAIN)
            {
                return null;
            }
            throw new IllegalStateException("cannot lock directory " + dir + ": " + nat.libc.strerror(errno));
        }
        return new DirectoryLock(nat, fd);
    }

    @Override
    public void close()
    {
        if (fd >= 0)
        {
            nat.libc.close(fd);
            fd = -1;
        }
    }
}
