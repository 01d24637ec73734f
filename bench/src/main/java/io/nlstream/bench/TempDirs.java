package io.nlstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary journal directories. They go under {@code -Dnlstream.bench.dir} when given (e.g. /dev/shm
 * to take the disk out of the measurement), else under java.io.tmpdir. The host JVM's -D options reach
 * the forks, or pass them with {@code -jvmArgsPrepend}.
 */
public final class TempDirs
{
    static final String DIR_PROPERTY = "nlstream.bench.dir";

    private TempDirs()
    {
    }

    public static Path create(final String prefix)
    {
        final Path parent = Paths.get(System.getProperty(DIR_PROPERTY, System.getProperty("java.io.tmpdir")));
        try
        {
            return Files.createTempDirectory(parent, prefix);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create a temporary directory in " + parent + ": " + e, e);
        }
    }

    public static void delete(final Path dir)
    {
        if (dir == null || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(p);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e, e);
        }
    }
}
