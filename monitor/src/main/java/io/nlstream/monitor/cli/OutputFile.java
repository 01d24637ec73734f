package io.nlstream.monitor.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file a command writes for the user (a pcap, a page): written as {@code .NAME.partial} beside it and renamed
 * over it when complete, so that a failed write (a full disk) leaves no truncated file that looks whole.
 */
final class OutputFile
{
    private final Path target;
    private final Path partial;

    OutputFile(final Path target)
    {
        this.target = target;
        this.partial = target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".partial");
    }

    /** Where to write. */
    Path partial()
    {
        return partial;
    }

    /** The write is complete: the file takes the target's name (replacing what was there). */
    void publish() throws IOException
    {
        try
        {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException e)
        {
            discard();
            throw e;
        }
    }

    /** The write failed: the partial file goes; the error reported is the write's. */
    void discard()
    {
        try
        {
            Files.deleteIfExists(partial);
        }
        catch (final IOException ignored)
        {
            // the error already reported is the one that matters
        }
    }
}
