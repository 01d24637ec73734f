package io.nlstream.netlink;

import io.nlstream.netlink.internal.LibC;
import io.nlstream.netlink.internal.Native;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bigger pipe for a reader that prints a lot: with the default 64 KiB, a replay of millions of events into
 * {@code | jq} or {@code | wc} switches to the consumer every 64 KiB and back.
 */
public final class Pipes
{
    private Pipes()
    {
    }

    /**
     * Asks the kernel for a pipe of {@code bytes} on {@code fd} when it is a pipe; best effort (the kernel caps it
     * at /proc/sys/fs/pipe-max-size, 1 MiB by default).
     *
     * @return whether it was grown
     */
    public static boolean growIfPipe(final int fd, final int bytes)
    {
        try
        {
            if (!Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().startsWith("pipe:"))
            {
                return false;
            }
            return Native.get().libc.fcntl(fd, LibC.F_SETPIPE_SZ, bytes) >= 0;
        }
        catch (final IOException | RuntimeException | LinkageError e)
        {
            return false;
        }
    }
}
