package io.nlstream.monitor.forward;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The last event the broker acknowledged, as {@code (seq, sub)}, kept crash-safely beside the journal: written
 * to a temporary file, forced to disk, renamed over the old one. Held under a lock so that two forwarders
 * never share one.
 */
public final class Checkpoint implements AutoCloseable
{
    /** Nothing acknowledged yet. */
    public static final long NONE = Long.MIN_VALUE;

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private long seq = NONE;
    private int sub;

    private Checkpoint(final Path file, final FileChannel lockChannel, final FileLock lock)
    {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    public static Checkpoint open(final Path file)
    {
        final Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try
        {
            final FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final FileLock lock = channel.tryLock();
            if (lock == null)
            {
                channel.close();
                throw new IllegalStateException("checkpoint " + file + " is in use by another forwarder (lock " + lockFile + ")");
            }
            final Checkpoint c = new Checkpoint(file, channel, lock);
            c.load();
            return c;
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot open checkpoint " + file + ": " + e, e);
        }
    }

    private void load() throws IOException
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        catch (final NoSuchFileException e)
        {
            return;
        }
        final String[] parts = text.split("\\s+");
        try
        {
            seq = Long.parseLong(parts[0]);
            sub = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        }
        catch (final NumberFormatException | ArrayIndexOutOfBoundsException e)
        {
            throw new IllegalStateException("checkpoint " + file + " is unreadable ('" + text + "'); move it away to forward the"
                + " whole journal again");
        }
    }

    /**
     * Where the forwarder of a checkpoint file resumes, read without its lock (retention asks while the forwarder
     * runs; the file is replaced whole by a rename): the last acknowledged seq, {@link #NONE} when there is no file.
     *
     * @throws IllegalStateException when the file cannot be read or parsed
     */
    public static long peek(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        catch (final NoSuchFileException e)
        {
            return NONE;
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot read checkpoint " + file + ": " + e, e);
        }
        try
        {
            return Long.parseLong(text.split("\\s+")[0]);
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalStateException("checkpoint " + file + " is unreadable ('" + text + "')");
        }
    }

    public long seq()
    {
        return seq;
    }

    public int sub()
    {
        return sub;
    }

    /** Records a new position and writes it durably. */
    public void save(final long newSeq, final int newSub) throws IOException
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            ch.write(ByteBuffer.wrap((newSeq + " " + newSub + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        try
        {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException e)
        {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        seq = newSeq;
        sub = newSub;
    }

    public Path file()
    {
        return file;
    }

    @Override
    public void close()
    {
        try
        {
            lock.release();
            lockChannel.close();
        }
        catch (final IOException ignored)
        {
            // closing releases the lock anyway
        }
    }
}
