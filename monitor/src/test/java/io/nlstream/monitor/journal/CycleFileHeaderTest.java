package io.nlstream.monitor.journal;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The cycle file header's check, on the header of a real cycle file (written by Chronicle Queue through
 * {@link TestJournal}, 301 entries, FAST_HOURLY) and on every single-bit flip of every one of its bytes: a flip in
 * the structure (a code, a name, a length) is refused; a flip in a padding byte changes nothing; a flip in a value
 * either is refused naming that field or parses to exactly the flipped value, every position still inside the file.
 * (Before the check, a flip in the top bytes of writePosition, index2Index or a nested length made Chronicle's reader
 * run out of heap: JournalDamageJazzerTest's saved input crash-dea6514...)
 */
class CycleFileHeaderTest
{
    @TempDir
    static Path tmp;
    private static byte[] head;
    private static int length;
    private static long size;

    @BeforeAll
    static void writeAFile() throws IOException
    {
        final Path dir = tmp.resolve("j");
        try (TestJournal j = TestJournal.create(dir, "FAST_HOURLY", new net.openhft.chronicle.core.time.SetTimeProvider(1_795_000_000_000L)))
        {
            for (int i = 0; i < 301; i++)
            {
                j.event(TestJournal.NETNS_A, RtnlMessages.newLink(10, "veth0", 1500 + i));
            }
        }
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*.cq4"))
        {
            list.forEach(files::add);
        }
        final byte[] all = Files.readAllBytes(files.get(0));
        size = all.length;
        length = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getInt(0) & CycleFileHeader.LENGTH_MASK;
        head = Arrays.copyOf(all, 4 + length);
    }

    private static CycleFileHeader parse(final byte[] bytes) throws CycleFileHeader.Damaged
    {
        return CycleFileHeader.parse(bytes, bytes.length, size);
    }

    /** Where the bytes right after field name {@code name} (its length code and the name) begin. */
    private static int after(final String name)
    {
        return JournalDamageTest.after(head, name, 0);
    }

    @Test
    void aSoundHeaderParsesToWhatTheWriterWrote() throws CycleFileHeader.Damaged
    {
        final CycleFileHeader h = parse(head);
        final ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(4096, h.indexCount, "FAST_HOURLY's");
        assertEquals(256, h.indexSpacing, "FAST_HOURLY's");
        assertEquals((4 + length + 3) & ~3, h.end);
        assertEquals(h.end, h.index2Index, "the index2index follows the header");
        assertTrue(h.writePosition > h.end && h.writePosition < size, "the last of 301 entries: " + h.writePosition);
        assertEquals(b.getLong(after("writePosition") + 23), h.writePosition, "the first long of the array");
        assertEquals(512, h.lastIndex, "two index entries (0 and 256) written: the next to index is 512");
    }

    /** The bytes holding each value (and padding) in Chronicle Queue's layout of this header; every other byte is structure. */
    private enum Part
    {
        STRUCTURE, PADDING, WRITE_POSITION, SEQUENCE, INDEX_COUNT, INDEX_SPACING, INDEX2INDEX, LAST_INDEX, DATA_FORMAT
    }

    private static Part[] parts()
    {
        final Part[] parts = new Part[head.length];
        Arrays.fill(parts, Part.STRUCTURE);
        final int wp = after("writePosition"); // 8e, count 1, one padding byte, 8d, capacity, used, two longs
        assertEquals(0x8e, head[wp] & 0xff);
        parts[wp + 5] = Part.PADDING;
        Arrays.fill(parts, wp + 23, wp + 31, Part.WRITE_POSITION);
        Arrays.fill(parts, wp + 31, wp + 39, Part.SEQUENCE);
        final int count = after("indexCount"); // a5 and two bytes
        Arrays.fill(parts, count + 1, count + 3, Part.INDEX_COUNT);
        final int spacing = after("indexSpacing");
        Arrays.fill(parts, spacing + 1, spacing + 3, Part.INDEX_SPACING);
        final int i2i = after("index2Index"); // 8f, a7, eight bytes
        Arrays.fill(parts, i2i + 2, i2i + 10, Part.INDEX2INDEX);
        final int last = after("lastIndex"); // 8e, count 0, a7, eight bytes
        Arrays.fill(parts, last + 6, last + 14, Part.LAST_INDEX);
        final int format = after("dataFormat"); // a1, one byte
        parts[format + 1] = Part.DATA_FORMAT;
        return parts;
    }

    @Test
    void everySingleBitFlipIsRefusedOrReadExactly() throws CycleFileHeader.Damaged
    {
        final Part[] parts = parts();
        final CycleFileHeader sound = parse(head);
        int refused = 0;
        for (int at = 0; at < head.length; at++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                final byte[] flipped = head.clone();
                flipped[at] ^= (byte)(1 << bit);
                final ByteBuffer b = ByteBuffer.wrap(flipped).order(ByteOrder.LITTLE_ENDIAN);
                final String where = "byte " + at + " bit " + bit + " (" + parts[at] + ")";
                CycleFileHeader h = null;
                String damage = null;
                try
                {
                    h = parse(flipped);
                }
                catch (final CycleFileHeader.Damaged e)
                {
                    damage = e.getMessage();
                    refused++;
                }
                switch (parts[at])
                {
                    case STRUCTURE:
                        assertTrue(damage != null, "structure is refused: " + where);
                        break;
                    case PADDING:
                    case SEQUENCE:
                        assertTrue(damage == null && h.writePosition == sound.writePosition && h.lastIndex == sound.lastIndex, where);
                        break;
                    default:
                        final String field = switch (parts[at])
                        {
                            case WRITE_POSITION -> "writePosition";
                            case INDEX_COUNT -> "indexCount";
                            case INDEX_SPACING -> "indexSpacing";
                            case INDEX2INDEX -> "index2Index";
                            case LAST_INDEX -> "lastIndex";
                            default -> "dataFormat";
                        };
                        if (damage != null)
                        {
                            assertTrue(damage.startsWith(field + " "), where + ": " + damage);
                            break;
                        }
                        final int valueAt = Arrays.asList(parts).indexOf(parts[at]);
                        final long flippedValue = switch (parts[at])
                        {
                            case INDEX_COUNT, INDEX_SPACING -> b.getShort(valueAt);
                            case DATA_FORMAT -> b.get(valueAt) & 0xff;
                            default -> b.getLong(valueAt);
                        };
                        final long parsed = switch (parts[at])
                        {
                            case WRITE_POSITION -> h.writePosition;
                            case INDEX_COUNT -> h.indexCount;
                            case INDEX_SPACING -> h.indexSpacing;
                            case INDEX2INDEX -> h.index2Index;
                            case LAST_INDEX -> h.lastIndex;
                            default -> 1;
                        };
                        assertEquals(flippedValue, parsed, where);
                        assertTrue(h.writePosition < size && h.index2Index < size && h.lastIndex <= size, where);
                }
            }
        }
        assertTrue(refused > head.length * 6, refused + " of " + head.length * 8 + " flips refused");
    }

    @Test
    void damageIsNamedWithItsByte()
    {
        final byte[] nested = head.clone();
        nested[after("SCQSIndexing") + 1]++; // its 32-bit length, one more
        assertEquals("indexing's length disagrees with its fields (1 bytes left) at byte " + (after("dataFormat") - 11),
            assertThrows(CycleFileHeader.Damaged.class, () -> parse(nested)).getMessage());
        final byte[] far = head.clone();
        far[after("writePosition") + 30] = 1;
        assertEquals("writePosition " + (parseQuietly(head).writePosition + (1L << 56)) + " is not an excerpt's place in a file of " + size
            + " bytes at byte " + (after("writePosition") + 23), assertThrows(CycleFileHeader.Damaged.class, () -> parse(far)).getMessage());
        final byte[] name = head.clone();
        name[after("dataFormat") - 3] = 'X';
        assertEquals("a damaged name where \"dataFormat\" belongs at byte " + (after("dataFormat") - 11),
            assertThrows(CycleFileHeader.Damaged.class, () -> parse(name)).getMessage());
        assertEquals("the file header runs past the file's end (" + length + " bytes) at byte 0",
            assertThrows(CycleFileHeader.Damaged.class, () -> CycleFileHeader.parse(head, head.length - 1, size)).getMessage());
        final byte[] incomplete = head.clone();
        incomplete[3] |= (byte)0x80;
        assertTrue(assertThrows(CycleFileHeader.Damaged.class, () -> parse(incomplete)).getMessage().startsWith("no Chronicle Queue file header"));
    }

    private static CycleFileHeader parseQuietly(final byte[] bytes)
    {
        try
        {
            return parse(bytes);
        }
        catch (final CycleFileHeader.Damaged e)
        {
            return fail(e);
        }
    }
}
