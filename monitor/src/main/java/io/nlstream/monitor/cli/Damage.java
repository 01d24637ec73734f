package io.nlstream.monitor.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a journal's files look damaged by their size alone: Chronicle Queue grows a cycle file in whole
 * blocks of 64 MiB beyond a first 16 MiB overlap, so a file of another size was cut (a copy that stopped, a
 * full disk, {@code truncate}).
 */
final class Damage
{
    private static final long OVERLAP = 16L << 20;
    private static final long BLOCK = 64L << 20;

    private Damage()
    {
    }

    /** A sentence naming the suspect files and their sizes, or saying that none looks cut. */
    static String suspects(final Path dir)
    {
        final List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.cq4"))
        {
            for (final Path f : files)
            {
                final long size = Files.size(f);
                if (size < OVERLAP + BLOCK && size != OVERLAP + BLOCK || (size - OVERLAP) % BLOCK != 0)
                {
                    found.add(f + " is " + size + " bytes, not a whole number of Chronicle Queue's 64 MiB blocks: cut short");
                }
            }
        }
        catch (final IOException e)
        {
            return "its files cannot be listed: " + e;
        }
        found.sort(null);
        return found.isEmpty() ? "no file looks cut short by its size" : String.join("; ", found);
    }
}
