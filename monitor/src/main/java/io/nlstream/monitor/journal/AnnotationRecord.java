package io.nlstream.monitor.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Payload of an annotation entry: something observed at capture time that the kernel's message does not
 * carry.
 *
 * <pre>
 * type SOCKET_OWNER (the process holding a socket, from /proc/PID/fd):
 *  0  u16 type (1)
 *  2  u16 reserved
 *  4  u32 pid (0: no process found)
 *  8  u64 socket inode
 * 16  u8[16] comm, NUL padded (TASK_COMM_LEN)
 *
 * type CAPTURE_COUNTERS (a capture socket's counters since it started, written every few seconds and at
 * shutdown; header protocol = the socket's):
 *  0  u16 type (2)
 *  2  u16 reserved
 *  4  u32 number of counters that follow (9)
 *  8  u64[] datagrams, messages, malformed, truncated, foreign, overruns, dumps, dumps interrupted, appends
 *
 * type NETNS_NAME: see {@link #writeNetnsName}.
 *
 * type CYCLE_LINK (written by each writer after its first entry in a cycle file, naming the file before it, so a
 * reader that crosses from one file to the next knows whether a file or the end of one is missing):
 *  0  u16 type (4)
 *  2  u16 reserved
 *  4  i32 this cycle
 *  8  i32 the cycle of the file before it
 * 12  u32 reserved
 * 16  u64 entries in the file before it
 *
 * type NETNS_CONTAINER: see {@link #writeNetnsContainer}.
 * </pre>
 *
 * <p>Readers dispatch on the type and skip types they do not know, so a type can be added without a reader of
 * an older build noticing more than the entry.
 */
public final class AnnotationRecord
{
    public static final int TYPE_OFFSET = 0;
    public static final int PID_OFFSET = 4;
    public static final int INODE_OFFSET = 8;
    public static final int COMM_OFFSET = 16;
    public static final int COMM_LENGTH = 16;
    public static final int SOCKET_OWNER_LENGTH = 32;

    public static final int TYPE_SOCKET_OWNER = 1;
    public static final int TYPE_CAPTURE_COUNTERS = 2;
    public static final int TYPE_NETNS_NAME = 3;
    public static final int TYPE_CYCLE_LINK = 4;
    public static final int TYPE_NETNS_CONTAINER = 5;
    /**
     * A watched namespace ended (no process, no mount holds it any more): the capture of the entry's protocol
     * closed its socket there, and readers end that source's objects of the namespace.
     */
    public static final int TYPE_NETNS_GONE = 6;
    public static final int NETNS_GONE_LENGTH = 16;

    public static final int LINK_CYCLE_OFFSET = 4;
    public static final int LINK_PREVIOUS_CYCLE_OFFSET = 8;
    public static final int LINK_PREVIOUS_ENTRIES_OFFSET = 16;
    public static final int CYCLE_LINK_LENGTH = 24;

    public static final int NETNS_NAME_LENGTH_OFFSET = 2;
    public static final int NETNS_NAME_OFFSET = 16;
    public static final int NETNS_NAME_MAX = 255;

    public static final int CONTAINER_VERSION = 1;
    public static final int CONTAINER_VERSION_OFFSET = 2;
    public static final int CONTAINER_ID_LENGTH_OFFSET = 4;
    public static final int CONTAINER_POD_UID_LENGTH_OFFSET = 5;
    public static final int CONTAINER_RUNTIME_LENGTH_OFFSET = 6;
    public static final int CONTAINER_FIELDS_OFFSET = 16;
    /** The longest NETNS_CONTAINER record of version 1: a 64-digit id, a 36-character pod UID, a 32-character runtime. */
    public static final int NETNS_CONTAINER_MAX = CONTAINER_FIELDS_OFFSET + ContainerIdentity.CONTAINER_ID_LENGTH + 36
        + ContainerIdentity.RUNTIME_MAX;

    public static final int COUNTERS_COUNT_OFFSET = 4;
    public static final int COUNTERS_OFFSET = 8;
    public static final String[] COUNTER_NAMES = {
        "datagrams", "messages", "malformed", "truncated", "foreign", "overruns", "dumps", "dumps_interrupted", "appends"};
    public static final int CAPTURE_COUNTERS_LENGTH = COUNTERS_OFFSET + 8 * COUNTER_NAMES.length;

    private AnnotationRecord()
    {
    }

    /** Writes a SOCKET_OWNER record at offset 0; returns its length. */
    public static int writeSocketOwner(final ByteBuffer buffer, final long inode, final int pid, final String comm)
    {
        for (int i = 0; i < SOCKET_OWNER_LENGTH; i++)
        {
            buffer.put(i, (byte)0);
        }
        buffer.putShort(TYPE_OFFSET, (short)TYPE_SOCKET_OWNER);
        buffer.putInt(PID_OFFSET, pid);
        buffer.putLong(INODE_OFFSET, inode);
        final byte[] bytes = comm == null ? new byte[0] : comm.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < Math.min(bytes.length, COMM_LENGTH - 1); i++)
        {
            buffer.put(COMM_OFFSET + i, bytes[i]);
        }
        return SOCKET_OWNER_LENGTH;
    }

    /** Writes a CYCLE_LINK record at offset 0; returns its length. */
    public static int writeCycleLink(final ByteBuffer buffer, final int cycle, final int previousCycle, final long previousEntries)
    {
        buffer.putShort(TYPE_OFFSET, (short)TYPE_CYCLE_LINK);
        buffer.putShort(TYPE_OFFSET + 2, (short)0);
        buffer.putInt(LINK_CYCLE_OFFSET, cycle);
        buffer.putInt(LINK_PREVIOUS_CYCLE_OFFSET, previousCycle);
        buffer.putInt(LINK_PREVIOUS_CYCLE_OFFSET + 4, 0);
        buffer.putLong(LINK_PREVIOUS_ENTRIES_OFFSET, previousEntries);
        return CYCLE_LINK_LENGTH;
    }

    public static int type(final ByteBuffer buffer, final int offset, final int length)
    {
        return length >= 2 ? buffer.getShort(offset + TYPE_OFFSET) & 0xFFFF : -1;
    }

    public static String comm(final ByteBuffer buffer, final int offset)
    {
        int n = 0;
        while (n < COMM_LENGTH && buffer.get(offset + COMM_OFFSET + n) != 0)
        {
            n++;
        }
        final byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++)
        {
            bytes[i] = buffer.get(offset + COMM_OFFSET + i);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Writes a NETNS_NAME record at offset 0; returns its length.
     *
     * @throws IllegalArgumentException for an empty name or one longer than {@value #NETNS_NAME_MAX} bytes
     */
    public static int writeNetnsName(final ByteBuffer buffer, final long inode, final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > NETNS_NAME_MAX)
        {
            throw new IllegalArgumentException("namespace name of " + bytes.length + " bytes: 1 to " + NETNS_NAME_MAX);
        }
        buffer.putShort(TYPE_OFFSET, (short)TYPE_NETNS_NAME);
        buffer.putShort(NETNS_NAME_LENGTH_OFFSET, (short)bytes.length);
        buffer.putInt(4, 0);
        buffer.putLong(INODE_OFFSET, inode);
        for (int i = 0; i < bytes.length; i++)
        {
            buffer.put(NETNS_NAME_OFFSET + i, bytes[i]);
        }
        return NETNS_NAME_OFFSET + bytes.length;
    }

    /** Writes a NETNS_GONE record (type, 0, 0, the namespace's inode at {@link #INODE_OFFSET}) at offset 0; returns its length. */
    public static int writeNetnsGone(final ByteBuffer buffer, final long inode)
    {
        buffer.putShort(TYPE_OFFSET, (short)TYPE_NETNS_GONE);
        buffer.putShort(TYPE_OFFSET + 2, (short)0);
        buffer.putInt(4, 0);
        buffer.putLong(INODE_OFFSET, inode);
        return NETNS_GONE_LENGTH;
    }

    /** The namespace a NETNS_GONE record of {@code length} bytes names, or 0 when the record is damaged. */
    public static long netnsGone(final ByteBuffer buffer, final int offset, final int length)
    {
        return length == NETNS_GONE_LENGTH && buffer.getShort(offset + TYPE_OFFSET + 2) == 0 && buffer.getInt(offset + 4) == 0
            ? buffer.getLong(offset + INODE_OFFSET) : 0;
    }

    /** The name of a NETNS_NAME record of {@code length} bytes, or null when the record is damaged. */
    public static String netnsName(final ByteBuffer buffer, final int offset, final int length)
    {
        if (length < NETNS_NAME_OFFSET)
        {
            return null;
        }
        final int n = buffer.getShort(offset + NETNS_NAME_LENGTH_OFFSET) & 0xFFFF;
        if (n == 0 || n > NETNS_NAME_MAX || NETNS_NAME_OFFSET + n > length)
        {
            return null;
        }
        final byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++)
        {
            bytes[i] = buffer.get(offset + NETNS_NAME_OFFSET + i);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Writes a NETNS_CONTAINER record at offset 0 (the container namespace {@code inode} belongs to, found by
     * capture when it starts watching the namespace); returns its length. An empty identity is written too: it
     * says the namespace has no container, so a reader forgets what an earlier namespace of the same inode had.
     *
     * <pre>
     *  0  u16 type (5)
     *  2  u8  version (1; a later version only appends, so a reader reads these fields from any version &gt;= 1)
     *  3  u8  reserved (0)
     *  4  u8  length of container_id (0 or 64)
     *  5  u8  length of pod_uid (0, 32 or 36)
     *  6  u8  length of container_runtime (0 to 32)
     *  7  u8  reserved (0)
     *  8  u64 netns inode
     * 16  container_id, pod_uid, container_runtime: ASCII, back to back, no terminator
     * </pre>
     */
    public static int writeNetnsContainer(final ByteBuffer buffer, final long inode, final ContainerIdentity identity)
    {
        final byte[] id = ascii(identity.containerId());
        final byte[] pod = ascii(identity.podUid());
        final byte[] runtime = ascii(identity.runtime());
        buffer.putShort(TYPE_OFFSET, (short)TYPE_NETNS_CONTAINER);
        buffer.put(CONTAINER_VERSION_OFFSET, (byte)CONTAINER_VERSION);
        buffer.put(CONTAINER_VERSION_OFFSET + 1, (byte)0);
        buffer.put(CONTAINER_ID_LENGTH_OFFSET, (byte)id.length);
        buffer.put(CONTAINER_POD_UID_LENGTH_OFFSET, (byte)pod.length);
        buffer.put(CONTAINER_RUNTIME_LENGTH_OFFSET, (byte)runtime.length);
        buffer.put(CONTAINER_RUNTIME_LENGTH_OFFSET + 1, (byte)0);
        buffer.putLong(INODE_OFFSET, inode);
        int at = CONTAINER_FIELDS_OFFSET;
        for (final byte[] field : new byte[][] {id, pod, runtime})
        {
            buffer.put(at, field);
            at += field.length;
        }
        return at;
    }

    /**
     * The identity of a NETNS_CONTAINER record of {@code length} bytes ({@link ContainerIdentity#NONE} for one
     * that says "no container"), or null when the record is damaged: shorter than its header or its fields, of
     * version 0, or with a field that is not of its syntax.
     */
    public static ContainerIdentity netnsContainer(final ByteBuffer buffer, final int offset, final int length)
    {
        if (length < CONTAINER_FIELDS_OFFSET || (buffer.get(offset + CONTAINER_VERSION_OFFSET) & 0xFF) < 1)
        {
            return null;
        }
        final int idLength = buffer.get(offset + CONTAINER_ID_LENGTH_OFFSET) & 0xFF;
        final int podLength = buffer.get(offset + CONTAINER_POD_UID_LENGTH_OFFSET) & 0xFF;
        final int runtimeLength = buffer.get(offset + CONTAINER_RUNTIME_LENGTH_OFFSET) & 0xFF;
        if (CONTAINER_FIELDS_OFFSET + idLength + podLength + runtimeLength > length)
        {
            return null;
        }
        final int at = offset + CONTAINER_FIELDS_OFFSET;
        try
        {
            return new ContainerIdentity(
                string(buffer, at, idLength),
                string(buffer, at + idLength, podLength),
                string(buffer, at + idLength + podLength, runtimeLength));
        }
        catch (final IllegalArgumentException e)
        {
            return null;
        }
    }

    private static byte[] ascii(final String s)
    {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code n} bytes as ISO-8859-1 (each byte one char, so a byte outside ASCII fails the syntax check), null for 0. */
    private static String string(final ByteBuffer buffer, final int at, final int n)
    {
        if (n == 0)
        {
            return null;
        }
        final byte[] bytes = new byte[n];
        buffer.get(at, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
