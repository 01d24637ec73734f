package io.nlstream.monitor.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one Chronicle Queue cycle file ({@code *.cq4}) the way a salvager must: with positional reads, never a
 * memory mapping (a mapped read past the end of a file cut short is a SIGBUS the JVM raises later, somewhere
 * else), trusting no length it has not checked against the file's size.
 *
 * <p>The file is a run of excerpts, each a 4-byte little-endian header and its bytes, the next at the following
 * multiple of 4:
 * <pre>
 *   bit 31  not complete (a writer is in it, or died in it)
 *   bit 30  metadata (the file's header, the index), else one journal entry
 *   29..0   length of what follows
 *   0x00000000          nothing written yet: the end of the data
 *   0xC0000000          end of file: the writer moved on to the next cycle
 * </pre>
 * The first excerpt is the file's header, the second the "index2index": a long array of the positions of the
 * index arrays, each a long array holding the position of every {@code indexSpacing}-th entry. The walk reads
 * the entries in order, numbering them from 0 as Chronicle does (an entry's index in the journal is its cycle and
 * that number), and uses the index to step over what cannot be read: from a run of zeros, a torn write or a
 * length that makes no sense to the next indexed entry after it, so the number of every entry read is exact and
 * what was skipped is counted.
 */
public final class CycleFileScan
{
    static final int NOT_COMPLETE = 0x80000000;
    static final int META_DATA = 0x40000000;
    static final int LENGTH_MASK = 0x3FFFFFFF;
    static final int END_OF_DATA = NOT_COMPLETE | META_DATA;
    /** No excerpt of ours comes near this; a longer length is a damaged header. */
    private static final int MAX_ENTRY = 16 << 20;
    /** Binary wire's marker before a long array (then capacity, used, values; all 8 bytes, 8-aligned). */
    private static final int LONG_ARRAY = 0x8d;
    private static final int WINDOW = 1 << 20;
    private static final byte[] ZEROS = new byte[WINDOW];
    private static final long ZEROS_LOOKAHEAD = 16L << 20;
    private static final int MIN_FILE_HEADER = CycleFileHeader.MIN_LENGTH;
    private static final int MAX_FILE_HEADER = CycleFileHeader.MAX_LENGTH;
    /** An index array's excerpt is 32 KiB at Chronicle's largest index count; far longer is a damaged header. */
    private static final int MAX_ARRAY_EXCERPT = 8 << 20;

    /** One stretch of the file that could not be read. */
    public static final class Damage
    {
        /** Byte offset where reading failed. */
        public final long from;
        /** Byte offset where reading went on, or the file's size when it did not. */
        public final long to;
        /** Number of the first entry not read. */
        public final long firstEntry;
        /** Entries known lost (from the index), or -1 when the rest of the file is unknown. */
        public final long lost;
        public final String what;

        Damage(final long from, final long to, final long firstEntry, final long lost, final String what)
        {
            this.from = from;
            this.to = to;
            this.firstEntry = firstEntry;
            this.lost = lost;
            this.what = what;
        }

        @Override
        public String toString()
        {
            return what + " at byte " + from + (to > from ? " (bytes " + from + ".." + to + " unread)" : "")
                + (lost > 0 ? ", entries " + firstEntry + ".." + (firstEntry + lost - 1) + " of the cycle lost"
                    : lost < 0 ? ", the cycle's entries from " + firstEntry + " on lost" : "");
        }
    }

    /** Receives each entry read: its number in the cycle and its bytes (valid only during the call). */
    public interface EntryConsumer
    {
        void accept(long number, ByteBuffer bytes, int offset, int length) throws IOException;
    }

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart = -1;
    private int windowLength;
    /** Positions of indexed entries, ascending, and their numbers. */
    private long[] indexedPositions = new long[0];
    private long[] indexedNumbers = new long[0];
    private final List<Damage> damage = new ArrayList<>();
    private long entries;
    private long nextNumber;
    private long end;
    private boolean endOfFile;

    private CycleFileScan(final Path file, final FileChannel channel) throws IOException
    {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
    }

    /**
     * Walks {@code file}, handing each entry to {@code consumer} (null: only count), and returns what it found.
     *
     * @throws IOException when the file cannot be read at all
     */
    public static CycleFileScan scan(final Path file, final int indexSpacing, final EntryConsumer consumer) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final CycleFileScan scan = new CycleFileScan(file, channel);
            scan.walk(indexSpacing, consumer);
            return scan;
        }
    }

    /** Entries read. */
    public long entries()
    {
        return entries;
    }

    /** The number the next entry would have: one past the last read (or lost in a stretch the index spans). */
    public long nextNumber()
    {
        return nextNumber;
    }

    /** Where the readable data ends. */
    public long end()
    {
        return end;
    }

    public long size()
    {
        return size;
    }

    /** Whether the file ends with the writer's end-of-file mark (it moved on to a later cycle). */
    public boolean endOfFile()
    {
        return endOfFile;
    }

    public List<Damage> damage()
    {
        return damage;
    }

    public boolean damaged()
    {
        return !damage.isEmpty();
    }

    public Path file()
    {
        return file;
    }

    private void walk(final int indexSpacing, final EntryConsumer consumer) throws IOException
    {
        if (size < 8)
        {
            damage.add(new Damage(0, size, 0, -1, size == 0 ? "empty file" : "file of " + size + " bytes has no header"));
            return;
        }
        final int first = header(0);
        if ((first & (NOT_COMPLETE | META_DATA)) != META_DATA || (first & LENGTH_MASK) > MAX_FILE_HEADER
            || (first & LENGTH_MASK) < MIN_FILE_HEADER)
        {
            damage.add(new Damage(0, size, 0, -1, "no Chronicle Queue file header (header word " + Integer.toHexString(first) + ")"));
            return;
        }
        final ByteBuffer head = bytes(0, 4 + (first & LENGTH_MASK));
        final byte[] headBytes = new byte[4 + (first & LENGTH_MASK)];
        head.get(head.position(), headBytes, 0, Math.min(headBytes.length, head.remaining()));
        try
        {
            CycleFileHeader.parse(headBytes, Math.min(headBytes.length, head.remaining()), size);
        }
        catch (final CycleFileHeader.Damaged e)
        {
            // the entries may be sound: a rewrite gives the file a new header
            damage.add(new Damage(0, 4 + (first & LENGTH_MASK), 0, 0, "the file's header is damaged (" + e.getMessage() + ")"));
        }
        long pos = next(0, first & LENGTH_MASK);
        readIndex(pos, indexSpacing);
        long number = 0;
        while (true)
        {
            if (pos + 4 > size)
            {
                end = pos;
                damage.add(new Damage(pos, size, number, -1, "file cut short (" + size + " bytes)"));
                break;
            }
            final int h = header(pos);
            if (h == END_OF_DATA)
            {
                end = pos;
                endOfFile = true;
                break;
            }
            final int length = h & LENGTH_MASK;
            final String problem = h == 0 ? "no entry (zeros)"
                : (h & NOT_COMPLETE) != 0 ? "an entry never completed (header " + Integer.toHexString(h) + ")"
                : length > MAX_ENTRY ? "an entry header of impossible length " + length
                : pos + 4 + length > size ? "an entry of " + length + " bytes past the end of the file, cut short (" + size + " bytes)"
                : (h & META_DATA) == 0 ? entryProblem(pos, length, number) : null;
            if (problem != null)
            {
                final int resume = indexedAfter(pos, number);
                if (resume < 0)
                {
                    end = pos;
                    if (h != 0 || pos + 4 > size)
                    {
                        damage.add(new Damage(pos, size, number, -1, problem));
                    }
                    else if (!zerosToEnd(pos))
                    {
                        damage.add(new Damage(pos, size, number, -1, problem + " followed by data no index entry leads to"));
                    }
                    break;
                }
                final long to = indexedPositions[resume];
                final long resumeNumber = indexedNumbers[resume];
                // the sound entries between the damage and the indexed one: a chain of them that ends exactly there
                final List<long[]> chain = chain(pos + 4, to);
                final long kept = chain.size();
                damage.add(new Damage(pos, chain.isEmpty() ? to : chain.get(0)[0] - 4, number, resumeNumber - kept - number, problem));
                for (int c = 0; c < chain.size(); c++)
                {
                    if (consumer != null)
                    {
                        final ByteBuffer bytes = bytes(chain.get(c)[0], (int)chain.get(c)[1]);
                        consumer.accept(resumeNumber - kept + c, bytes, bytes.position(), (int)chain.get(c)[1]);
                    }
                    entries++;
                }
                pos = to;
                number = resumeNumber;
                continue;
            }
            if ((h & META_DATA) == 0)
            {
                if (consumer != null)
                {
                    final ByteBuffer bytes = bytes(pos + 4, length);
                    consumer.accept(number, bytes, bytes.position(), length);
                }
                entries++;
                number++;
            }
            pos = next(pos, length);
        }
        nextNumber = number;
    }

    /**
     * What would send Chronicle Queue astray opening a cycle file, or null: its header, field by field
     * ({@link CycleFileHeader}), and the positions its index holds, each inside the file (Chronicle follows them
     * without a check: far past the end, its list of mapped blocks grows until the heap is gone). For readers, before
     * Chronicle opens the file: one read of the header, one of the index2index and one of each index array (32 KiB
     * each at 4,096 positions; a file of 4 M entries has four). The walk ({@link #scan}) finds all of it and more, so
     * a repair rewrites whatever this refuses.
     *
     * @param cut the file is cut short: its header is checked against the size it had (its readable part is read up
     *            to the cut, and its index is not followed)
     */
    public static String openingProblem(final Path file, final boolean cut) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer head = ByteBuffer.allocate(4 + MAX_FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, head, 0);
            final int n = head.position();
            if (n < 8)
            {
                return null; // an empty file is its own case
            }
            // sizes read after what they bound: the file only grows, and the writer writes a position after making room for it
            final long size = channel.size();
            final CycleFileHeader header;
            try
            {
                header = CycleFileHeader.parse(head.array(), n, cut ? JournalRepair.uncutSize(size) : size);
            }
            catch (final CycleFileHeader.Damaged e)
            {
                return "has a damaged file header (" + e.getMessage() + ")";
            }
            if (cut || header.index2Index == 0)
            {
                return null;
            }
            final long[] arrays = readLongArray(channel, header.index2Index, "index2index");
            if (arrays == null)
            {
                return "has a damaged index (no index2index at byte " + header.index2Index + ")";
            }
            long highest = 0;
            for (int a = 1; a < arrays.length; a++)
            {
                final long at = arrays[a];
                if (at == 0)
                {
                    continue;
                }
                final long[] positions = at < header.end || (at & 3) != 0 ? null : readLongArray(channel, at, "index");
                if (positions == null)
                {
                    return "has a damaged index (index array " + (a - 1) + " at byte " + at + " is not one)";
                }
                for (int i = 1; i < positions.length; i++)
                {
                    final long p = positions[i];
                    if (p != 0 && (p < header.end || (p & 3) != 0))
                    {
                        return "has a damaged index (position " + p + " in index array " + (a - 1) + " is no excerpt's)";
                    }
                    highest = Math.max(highest, p);
                }
            }
            final long sizeAfter = channel.size();
            if (highest + 4 > sizeAfter)
            {
                return "has a damaged index (position " + highest + " is past the end of the file, " + sizeAfter + " bytes)";
            }
            return null;
        }
    }

    private static void readFully(final FileChannel channel, final ByteBuffer target, final long pos) throws IOException
    {
        while (target.hasRemaining())
        {
            if (channel.read(target, pos + target.position()) < 0)
            {
                return;
            }
        }
    }

    /**
     * The long array in the metadata excerpt at {@code pos} named {@code name}, read with exact reads: its capacity,
     * then its used values; null when there is none there.
     */
    private static long[] readLongArray(final FileChannel channel, final long pos, final String name) throws IOException
    {
        final ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, word, pos);
        if (word.hasRemaining())
        {
            return null;
        }
        final int h = word.getInt(0);
        final int length = h & LENGTH_MASK;
        if ((h & (NOT_COMPLETE | META_DATA)) != META_DATA || length < 32 || length > MAX_ARRAY_EXCERPT)
        {
            return null;
        }
        final ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, b, pos + 4);
        return b.hasRemaining() ? null : longArray(b, length, pos + 4, name);
    }

    /**
     * The sound entries after damage: from the first position at or after {@code from} where a chain of excerpts, each
     * data one framed as a capture entry (and its CRC32C right, for version 2), leads exactly to {@code to} (the next
     * indexed entry), their payloads' positions and lengths in order; empty when none does.
     */
    private List<long[]> chain(final long from, final long to) throws IOException
    {
        for (long q = (from + 3) & ~3L; q + 4 <= to; q += 4)
        {
            final List<long[]> c = chainFrom(q, to);
            if (c != null)
            {
                return c;
            }
        }
        return List.of();
    }

    private List<long[]> chainFrom(final long q, final long to) throws IOException
    {
        final List<long[]> found = new ArrayList<>();
        long p = q;
        while (p < to)
        {
            final int h = header(p);
            final int length = h & LENGTH_MASK;
            if (h == 0 || (h & NOT_COMPLETE) != 0 || length > MAX_ENTRY || p + 4 + length > to)
            {
                return null;
            }
            if ((h & META_DATA) == 0)
            {
                if (!captureFramed(p, length) || !checksumRight(p, length))
                {
                    return null;
                }
                found.add(new long[] {p + 4, length});
            }
            p = next(p, length);
        }
        return p == to && !found.isEmpty() ? found : null;
    }

    /** For a version-2 capture entry at {@code pos}, whether its CRC32C is right (version 1 has none: true). */
    private boolean checksumRight(final long pos, final int length) throws IOException
    {
        final ByteBuffer b = bytes(pos + 4, length);
        final int at = b.position();
        if ((b.get(at + CaptureHeader.VERSION_OFFSET) & 0xff) != CaptureHeader.VERSION)
        {
            return true;
        }
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.array(), at, CaptureHeader.LENGTH_V1);
        crc.update(b.array(), at + CaptureHeader.LENGTH, length - CaptureHeader.LENGTH);
        return (int)crc.getValue() == b.getInt(at + CaptureHeader.CRC_OFFSET);
    }

    /**
     * For readers past damage inside a file: the payloads of the sound entries chained from {@code from} (where the
     * damage begins) to {@code to} (the header of the next entry the index locates), in order; empty when none.
     */
    public static List<byte[]> soundEntriesBefore(final Path file, final long from, final long to) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final CycleFileScan scan = new CycleFileScan(file, channel);
            if (to > scan.size)
            {
                return List.of();
            }
            final List<byte[]> out = new ArrayList<>();
            for (final long[] e : scan.chain(from, to))
            {
                final ByteBuffer b = scan.bytes(e[0], (int)e[1]);
                final byte[] copy = new byte[(int)e[1]];
                b.get(b.position(), copy, 0, copy.length);
                out.add(copy);
            }
            return out;
        }
    }

    private static long next(final long pos, final int length)
    {
        return (pos + 4 + length + 3) & ~3L;
    }

    /**
     * A problem when the excerpt at {@code pos} is not framed as a capture entry (its header's version and payload
     * length against the excerpt's; a flipped bit in a length shows here, before the walk strays into the middle of
     * other entries) or when the index puts entry {@code number} elsewhere.
     */
    private String entryProblem(final long pos, final int length, final long number) throws IOException
    {
        if (!captureFramed(pos, length) && !followedByAnExcerpt(next(pos, length)))
        {
            // an entry that is not a capture entry, and no sound excerpt after it: its length cannot be trusted (an
            // entry that is only bad inside, with sound framing after it, is kept: readers report it themselves)
            return "an entry whose length leads nowhere (its capture header does not frame it, nor does an excerpt follow)";
        }
        return misindexed(pos, number);
    }

    /** Whether the excerpt at {@code pos} holds a capture header whose version and payload length fit its length. */
    private boolean captureFramed(final long pos, final int length) throws IOException
    {
        if (length < CaptureHeader.LENGTH_V1)
        {
            return false;
        }
        final ByteBuffer b = bytes(pos + 4, CaptureHeader.LENGTH_V1);
        final int at = b.position();
        final int header = CaptureHeader.length(b.get(at + CaptureHeader.VERSION_OFFSET) & 0xff);
        return header >= 0 && b.getInt(at + CaptureHeader.PAYLOAD_LENGTH_OFFSET) == length - header;
    }

    /** Whether the end of the data, an end-of-file mark or an excerpt that checks out begins at {@code pos}. */
    private boolean followedByAnExcerpt(final long pos) throws IOException
    {
        if (pos + 4 > size)
        {
            return false;
        }
        final int h = header(pos);
        final int length = h & LENGTH_MASK;
        if (h == 0 || h == END_OF_DATA)
        {
            return true;
        }
        if ((h & NOT_COMPLETE) != 0 || length > MAX_ENTRY || pos + 4 + length > size)
        {
            return false;
        }
        return (h & META_DATA) != 0 || captureFramed(pos, length);
    }

    /** A problem when the index puts entry {@code number} somewhere other than {@code pos} (a damaged length before). */
    private String misindexed(final long pos, final long number)
    {
        final int i = java.util.Arrays.binarySearch(indexedNumbers, number);
        if (i >= 0 && indexedPositions[i] != pos)
        {
            return "entries out of step with the index (entry " + number + " is at byte " + indexedPositions[i]
                + "): a damaged length before";
        }
        return null;
    }

    /** The first indexed entry past {@code pos} and numbered at least {@code number}, or -1. */
    private int indexedAfter(final long pos, final long number)
    {
        for (int i = 0; i < indexedPositions.length; i++)
        {
            if (indexedPositions[i] > pos && indexedNumbers[i] >= number)
            {
                return i;
            }
        }
        return -1;
    }

    private boolean zerosToEnd(final long from) throws IOException
    {
        // entries after zeros that no index entry leads to lie within the 256 before the next index entry: look as far
        // as they could reach, not to the end of a file that may be huge and sparse (Chronicle grows a damaged file
        // to the write position its header names)
        final long end = Math.min(size, from + ZEROS_LOOKAHEAD);
        for (long p = from; p < end; p += WINDOW)
        {
            final ByteBuffer b = bytes(p, (int)Math.min(WINDOW, end - p));
            final int n = b.limit() - b.position();
            if (java.util.Arrays.mismatch(b.array(), b.position(), b.limit(), ZEROS, 0, n) >= 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the index: the index2index excerpt at {@code pos} (when it is one) and each index array it names,
     * each checked for being a metadata excerpt holding a long array inside the file. What does not check out
     * is left out: the walk then resumes less often, never wrongly.
     */
    private void readIndex(final long pos, final int indexSpacing) throws IOException
    {
        final long[] arrays = longArray(pos, "index2index");
        if (arrays == null)
        {
            // every cycle file has its index2index second; Chronicle fails on one it cannot parse ("expecting index2index")
            damage.add(new Damage(pos, pos, 0, 0, "the file's index is damaged (no index2index where it belongs)"));
            return;
        }
        final List<long[]> found = new ArrayList<>();
        int total = 0;
        int unreadable = 0;
        for (int a = 0; a < arrays.length; a++)
        {
            final long[] positions = arrays[a] == 0 ? null : longArray(arrays[a], "index");
            found.add(positions);
            if (positions != null)
            {
                total += positions.length;
            }
            else if (arrays[a] != 0)
            {
                unreadable++;
            }
        }
        if (unreadable > 0)
        {
            // Chronicle follows the index2index there, and what it finds (or fails to) sends it astray
            damage.add(new Damage(pos, pos, 0, 0, "the file's index is damaged (" + unreadable + " of its index arrays not where the"
                + " index2index puts them)"));
        }
        final long[] ps = new long[total];
        final long[] ns = new long[total];
        int k = 0;
        for (int a = 0; a < found.size(); a++)
        {
            final long[] positions = found.get(a);
            if (positions == null)
            {
                continue;
            }
            for (int i = 0; i < positions.length; i++)
            {
                final long p = positions[i];
                ps[k] = p;
                ns[k] = ((long)a * capacity + i) * indexSpacing;
                k++;
            }
        }
        // positions rise with numbers in a sound index, and each names an entry's header; keep what checks out
        int kept = 0;
        for (int i = 0; i < k; i++)
        {
            if ((kept == 0 || ps[i] > ps[kept - 1] && ns[i] > ns[kept - 1]) && indexedHeaderSound(ps[i]))
            {
                ps[kept] = ps[i];
                ns[kept] = ns[i];
                kept++;
            }
        }
        if (kept < total)
        {
            // Chronicle trusts its index: a position outside the file, or on no entry, sends its reader there (a
            // SIGBUS past the end). Nothing is lost by it, but the file must be rewritten with a new index
            damage.add(new Damage(pos, pos, 0, 0, "the file's index is damaged (" + (total - kept) + " of " + total
                + " positions outside the file, out of order or on no entry)"));
        }
        indexedPositions = java.util.Arrays.copyOf(ps, kept);
        indexedNumbers = java.util.Arrays.copyOf(ns, kept);
    }

    /** Whether an index position lies in the file, aligned, on a complete entry header whose entry fits in the file. */
    private boolean indexedHeaderSound(final long p) throws IOException
    {
        if (p <= 0 || p + 4 > size || (p & 3) != 0)
        {
            return false;
        }
        final int h = header(p);
        final int length = h & LENGTH_MASK;
        return h != 0 && (h & (NOT_COMPLETE | META_DATA)) == 0 && length <= MAX_ENTRY && p + 4 + length <= size;
    }

    /** The capacity of the last long array read (entries per index array). */
    private long capacity;

    /** The used values of the long array in the metadata excerpt at {@code pos} named {@code name}, or null. */
    private long[] longArray(final long pos, final String name) throws IOException
    {
        if (pos <= 0 || pos + 4 > size || (pos & 3) != 0)
        {
            return null;
        }
        final int h = header(pos);
        final int length = h & LENGTH_MASK;
        if ((h & (NOT_COMPLETE | META_DATA)) != META_DATA || length < 32 || pos + 4 + length > size || length > MAX_ARRAY_EXCERPT)
        {
            return null;
        }
        final long[] found = longArray(bytes(pos + 4, length).slice().order(ByteOrder.LITTLE_ENDIAN), length, pos + 4, name);
        if (found == null)
        {
            return null;
        }
        capacity = found[0];
        return java.util.Arrays.copyOfRange(found, 1, found.length);
    }

    /**
     * The long array in an excerpt's bytes {@code b} (from 0, {@code length} of them, at {@code contentPos} in the
     * file) under field {@code name}: its capacity, then its used values; or null.
     */
    private static long[] longArray(final ByteBuffer b, final int length, final long contentPos, final String name)
    {
        // a field name: 0xb9 (or 0xc0 + length for short names), its length and its bytes
        final byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        final int nameAt = (b.get(0) & 0xff) == 0xb9 ? 2 : 1;
        if (nameAt + n.length > length)
        {
            return null;
        }
        for (int i = 0; i < n.length; i++)
        {
            if (b.get(nameAt + i) != n[i])
            {
                return null;
            }
        }
        // padding to the 8-aligned array: find its marker so that the capacity after it is 8-aligned in the file
        for (int i = nameAt + n.length; i < Math.min(length - 16, nameAt + n.length + 16); i++)
        {
            if ((b.get(i) & 0xff) == LONG_ARRAY && ((contentPos + i + 1) & 7) == 0)
            {
                final long cap = b.getLong(i + 1);
                final long used = b.getLong(i + 9);
                if (cap <= 0 || used < 0 || used > cap || i + 17 + used * 8 > length)
                {
                    return null;
                }
                final long[] values = new long[1 + (int)used];
                values[0] = cap;
                for (int v = 0; v < used; v++)
                {
                    values[1 + v] = b.getLong(i + 17 + v * 8);
                }
                return values;
            }
        }
        return null;
    }

    private int header(final long pos) throws IOException
    {
        return bytes(pos, 4).getInt();
    }

    /** {@code length} bytes at {@code pos}, from the window (refilled as needed); the buffer is positioned at them. */
    private ByteBuffer bytes(final long pos, final int length) throws IOException
    {
        if (windowStart < 0 || pos < windowStart || pos + length > windowStart + windowLength)
        {
            final ByteBuffer target = length > WINDOW ? ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN) : window;
            target.clear();
            final int want = (int)Math.min(target.capacity(), size - pos);
            target.limit(want);
            while (target.hasRemaining())
            {
                if (channel.read(target, pos + target.position()) < 0)
                {
                    break;
                }
            }
            if (target != window)
            {
                target.position(0).limit(length);
                return target;
            }
            windowStart = pos;
            windowLength = target.position();
        }
        window.limit(windowLength).position((int)(pos - windowStart));
        return window;
    }
}
