package io.nlstream.monitor.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage to a journal's files (issue 11, items 2 and 3): a run of zeros, a file cut short, an empty file in the
 * middle, a crash's torn tail under a new writer. Each test writes three hourly cycle files of numbered entries
 * (the number in the payload, so what is read can be checked entry by entry), damages them as a disk, a copy or a
 * {@code truncate} would, and checks what is read, what is reported, and that nothing readable is lost.
 */
class JournalDamageTest
{
    private static final String ROLL = "FAST_HOURLY";
    private static final int PER_CYCLE = 3000;
    private static final int CYCLES = 3;
    private static final long HOUR_MS = 3_600_000L;
    private static final long START_MS = 1_795_000_000_000L / HOUR_MS * HOUR_MS;

    @TempDir
    Path tmp;

    /** Entry payload: its number (cycle * PER_CYCLE + n) and some bytes, as a small message would be. */
    private static byte[] payload(final int number)
    {
        final ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, number);
        return b.array();
    }

    /** Writes the three cycles; returns the index of every entry by its number. */
    private static Map<Integer, Long> write(final Path dir, final int cycles, final int firstNumber)
    {
        final Map<Integer, Long> indexes = new HashMap<>();
        final SetTimeProvider clock = new SetTimeProvider(Instant.ofEpochMilli(START_MS + firstNumber / PER_CYCLE * HOUR_MS));
        try (TestJournal journal = TestJournal.create(dir, ROLL, clock))
        {
            for (int c = 0; c < cycles; c++)
            {
                for (int i = 0; i < PER_CYCLE; i++)
                {
                    final int number = firstNumber + c * PER_CYCLE + i;
                    indexes.put(number, journal.event(TestJournal.NETNS_A, payload(number)));
                }
                clock.advanceMillis(HOUR_MS);
            }
        }
        return indexes;
    }

    private record Read(List<Integer> numbers, List<Long> indexes, List<String> reports, long corrupt)
    {
    }

    private static Read read(final Path dir)
    {
        final List<Integer> numbers = new ArrayList<>();
        final List<Long> indexes = new ArrayList<>();
        final List<String> reports = new ArrayList<>();
        try (Journal journal = Journal.openForReading(dir);
             JournalReader reader = journal.reader().toStart().onCorrupt((index, reason) -> reports.add(index + ": " + reason)))
        {
            final JournalEntry entry = new JournalEntry();
            while (reader.next(entry))
            {
                if (entry.origin() == CaptureHeader.ORIGIN_ANNOTATION)
                {
                    continue; // the writers' links between files
                }
                numbers.add(entry.buffer().getInt(entry.payloadOffset()));
                indexes.add(entry.index());
            }
            return new Read(numbers, indexes, reports, reader.corrupt());
        }
    }

    private static List<Path> cycleFiles(final Path dir) throws IOException
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*.cq4"))
        {
            list.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    /** Byte offset of the entry numbered {@code number} in its file (found by its payload; entries are small). */
    private static long offsetOf(final Path file, final int number) throws IOException
    {
        final byte[] all = Files.readAllBytes(file);
        final ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p + 4 + CaptureHeader.LENGTH + 4 <= all.length; p += 4)
        {
            if (b.getInt(p) == CaptureHeader.LENGTH + 64 && all[p + 4] == CaptureHeader.VERSION
                && b.getInt(p + 4 + CaptureHeader.LENGTH) == number)
            {
                return p;
            }
        }
        throw new AssertionError("entry " + number + " not found in " + file);
    }

    private static void zero(final Path file, final long from, final int length) throws IOException
    {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw"))
        {
            f.seek(from);
            f.write(new byte[length]);
        }
    }

    private static void truncate(final Path file, final long size) throws IOException
    {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw"))
        {
            f.setLength(size);
        }
    }

    private static int count(final List<Integer> numbers, final int from, final int to)
    {
        return (int)numbers.stream().filter(n -> n >= from && n < to).count();
    }

    @Test
    void aSoundJournalOfThreeCyclesReadsWhole() throws IOException
    {
        final Path dir = tmp.resolve("j");
        final Map<Integer, Long> indexes = write(dir, CYCLES, 0);
        assertEquals(3, cycleFiles(dir).size());
        final Read r = read(dir);
        assertEquals(CYCLES * PER_CYCLE, r.numbers.size());
        assertEquals(List.of(), r.reports);
        assertEquals(indexes.get(PER_CYCLE * 2), r.indexes.get(PER_CYCLE * 2));
        assertTrue(Journal.repair(dir).isEmpty(), "nothing to repair");
    }

    /**
     * Zeros in the middle of the first file (a lost write, a bad block): before, every reader stopped there, exit 0,
     * with two thirds of the journal unread. Now the reader reports the file, the byte and the entries skipped, and
     * reads on from the next entry the file's index locates: everything else is read.
     */
    @Test
    void zerosInTheMiddleAreReportedAndReadingGoesOnAfterThem() throws IOException
    {
        final Path dir = tmp.resolve("j");
        final Map<Integer, Long> indexes = write(dir, CYCLES, 0);
        final Path first = cycleFiles(dir).get(0);
        zero(first, offsetOf(first, 1000), 4096);
        final Read r = read(dir);
        assertEquals(1, r.reports.size(), r.reports.toString());
        assertTrue(r.reports.get(0).startsWith(indexes.get(1000) + ": ") && r.reports.get(0).contains(first.getFileName().toString())
            && r.reports.get(0).contains("after byte"), r.reports.get(0));
        final int lostInFirst = PER_CYCLE - count(r.numbers, 0, PER_CYCLE);
        // the zeros cover 4096 bytes of 116-byte entries: 36 or 37 touched; the sound ones after them, up to the next
        // indexed entry, are recovered by the chain of their frames
        assertTrue(lostInFirst >= 35 && lostInFirst <= 37, "lost " + lostInFirst + ": " + r.reports);
        assertTrue(r.reports.get(0).contains("sound ones after them recovered"), r.reports.get(0));
        assertEquals(1000, count(r.numbers, 0, 1000), "all before the zeros");
        assertEquals(2 * PER_CYCLE, count(r.numbers, PER_CYCLE, 3 * PER_CYCLE), "the later files whole");
        assertEquals(lostInFirst, r.corrupt);
        for (int i = 0; i < r.numbers.size(); i++)
        {
            assertEquals(indexes.get(r.numbers.get(i)), r.indexes.get(i), "every entry at its own index");
        }

        // the repair marks the lost ones: every later entry keeps its index, and readers report the marks
        final List<String> repaired = Journal.repair(dir);
        assertEquals(1, repaired.size(), repaired.toString());
        assertTrue(repaired.get(0).contains("no entry (zeros)") && repaired.get(0).contains(".damaged-"), repaired.get(0));
        final Read after = read(dir);
        assertEquals(r.numbers, after.numbers, "the repair keeps what was readable; its index finds the same entries");
        assertEquals(r.indexes, after.indexes);
        assertEquals(1, after.reports.size(), after.reports.toString());
        assertTrue(after.reports.get(0).contains("lost to damage") && after.reports.get(0).contains(".damaged-"), after.reports.get(0));
        assertTrue(Journal.repair(dir).isEmpty(), "a repaired journal needs no second repair");
    }

    /**
     * A file cut short (a copy that stopped, {@code truncate}): before, readers crashed with an InternalError or
     * stopped there with exit 0. Now they read what lies before the cut (found by a plain scan, never a mapped read
     * past it) and go on with the later files, naming the file, its size and the repair; the repair keeps every
     * entry before the cut at its index and the damaged file aside.
     */
    @Test
    void aFileCutShortIsReadUpToTheCutNamedAndRepairedKeepingEveryReadableEntry() throws IOException
    {
        final Path dir = tmp.resolve("j");
        final Map<Integer, Long> indexes = write(dir, CYCLES, 0);
        final Path first = cycleFiles(dir).get(0);
        final long cut = offsetOf(first, 1700) + 20;
        truncate(first, cut);
        // read as it is: the entries before the cut, then the later files; the cut named with the repair
        final Read asIs = read(dir);
        assertEquals(1700 + 2 * PER_CYCLE, asIs.numbers.size());
        assertTrue(asIs.reports.get(0).contains(first.getFileName() + " is " + cut + " bytes, cut short: its first 1700 entries were read")
            && asIs.reports.get(0).contains("nlstream repair --journal " + dir), asIs.reports.toString());

        final List<String> repaired = Journal.repair(dir);
        assertEquals(1, repaired.size(), repaired.toString());
        assertTrue(repaired.get(0).contains("1700 readable entries"), repaired.get(0));
        final Read r = read(dir);
        assertEquals(1700 + 2 * PER_CYCLE, r.numbers.size());
        // nothing marked (the cut took the file's tail: no later entry to keep in place), but the next file's link
        // says how many the file held: the reader names the hole and counts it
        assertEquals(1, r.reports.size(), r.reports.toString());
        assertTrue(r.reports.get(0).startsWith(indexes.get(1700) + ": hole: journal file " + first.getFileName() + " ends after 1700 entries,"
            + " but held 3000") && r.reports.get(0).contains("its last 1300 entries are missing"), r.reports.get(0));
        assertEquals(1300, r.corrupt);
        for (int i = 0; i < r.numbers.size(); i++)
        {
            assertEquals(indexes.get(r.numbers.get(i)), r.indexes.get(i));
        }
        try (DirectoryStream<Path> aside = Files.newDirectoryStream(dir, "*.damaged-*"))
        {
            final Path kept = aside.iterator().next();
            assertEquals(cut, Files.size(kept), "the damaged file is kept as it was");
        }
    }

    /** Offset of the first byte after {@code name} (as a field name: its length code, then the name) in the file. */
    static int after(final byte[] file, final String name, final int from)
    {
        final byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = from + 1; i + n.length <= file.length; i++)
        {
            for (int k = 0; k < n.length; k++)
            {
                if (file[i + k] != n[k])
                {
                    continue outer;
                }
            }
            if ((file[i - 1] & 0xff) == n.length || (file[i - 1] & 0xff) == 0xc0 + n.length)
            {
                return i + n.length;
            }
        }
        throw new AssertionError(name + " not found");
    }

    /**
     * The positions Chronicle Queue trusts in a cycle file's header and index, damaged (a flipped high bit, a length
     * one off, a name): before, Chronicle followed a position billions of blocks into the file and the reader ran out
     * of heap (JournalDamageJazzerTest's input crash-dea6514...: writePosition's top byte), or read other fields as
     * these. Now the reader refuses the file before Chronicle opens it, naming it and what is wrong; the repair
     * rewrites it (the entries are sound: nothing is lost) and a second repair finds nothing.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        // what damaged          | field name     | bytes after it | new byte | what the reader says
        "writePosition far       | writePosition  | 30             | 0x01     | writePosition 7205759",
        "index2Index far         | index2Index    | 9              | 0x01     | index2Index 72057594037928136 is not the excerpt after the header",
        "lastIndex negative      | lastIndex      | 13             | 0x80     | lastIndex -",
        "indexing one byte longer| SCQSIndexing   | 1              | 0x4d     | indexing's length disagrees with its fields",
        "dataFormat's name       | dataFormat     | -2             | 0x58     | a damaged name where \"dataFormat\" belongs",
        "index array far         | index2index    | 30             | 0x01     | index array 0 at byte 72057594037",
        "index position far      | index          | 28             | 0x01     | is past the end of the file",
        "index position negative | index          | 28             | 0x80     | is no excerpt's",
    })
    void positionsChronicleTrustsAreCheckedBeforeItOpensTheFile(final String what, final String field, final int delta, final String value,
        final String says) throws IOException
    {
        final Path dir = tmp.resolve("j");
        write(dir, CYCLES, 0);
        final Path first = cycleFiles(dir).get(0);
        final byte[] bytes = Files.readAllBytes(first);
        // an index array's name follows the header and the index2index: look for it after them
        final int at = after(bytes, field, field.equals("index") ? after(bytes, "index2index", 0) : 0) + delta;
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw"))
        {
            f.seek(at);
            f.write(Integer.decode(value));
        }
        final JournalDamagedException refused = assertThrows(JournalDamagedException.class, () -> read(dir));
        assertTrue(refused.getMessage().contains(first.getFileName().toString()) && refused.getMessage().contains(says)
            && refused.getMessage().contains("nlstream repair --journal " + dir), refused.getMessage());

        final List<String> repaired = Journal.repair(dir);
        assertEquals(1, repaired.size(), repaired.toString());
        assertTrue(repaired.get(0).contains(first.getFileName() + " was damaged") && repaired.get(0).contains(PER_CYCLE + " readable entries"),
            repaired.get(0));
        final Read r = read(dir);
        assertEquals(CYCLES * PER_CYCLE, r.numbers.size(), "nothing lost: " + r.reports);
        assertEquals(List.of(), Journal.repair(dir), "one repair is enough");
    }

    /**
     * A damaged excerpt length in a whole file (a flipped high bit: the entry now reaches past the file's end).
     * Before, Chronicle followed it past the mapped file and the reader died of the SIGBUS ("a fault occurred in a
     * recent unsafe memory access"). Now the failure is reported and reading goes on at the next indexed entry.
     */
    @Test
    void aLengthPastTheFileIsSkippedNotACrash() throws IOException
    {
        final Path dir = tmp.resolve("j");
        write(dir, CYCLES, 0);
        final Path first = cycleFiles(dir).get(0);
        final long at = offsetOf(first, 1200);
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw"))
        {
            f.seek(at + 3);
            final int top = f.read();
            f.seek(at + 3);
            f.write(top | 0x08); // bit 27 of the little-endian header word: 128 MiB more, past the 80 MiB file
        }
        final Read r = read(dir);
        assertEquals(1200, count(r.numbers, 0, 1200), "all before it");
        assertEquals(2 * PER_CYCLE, count(r.numbers, PER_CYCLE, 3 * PER_CYCLE), "the later files whole");
        assertEquals(CYCLES * PER_CYCLE, r.numbers.size() + r.corrupt, "every entry read or counted: " + r.reports);
        assertTrue(r.reports.size() <= 2 && r.reports.get(0).startsWith(r.indexes.get(1199) + 1 + ": "), r.reports.toString());
        assertEquals(1, r.corrupt, "only the entry whose length was damaged: the ones after it are recovered " + r.reports);
        // the repair finds the same and keeps the rest at their indexes
        assertEquals(1, Journal.repair(dir).size());
        assertEquals(r.numbers, read(dir).numbers);
    }

    /** A file cut after its data (nothing lost, only zeros gone): the repair gives it Chronicle's size back. */
    @Test
    void aFileCutAfterItsDataGetsItsSizeBack() throws IOException
    {
        final Path dir = tmp.resolve("j");
        write(dir, 1, 0);
        final Path only = cycleFiles(dir).get(0);
        truncate(only, offsetOf(only, PER_CYCLE - 1) + 4096);
        final Read asIs = read(dir);
        assertEquals(PER_CYCLE, asIs.numbers.size(), "all read as it is");
        assertTrue(asIs.reports.get(0).contains("cut short: its first " + PER_CYCLE + " entries were read"), asIs.reports.toString());
        final List<String> repaired = Journal.repair(dir);
        assertEquals(1, repaired.size(), repaired.toString());
        assertTrue(repaired.get(0).contains("cut short after its data") && repaired.get(0).contains("its " + PER_CYCLE + " entries are whole"),
            repaired.get(0));
        assertEquals(80L << 20, Files.size(only));
        final Read r = read(dir);
        assertEquals(PER_CYCLE, r.numbers.size());
        assertEquals(List.of(), r.reports);
    }

    /**
     * A file deleted between two others: before, readers jumped over the hour without a word, and {@code state} listed
     * what was deleted inside it. Now the next file's link names the missing file and how many entries it held.
     */
    @Test
    void aDeletedFileBetweenOthersIsAHoleNamedWithWhatItHeld() throws IOException
    {
        final Path dir = tmp.resolve("j");
        write(dir, CYCLES, 0);
        final Path middle = cycleFiles(dir).get(1);
        Files.delete(middle);
        final Read r = read(dir);
        assertEquals(2 * PER_CYCLE, r.numbers.size());
        assertEquals(1, r.reports.size(), r.reports.toString());
        assertTrue(r.reports.get(0).contains("hole: journal file " + middle.getFileName() + " is missing (it held " + (PER_CYCLE + 1) + " entries"),
            r.reports.get(0));
        assertEquals(PER_CYCLE + 1, r.corrupt, "its entries and its own link");
    }

    /**
     * State across a hole (a deleted file): the link deleted inside the hole is still listed until the next complete
     * dump, which settles it (a synthesized end); the hole itself is named on stderr and the answer exits 4. This is
     * what the periodic full dumps (--full-dump-interval) bound: how long state stays unsettled after a hole.
     */
    @Test
    void stateAcrossAHoleIsSettledByTheNextCompleteDump() throws IOException
    {
        final Path dir = tmp.resolve("j");
        final SetTimeProvider clock = new SetTimeProvider(Instant.ofEpochMilli(START_MS));
        final long t0 = START_MS * 1_000_000L;
        final long hour = HOUR_MS * 1_000_000L;
        try (TestJournal j = TestJournal.create(dir, ROLL, clock))
        {
            j.at(t0).dump(TestJournal.NETNS_A, io.nlstream.netlink.rtnl.Rtnetlink.RTM_GETLINK, 1, 0,
                RtnlMessages.newLink(2, "a0", 1500), RtnlMessages.newLink(3, "b0", 1500));
            clock.advanceMillis(HOUR_MS);
            j.at(t0 + hour).event(TestJournal.NETNS_A, RtnlMessages.delLink(3, "b0"));
            clock.advanceMillis(HOUR_MS);
            j.at(t0 + 2 * hour).event(TestJournal.NETNS_A, RtnlMessages.newLink(2, "a0", 1400));
            j.at(t0 + 2 * hour + 1_000_000_000L).dump(TestJournal.NETNS_A, io.nlstream.netlink.rtnl.Rtnetlink.RTM_GETLINK, 2, 0,
                RtnlMessages.newLink(2, "a0", 1400));
        }
        Files.delete(cycleFiles(dir).get(1));
        final String beforeDump = java.time.Instant.ofEpochSecond(0, t0 + 2 * hour + 500_000_000L).toString();
        final String[] unsettled = cli("state", "--journal", dir.toString(), "--kind", "link", "--at", beforeDump, "--snapshots", "false");
        assertEquals("4", unsettled[0], unsettled[2]);
        assertTrue(unsettled[1].contains("b0"), "deleted in the hole, not yet settled: " + unsettled[1]);
        assertTrue(
            unsettled[2].contains("hole: journal file "
                + Journal.cycleFileName(net.openhft.chronicle.queue.RollCycles.FAST_HOURLY, (int)((START_MS + HOUR_MS) / HOUR_MS)) + " is missing"),
            unsettled[2]);
        final String[] settled = cli("state", "--journal", dir.toString(), "--kind", "link", "--snapshots", "false");
        assertEquals("4", settled[0], settled[2]);
        assertTrue(settled[1].contains("a0") && !settled[1].contains("b0"), "the dump after the hole settles it: " + settled[1]);
        final String[] replay = cli("replay", "--journal", dir.toString(), "--kind", "link", "--format", "json", "--snapshots", "false");
        assertTrue(replay[1].contains("\"op\":\"del\"") && replay[1].contains("\"synthesized\":true"), replay[1]);
    }


    /** Runs a command; returns its exit code, stdout and stderr. */
    private static String[] cli(final String... args)
    {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        final int code = io.nlstream.monitor.cli.Main.run(args, Map.of(), new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(java.nio.charset.StandardCharsets.UTF_8),
            err.toString(java.nio.charset.StandardCharsets.UTF_8)};
    }

    /**
     * An empty (0-byte) file between two others: before, readers waited 20 s on it, then stopped, exit 0. Now they
     * pass it without opening it, name it, and read the files after it; the repair sets it aside.
     */
    @Test
    void anEmptyFileInTheMiddleIsPassedNamedAndSetAsideByTheRepair() throws IOException
    {
        final Path dir = tmp.resolve("j");
        write(dir, CYCLES, 0);
        final Path middle = cycleFiles(dir).get(1);
        truncate(middle, 0);
        final long t0 = System.nanoTime();
        final Read asIs = read(dir);
        assertTrue(System.nanoTime() - t0 < java.util.concurrent.TimeUnit.SECONDS.toNanos(30), "no minute's wait on its header");
        assertEquals(PER_CYCLE, count(asIs.numbers, 0, PER_CYCLE));
        assertEquals(PER_CYCLE, count(asIs.numbers, 2 * PER_CYCLE, 3 * PER_CYCLE));
        assertEquals(2 * PER_CYCLE, asIs.numbers.size());
        assertTrue(asIs.reports.stream().anyMatch(x -> x.contains(middle.getFileName() + " is empty (0 bytes): passed")), asIs.reports.toString());
        assertEquals(1, Journal.repair(dir).size());
        final Read r = read(dir);
        assertEquals(asIs.numbers, r.numbers);
    }

    /**
     * An empty first file (the fuzzer's slow input slow-unit-0a41a9c...: 10-12 s an execution): Chronicle Queue waits
     * for its header (1 s) wherever a tailer starts, and one {@code state} starts a dozen (identity, time index, stored
     * records, the reader, ...): 18.7 s against 0.9 s for the same journal without it. In a journal holding such a file
     * the wait is 10 ms (no writer is making it: a running writer sets it aside when it starts).
     */
    @Test
    void anEmptyFirstFileIsNotWaitedOnByEveryReader() throws IOException
    {
        final Path dir = tmp.resolve("j");
        write(dir, CYCLES, 0);
        truncate(cycleFiles(dir).get(0), 0);
        assertEquals(1_000, Journal.headerTimeoutMs(Map.of("a.cq4", new long[] {1200, 4096})), "a file cut short is no reason");
        assertEquals(10, Journal.headerTimeoutMs(Map.of("a.cq4", new long[] {1200, 4096}, "b.cq4", new long[] {0, 0})));
        final long t0 = System.nanoTime();
        try (Journal journal = Journal.openForReading(dir))
        {
            for (int i = 0; i < 10; i++)
            {
                journal.reader().close(); // before: a second each
            }
        }
        assertTrue(System.nanoTime() - t0 < java.util.concurrent.TimeUnit.SECONDS.toNanos(5), "no second's wait per reader");
        final Read asIs = read(dir);
        assertEquals(2 * PER_CYCLE, asIs.numbers.size());
        assertEquals(1, Journal.repair(dir).size());
        assertEquals(asIs.numbers, read(dir).numbers);
    }

    /**
     * An empty newest file (a crash between creating and sizing it) that is not new: before, readers waited on it for a
     * minute (Chronicle waits for its header); now they read what is before it and name it. One made in the last
     * seconds may be a writer's new file, and is left to Chronicle.
     */
    @Test
    void anOldEmptyNewestFileIsPassed() throws IOException
    {
        final Path dir = tmp.resolve("j");
        write(dir, 2, 0);
        final Path newest = cycleFiles(dir).get(1);
        truncate(newest, 0);
        Files.setLastModifiedTime(newest, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - HOUR_MS));
        final long t0 = System.nanoTime();
        final Read asIs = read(dir);
        assertTrue(System.nanoTime() - t0 < java.util.concurrent.TimeUnit.SECONDS.toNanos(30), "no wait on the header that never comes");
        assertEquals(PER_CYCLE, asIs.numbers.size());
        assertTrue(asIs.reports.stream().anyMatch(x -> x.contains(newest.getFileName() + " is empty")), asIs.reports.toString());
        assertEquals(1, Journal.repair(dir).size());
        assertEquals(PER_CYCLE, read(dir).numbers.size());
    }

    /**
     * The case: the newest file cut short after a crash, then {@code run} started on it. Before, the writer
     * appended after megabytes of zeros where no reader reached, and logged "journal complete". Now the writer
     * repairs the file before it writes: what was readable stays at its index, what it writes follows it, and every
     * reader reads both.
     */
    @Test
    void aWriterStartingOnACutNewestFileRepairsItFirst() throws IOException
    {
        final Path dir = tmp.resolve("j");
        final Map<Integer, Long> before = write(dir, 1, 0);
        final Path only = cycleFiles(dir).get(0);
        truncate(only, offsetOf(only, 2500) + 8);
        final Map<Integer, Long> after = write(dir, 1, 0);
        assertFalse(after.isEmpty());
        final Read r = read(dir);
        assertEquals(2500 + PER_CYCLE, r.numbers.size(), "the 2,500 before the cut and all written after");
        for (int i = 0; i < 2500; i++)
        {
            assertEquals(before.get(i), r.indexes.get(i));
        }
        for (int i = 1; i < r.indexes.size(); i++)
        {
            assertTrue(r.indexes.get(i) > r.indexes.get(i - 1), "indexes (seq) strictly increase");
        }
        try (DirectoryStream<Path> aside = Files.newDirectoryStream(dir, "*.damaged-*"))
        {
            assertTrue(aside.iterator().hasNext(), "the damaged file is kept aside");
        }
    }
}
