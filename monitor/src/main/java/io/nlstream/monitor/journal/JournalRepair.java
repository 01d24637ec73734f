package io.nlstream.monitor.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.zip.CRC32C;

/**
 * Makes a damaged cycle file readable again, keeping what it held: its readable entries are written, at the
 * same numbers, into a fresh file of the same cycle, each entry the damage took is marked by an entry of origin
 * {@link CaptureHeader#ORIGIN_LOST} (so every later entry keeps its index, its {@code seq}), and the damaged file
 * is kept beside as {@code NAME.damaged-MILLIS} for forensics. Readers then read it all and report the marks.
 *
 * <p>Runs under the journal's lock only: by {@code run} before it writes (a writer must never append behind
 * damage, where no reader reaches) and by {@code nlstream repair}.
 */
public final class JournalRepair
{
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(JournalRepair.class.getName());

    /** Chronicle Queue grows a cycle file in whole blocks of 64 MiB beyond a first 16 MiB overlap. */
    private static final long CYCLE_OVERLAP = 16L << 20;
    private static final long CYCLE_BLOCK = 64L << 20;

    private JournalRepair()
    {
    }

    /** Whether a cycle file's size alone says it was cut short (a copy that stopped, a full disk, {@code truncate}). */
    static boolean cutShort(final long size)
    {
        return size > 0 && (size < CYCLE_OVERLAP + CYCLE_BLOCK || (size - CYCLE_OVERLAP) % CYCLE_BLOCK != 0);
    }

    /** The size a file cut short at {@code size} had at least: the next whole number of Chronicle Queue's blocks. */
    static long uncutSize(final long size)
    {
        return size <= CYCLE_OVERLAP + CYCLE_BLOCK ? CYCLE_OVERLAP + CYCLE_BLOCK
            : CYCLE_OVERLAP + (size - CYCLE_OVERLAP + CYCLE_BLOCK - 1) / CYCLE_BLOCK * CYCLE_BLOCK;
    }

    /**
     * Checks the cycle files a writer depends on and repairs the damaged ones: every file cut short, and the newest
     * (the one the writer appends to, where a crash or a copy leaves its damage), read through. With {@code all},
     * every file is read through (the repair command).
     *
     * @return one line per file repaired, saying what was wrong and where the damaged bytes are kept
     */
    public static List<String> repair(final Path dir, final String preferredRollCycle, final boolean all)
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*.cq4"))
        {
            list.forEach(files::add);
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot list journal " + dir + " to check it for damage: " + e, e);
        }
        files.sort(null);
        final List<String> done = new ArrayList<>();
        for (int i = 0; i < files.size(); i++)
        {
            final Path file = files.get(i);
            try
            {
                final long size = Files.size(file);
                if (size == 0 || !(all || i == files.size() - 1 || cutShort(size)))
                {
                    continue;
                }
            }
            catch (final IOException e)
            {
                throw new JournalException("cannot check journal file " + file + " for damage: " + e, e);
            }
            repairInto(done, file, preferredRollCycle, i < files.size() - 1, null);
        }
        // then what Chronicle Queue itself cannot open (a damaged header), now that no file is cut short: for the
        // repair command, or once something was set aside (the metadata then names a file that is gone). A writer
        // needs only its newest file, which Chronicle opens as it starts (or fails, naming the repair)
        final java.util.Map<String, String> unopenable = all || !done.isEmpty() ? unopenable(dir) : java.util.Map.of();
        for (int i = 0; i < files.size(); i++)
        {
            final Path file = files.get(i);
            final String chronicle = unopenable.get(file.getFileName().toString());
            if (chronicle != null && Files.exists(file))
            {
                repairInto(done, file, preferredRollCycle, i < files.size() - 1, chronicle);
            }
        }
        return done;
    }

    /** Repairs {@code file} if it is damaged, logging and adding to {@code done} what was done. */
    private static void repairInto(final List<String> done, final Path file, final String preferredRollCycle, final boolean laterCycles,
        final String chronicle)
    {
        try
        {
            final String line = repairFile(file, preferredRollCycle, laterCycles, chronicle);
            if (line != null)
            {
                LOG.warning(line);
                done.add(line);
            }
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot repair journal file " + file + ": " + e, e);
        }
    }

    /** Repairs one file if it is damaged; returns what was done, or null when it was sound. */
    static String repairFile(final Path file, final String preferredRollCycle, final boolean laterCycles, final String chronicle)
        throws IOException
    {
        final int spacing = indexSpacing(file);
        final CycleFileScan scan = CycleFileScan.scan(file, spacing, null);
        if (!scan.damaged() && chronicle == null)
        {
            final long size = scan.size();
            if (!cutShort(size))
            {
                return null;
            }
            // cut after its data (nothing lost): what was cut was zeros; Chronicle's size back makes it readable and writable
            final long whole = uncutSize(size);
            try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw"))
            {
                f.setLength(whole);
            }
            return "journal file " + file + " was cut short after its data (at " + size + " bytes; its " + scan.entries()
                + " entries are whole): its size is restored to " + whole + " bytes";
        }
        final String name = file.getFileName().toString();
        final RollCycles rollCycle = rollCycleOf(name.substring(0, name.length() - ".cq4".length()), preferredRollCycle);
        if (rollCycle == null)
        {
            throw new JournalException("journal file " + file + " is damaged (" + scan.damage() + ") and its name fits no roll cycle;"
                + " it cannot be rewritten: move it out of the journal to read the rest");
        }
        final long millis = System.currentTimeMillis();
        final Path work = file.resolveSibling(".repair-" + millis);
        final Path aside = file.resolveSibling(name + ".damaged-" + millis);
        final long[] counts = new long[2];
        try
        {
            final long cycleStart;
            try
            {
                cycleStart = cycleStartMillis(name.substring(0, name.length() - ".cq4".length()), rollCycle);
            }
            catch (final ParseException e)
            {
                throw new IllegalStateException(e);
            }
            final SetTimeProvider clock = new SetTimeProvider(Instant.ofEpochMilli(cycleStart));
            try (ChronicleQueue queue = SingleChronicleQueueBuilder.binary(work).rollCycle(rollCycle).timeProvider(clock).build();
                 ExcerptAppender appender = queue.createAppender())
            {
                final Rewriter rewriter = new Rewriter(appender, aside.getFileName().toString(), cycleStart * 1_000_000L);
                CycleFileScan.scan(file, spacing, rewriter::accept);
                counts[0] = rewriter.copied;
                counts[1] = rewriter.marked;
                if (laterCycles)
                {
                    // a file followed by later ones must end with Chronicle's end-of-file mark, or readers stop in it:
                    // one entry in the next cycle (a file of the work directory, deleted below) makes the appender write it
                    clock.currentTimeMillis(cycleStart + rollCycle.lengthInMillis());
                    rewriter.writeLost();
                }
            }
            final Path rewritten = work.resolve(name);
            Files.move(file, aside);
            if (Files.exists(rewritten))
            {
                Files.move(rewritten, file);
            }
            // else nothing of it was readable (its header gone): the file is only kept aside, and the next file's
            // link names the hole
        }
        finally
        {
            deleteTree(work);
        }
        final String kept = counts[0] + counts[1] == 0 ? "nothing in it was readable"
            : "its " + counts[0] + " readable entries were rewritten in place at their positions"
                + (counts[1] > 0 ? ", " + counts[1] + " lost ones marked as lost" : "");
        final List<String> what = damageLines(scan);
        if (chronicle != null)
        {
            what.add(0, "Chronicle Queue cannot open it: " + chronicle);
        }
        return "journal file " + file + " was damaged (" + String.join("; ", what) + "): " + kept
            + "; the damaged file is kept as " + aside.getFileName();
    }

    /**
     * The files Chronicle Queue cannot open (a damaged header), as a reader would find them; files cut short or empty
     * are left out of the probe (mapping them would crash it): the scan finds those.
     */
    private static java.util.Map<String, String> unopenable(final Path dir)
    {
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*.cq4"))
        {
            for (final Path f : list)
            {
                final long size = Files.size(f);
                if (size == 0 || cutShort(size))
                {
                    return java.util.Map.of(); // the probe must not map it; a second repair finds the rest
                }
            }
        }
        catch (final IOException e)
        {
            return java.util.Map.of();
        }
        // writable (the caller holds the journal's lock): its listing of the files is refreshed into the metadata, which
        // still names files set aside above, and which a read-only queue would trust
        try (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build())
        {
            queue.refreshDirectoryListing();
            return Journal.unopenableFiles(queue);
        }
        catch (final Exception e) // Chronicle throws checked ones unchecked
        {
            return java.util.Map.of();
        }
    }

    private static List<String> damageLines(final CycleFileScan scan)
    {
        final List<String> lines = new ArrayList<>();
        for (final CycleFileScan.Damage d : scan.damage())
        {
            lines.add(d.toString());
        }
        return lines;
    }

    /** Copies each readable entry and marks each number between them that the damage took. */
    private static final class Rewriter
    {
        private final ExcerptAppender appender;
        private final byte[] note;
        private final Bytes<?> out = Bytes.allocateElasticOnHeap(64 * 1024);
        private final ByteBuffer lost;
        private final CRC32C crc = new CRC32C();
        private long expected;
        private long lastWallNanos;
        long copied;
        long marked;

        Rewriter(final ExcerptAppender appender, final String asideName, final long cycleStartNanos)
        {
            this.appender = appender;
            this.note = asideName.getBytes(StandardCharsets.UTF_8);
            this.lost = ByteBuffer.allocate(CaptureHeader.LENGTH + note.length).order(ByteOrder.LITTLE_ENDIAN);
            this.lastWallNanos = cycleStartNanos;
        }

        void accept(final long number, final ByteBuffer bytes, final int offset, final int length)
        {
            while (expected < number)
            {
                writeLost();
                expected++;
            }
            if (length >= CaptureHeader.LENGTH_V1)
            {
                lastWallNanos = Math.max(lastWallNanos, bytes.getLong(offset + CaptureHeader.WALL_NANOS_OFFSET));
            }
            out.clear();
            for (int i = 0; i < length; i++)
            {
                out.writeByte(bytes.get(offset + i));
            }
            appender.writeBytes(out);
            copied++;
            expected = number + 1;
        }

        /** An entry of origin LOST: the time of the entry before it, the damaged file's name as payload. */
        void writeLost()
        {
            final ByteBuffer b = lost;
            b.clear();
            b.put(CaptureHeader.VERSION_OFFSET, (byte)CaptureHeader.VERSION);
            b.put(CaptureHeader.ORIGIN_OFFSET, (byte)CaptureHeader.ORIGIN_LOST);
            b.putLong(CaptureHeader.WALL_NANOS_OFFSET, lastWallNanos);
            b.putInt(CaptureHeader.NSID_OFFSET, -1);
            b.putInt(CaptureHeader.PAYLOAD_LENGTH_OFFSET, note.length);
            b.position(CaptureHeader.LENGTH);
            b.put(note);
            crc.reset();
            crc.update(b.array(), 0, CaptureHeader.LENGTH_V1);
            crc.update(b.array(), CaptureHeader.LENGTH, note.length);
            b.putInt(CaptureHeader.CRC_OFFSET, (int)crc.getValue());
            out.clear();
            out.write(b.array(), 0, CaptureHeader.LENGTH + note.length);
            appender.writeBytes(out);
            marked++;
        }
    }

    /** The index spacing the file's header names (its {@code indexSpacing} field), else Chronicle's default. */
    static int indexSpacing(final Path file) throws IOException
    {
        final byte[] head = new byte[512];
        int n;
        try (java.io.InputStream in = Files.newInputStream(file))
        {
            n = in.readNBytes(head, 0, head.length);
        }
        final byte[] key = "indexSpacing".getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + key.length + 5 <= n; i++)
        {
            for (int k = 0; k < key.length; k++)
            {
                if (head[i + k] != key[k])
                {
                    continue outer;
                }
            }
            final int at = i + key.length;
            final int type = head[at] & 0xff;
            // binary wire: 0xa5 int16, 0xa6 int32, or a small int stored in the byte itself (below 0x80)
            if (type == 0xa5)
            {
                return (head[at + 1] & 0xff) | (head[at + 2] & 0xff) << 8;
            }
            if (type == 0xa6)
            {
                return (head[at + 1] & 0xff) | (head[at + 2] & 0xff) << 8 | (head[at + 3] & 0xff) << 16 | (head[at + 4] & 0xff) << 24;
            }
            if (type < 0x80 && type > 0)
            {
                return type;
            }
        }
        return RollCycles.FAST_HOURLY.defaultIndexSpacing();
    }

    /** The roll cycle whose file names look like {@code stem} (the preferred one first), or null. */
    static RollCycles rollCycleOf(final String stem, final String preferred)
    {
        final List<RollCycles> candidates = new ArrayList<>();
        try
        {
            candidates.add(RollCycles.valueOf(preferred));
        }
        catch (final IllegalArgumentException | NullPointerException ignored)
        {
            // not one; try them all
        }
        candidates.addAll(List.of(RollCycles.values()));
        for (final RollCycles rc : candidates)
        {
            try
            {
                final long start = cycleStartMillis(stem, rc);
                if (start % rc.lengthInMillis() == 0 && format(rc).format(new java.util.Date(start)).equals(stem))
                {
                    return rc;
                }
            }
            catch (final ParseException ignored)
            {
                // not this one
            }
        }
        return null;
    }

    private static long cycleStartMillis(final String stem, final RollCycles rc) throws ParseException
    {
        final java.text.ParsePosition at = new java.text.ParsePosition(0);
        final java.util.Date date = format(rc).parse(stem, at);
        if (date == null || at.getIndex() != stem.length())
        {
            throw new ParseException(stem, at.getErrorIndex());
        }
        return date.getTime();
    }

    private static SimpleDateFormat format(final RollCycles rc)
    {
        final SimpleDateFormat f = new SimpleDateFormat(rc.format());
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        f.setLenient(false);
        return f;
    }

    private static void deleteTree(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(root))
        {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException e)
        {
            LOG.warning("could not remove " + root + ": " + e);
        }
    }
}
