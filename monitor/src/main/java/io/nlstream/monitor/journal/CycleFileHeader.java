package io.nlstream.monitor.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A cycle file's header as Chronicle Queue (binary wire) writes it, checked field by field before Chronicle is let
 * near the file. Chronicle trusts the positions in it: a damaged write position or index position sends its reader
 * to map a "block" billions of blocks into the file (an {@code OutOfMemoryError} as its list of blocks grows), a
 * damaged nested length or field name makes it read other fields as if they were these. So the header must be
 * exactly what the writer writes, every value in range:
 * <pre>
 *   "header": !SCQStore {                       0xb9 6 header, 0xb6 8 SCQStore, 0x82 length32
 *     writePosition: [position, sequence]       long array, capacity 2, used 2 (8-aligned)
 *     indexing: !SCQSIndexing {                 0xb6 12 SCQSIndexing, 0x82 length32
 *       indexCount: int, indexSpacing: int      powers of two
 *       index2Index: long, lastIndex: long      0xa7, 8-aligned (values the writer updates in place)
 *     }
 *     dataFormat: 1
 *   }
 * </pre>
 * Field names are 0xc0 + length and the name; padding before an aligned value is 0x8f (one byte) or 0x8e, a
 * 32-bit count and that many bytes. Integers: 0x00-0x7f the value itself, 0xa1-0xa3 unsigned 8/16/32 bits,
 * 0xa4-0xa7 signed 8/16/32/64 bits, little-endian.
 */
final class CycleFileHeader
{
    static final int NOT_COMPLETE = 0x80000000;
    static final int META_DATA = 0x40000000;
    static final int LENGTH_MASK = 0x3FFFFFFF;
    static final int MIN_LENGTH = 32;
    static final int MAX_LENGTH = 4096;
    private static final int BYTES_LENGTH32 = 0x82;
    private static final int I64_ARRAY = 0x8d;
    private static final int PADDING32 = 0x8e;
    private static final int PADDING = 0x8f;
    private static final int INT64 = 0xa7;
    private static final int TYPE_PREFIX = 0xb6;
    private static final int EVENT_NAME = 0xb9;
    private static final int FIELD_NAME0 = 0xc0;
    private static final int FIELD_NAME31 = 0xdf;
    /** The largest indexCount and indexSpacing of any of Chronicle Queue's roll cycles is far below this. */
    private static final long MAX_INDEX_COUNT = 1 << 24;

    /** The position of the last excerpt written (0: none yet). */
    final long writePosition;
    /** indexCount: the capacity of each index array and of the index2index. */
    final int indexCount;
    /** indexSpacing: every how many entries one is indexed. */
    final int indexSpacing;
    /** The position of the index2index excerpt, 0 before the first entry. */
    final long index2Index;
    /** The number of the next entry to be indexed. */
    final long lastIndex;
    /** Where the excerpt after the header starts. */
    final long end;

    private CycleFileHeader(final long writePosition, final int indexCount, final int indexSpacing, final long index2Index, final long lastIndex,
        final long end)
    {
        this.writePosition = writePosition;
        this.indexCount = indexCount;
        this.indexSpacing = indexSpacing;
        this.index2Index = index2Index;
        this.lastIndex = lastIndex;
        this.end = end;
    }

    /** A header that is not what Chronicle Queue writes, with what is wrong and at which byte of the file. */
    static final class Damaged extends Exception
    {
        private static final long serialVersionUID = 1L;

        Damaged(final String what, final int at)
        {
            super(what + " at byte " + at, null, false, false);
        }
    }

    /**
     * Parses the header at the start of a cycle file: {@code head} holds the file's first {@code n} bytes (at least
     * the header excerpt; {@code 4 + MAX_LENGTH} always suffice) and {@code size} is the file's size, read after
     * them (positions the writer wrote before are inside it).
     *
     * @throws Damaged saying what is wrong and where
     */
    static CycleFileHeader parse(final byte[] head, final int n, final long size) throws Damaged
    {
        if (n < 4)
        {
            throw new Damaged("no file header (the file is " + n + " bytes)", 0);
        }
        final ByteBuffer b = ByteBuffer.wrap(head, 0, n).order(ByteOrder.LITTLE_ENDIAN);
        final int word = b.getInt(0);
        final int length = word & LENGTH_MASK;
        if ((word & (NOT_COMPLETE | META_DATA)) != META_DATA || length > MAX_LENGTH || length < MIN_LENGTH)
        {
            throw new Damaged("no Chronicle Queue file header (header word " + Integer.toHexString(word) + ")", 0);
        }
        if (4 + length > n)
        {
            throw new Damaged("the file header runs past the file's end (" + length + " bytes)", 0);
        }
        final Cursor c = new Cursor(b, 4, 4 + length);
        c.expect(EVENT_NAME, "the header's name");
        c.expectName("header");
        final int storeEnd = c.typed("SCQStore");
        if (storeEnd != 4 + length)
        {
            throw new Damaged("the header's length (" + (storeEnd - c.at) + ") disagrees with its excerpt's", c.at - 4);
        }
        c.field("writePosition");
        c.padding();
        final int arrayAt = c.at;
        c.expect(I64_ARRAY, "writePosition's long array");
        c.aligned("writePosition's long array");
        final long capacity = c.longValue();
        final long used = c.longValue();
        if (capacity != 2 || used != 2)
        {
            throw new Damaged("writePosition is not an array of two longs (capacity " + capacity + ", used " + used + ")", arrayAt);
        }
        final int positionAt = c.at;
        final long writePosition = c.longValue();
        c.longValue(); // the sequence, encoded with the position: Chronicle checks it against the position itself
        c.field("indexing");
        final int indexingEnd = c.typed("SCQSIndexing");
        c.field("indexCount");
        final int countAt = c.at;
        final long indexCount = c.intValue();
        c.field("indexSpacing");
        final int spacingAt = c.at;
        final long indexSpacing = c.intValue();
        c.field("index2Index");
        final int index2IndexAt = c.alignedLong("index2Index");
        final long index2Index = b.getLong(index2IndexAt);
        c.field("lastIndex");
        final int lastIndexAt = c.alignedLong("lastIndex");
        final long lastIndex = b.getLong(lastIndexAt);
        if (c.at != indexingEnd)
        {
            throw new Damaged("indexing's length disagrees with its fields (" + (indexingEnd - c.at) + " bytes left)", c.at);
        }
        c.limit = storeEnd;
        c.field("dataFormat");
        final int formatAt = c.at;
        final long dataFormat = c.intValue();
        if (c.at != storeEnd)
        {
            throw new Damaged("the header's length disagrees with its fields (" + (storeEnd - c.at) + " bytes left)", c.at);
        }
        final long end = (4L + length + 3) & ~3L;
        if (writePosition != 0 && (writePosition < end || writePosition > size - 4 || (writePosition & 3) != 0))
        {
            throw new Damaged("writePosition " + writePosition + " is not an excerpt's place in a file of " + size + " bytes", positionAt);
        }
        if (indexCount < 1 || indexCount > MAX_INDEX_COUNT || Long.bitCount(indexCount) != 1)
        {
            throw new Damaged("indexCount " + indexCount + " is not a power of two up to " + MAX_INDEX_COUNT, countAt);
        }
        if (indexSpacing < 1 || indexSpacing > MAX_INDEX_COUNT || Long.bitCount(indexSpacing) != 1)
        {
            throw new Damaged("indexSpacing " + indexSpacing + " is not a power of two up to " + MAX_INDEX_COUNT, spacingAt);
        }
        if (index2Index != 0 && index2Index != end)
        {
            // Chronicle writes the index2index right after the header, when the first entry is written
            throw new Damaged("index2Index " + index2Index + " is not the excerpt after the header (" + end + ")", index2IndexAt);
        }
        if (lastIndex < 0 || lastIndex > size)
        {
            throw new Damaged("lastIndex " + lastIndex + " is more entries than a file of " + size + " bytes holds", lastIndexAt);
        }
        if (dataFormat != 1)
        {
            throw new Damaged("dataFormat " + dataFormat + " is not the 1 Chronicle Queue writes", formatAt);
        }
        return new CycleFileHeader(writePosition, (int)indexCount, (int)indexSpacing, index2Index, lastIndex, end);
    }

    /** Reads the header's binary wire, from {@code at}, never past {@code limit}. */
    private static final class Cursor
    {
        private final ByteBuffer b;
        private int at;
        private int limit;

        Cursor(final ByteBuffer b, final int at, final int limit)
        {
            this.b = b;
            this.at = at;
            this.limit = limit;
        }

        private void need(final int bytes, final String what) throws Damaged
        {
            if (bytes > limit - at)
            {
                throw new Damaged(what + " runs past the end of the header", at);
            }
        }

        private int u8(final String what) throws Damaged
        {
            need(1, what);
            return b.get(at++) & 0xff;
        }

        void expect(final int code, final String what) throws Damaged
        {
            final int at0 = at;
            final int got = u8(what);
            if (got != code)
            {
                throw new Damaged(what + " has code 0x" + Integer.toHexString(got) + ", not 0x" + Integer.toHexString(code), at0);
            }
        }

        /** A length byte and the name's bytes. */
        void expectName(final String name) throws Damaged
        {
            final int at0 = at;
            final int len = u8("a name");
            if (len != name.length())
            {
                throw new Damaged("a name of " + len + " bytes where \"" + name + "\" belongs", at0);
            }
            bytesOf(name, at0);
        }

        private void bytesOf(final String name, final int at0) throws Damaged
        {
            final byte[] want = name.getBytes(StandardCharsets.US_ASCII);
            need(want.length, "\"" + name + "\"");
            for (int i = 0; i < want.length; i++)
            {
                if (b.get(at + i) != want[i])
                {
                    throw new Damaged("a damaged name where \"" + name + "\" belongs", at0);
                }
            }
            at += want.length;
        }

        /** A field name (0xc0 + its length, then the name), after any padding. */
        void field(final String name) throws Damaged
        {
            padding();
            final int at0 = at;
            final int code = u8("field " + name);
            if (code < FIELD_NAME0 || code > FIELD_NAME31 || code - FIELD_NAME0 != name.length())
            {
                throw new Damaged("code 0x" + Integer.toHexString(code) + " where the field name \"" + name + "\" belongs", at0);
            }
            bytesOf(name, at0);
        }

        /** A typed marshallable: its type prefix and name, then a 32-bit length; returns where it ends. */
        int typed(final String type) throws Damaged
        {
            expect(TYPE_PREFIX, type + "'s type");
            expectName(type);
            expect(BYTES_LENGTH32, type + "'s length");
            need(4, type + "'s length");
            final int length = b.getInt(at);
            at += 4;
            if (length < 0 || length > limit - at)
            {
                throw new Damaged(type + "'s length " + length + " runs past the end of the header", at - 4);
            }
            final int end = at + length;
            limit = end; // its fields are read inside it; the caller checks where they end
            return end;
        }

        void padding() throws Damaged
        {
            while (at < limit)
            {
                final int code = b.get(at) & 0xff;
                if (code == PADDING)
                {
                    at++;
                }
                else if (code == PADDING32)
                {
                    need(5, "padding");
                    final int count = b.getInt(at + 1);
                    if (count < 0 || count > limit - at - 5)
                    {
                        throw new Damaged("padding of " + count + " bytes runs past the end of the header", at);
                    }
                    at += 5 + count;
                }
                else
                {
                    return;
                }
            }
        }

        void aligned(final String what) throws Damaged
        {
            if ((at & 7) != 0)
            {
                throw new Damaged(what + " is not 8-aligned", at);
            }
        }

        long longValue() throws Damaged
        {
            need(8, "a long");
            final long v = b.getLong(at);
            at += 8;
            return v;
        }

        /** An int64 value (0xa7) at an 8-aligned place, after any padding; returns where its 8 bytes are. */
        int alignedLong(final String what) throws Damaged
        {
            padding();
            expect(INT64, what);
            aligned(what);
            need(8, what);
            final int valueAt = at;
            at += 8;
            return valueAt;
        }

        /** An integer in any of binary wire's encodings. */
        long intValue() throws Damaged
        {
            padding();
            final int at0 = at;
            final int code = u8("an integer");
            if (code < 0x80)
            {
                return code;
            }
            final int width;
            switch (code)
            {
                case 0xa1:
                case 0xa4:
                    width = 1;
                    break;
                case 0xa2:
                case 0xa5:
                    width = 2;
                    break;
                case 0xa3:
                case 0xa6:
                    width = 4;
                    break;
                case 0xa7:
                    width = 8;
                    break;
                default:
                    throw new Damaged("code 0x" + Integer.toHexString(code) + " where an integer belongs", at0);
            }
            need(width, "an integer");
            final long v;
            switch (code)
            {
                case 0xa1:
                    v = b.get(at) & 0xffL;
                    break;
                case 0xa2:
                    v = b.getShort(at) & 0xffffL;
                    break;
                case 0xa3:
                    v = b.getInt(at) & 0xffffffffL;
                    break;
                case 0xa4:
                    v = b.get(at);
                    break;
                case 0xa5:
                    v = b.getShort(at);
                    break;
                case 0xa6:
                    v = b.getInt(at);
                    break;
                default:
                    v = b.getLong(at);
                    break;
            }
            at += width;
            return v;
        }
    }
}
