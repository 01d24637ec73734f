package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.ContainerIdentity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A read pipeline's state at one journal position, saved beside the journal so that a query starts from the
 * nearest one instead of the journal's start. Derived data: checked (a CRC32C per section, the journal entry
 * it follows still there with the same capture time, this build's format and policy versions) and never
 * trusted over the journal: anything wrong and the reader rebuilds it from an earlier one, or from the start.
 *
 * <pre>
 * header, 72 bytes, little-endian:
 *  0  u64 magic "NLSTSNAP"
 *  8  u32 format version     12 u32 policy version (what the state policy keys and keeps)
 * 16  u64 index of the last entry applied (the file is named after it)
 * 24  u64 capture time of that entry (wall ns)
 * 32  u64 greatest capture time among the entries applied
 * 40  u64 entries applied since the journal's start
 * 48  u64 live objects
 * 56  u64 body length       64 u32 CRC32C of header bytes 0..63    68 u32 reserved
 * body: sections, each u32 tag, u64 length, payload, u32 CRC32C of tag, length and payload (a reader that
 *       skips a section, such as the flows for {@code --kind link}, seeks past it and checks the rest)
 *   TABLE       i64 netns | u8 kind (255 inodes, 254 endpoints, 253 flow owners) | u8 aux columns | u32 count |
 *               count x (u64 key, u64 value, u64 meta, aux columns x u64)
 *   COMMS       u32 count | count x (u16 length, UTF-8)
 *   DUMPS       u32 count | count x (i64 netns, u32 protocol, u32 group, u8 kind, u8 family, u8 proto, u8 unreadable, u64 begin index)
 *   SOCK_DUMPS  u32 count | count x (i64 netns, u32 group, u32 protocol)
 *   NETNS_NAMES u32 count | count x (i64 netns, u16 length, UTF-8)
 *   NETNS_CONTAINERS (policy 6)
 *               u32 count | count x (i64 netns, u8 container_id length, u8 pod_uid length, u8 container_runtime length,
 *               the three as ASCII, back to back); namespaces known to have no container are left out
 * </pre>
 */
final class Snapshot
{
    static final long MAGIC = 0x50414E5354534C4EL; // "NLSTSNAP" little-endian
    static final int FORMAT_VERSION = 2;
    /**
     * Raised whenever the state policy keys or keeps objects differently: older snapshots are then rebuilt. 7: the
     * content hashes of links, routes and sockets cover the fields issue 14 added (min_mtu, max_mtu, new_netnsid,
     * new_ifindex, nh_id, pref, shutdown), so a snapshot of 6 would call every such object changed once.
     */
    static final int POLICY_VERSION = 7;
    static final int HEADER_LENGTH = 72;
    static final String PREFIX = "state-";
    static final String SUFFIX = ".snap";

    static final int TAG_TABLE = 1;
    static final int TAG_COMMS = 2;
    static final int TAG_DUMPS = 3;
    static final int TAG_SOCK_DUMPS = 4;
    static final int TAG_NETNS_NAMES = 5;
    static final int TAG_NETNS_CONTAINERS = 6;

    static final int KIND_INODES = 255;
    static final int KIND_ENDPOINTS = 254;
    static final int KIND_FLOW_OWNERS = 253;

    /** What a snapshot's header says. */
    static final class Header
    {
        long lastIndex;
        long lastTs;
        long maxTs;
        long entries;
        long objects;
        long bodyLength;
        int crc;
        Path file;

        @Override
        public String toString()
        {
            return file + " (after index " + lastIndex + ", " + entries + " entries, " + objects + " objects)";
        }
    }

    private Snapshot()
    {
    }

    static String fileName(final long lastIndex)
    {
        return PREFIX + String.format("%016x", lastIndex) + SUFFIX;
    }

    /** The index a snapshot file's name says, or -1 for a name that is not a snapshot's. */
    static long indexOf(final String fileName)
    {
        if (!fileName.startsWith(PREFIX) || !fileName.endsWith(SUFFIX)
            || fileName.length() != PREFIX.length() + 16 + SUFFIX.length())
        {
            return -1;
        }
        try
        {
            return Long.parseUnsignedLong(fileName.substring(PREFIX.length(), PREFIX.length() + 16), 16);
        }
        catch (final NumberFormatException e)
        {
            return -1;
        }
    }

    // ---- writing ----------------------------------------------------------------------------------------

    /**
     * Writes the state to {@code file} (through a temporary file renamed over it, so readers never see half of
     * one).
     */
    static void write(final Path file, final Header h, final StatePolicy policy, final EventReader events) throws IOException
    {
        final Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-"
            + Thread.currentThread().getId() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            final Out out = new Out(ch);
            ch.position(HEADER_LENGTH);
            for (final long netns : policy.tables.namespaces())
            {
                for (final Kind kind : Kind.values())
                {
                    final ObjectTable t = policy.tables.find(netns, kind);
                    if (t != null && t.size() > 0)
                    {
                        table(out, netns, kind.ordinal(), t);
                    }
                }
            }
            table(out, 0, KIND_INODES, policy.inodes);
            table(out, 0, KIND_ENDPOINTS, policy.endpoints);
            table(out, 0, KIND_FLOW_OWNERS, policy.connOwners);
            comms(out, policy.comms);
            netnsNames(out, policy.netnsNames);
            containers(out, policy.containers);
            dumps(out, policy.dumps);
            sockDumps(out, events.sockDumpProtocols);
            out.endSection();
            out.flush();
            h.bodyLength = out.length;
            final ByteBuffer header = header(h);
            ch.write(header, 0);
        }
        catch (final IOException | RuntimeException e)
        {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static ByteBuffer header(final Header h)
    {
        final ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC).putInt(FORMAT_VERSION).putInt(POLICY_VERSION);
        b.putLong(h.lastIndex).putLong(h.lastTs).putLong(h.maxTs).putLong(h.entries).putLong(h.objects);
        b.putLong(h.bodyLength);
        final CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 64);
        b.putInt((int)crc.getValue()).putInt(0);
        return b.flip();
    }

    private static void table(final Out out, final long netns, final int kind, final ObjectTable t) throws IOException
    {
        final int aux = t.auxColumns();
        out.section(TAG_TABLE, 8 + 1 + 1 + 4 + (long)t.size() * 8 * (3 + aux));
        out.i64(netns).u8(kind).u8(aux).i32(t.size());
        for (int slot = 0; slot < t.capacity(); slot++)
        {
            if (t.occupied(slot))
            {
                out.i64(t.key(slot)).i64(t.value(slot)).i64(t.meta(slot));
                for (int c = 0; c < aux; c++)
                {
                    out.i64(t.aux(c, slot));
                }
            }
        }
    }

    private static void comms(final Out out, final Comms comms) throws IOException
    {
        long length = 4;
        final byte[][] names = new byte[comms.size()][];
        for (int i = 0; i < names.length; i++)
        {
            names[i] = comms.name(i).getBytes(StandardCharsets.UTF_8);
            length += 2 + names[i].length;
        }
        out.section(TAG_COMMS, length);
        out.i32(names.length);
        for (final byte[] n : names)
        {
            out.u16(n.length);
            out.bytes(n);
        }
    }

    private static void netnsNames(final Out out, final NetnsTable<String> names) throws IOException
    {
        final long[] inodes = new long[names.size()];
        final byte[][] bytes = new byte[names.size()][];
        final int[] n = {0};
        names.forEach((name, inode) ->
        {
            inodes[n[0]] = inode;
            bytes[n[0]++] = name.getBytes(StandardCharsets.UTF_8);
        });
        long length = 4;
        for (final byte[] b : bytes)
        {
            length += 8 + 2 + b.length;
        }
        out.section(TAG_NETNS_NAMES, length);
        out.i32(bytes.length);
        for (int i = 0; i < bytes.length; i++)
        {
            out.i64(inodes[i]);
            out.u16(bytes[i].length);
            out.bytes(bytes[i]);
        }
    }

    private static void containers(final Out out, final NetnsTable<ContainerIdentity> containers) throws IOException
    {
        final long[] inodes = new long[containers.size()];
        final byte[][][] fields = new byte[containers.size()][][];
        final int[] n = {0};
        containers.forEach((c, inode) ->
        {
            if (!c.isEmpty())
            {
                inodes[n[0]] = inode;
                fields[n[0]++] = new byte[][] {ascii(c.containerId()), ascii(c.podUid()), ascii(c.runtime())};
            }
        });
        long length = 4;
        for (int i = 0; i < n[0]; i++)
        {
            length += 8 + 3 + fields[i][0].length + fields[i][1].length + fields[i][2].length;
        }
        out.section(TAG_NETNS_CONTAINERS, length);
        out.i32(n[0]);
        for (int i = 0; i < n[0]; i++)
        {
            out.i64(inodes[i]);
            out.u8(fields[i][0].length).u8(fields[i][1].length).u8(fields[i][2].length);
            for (final byte[] f : fields[i])
            {
                out.bytes(f);
            }
        }
    }

    private static byte[] ascii(final String s)
    {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String ascii(final In in, final int length) throws IOException
    {
        if (length == 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        in.bytes(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static void dumps(final Out out, final Map<DumpKey, StatePolicy.DumpProgress> dumps) throws IOException
    {
        out.section(TAG_DUMPS, 4 + (long)dumps.size() * 28);
        out.i32(dumps.size());
        for (final Map.Entry<DumpKey, StatePolicy.DumpProgress> d : dumps.entrySet())
        {
            final DumpScope s = d.getValue().scope;
            out.i64(d.getKey().netns).i32(d.getKey().protocol).i32(d.getKey().group);
            out.u8(s.kind.ordinal()).u8(s.family).u8(s.proto).u8(d.getValue().unreadable ? 1 : 0);
            out.i64(d.getValue().beginSeq);
        }
    }

    private static void sockDumps(final Out out, final Map<DumpKey, Integer> protocols) throws IOException
    {
        out.section(TAG_SOCK_DUMPS, 4 + (long)protocols.size() * 16);
        out.i32(protocols.size());
        for (final Map.Entry<DumpKey, Integer> p : protocols.entrySet())
        {
            out.i64(p.getKey().netns).i32(p.getKey().group).i32(p.getValue());
        }
    }

    // ---- reading ----------------------------------------------------------------------------------------

    /** Reads a snapshot's header; null (with the reason in {@code why[0]}) when it is not a usable one. */
    static Header readHeader(final Path file, final String[] why)
    {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) > 0)
            {
                // fill
            }
            if (b.hasRemaining())
            {
                why[0] = "shorter than its header (" + b.position() + " bytes)";
                return null;
            }
            b.flip();
            if (b.getLong() != MAGIC)
            {
                why[0] = "not a snapshot (bad magic)";
                return null;
            }
            final int format = b.getInt();
            final int policy = b.getInt();
            if (format != FORMAT_VERSION || policy != POLICY_VERSION)
            {
                why[0] = "format " + format + " policy " + policy + ", this build writes format " + FORMAT_VERSION + " policy " + POLICY_VERSION;
                return null;
            }
            final Header h = new Header();
            h.file = file;
            h.lastIndex = b.getLong();
            h.lastTs = b.getLong();
            h.maxTs = b.getLong();
            h.entries = b.getLong();
            h.objects = b.getLong();
            h.bodyLength = b.getLong();
            h.crc = b.getInt();
            final CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, 64);
            if ((int)crc.getValue() != h.crc || b.getInt() != 0)
            {
                why[0] = "header checksum mismatch";
                return null;
            }
            if (h.bodyLength < 0 || h.bodyLength != ch.size() - HEADER_LENGTH)
            {
                why[0] = "body of " + (ch.size() - HEADER_LENGTH) + " bytes, header says " + h.bodyLength;
                return null;
            }
            return h;
        }
        catch (final IOException e)
        {
            why[0] = e.toString();
            return null;
        }
    }

    /**
     * Loads the body into an empty policy and event reader; tables of kinds not in {@code kinds} are skipped.
     *
     * @return null when loaded, else what is wrong with it (the policy is then unusable)
     */
    static String load(final Header h, final StatePolicy policy, final EventReader events, final java.util.Set<Kind> kinds)
    {
        return load(h, policy, events, kinds, Long.MIN_VALUE);
    }

    /**
     * As {@link #load(Header, StatePolicy, EventReader, java.util.Set)}, refusing a snapshot whose objects (of the kinds loaded)
     * point before {@code firstIndex}, the journal's first entry: their records were in files deleted since (retention
     * deletes the oldest files), and the state could not print them.
     */
    static String load(final Header h, final StatePolicy policy, final EventReader events, final java.util.Set<Kind> kinds,
        final long firstIndex)
    {
        try (FileChannel ch = FileChannel.open(h.file, StandardOpenOption.READ))
        {
            final In in = new In(ch, HEADER_LENGTH, h.bodyLength);
            final long[] aux = new long[8];
            while (in.remaining() > 0)
            {
                in.startSection();
                final long start = in.position();
                final int tag = in.i32();
                final long length = in.i64();
                if (length < 0 || length + 4 > in.remaining())
                {
                    return "section of " + length + " bytes past the end at " + start;
                }
                final long end = in.position() + length;
                switch (tag)
                {
                    case TAG_TABLE:
                    {
                        final long netns = in.i64();
                        final int kind = in.u8();
                        final int auxColumns = in.u8();
                        final int count = in.i32();
                        final long expected = 14 + (long)count * 8 * (3 + auxColumns);
                        if (count < 0 || auxColumns > aux.length || expected != length)
                        {
                            return "table of " + count + " records (" + auxColumns + " columns) in " + length + " bytes";
                        }
                        final ObjectTable t = table(policy, netns, kind, auxColumns, count, kinds);
                        if (t == null)
                        {
                            // not asked for: seek past it and its checksum, unread
                            in.skip(end - in.position() + 4);
                            continue;
                        }
                        // an object table's values are journal indexes (each object's latest record); the others' are not
                        final boolean records = kind < Kind.values().length;
                        for (int i = 0; i < count; i++)
                        {
                            final long key = in.i64();
                            final long value = in.i64();
                            final long meta = in.i64();
                            for (int c = 0; c < auxColumns; c++)
                            {
                                aux[c] = in.i64();
                            }
                            if (records && value < firstIndex)
                            {
                                return "a " + Kind.byOrdinal(kind).text() + " of it was last recorded at index " + value + ", before the"
                                    + " journal's first entry (" + firstIndex + "): its file was deleted since";
                            }
                            t.putRaw(key, value, meta, aux);
                        }
                        break;
                    }
                    case TAG_COMMS:
                    {
                        final int count = in.i32();
                        for (int i = 0; i < count; i++)
                        {
                            final byte[] name = new byte[in.u16()];
                            in.bytes(name);
                            if (policy.comms.id(new String(name, StandardCharsets.UTF_8)) != i)
                            {
                                return "command names out of order";
                            }
                        }
                        break;
                    }
                    case TAG_NETNS_NAMES:
                    {
                        final int count = in.i32();
                        for (int i = 0; i < count; i++)
                        {
                            final long inode = in.i64();
                            final byte[] name = new byte[in.u16()];
                            in.bytes(name);
                            policy.netnsNames.put(inode, new String(name, StandardCharsets.UTF_8));
                        }
                        break;
                    }
                    case TAG_NETNS_CONTAINERS:
                    {
                        final int count = in.i32();
                        for (int i = 0; i < count; i++)
                        {
                            final long inode = in.i64();
                            final int idLength = in.u8();
                            final int podLength = in.u8();
                            final int runtimeLength = in.u8();
                            final String id = ascii(in, idLength);
                            final String pod = ascii(in, podLength);
                            final String runtime = ascii(in, runtimeLength);
                            try
                            {
                                policy.containers.put(inode, new ContainerIdentity(id, pod, runtime));
                            }
                            catch (final IllegalArgumentException e)
                            {
                                return "the container of namespace " + inode + ": " + e.getMessage();
                            }
                        }
                        break;
                    }
                    case TAG_DUMPS:
                    {
                        final int count = in.i32();
                        for (int i = 0; i < count; i++)
                        {
                            final DumpKey key = new DumpKey().set(in.i64(), in.i32(), in.i32());
                            final int kind = in.u8();
                            final int family = in.u8();
                            final int proto = in.u8();
                            final boolean unreadable = in.u8() != 0;
                            final long begin = in.i64();
                            if (kind >= Kind.values().length)
                            {
                                return "a dump of kind " + kind;
                            }
                            final StatePolicy.DumpProgress progress = new StatePolicy.DumpProgress(
                                DumpScope.of(Kind.byOrdinal(kind), family, proto), begin);
                            progress.unreadable = unreadable;
                            policy.dumps.put(key, progress);
                        }
                        break;
                    }
                    case TAG_SOCK_DUMPS:
                    {
                        final int count = in.i32();
                        for (int i = 0; i < count; i++)
                        {
                            final long netns = in.i64();
                            final int group = in.i32();
                            final int protocol = in.i32();
                            events.sockDumpProtocols.put(new DumpKey().set(netns, io.nlstream.netlink.Netlink.NETLINK_SOCK_DIAG, group), protocol);
                        }
                        break;
                    }
                    default:
                        return "unknown section " + tag;
                }
                if (in.position() != end)
                {
                    return "section " + tag + " ends at " + in.position() + ", expected " + end;
                }
                final int computed = in.sectionCrc();
                final int stored = in.i32();
                if (computed != stored)
                {
                    return "checksum mismatch in the section at " + start + " (CRC32C " + Integer.toHexString(computed) + ", stored "
                        + Integer.toHexString(stored) + ")";
                }
            }
            return null;
        }
        catch (final IOException | RuntimeException e)
        {
            return e.toString();
        }
    }

    /**
     * Reads a snapshot through, checking every section's checksum, for the oldest journal index its objects point to
     * (their latest records): a snapshot is a base for the journal's files from that one on, and no earlier (retention
     * keeps it and deletes the files before). {@link Long#MAX_VALUE} for a state without objects.
     *
     * @return the index, or {@link Long#MIN_VALUE} with what is wrong in {@code why[0]}
     */
    static long oldestReference(final Header h, final String[] why)
    {
        try (FileChannel ch = FileChannel.open(h.file, StandardOpenOption.READ))
        {
            final In in = new In(ch, HEADER_LENGTH, h.bodyLength);
            long oldest = Long.MAX_VALUE;
            while (in.remaining() > 0)
            {
                in.startSection();
                final long start = in.position();
                final int tag = in.i32();
                final long length = in.i64();
                if (length < 0 || length + 4 > in.remaining())
                {
                    why[0] = "section of " + length + " bytes past the end at " + start;
                    return Long.MIN_VALUE;
                }
                final long end = in.position() + length;
                if (tag == TAG_TABLE && length >= 14)
                {
                    in.i64();
                    final int kind = in.u8();
                    final int auxColumns = in.u8();
                    final int count = in.i32();
                    if (count < 0 || 14 + (long)count * 8 * (3 + auxColumns) != length)
                    {
                        why[0] = "table of " + count + " records (" + auxColumns + " columns) in " + length + " bytes";
                        return Long.MIN_VALUE;
                    }
                    for (int i = 0; i < count; i++)
                    {
                        in.i64();
                        final long value = in.i64();
                        if (kind < Kind.values().length)
                        {
                            oldest = Math.min(oldest, value);
                        }
                        for (int c = 0; c < 1 + auxColumns; c++)
                        {
                            in.i64();
                        }
                    }
                }
                while (in.position() < end)
                {
                    in.u8();
                }
                final int computed = in.sectionCrc();
                if (computed != in.i32())
                {
                    why[0] = "checksum mismatch in the section at " + start;
                    return Long.MIN_VALUE;
                }
            }
            return oldest;
        }
        catch (final IOException | RuntimeException e)
        {
            why[0] = e.toString();
            return Long.MIN_VALUE;
        }
    }

    private static ObjectTable table(final StatePolicy policy, final long netns, final int kind, final int auxColumns, final int count,
        final java.util.Set<Kind> kinds)
    {
        switch (kind)
        {
            case KIND_INODES:
                return check(policy.inodes, auxColumns);
            case KIND_ENDPOINTS:
                return check(policy.endpoints, auxColumns);
            case KIND_FLOW_OWNERS:
                return check(policy.connOwners, auxColumns);
            default:
                if (kind >= Kind.values().length || Tables.auxColumns(Kind.byOrdinal(kind)) != auxColumns)
                {
                    throw new IllegalStateException("a table of kind " + kind + " with " + auxColumns + " columns");
                }
                if (!kinds.contains(Kind.byOrdinal(kind)))
                {
                    return null;
                }
                final ObjectTable t = new ObjectTable(auxColumns, (int)Math.min(1 << 30, count * 4L / 3 + 1));
                policy.tables.put(netns, Kind.byOrdinal(kind), t);
                return t;
        }
    }

    private static ObjectTable check(final ObjectTable t, final int auxColumns)
    {
        if (t.auxColumns() != auxColumns)
        {
            throw new IllegalStateException("an index table with " + auxColumns + " columns");
        }
        return t;
    }

    /** Buffered little-endian output; a CRC32C per section, written after it. */
    private static final class Out
    {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        /** Where the bytes not yet in {@link #crc} start in the buffer. */
        private int mark;
        private boolean inSection;
        long length;

        Out(final FileChannel ch)
        {
            this.ch = ch;
        }

        void section(final int tag, final long payloadLength) throws IOException
        {
            endSection();
            inSection = true;
            crc.reset();
            i32(tag);
            i64(payloadLength);
        }

        /** Closes the open section, if any, with its checksum. */
        void endSection() throws IOException
        {
            if (!inSection)
            {
                return;
            }
            room(4);
            update();
            inSection = false;
            buf.putInt((int)crc.getValue());
            mark = buf.position();
            length += 4;
        }

        private void update()
        {
            final ByteBuffer view = buf.duplicate();
            view.limit(buf.position()).position(mark);
            crc.update(view);
            mark = buf.position();
        }

        private void room(final int n) throws IOException
        {
            if (buf.remaining() < n)
            {
                drain();
            }
        }

        private void drain() throws IOException
        {
            if (inSection)
            {
                update();
            }
            buf.flip();
            while (buf.hasRemaining())
            {
                ch.write(buf);
            }
            buf.clear();
            mark = 0;
        }

        Out i64(final long v) throws IOException
        {
            room(8);
            buf.putLong(v);
            length += 8;
            return this;
        }

        Out i32(final int v) throws IOException
        {
            room(4);
            buf.putInt(v);
            length += 4;
            return this;
        }

        Out u16(final int v) throws IOException
        {
            room(2);
            buf.putShort((short)v);
            length += 2;
            return this;
        }

        Out u8(final int v) throws IOException
        {
            room(1);
            buf.put((byte)v);
            length += 1;
            return this;
        }

        void bytes(final byte[] b) throws IOException
        {
            for (final byte x : b)
            {
                u8(x);
            }
        }

        void flush() throws IOException
        {
            drain();
        }
    }

    /** Buffered little-endian input of a body, positional reads; a CRC32C of what a section consumed. */
    private static final class In
    {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private final long end;
        /** The file position the buffer's limit corresponds to. */
        private long filePosition;
        private long position;
        /** Where the consumed bytes not yet in {@link #crc} start in the buffer. */
        private int mark;

        In(final FileChannel ch, final long start, final long length)
        {
            this.ch = ch;
            this.filePosition = start;
            this.end = length;
            buf.limit(0);
        }

        long remaining()
        {
            return end - position;
        }

        long position()
        {
            return position;
        }

        void startSection()
        {
            crc.reset();
            mark = buf.position();
        }

        /** The checksum of what was consumed since {@link #startSection()}. */
        int sectionCrc()
        {
            update();
            return (int)crc.getValue();
        }

        private void update()
        {
            final ByteBuffer view = buf.duplicate();
            view.limit(buf.position()).position(mark);
            crc.update(view);
            mark = buf.position();
        }

        private void need(final int n) throws IOException
        {
            if (position + n > end)
            {
                throw new IOException("read past the end of the body at " + position);
            }
            if (buf.remaining() >= n)
            {
                return;
            }
            update();
            buf.compact();
            while (buf.position() < n)
            {
                final int toRead = (int)Math.min(buf.remaining(), end + HEADER_LENGTH - filePosition);
                if (toRead <= 0)
                {
                    throw new IOException("file ends inside the body at " + position);
                }
                final ByteBuffer slice = buf.duplicate();
                slice.limit(slice.position() + toRead);
                final int read = ch.read(slice, filePosition);
                if (read <= 0)
                {
                    throw new IOException("file ends inside the body at " + position);
                }
                filePosition += read;
                buf.position(buf.position() + read);
            }
            buf.flip();
            mark = 0;
        }

        long i64() throws IOException
        {
            need(8);
            position += 8;
            return buf.getLong();
        }

        int i32() throws IOException
        {
            need(4);
            position += 4;
            return buf.getInt();
        }

        int u16() throws IOException
        {
            need(2);
            position += 2;
            return buf.getShort() & 0xFFFF;
        }

        int u8() throws IOException
        {
            need(1);
            position += 1;
            return buf.get() & 0xFF;
        }

        void bytes(final byte[] b) throws IOException
        {
            for (int i = 0; i < b.length; i++)
            {
                b[i] = (byte)u8();
            }
        }

        /** Moves past {@code n} bytes without reading them (they are not checked). */
        void skip(final long n) throws IOException
        {
            if (position + n > end)
            {
                throw new IOException("skip past the end of the body at " + position);
            }
            if (n <= buf.remaining())
            {
                buf.position(buf.position() + (int)n);
            }
            else
            {
                filePosition += n - buf.remaining();
                buf.limit(0);
            }
            mark = buf.position();
            position += n;
        }
    }
}
