package io.nlstream.monitor.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The NETNS_CONTAINER annotation ({@link AnnotationRecord#writeNetnsContainer}): written and read back, byte for
 * byte as its layout says, and a table of damaged records, each read as "damaged" (null), never as an identity
 * nor an exception.
 */
class NetnsContainerRecordTest
{
    private static final long INODE = 4026532500L;
    private static final String ID = "3f4b9e1c2d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c";
    private static final String UID = "7b5e2b0e-4b7c-4b5a-9d4f-1c2d3e4f5a6b";

    @Test
    void roundTrips()
    {
        for (final ContainerIdentity identity : new ContainerIdentity[] {
            new ContainerIdentity(ID, UID, "containerd"),
            new ContainerIdentity(ID, null, "docker"),
            new ContainerIdentity(ID, null, null),
            new ContainerIdentity(null, "e6f1e2a5c3b4d5e6f7a8b9c0d1e2f3a4", null),
            ContainerIdentity.NONE})
        {
            final ByteBuffer b = buffer(AnnotationRecord.NETNS_CONTAINER_MAX);
            final int length = AnnotationRecord.writeNetnsContainer(b, INODE, identity);
            assertEquals(AnnotationRecord.TYPE_NETNS_CONTAINER, AnnotationRecord.type(b, 0, length));
            assertEquals(INODE, b.getLong(AnnotationRecord.INODE_OFFSET));
            assertEquals(identity, AnnotationRecord.netnsContainer(b, 0, length), identity.toString());
            // read where a journal entry has it: at an offset, in a larger buffer
            final ByteBuffer entry = buffer(length + 100);
            entry.put(37, b, 0, length);
            assertEquals(identity, AnnotationRecord.netnsContainer(entry, 37, length), identity.toString());
        }
    }

    @Test
    void theLayoutIsAsDocumented()
    {
        final ByteBuffer b = buffer(AnnotationRecord.NETNS_CONTAINER_MAX);
        final int length = AnnotationRecord.writeNetnsContainer(b, INODE, new ContainerIdentity(ID, UID, "cri-o"));
        final byte[] expected = concat(
            bytes(
                0x05, 0x00,             // type: NETNS_CONTAINER (5)
                0x01,                   // version 1
                0x00,                   // reserved
                64,                     // container_id: 64 bytes
                36,                     // pod_uid: 36 bytes
                5,                      // container_runtime: 5 bytes
                0x00,                   // reserved
                0x94, 0x02, 0x00, 0xf0, 0x00, 0x00, 0x00, 0x00), // netns inode 4026532500 (0xf0000294), little-endian
            ascii(ID + UID + "cri-o"));
        assertEquals(expected.length, length);
        final byte[] written = new byte[length];
        b.get(0, written);
        assertArrayEquals(expected, written);
        assertEquals(148, AnnotationRecord.NETNS_CONTAINER_MAX, "16 + 64 + 36 + 32");
    }

    /** A record of a later version: the same fields first, more after them; read as version 1. */
    @Test
    void aLaterVersionIsReadForTheFieldsOfVersion1()
    {
        final ByteBuffer b = buffer(200);
        final int length = AnnotationRecord.writeNetnsContainer(b, INODE, new ContainerIdentity(ID, UID, "containerd"));
        b.put(AnnotationRecord.CONTAINER_VERSION_OFFSET, (byte)2);
        b.put(length, ascii("more"));
        assertEquals(new ContainerIdentity(ID, UID, "containerd"), AnnotationRecord.netnsContainer(b, 0, length + 4));
    }

    /** A damaged record, as bytes: read as null. */
    record Damaged(String what, byte[] record)
    {
        @Override
        public String toString()
        {
            return what;
        }
    }

    static Stream<Damaged> damaged()
    {
        final byte[] header = bytes(
            0x05, 0x00,                                      // type 5
            0x01, 0x00,                                      // version 1, reserved
            64, 0, 0, 0x00,                                  // a container_id of 64 bytes, nothing else
            0x94, 0x02, 0x00, 0xf0, 0x00, 0x00, 0x00, 0x00); // inode
        return Stream.of(
            new Damaged("empty", new byte[0]),
            new Damaged("the type alone", bytes(0x05, 0x00)),
            new Damaged("header cut short (15 bytes)", Arrays.copyOf(header, 15)),
            new Damaged("header without its id", header),
            new Damaged("id cut short (63 of 64)", concat(header, ascii(ID.substring(1)))),
            new Damaged("version 0", concat(with(header, 2, 0), ascii(ID))),
            new Damaged("id of 63 bytes", concat(with(header, 4, 63), ascii(ID.substring(1)))),
            new Damaged("id with upper-case hex", concat(header, ascii(ID.toUpperCase()))),
            new Damaged("id with a byte outside ASCII", concat(header, with(ascii(ID), 10, 0xe9))),
            new Damaged("pod_uid of 36 bytes, not a uid", concat(with(with(header, 4, 0), 5, 36), ascii("7b5e2b0e_4b7c_4b5a_9d4f_1c2d3e4f5a6b"))),
            new Damaged("lengths past the record (255 each)", concat(with(with(with(header, 4, 255), 5, 255), 6, 255), ascii(ID))),
            new Damaged("runtime alone", concat(with(with(header, 4, 0), 6, 6), ascii("docker"))),
            new Damaged("runtime with a space", concat(with(header, 6, 6), ascii(ID + "dock r"))),
            new Damaged("runtime in upper case", concat(with(header, 6, 6), ascii(ID + "Docker"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damaged")
    void aDamagedRecordReadsAsNull(final Damaged d)
    {
        final ByteBuffer b = buffer(d.record().length + 300);
        b.put(0, d.record());
        assertNull(AnnotationRecord.netnsContainer(b, 0, d.record().length), d.what());
    }

    @Test
    void aWriterRefusesWhatIsNotOfItsSyntax()
    {
        assertThrows(IllegalArgumentException.class, () -> new ContainerIdentity("abc", null, null));
        assertThrows(IllegalArgumentException.class, () -> new ContainerIdentity(null, "not-a-uid", null));
        assertThrows(IllegalArgumentException.class, () -> new ContainerIdentity(ID, null, "a".repeat(33)));
        assertThrows(IllegalArgumentException.class, () -> new ContainerIdentity(null, null, "docker"));
    }

    private static ByteBuffer buffer(final int capacity)
    {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] bytes(final int... values)
    {
        final byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            b[i] = (byte)values[i];
        }
        return b;
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] with(final byte[] b, final int at, final int value)
    {
        final byte[] copy = b.clone();
        copy[at] = (byte)value;
        return copy;
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
