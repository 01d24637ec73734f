package io.nlstream.netlink;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.LongLong;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Signals this process ignores: {@code nohup} starts a command with SIGHUP ignored, and the JVM then refuses to handle
 * it ({@code sun.misc.Signal.handle} returns without installing anything), so a reload by {@code kill -HUP} would
 * silently do nothing. A command that handles SIGHUP asks {@link #ignored} before and after installing its handler, and
 * may {@link #restoreDefault} first. Linux only; elsewhere nothing is known to be ignored.
 */
public final class IgnoredSignals
{
    public static final int SIGHUP = 1;

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final String SIG_IGN = "SigIgn:";
    private static final long SIG_DFL = 0;

    /** The one libc call needed here. */
    public interface Signal
    {
        @LongLong
        long signal(int signum, @LongLong long handler);
    }

    private IgnoredSignals()
    {
    }

    /**
     * @return whether signal {@code sig} (1..64) is ignored by this process now, as the kernel's {@code SigIgn} mask
     * in /proc/self/status says; false when that cannot be read
     */
    public static boolean ignored(final int sig)
    {
        return ignored(readStatus(), sig);
    }

    static boolean ignored(final String status, final int sig)
    {
        if (status == null || sig < 1 || sig > 64)
        {
            return false;
        }
        for (final String line : status.split("\n"))
        {
            if (line.startsWith(SIG_IGN))
            {
                final String hex = line.substring(SIG_IGN.length()).trim();
                try
                {
                    return (Long.parseUnsignedLong(hex, 16) & 1L << (sig - 1)) != 0;
                }
                catch (final NumberFormatException e)
                {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * Gives {@code sig} its default disposition again ({@code signal(sig, SIG_DFL)}), so that a handler installed
     * afterwards takes effect. Until then the default applies: call it right before installing the handler.
     *
     * @return whether libc accepted it
     */
    public static boolean restoreDefault(final int sig)
    {
        try
        {
            final Signal libc = LibraryLoader.create(Signal.class).failImmediately().load("c");
            // SIG_ERR is (sighandler_t) -1
            return libc.signal(sig, SIG_DFL) != -1;
        }
        catch (final LinkageError | RuntimeException e)
        {
            return false;
        }
    }

    private static String readStatus()
    {
        try
        {
            return Files.readString(STATUS);
        }
        catch (final IOException | RuntimeException e)
        {
            return null;
        }
    }
}
