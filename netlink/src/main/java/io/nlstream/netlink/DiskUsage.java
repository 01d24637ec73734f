package io.nlstream.netlink;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The disk space a file takes, as {@code du} counts it: stat(2)'s {@code st_blocks} x 512. A journal's cycle files
 * are sparse (Chronicle Queue sizes a new one at 80 MiB and a quiet hour fills a few of them), so their length says
 * little about the disk they use. Where stat(2) cannot be called (a libc before 2.33 exports no {@code stat}, an
 * architecture whose {@code struct stat} this does not know), a file's length stands in, and {@link #exact()} says so.
 */
public final class DiskUsage
{
    /** stat(2) as glibc 2.33+ exports it. */
    public interface Stat
    {
        int stat(String path, Pointer buf);
    }

    // struct stat on the 64-bit Linux ABIs below: st_size at 48, st_blocks at 64 (x86_64's own layout and the generic one
    // of aarch64 and riscv64 agree there; ppc64 too). s390x and 32-bit ABIs differ: their lengths stand in.
    private static final Set<String> ARCHES = Set.of("amd64", "x86_64", "aarch64", "riscv64", "ppc64le");
    private static final int SIZE_OFFSET = 48;
    private static final int BLOCKS_OFFSET = 64;
    private static final int STRUCT_BYTES = 256;

    private static volatile Stat stat;
    private static volatile boolean unavailable;
    private static volatile boolean checked;

    private DiskUsage()
    {
    }

    /** Whether {@link #bytes} counts allocated blocks (true) or falls back to file lengths. */
    public static boolean exact()
    {
        return load() != null;
    }

    /**
     * The bytes {@code file} takes on disk; its length where that cannot be had. A file gone meanwhile takes 0.
     */
    public static long bytes(final Path file)
    {
        final long length;
        try
        {
            length = Files.size(file);
        }
        catch (final IOException e)
        {
            return 0;
        }
        final Stat s = load();
        if (s == null)
        {
            return length;
        }
        final Runtime runtime = Runtime.getRuntime(s);
        final Pointer buf = runtime.getMemoryManager().allocateDirect(STRUCT_BYTES, true);
        if (s.stat(file.toString(), buf) != 0)
        {
            return length;
        }
        if (!checked)
        {
            // the layout is right where st_size is the length Java sees (a file being written may grow between the two)
            if (buf.getLong(SIZE_OFFSET) < length)
            {
                unavailable = true;
                return length;
            }
            checked = true;
        }
        return buf.getLong(BLOCKS_OFFSET) * 512;
    }

    /** The bytes every regular file under {@code dir} (and its subdirectories) takes. */
    public static long tree(final Path dir)
    {
        final long[] sum = {0};
        try (java.util.stream.Stream<Path> files = Files.walk(dir))
        {
            files.forEach(f ->
            {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                {
                    sum[0] += bytes(f);
                }
            });
        }
        catch (final IOException | java.io.UncheckedIOException e)
        {
            // a file or directory gone while listed (retention, a snapshot replaced): what was counted stands
        }
        return sum[0];
    }

    private static Stat load()
    {
        if (unavailable)
        {
            return null;
        }
        Stat s = stat;
        if (s == null)
        {
            synchronized (DiskUsage.class)
            {
                s = stat;
                if (s == null && !unavailable)
                {
                    if (!"Linux".equals(System.getProperty("os.name")) || !ARCHES.contains(System.getProperty("os.arch")))
                    {
                        unavailable = true;
                        return null;
                    }
                    try
                    {
                        s = LibraryLoader.create(Stat.class).failImmediately().load("c");
                        stat = s;
                    }
                    catch (final LinkageError | RuntimeException e)
                    {
                        unavailable = true;
                        return null;
                    }
                }
            }
        }
        return s;
    }
}
