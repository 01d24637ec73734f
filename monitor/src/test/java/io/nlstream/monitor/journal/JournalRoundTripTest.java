package io.nlstream.monitor.journal;

import io.nlstream.netlink.Netlink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalRoundTripTest
{
    @TempDir
    Path tmp;

    @Test
    void entriesComeBackByteExactWithEveryHeaderField()
    {
        final Path dir = tmp.resolve("journal");
        final byte[] veth = RtnlMessages.fixture("veth-newlink.hex");
        final byte[] dellink = RtnlMessages.fixture("dellink.hex");
        final byte[] large = new byte[100_000]; // larger than the reader's first buffer (64 KiB)
        for (int i = 0; i < large.length; i++)
        {
            large[i] = (byte)(i * 31 + 7);
        }
        final List<TestJournal.Copy> written = new ArrayList<>();
        try (Journal journal = Journal.openForWriting(dir, TestJournal.ROLL_CYCLE); JournalWriter writer = journal.writer())
        {
            // every header field at a value that shows truncation or sign mistakes
            writer.append(CaptureHeader.ORIGIN_DUMP, Netlink.NETLINK_ROUTE, 0x7654_3210, 1_795_000_000_123_456_789L,
                987_654_321L, 4026531840L, -1, CaptureHeader.FLAG_RESYNC, ByteBuffer.wrap(veth), 0, veth.length);
            written.add(expected(writer, CaptureHeader.ORIGIN_DUMP, Netlink.NETLINK_ROUTE, 0x7654_3210,
                1_795_000_000_123_456_789L, 987_654_321L, 4026531840L, -1, CaptureHeader.FLAG_RESYNC, veth));

            writer.append(255, 0xFFFF, -2, Long.MIN_VALUE, Long.MAX_VALUE, -1L, Integer.MAX_VALUE, 0xFFFF_FFFF,
                ByteBuffer.wrap(dellink), 0, dellink.length);
            written.add(expected(writer, 255, 0xFFFF, -2, Long.MIN_VALUE, Long.MAX_VALUE, -1L, Integer.MAX_VALUE,
                0xFFFF_FFFF, dellink));

            // a message in the middle of a bigger direct buffer, as capture's receive buffer holds it
            final ByteBuffer direct = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
            direct.position(100);
            direct.put(veth);
            direct.clear();
            writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 1, 3L, 4L, 5L, 6, 0, direct, 100, veth.length);
            written.add(expected(writer, CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 1, 3L, 4L, 5L, 6, 0, veth));

            // the same buffer object again, its content changed since the last append
            direct.put(100, (byte)0x55);
            final byte[] changed = veth.clone();
            changed[0] = 0x55;
            writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 1, 7L, 8L, 5L, 6, 0, direct, 100, veth.length);
            written.add(expected(writer, CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 1, 7L, 8L, 5L, 6, 0, changed));

            // a heap buffer at an offset, and an empty payload
            final byte[] padded = new byte[dellink.length + 13];
            System.arraycopy(dellink, 0, padded, 13, dellink.length);
            writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 1, 9L, 10L, 5L, -1, 0, ByteBuffer.wrap(padded), 13, dellink.length);
            written.add(expected(writer, CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 1, 9L, 10L, 5L, -1, 0, dellink));

            // slices: index 0 of the buffer is not index 0 of its memory
            final ByteBuffer heapSlice = ByteBuffer.wrap(padded).position(13).slice();
            writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 1, 9L, 10L, 5L, -1, 0, heapSlice, 0, dellink.length);
            written.add(expected(writer, CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 1, 9L, 10L, 5L, -1, 0, dellink));
            final ByteBuffer directSlice = direct.position(100).slice();
            direct.clear();
            writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 1, 9L, 10L, 5L, -1, 0, directSlice, 0, veth.length);
            written.add(expected(writer, CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 1, 9L, 10L, 5L, -1, 0, changed));

            writer.append(CaptureHeader.ORIGIN_ANNOTATION, Netlink.NETLINK_SOCK_DIAG, 0, 11L, 12L, 5L, -1, 0, ByteBuffer.allocate(0), 0, 0);
            written.add(expected(writer, CaptureHeader.ORIGIN_ANNOTATION, Netlink.NETLINK_SOCK_DIAG, 0, 11L, 12L, 5L, -1, 0, new byte[0]));

            writer.append(CaptureHeader.ORIGIN_GAP, Netlink.NETLINK_NETFILTER, 0, 13L, 14L, 5L, -1, 0, ByteBuffer.wrap(large), 0, large.length);
            written.add(expected(writer, CaptureHeader.ORIGIN_GAP, Netlink.NETLINK_NETFILTER, 0, 13L, 14L, 5L, -1, 0, large));

            // after the large one, a small one: the reader's grown buffer must not leak old bytes into it
            writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 1, 15L, 16L, 5L, -1, 0, ByteBuffer.wrap(veth), 0, veth.length);
            written.add(expected(writer, CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 1, 15L, 16L, 5L, -1, 0, veth));

            assertEquals(written.size(), writer.appends());
        }

        final List<TestJournal.Copy> read = TestJournal.readAll(dir);
        assertEquals(written.size(), read.size());
        for (int i = 0; i < written.size(); i++)
        {
            final TestJournal.Copy w = written.get(i);
            final TestJournal.Copy r = read.get(i);
            assertArrayEquals(w.payload(), r.payload(), "payload of entry " + i);
            // records compare arrays by identity; compare the header fields with the payload blanked
            assertEquals(w.withoutPayload(), r.withoutPayload(), "header of entry " + i);
        }
        for (int i = 1; i < read.size(); i++)
        {
            assertTrue(read.get(i).index() > read.get(i - 1).index(), "indexes increase: " + read);
        }
    }

    @Test
    void readerSeesMoreEntriesOnceTheWriterAppendsThem()
    {
        final Path dir = tmp.resolve("journal");
        final byte[] lo = RtnlMessages.fixture("lo-newlink.hex");
        try (TestJournal writing = TestJournal.create(dir))
        {
            final long first = writing.event(TestJournal.NETNS_A, lo);
            try (Journal journal = Journal.openForReading(dir); JournalReader reader = journal.reader().toStart())
            {
                final JournalEntry entry = new JournalEntry();
                assertTrue(reader.next(entry));
                assertEquals(first, entry.index());
                assertFalse(reader.next(entry), "caught up");
                assertFalse(reader.next(entry), "still caught up");

                final long second = writing.event(TestJournal.NETNS_A, RtnlMessages.newLink(7, "dummy0", 1500));
                final long third = writing.event(TestJournal.NETNS_B, RtnlMessages.delLink(7, "dummy0"));
                assertTrue(reader.next(entry));
                assertEquals(second, entry.index());
                assertTrue(reader.next(entry));
                assertEquals(third, entry.index());
                assertEquals(TestJournal.NETNS_B, entry.netns());
                assertFalse(reader.next(entry));

                final long fourth = writing.event(TestJournal.NETNS_A, lo);
                assertTrue(reader.next(entry));
                assertEquals(fourth, entry.index());
                assertArrayEquals(lo, TestJournal.Copy.of(entry).payload());
            }
        }
    }

    @Test
    void readerOpenedBeforeTheFirstEntryIsWrittenSeesIt()
    {
        final Path dir = tmp.resolve("journal");
        try (TestJournal writing = TestJournal.create(dir);
             Journal journal = Journal.openForReading(dir);
             JournalReader reader = journal.reader().toStart())
        {
            final JournalEntry entry = new JournalEntry();
            assertFalse(reader.next(entry));
            final long index = writing.event(TestJournal.NETNS_A, RtnlMessages.newLink(3, "eth0", 9000));
            assertTrue(reader.next(entry), "entry appended after the reader caught up on an empty journal");
            assertEquals(index, entry.index());
        }
    }

    @Test
    void secondWriterInTheSameProcessIsRefusedNamingTheDirectory() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        try (TestJournal first = TestJournal.create(dir))
        {
            assertEquals("busy", LockProbe.tryLockInAnotherProcess(dir.resolve(Journal.LOCK_FILE)), "the writer holds the lock");
            final JournalException e = assertThrows(JournalException.class,
                () -> Journal.openForWriting(dir, TestJournal.ROLL_CYCLE).close());
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("already open for writing"), e.getMessage());
            first.event(TestJournal.NETNS_A, RtnlMessages.newLink(1, "lo", 65536));
        }
        // once the first writer closes, the journal can be opened for writing again
        try (TestJournal again = TestJournal.create(dir))
        {
            again.event(TestJournal.NETNS_A, RtnlMessages.newLink(2, "eth0", 1500));
        }
        assertEquals(2, TestJournal.readAll(dir).size());
    }

    /**
     * Deleting the lock file does not let a second writer in: the writer also holds a flock on the directory
     * itself, which a second writer (another open description, as another process's) cannot take; the message
     * says what happened. Once the writer closes, the directory is free again.
     */
    @Test
    void deletingTheLockFileDoesNotLetASecondWriterIn() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        try (TestJournal first = TestJournal.create(dir))
        {
            Files.delete(dir.resolve(Journal.LOCK_FILE));
            assertEquals("locked", LockProbe.tryLockInAnotherProcess(dir.resolve(Journal.LOCK_FILE)), "a new lock file is anyone's");
            assertNull(io.nlstream.netlink.DirectoryLock.tryLock(dir), "the directory stays locked by the writer");
            first.event(TestJournal.NETNS_A, RtnlMessages.newLink(1, "lo", 65536));
        }
        try (io.nlstream.netlink.DirectoryLock free = io.nlstream.netlink.DirectoryLock.tryLock(dir))
        {
            assertNotNull(free, "closing the journal lets go of the directory");
        }
    }

    @Test
    void refusedSecondWriterInTheSameProcessLeavesTheFirstWritersLockInPlace() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        try (TestJournal first = TestJournal.create(dir))
        {
            assertEquals("busy", LockProbe.tryLockInAnotherProcess(dir.resolve(Journal.LOCK_FILE)), "the writer holds the lock");
            assertThrows(JournalException.class, () -> Journal.openForWriting(dir, TestJournal.ROLL_CYCLE).close());
            assertEquals("busy", LockProbe.tryLockInAnotherProcess(dir.resolve(Journal.LOCK_FILE)),
                "after a refused second open, another process could take the lock while the first writer still writes");
            first.event(TestJournal.NETNS_A, RtnlMessages.newLink(1, "lo", 65536));
        }
    }

    @Test
    void writerInAnotherProcessMakesOpenForWritingFailNamingTheLock() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        Files.createDirectories(dir);
        final Path lockFile = dir.resolve(Journal.LOCK_FILE);
        final Process holder = LockProbe.start(lockFile, "hold");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)))
        {
            assertEquals("locked", out.readLine());
            final JournalException e = assertThrows(JournalException.class,
                () -> Journal.openForWriting(dir, TestJournal.ROLL_CYCLE).close());
            assertTrue(e.getMessage().contains(lockFile.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        finally
        {
            holder.getOutputStream().close(); // the probe lets go when its stdin ends
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
        }
        try (TestJournal writing = TestJournal.create(dir))
        {
            writing.event(TestJournal.NETNS_A, RtnlMessages.newLink(1, "lo", 65536));
        }
    }

    @Test
    void openForReadingAMissingDirectoryNamesThePath()
    {
        final Path missing = tmp.resolve("no-such-journal");
        final JournalException e = assertThrows(JournalException.class, () -> Journal.openForReading(missing).close());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertFalse(Files.exists(missing), "reading must not create the directory");
    }

    @Test
    void openForReadingAFileNamesThePath() throws IOException
    {
        final Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        final JournalException e = assertThrows(JournalException.class, () -> Journal.openForReading(file).close());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void openForWritingWithAnUnknownRollCycleNamesIt()
    {
        final JournalException e = assertThrows(JournalException.class,
            () -> Journal.openForWriting(tmp.resolve("journal"), "EVERY_FORTNIGHT").close());
        assertTrue(e.getMessage().contains("EVERY_FORTNIGHT"), e.getMessage());
    }

    @Test
    void emptyJournalDirectoryReadsNoEntries() throws IOException
    {
        final Path dir = Files.createDirectory(tmp.resolve("empty"));
        try (Journal journal = Journal.openForReading(dir); JournalReader reader = journal.reader().toStart())
        {
            assertFalse(reader.next(new JournalEntry()));
            assertEquals(0, reader.corrupt());
        }
    }

    @Test
    void corruptEntriesAreReportedWithTheirIndexAndSkipped()
    {
        final Path dir = tmp.resolve("journal");
        final byte[] lo = RtnlMessages.fixture("lo-newlink.hex");
        final long shortIndex;
        final long versionIndex;
        final long lengthIndex;
        final long good;
        try (TestJournal journal = TestJournal.create(dir))
        {
            shortIndex = journal.raw(new byte[10]);
            final byte[] header = new byte[CaptureHeader.LENGTH + 4];
            final ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            h.put(CaptureHeader.VERSION_OFFSET, (byte)9).putInt(CaptureHeader.PAYLOAD_LENGTH_OFFSET, 4);
            versionIndex = journal.raw(header);
            h.put(CaptureHeader.VERSION_OFFSET, (byte)CaptureHeader.VERSION).putInt(CaptureHeader.PAYLOAD_LENGTH_OFFSET, 400);
            lengthIndex = journal.raw(header);
            good = journal.event(TestJournal.NETNS_A, lo);
        }
        final List<String> reports = new ArrayList<>();
        try (Journal journal = Journal.openForReading(dir);
             JournalReader reader = journal.reader().toStart().onCorrupt((index, reason) -> reports.add(index + ": " + reason)))
        {
            final JournalEntry entry = new JournalEntry();
            assertTrue(reader.next(entry));
            assertEquals(good, entry.index());
            assertArrayEquals(lo, TestJournal.Copy.of(entry).payload());
            assertFalse(reader.next(entry));
            assertEquals(3, reader.corrupt());
        }
        assertEquals(3, reports.size(), reports.toString());
        assertTrue(reports.get(0).startsWith(shortIndex + ": ") && reports.get(0).contains("shorter than the capture header"), reports.get(0));
        assertTrue(reports.get(1).startsWith(versionIndex + ": ") && reports.get(1).contains("version 9"), reports.get(1));
        assertTrue(reports.get(2).startsWith(lengthIndex + ": ") && reports.get(2).contains("payload length 400"), reports.get(2));
    }

    /**
     * An empty cycle file (0 bytes) is set aside by the writer, which then writes at once, instead of Chronicle
     * waiting on it (issue 11: 25 s and a misleading lock message); what was journalled before still reads.
     */
    @Test
    void anEmptyCycleFileIsSetAsideByTheWriter() throws Exception
    {
        final Path dir = tmp.resolve("empty-cycle");
        final byte[] lo = RtnlMessages.fixture("lo-newlink.hex");
        try (TestJournal journal = TestJournal.create(dir))
        {
            journal.event(TestJournal.NETNS_A, lo);
        }
        final Path empty = dir.resolve("20200101-00F.cq4");
        Files.createFile(empty);
        try (TestJournal journal = TestJournal.create(dir))
        {
            journal.event(TestJournal.NETNS_A, lo);
        }
        // set aside by the writer (Chronicle, waiting on it first, would have renamed it *.discard)
        assertFalse(Files.exists(empty));
        try (java.util.stream.Stream<Path> files = Files.list(dir))
        {
            assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("20200101-00F.cq4.empty-")).count());
        }
        assertEquals(2, TestJournal.readAll(dir).size());
    }

    /**
     * Every entry carries a CRC32C (capture header version 2): one flipped bit anywhere in an entry, header or
     * message, makes it a damaged entry, reported with its index and skipped, where before it changed values
     * silently (issue 11: a link's index 13 read as 141). The entries around it read.
     */
    @Test
    void aFlippedBitMakesTheEntryDamagedNotDifferent() throws Exception
    {
        final byte[] lo = RtnlMessages.fixture("lo-newlink.hex");
        final byte[] veth = RtnlMessages.fixture("veth-newlink.hex");
        final java.util.Random random = new java.util.Random(11);
        for (int trial = 0; trial < 20; trial++)
        {
            final Path dir = tmp.resolve("flip-" + trial);
            final long first;
            final long flipped;
            final long last;
            try (TestJournal journal = TestJournal.create(dir))
            {
                first = journal.event(TestJournal.NETNS_A, lo);
                flipped = journal.event(TestJournal.NETNS_A, veth);
                last = journal.event(TestJournal.NETNS_A, lo);
            }
            // the middle entry's bytes in the cycle file: the only place its message's bytes occur
            final Path cycle;
            try (java.util.stream.Stream<Path> files = Files.list(dir))
            {
                cycle = files.filter(f -> f.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
            }
            final byte[] file = Files.readAllBytes(cycle);
            final int at = indexOf(file, veth) - CaptureHeader.LENGTH;
            assertTrue(at > 0, "entry found in " + cycle);
            // any bit of the header's checked fields (not the version or lengths: those fail as framing) or the message
            final int bit = random.nextInt(2) == 0 ? 8 * (CaptureHeader.GROUP_OFFSET + random.nextInt(CaptureHeader.PAYLOAD_LENGTH_OFFSET
                - CaptureHeader.GROUP_OFFSET)) + random.nextInt(8) : 8 * (CaptureHeader.LENGTH + random.nextInt(veth.length)) + random.nextInt(8);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(cycle, java.nio.file.StandardOpenOption.WRITE))
            {
                ch.write(ByteBuffer.wrap(new byte[] {(byte)(file[at + bit / 8] ^ 1 << bit % 8)}), at + bit / 8);
            }
            final List<String> reports = new ArrayList<>();
            final List<Long> read = new ArrayList<>();
            try (Journal journal = Journal.openForReading(dir);
                 JournalReader reader = journal.reader().toStart().onCorrupt((index, reason) -> reports.add(index + ": " + reason)))
            {
                final JournalEntry entry = new JournalEntry();
                while (reader.next(entry))
                {
                    read.add(entry.index());
                }
            }
            assertEquals(List.of(first, last), read, "trial " + trial + ", bit " + bit);
            assertEquals(1, reports.size(), reports.toString());
            assertTrue(reports.get(0).startsWith(flipped + ": ") && reports.get(0).contains("checksum mismatch"), reports.get(0));
        }
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static TestJournal.Copy expected(final JournalWriter writer, final int origin, final int protocol, final int group,
        final long wall, final long mono, final long netns, final int nsid, final int flags, final byte[] payload)
    {
        return new TestJournal.Copy(writer.lastIndex(), CaptureHeader.VERSION, origin, protocol, group, wall, mono, netns,
            nsid, flags, Arrays.copyOf(payload, payload.length));
    }

    /**
     * Runs in a child JVM: takes the lock file's lock as another nlstream process would. {@code try}: prints
     * "locked" or "busy" and exits; {@code hold}: prints "locked" and keeps the lock until stdin ends.
     */
    static final class LockProbe
    {
        public static void main(final String[] args) throws IOException
        {
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE))
            {
                final FileLock lock = channel.tryLock();
                System.out.println(lock == null ? "busy" : "locked");
                System.out.flush();
                if (lock != null && "hold".equals(args[1]))
                {
                    while (System.in.read() >= 0)
                    {
                        // wait for the parent to close our stdin
                    }
                }
            }
        }

        static Process start(final Path lockFile, final String mode) throws IOException
        {
            final String java = ProcessHandle.current().info().command().orElse("java");
            return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(),
                lockFile.toString(), mode)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        }

        static String tryLockInAnotherProcess(final Path lockFile) throws IOException, InterruptedException
        {
            final Process p = start(lockFile, "try");
            p.getOutputStream().close();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            return out;
        }
    }
}
