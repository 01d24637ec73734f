package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import io.nlstream.monitor.journal.Retention;
import io.nlstream.monitor.journal.TestJournal;
import io.nlstream.sinks.Timestamps;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention (issue 13 item 4) over a journal of hourly cycle files written as capture writes them: each hour opens
 * with a complete dump of the links (so a snapshot after it points into that hour's file only), a link is added each
 * hour and deleted two hours later, eth0's MTU changes, and lo is announced every minute, so that snapshots fall due
 * every 10 minutes of journal time. Checks what is deleted (oldest first, by time and by size), what never is (the
 * file being written, what a forwarder has not forwarded unless forced, what the oldest state kept needs), and that
 * readers of the kept journal answer as they did before for what it keeps, starting from its base.
 */
class RetentionTest
{
    private static final String ROLL = "FAST_HOURLY";
    private static final long HOUR_MS = 3_600_000L;
    private static final long START_MS = 1_795_000_000_000L / HOUR_MS * HOUR_MS;
    private static final long T0 = START_MS * 1_000_000L;
    private static final long HOUR = HOUR_MS * 1_000_000L;
    private static final long MINUTE = 60_000_000_000L;
    private static final long INTERVAL = 10 * MINUTE;
    private static final UnaryOperator<ReadPipeline.Builder> READ_ONLY = b -> b.snapshots(true, false, INTERVAL, 1_000_000);
    private static final UnaryOperator<ReadPipeline.Builder> NO_SNAPSHOTS = b -> b.snapshots(false, false, INTERVAL, 1_000_000);

    @TempDir
    Path tmp;
    Path dir;
    SetTimeProvider clock;
    final List<LogRecord> logs = new ArrayList<>();
    /** Held, so that the handler stays on it (java.util.logging keeps loggers only weakly). */
    final Logger log = Logger.getLogger(Retention.class.getName());
    final Handler handler = new Handler()
    {
        @Override
        public void publish(final LogRecord record)
        {
            synchronized (logs)
            {
                logs.add(record);
            }
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    };

    @BeforeEach
    void setUp()
    {
        // the pretouch thread faults 8 MiB in ahead of the writer, when it gets to it: disk use would depend on timing
        System.setProperty(Journal.PRETOUCH_PROPERTY, "false");
        dir = tmp.resolve("journal");
        clock = new SetTimeProvider(Instant.ofEpochMilli(START_MS));
        log.addHandler(handler);
    }

    @AfterEach
    void tearDown()
    {
        System.clearProperty(Journal.PRETOUCH_PROPERTY);
        log.removeHandler(handler);
    }

    private void write(final int from, final int to, final boolean stray, final int dumpB)
    {
        HourlyJournal.write(dir, clock, START_MS, from, to, stray, dumpB);
    }

    /** One check, as run's retention agent makes it, at {@code now} (epoch ns). */
    private int check(final Retention.Limits limits, final long now, final List<Retention.Pin> pins)
    {
        try (TestJournal j = TestJournal.create(dir, ROLL, clock))
        {
            return new Retention(j.journal(), new SnapshotBases(j.journal()), () -> pins, () -> now).check(limits);
        }
    }

    private List<String> cycleFiles() throws IOException
    {
        final List<String> files = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*.cq4"))
        {
            list.forEach(f -> files.add(f.getFileName().toString()));
        }
        files.sort(null);
        return files;
    }

    private static String file(final int hour)
    {
        return Journal.cycleFileName(RollCycles.FAST_HOURLY, (int)((START_MS + hour * HOUR_MS) / HOUR_MS));
    }

    private static List<String> files(final int from, final int to)
    {
        final List<String> out = new ArrayList<>();
        for (int h = from; h < to; h++)
        {
            out.add(file(h));
        }
        return out;
    }

    private List<Long> snapshotIndexes()
    {
        return Snapshots.indexes(dir.resolve(Snapshots.DIR));
    }

    private List<String> messages(final Level atLeast)
    {
        synchronized (logs)
        {
            return logs.stream().filter(r -> r.getLevel().intValue() >= atLeast.intValue()).map(LogRecord::getMessage).toList();
        }
    }

    private static long seq(final String json)
    {
        final int at = json.indexOf("\"seq\":") + 6;
        return Long.parseLong(json.substring(at, json.indexOf(',', at)));
    }

    private JournalBase base()
    {
        try (Journal j = Journal.openForReading(dir))
        {
            return JournalBase.of(j);
        }
    }

    private static String[] cli(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = io.nlstream.monitor.cli.Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    /**
     * By time: the oldest files go while the state kept without them reaches back to the cutoff; the snapshots of
     * their states go with them; the journal keeps its state from its base, and readers answer from it what they
     * answered before (events after it, states at instants after it), also without snapshots.
     */
    @Test
    void byTimeTheOldestFilesGoWhileTheStateKeptReachesBackToTheCutoff() throws IOException
    {
        write(0, 5, false, -1);
        assertEquals(files(0, 5), cycleFiles());
        final List<String> eventsBefore = V1Journal.events(dir, READ_ONLY);
        final List<Long> instants = List.of(T0 + 2 * HOUR + 15 * MINUTE, T0 + 2 * HOUR + 30 * MINUTE, T0 + 3 * HOUR + 6 * MINUTE,
            T0 + 4 * HOUR + 59 * MINUTE);
        final List<List<String>> statesBefore = new ArrayList<>();
        for (final long at : instants)
        {
            statesBefore.add(V1Journal.state(dir, at, V1Journal.allKinds(), READ_ONLY));
        }

        // 2h30m back from the end of hour 4: the state after hour 2's dump, not hour 3's, is kept
        final Duration time = Duration.ofMinutes(150);
        final long[] entries = {entriesIn(0), entriesIn(1)};
        assertEquals(2, check(new Retention.Limits(time, 0, false), T0 + 5 * HOUR, List.of()));
        assertEquals(files(2, 5), cycleFiles());
        final List<String> info = messages(Level.INFO);
        for (final int h : new int[] {0, 1})
        {
            assertTrue(info.stream().anyMatch(m -> m.startsWith("retention: deleted journal file " + file(h) + " (" + entries[h] + " entries captured from "
                + Timestamps.rfc3339(T0 + h * HOUR)) && m.endsWith("older than PT2H30M (retention.time)")), info.toString());
        }
        final JournalBase base = base();
        assertNotNull(base);
        assertTrue(base.found());
        assertEquals(file(1), base.gone().file());
        assertTrue(base.fromNanos() > T0 + 2 * HOUR && base.fromNanos() <= T0 + 2 * HOUR + INTERVAL + MINUTE, "the first snapshot after"
            + " hour 2's dump: " + Instant.ofEpochSecond(0, base.fromNanos()));
        assertEquals(base.index(), (long)snapshotIndexes().get(0), "the snapshots before the base are gone with the files");

        // readers answer from the base what they answered before
        final List<String> expected = eventsBefore.stream().filter(e -> seq(e) > base.index()).toList();
        assertTrue(expected.size() > 100 && expected.size() < eventsBefore.size(), expected.size() + " of " + eventsBefore.size());
        assertEquals(expected, V1Journal.events(dir, READ_ONLY));
        assertEquals(expected, V1Journal.events(dir, NO_SNAPSHOTS), "the base is the journal's start now, snapshots or not");
        for (int i = 0; i < instants.size(); i++)
        {
            assertEquals(statesBefore.get(i), V1Journal.state(dir, instants.get(i), V1Journal.allKinds(), READ_ONLY), "state at "
                + Instant.ofEpochSecond(0, instants.get(i)));
            assertEquals(statesBefore.get(i), V1Journal.state(dir, instants.get(i), V1Journal.allKinds(), NO_SNAPSHOTS));
        }
        assertTrue(statesBefore.get(0).stream().anyMatch(s -> s.contains("\"ifname\":\"v1\"")), "v1, added in a deleted file, is alive");

        // an instant before the base: no longer held, said as the journal's other range answers are (exit 0)
        final String at = Instant.ofEpochSecond(0, T0 + HOUR + 30 * MINUTE).toString();
        final String[] before = cli("state", "--journal", dir.toString(), "--at", at);
        assertEquals("0", before[0], before[2]);
        assertEquals("", before[1]);
        assertTrue(before[2].contains("holds entries captured from " + Timestamps.rfc3339(base.fromNanos()) + " to ")
            && before[2].contains("its files up to " + file(1) + " were deleted") && before[2].contains("the state at "
                + Timestamps.rfc3339(T0 + HOUR + 30 * MINUTE) + " is no longer held"),
            before[2]);
        final String[] replay = cli("replay", "--journal", dir.toString(), "--format", "json", "--since", at);
        assertEquals("0", replay[0], replay[2]);
        assertEquals(String.join("\n", expected) + "\n", replay[1]);
        assertTrue(replay[2].contains("what was captured before " + Timestamps.rfc3339(base.fromNanos()) + " is no longer held"), replay[2]);
        final String[] whole = cli("replay", "--journal", dir.toString(), "--format", "json");
        assertEquals("0", whole[0], whole[2]);
        assertEquals(replay[1], whole[1], "the whole journal is what it keeps");
        assertFalse(whole[2].contains("no longer held"), "asked for the journal's start, not an instant before it: " + whole[2]);
        assertTrue(cli("state", "--journal", dir.toString(), "--at", Instant.ofEpochSecond(0, instants.get(0)).toString())[1]
            .contains("v1"));
        // diff from an instant before the base: the state there is not known, so neither is what changed since
        final String[] diff = cli("diff", "--journal", dir.toString(), "--from", at);
        assertEquals("0", diff[0], diff[2]);
        assertEquals("", diff[1]);
        assertTrue(diff[2].contains("the state at " + Timestamps.rfc3339(T0 + HOUR + 30 * MINUTE) + " is no longer held"), diff[2]);
        final String[] changed = cli("diff", "--journal", dir.toString(), "--from", Instant.ofEpochSecond(0, instants.get(0)).toString(),
            "--to", Instant.ofEpochSecond(0, instants.get(3)).toString());
        assertEquals("0", changed[0], changed[2]);
        assertTrue(changed[1].contains("+ ") && changed[1].contains("v4") && changed[1].contains("- ") && changed[1].contains("v1"), changed[1]);
        // a timeline of the whole journal opens at its base
        final Path page = tmp.resolve("timeline.html");
        final String[] timeline = cli("timeline", "--journal", dir.toString(), "--out", page.toString());
        assertEquals("0", timeline[0], timeline[2]);
        assertTrue(Files.readString(page).contains("v3"), "a link the window shows");

        // nothing more is old enough
        assertEquals(0, check(new Retention.Limits(time, 0, false), T0 + 5 * HOUR, List.of()));
        assertEquals(files(2, 5), cycleFiles());
    }

    /** By size: oldest first, until the journal directory takes no more than the limit. */
    @Test
    void bySizeTheOldestFilesGoUntilTheJournalFits() throws IOException
    {
        write(0, 5, false, -1);
        final Path copy = tmp.resolve("copy");
        copyTree(dir, copy);
        final long[] sizes = sizes();

        // two files free enough
        final long fits = sizes[0] - sizes[1] - sizes[2];
        assertEquals(2, check(new Retention.Limits(null, fits, false), T0 + 5 * HOUR, List.of()));
        assertEquals(files(2, 5), cycleFiles());
        assertTrue(messages(Level.INFO).stream().anyMatch(m -> m.startsWith("retention: deleted journal file " + file(1))
            && m.endsWith("the journal took more than " + fits + " bytes (retention.size)")), messages(Level.INFO).toString());

        // a byte less, and a third goes
        dir = copy;
        final long[] copied = sizes();
        assertEquals(3, check(new Retention.Limits(null, copied[0] - copied[1] - copied[2] - 1, false), T0 + 5 * HOUR, List.of()));
        assertEquals(files(3, 5), cycleFiles());
    }

    /** What the journal takes on disk, and its first two files. */
    private long[] sizes()
    {
        final long total = io.nlstream.netlink.DiskUsage.tree(dir);
        final long first = io.nlstream.netlink.DiskUsage.bytes(dir.resolve(file(0)));
        final long second = io.nlstream.netlink.DiskUsage.bytes(dir.resolve(file(1)));
        assertTrue(first > 0 && second > 0 && total > first + second, total + " " + first + " " + second);
        return new long[] {total, first, second};
    }

    /** Never the file being written, however small the limit: a warning says why the journal stays over it. */
    @Test
    void neverTheFileBeingWritten() throws IOException
    {
        write(0, 5, false, -1);
        final Retention.Limits tiny = new Retention.Limits(Duration.ofMinutes(1), 1, false);
        try (TestJournal j = TestJournal.create(dir, ROLL, clock))
        {
            final Retention retention = new Retention(j.journal(), new SnapshotBases(j.journal()), List::of, () -> T0 + 10 * HOUR);
            assertEquals(4, retention.check(tiny));
            assertEquals(files(4, 5), cycleFiles());
            final List<String> warnings = messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains(" bytes, over 1 (retention.size), but its oldest file left, " + file(4)
                + ", is the one being written"), warnings.get(0));
            // said once, not at every check
            assertEquals(0, retention.check(tiny));
            assertEquals(1, messages(Level.WARNING).size());
            assertEquals(4, retention.deletedFiles());
        }
        final List<String> events = V1Journal.events(dir, READ_ONLY);
        assertFalse(events.isEmpty());
        assertTrue(events.stream().allMatch(e -> seq(e) > base().index()));
    }

    /**
     * A forwarder's checkpoint: the base kept must be before where it resumes (it starts from a snapshot before its
     * checkpoint), so nothing it has not forwarded goes; nothing at all while it has forwarded nothing; unless forced.
     */
    @Test
    void aForwardersCheckpointStopsItUnlessForced() throws IOException
    {
        write(0, 5, false, -1);
        final Path copy = tmp.resolve("copy");
        copyTree(dir, copy);
        final Retention.Limits time = new Retention.Limits(Duration.ofMinutes(90), 0, false);
        // time alone would delete hours 0 to 2; a forwarder has sent hour 2's first 30 minutes
        final long checkpoint = indexAt(T0 + 2 * HOUR + 30 * MINUTE);
        final List<Retention.Pin> pins = List.of(new Retention.Pin("kafka-nlstream.checkpoint", checkpoint));
        assertEquals(2, check(time, T0 + 5 * HOUR, pins));
        assertEquals(files(2, 5), cycleFiles());
        assertTrue(base().index() < checkpoint);
        final List<String> info = messages(Level.INFO);
        assertTrue(info.stream().anyMatch(m -> m.contains("but deleting " + file(2) + " would pass the checkpoint of kafka-nlstream.checkpoint"
            + " (it resumes at index " + checkpoint + "); --retention-force deletes it anyway")), info.toString());

        // a forwarder that has forwarded nothing keeps everything
        dir = copy;
        assertEquals(0, check(time, T0 + 5 * HOUR, List.of(new Retention.Pin("run --kafka", Long.MIN_VALUE))));
        assertEquals(files(0, 5), cycleFiles());
        assertTrue(messages(Level.INFO).stream().anyMatch(m -> m.contains("the journal's start: it has forwarded nothing yet")));

        // forced
        assertEquals(3, check(new Retention.Limits(Duration.ofMinutes(90), 0, true), T0 + 5 * HOUR,
            List.of(new Retention.Pin("run --kafka", Long.MIN_VALUE))));
        assertEquals(files(3, 5), cycleFiles());
        // that forwarder goes on from the base (ForwarderAgent logs what it lost): its pipeline says where
        final long baseIndex = base().index();
        try (Journal j = Journal.openForReading(dir); ReadPipeline forwarder = READ_ONLY.apply(ReadPipeline.from(j)).emitFromIndex(checkpoint).build())
        {
            assertEquals(baseIndex, forwarder.baseIndex());
            final List<Long> seqs = new ArrayList<>();
            while (forwarder.poll(1000, e -> seqs.add(e.seq())) > 0)
            {
                // reads on
            }
            assertTrue(!seqs.isEmpty() && seqs.get(0) > baseIndex && checkpoint < baseIndex, seqs.get(0) + " after " + baseIndex);
        }
    }

    /**
     * The base rule: a link announced in the first file and never dumped again keeps its record there, so no snapshot
     * is a base without that file, and it stays, whatever the limits want (said once). A dump of its namespace that
     * ends it moves every object's record past it: then the files before go.
     */
    @Test
    void theStateAtTheOldestInstantKeptNeverLacksItsBase() throws IOException
    {
        write(0, 4, true, -1);
        assertEquals(0, check(new Retention.Limits(Duration.ofMinutes(30), 1, false), T0 + 5 * HOUR, List.of()));
        assertEquals(files(0, 4), cycleFiles());
        final List<String> warnings = messages(Level.WARNING);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("but no snapshot after " + file(0) + " is a base yet (one whose objects' records all lie"
            + " in the files after it: the newest snapshot, "), warnings.get(0));
        assertTrue(warnings.get(0).contains(", in " + file(0) + ")"), warnings.get(0));
        final List<String> strayBefore = V1Journal.state(dir, T0 + 4 * HOUR, Set.of(Kind.LINK), READ_ONLY);
        assertTrue(strayBefore.stream().anyMatch(s -> s.contains("\"ifname\":\"stray\"")), strayBefore.toString());

        // hour 4 dumps namespace B: the stray link ends, and with it the last record in the first files
        write(4, 6, false, 4);
        final List<String> eventsBefore = V1Journal.events(dir, READ_ONLY);
        final List<String> stateBefore = V1Journal.state(dir, T0 + 5 * HOUR + 30 * MINUTE, V1Journal.allKinds(), READ_ONLY);
        assertEquals(5, check(new Retention.Limits(Duration.ofMinutes(30), 1, false), T0 + 6 * HOUR, List.of()));
        assertEquals(files(5, 6), cycleFiles());
        final JournalBase base = base();
        assertTrue(base.found() && base.fromNanos() > T0 + 5 * HOUR, Instant.ofEpochSecond(0, base.fromNanos()).toString());
        assertEquals(eventsBefore.stream().filter(e -> seq(e) > base.index()).toList(), V1Journal.events(dir, READ_ONLY));
        assertEquals(stateBefore, V1Journal.state(dir, T0 + 5 * HOUR + 30 * MINUTE, V1Journal.allKinds(), READ_ONLY));
        assertFalse(stateBefore.stream().anyMatch(s -> s.contains("stray")));
    }

    /**
     * Readers opened before a deletion read on: one inside a file deleted under it reads it to its end (the file
     * outlives its name while open) and names the hole where the next deleted file was; readers opened after start
     * at the journal's new first file. None fails.
     */
    @Test
    void readersOpenedBeforeADeletionReadOn() throws IOException
    {
        write(0, 5, false, -1);
        final long gone0 = entriesIn(0);
        final long gone1 = entriesIn(1);
        final long total;
        try (Journal j = Journal.openForReading(dir); JournalReader all = j.reader().toStart())
        {
            total = count(all, new ArrayList<>());
        }
        try (Journal j = Journal.openForReading(dir);
             JournalReader inside = j.reader().toStart();
             JournalReader atStart = j.reader().toStart();
             ReadPipeline replay = READ_ONLY.apply(ReadPipeline.from(j)).build())
        {
            final JournalEntry e = new JournalEntry();
            for (int i = 0; i < 10; i++)
            {
                assertTrue(inside.next(e));
            }
            final List<String> replayed = new ArrayList<>();
            replay.poll(20, ev -> replayed.add(V1Journal.json(ev)));

            assertEquals(2, check(new Retention.Limits(Duration.ofMinutes(150), 0, false), T0 + 5 * HOUR, List.of()));
            // a reader in another process learns the journal's new first file from the metadata the writer rewrote
            assertEquals(RollCycles.FAST_HOURLY.toIndex((int)((START_MS + 2 * HOUR_MS) / HOUR_MS), 0), j.firstIndex());

            final List<String> holes = new ArrayList<>();
            inside.onCorrupt((index, reason) -> holes.add(reason));
            final long rest = count(inside, new ArrayList<>());
            assertEquals(total - 10 - gone1, rest, holes.toString());
            assertEquals(1, holes.size(), holes.toString());
            assertTrue(holes.get(0).startsWith("hole: journal file " + file(1) + " is missing"), holes.get(0));
            assertEquals(total - gone1, count(atStart, new ArrayList<>()));
            while (replay.poll(1000, ev -> replayed.add(V1Journal.json(ev))) > 0)
            {
                // reads on
            }
            assertTrue(replayed.size() > 100, replayed.size() + " events");
            try (JournalReader after = j.reader().toStart())
            {
                final List<Long> indexes = new ArrayList<>();
                count(after, indexes);
                assertEquals(RollCycles.FAST_HOURLY.toIndex((int)((START_MS + 2 * HOUR_MS) / HOUR_MS), 0), (long)indexes.get(0));
            }
        }
        try (Journal j = Journal.openForReading(dir); JournalReader fresh = j.reader().toStart())
        {
            final List<Long> indexes = new ArrayList<>();
            assertEquals(total - gone0 - gone1, count(fresh, indexes));
        }
    }

    /**
     * Between deleting a file and rewriting the metadata that names the journal's first file (or after a writer that
     * died between the two), the metadata names a file that is gone; Chronicle's listing of the files fails on it.
     * Readers opening then read the journal as its directory has it.
     */
    @Test
    void aReaderOpeningBeforeTheMetadataIsRewrittenReads() throws IOException
    {
        write(0, 4, false, -1);
        final List<String> expected;
        try (TestJournal writer = TestJournal.create(dir, ROLL, clock))
        {
            final long firstBefore;
            try (Journal j = Journal.openForReading(dir))
            {
                firstBefore = j.firstIndex();
            }
            Files.delete(dir.resolve(file(0)));
            try (Journal j = Journal.openForReading(dir))
            {
                assertTrue(j.firstIndex() > firstBefore);
                assertEquals(RollCycles.FAST_HOURLY.toIndex((int)((START_MS + HOUR_MS) / HOUR_MS), 0), j.firstIndex());
            }
            final String[] stats = cli("stats", "--journal", dir.toString());
            assertEquals("0", stats[0], stats[2]);
            assertTrue(stats[1].contains("\noldest_kept " + Timestamps.rfc3339(base().fromNanos()) + "\n"), stats[1]);
            final String[] replay = cli("replay", "--journal", dir.toString(), "--format", "json");
            assertEquals("0", replay[0], replay[2]);
            expected = List.of(replay[1].split("\n"));
            assertTrue(expected.size() > 100, replay[1]);
        }
        assertEquals(expected, V1Journal.events(dir, READ_ONLY), "the same once the writer rewrote the metadata");

        // the snapshots of the file deleted by hand point into it: the next check deletes them, and deletes nothing else
        final long base = base().index();
        assertTrue(snapshotIndexes().get(0) < base, snapshotIndexes() + " " + base);
        final List<String> kept = cycleFiles();
        assertEquals(0, check(new Retention.Limits(Duration.ofDays(10), 0, false), T0 + 5 * HOUR, List.of()));
        assertEquals(kept, cycleFiles());
        assertEquals(base, (long)snapshotIndexes().get(0));
        assertEquals(expected, V1Journal.events(dir, READ_ONLY));
    }

    /** {@code stats} says what the journal directory takes on disk and the oldest instant it keeps. */
    @Test
    void statsShowDiskUseAndTheOldestInstantKept() throws IOException
    {
        write(0, 4, false, -1);
        final String[] full = cli("stats", "--journal", dir.toString());
        assertEquals("0", full[0], full[2]);
        assertTrue(full[1].contains("\noldest_kept " + Timestamps.rfc3339(T0) + "\n"), full[1]);
        final long disk = Long.parseLong(full[1].replaceAll("(?s).*\ndisk_bytes ([0-9]+)\n.*", "$1"));
        assertTrue(disk > 0 && Math.abs(disk - io.nlstream.netlink.DiskUsage.tree(dir)) < 1 << 20, full[1]);

        assertEquals(2, check(new Retention.Limits(Duration.ofMinutes(100), 0, false), T0 + 4 * HOUR, List.of()));
        final String[] kept = cli("stats", "--journal", dir.toString());
        assertEquals("0", kept[0], kept[2]);
        final JournalBase base = base();
        assertTrue(kept[1].contains("\noldest_kept " + Timestamps.rfc3339(base.fromNanos()) + "\n"), kept[1]);
        final long after = Long.parseLong(kept[1].replaceAll("(?s).*\ndisk_bytes ([0-9]+)\n.*", "$1"));
        assertTrue(after < disk, after + " after, " + disk + " before");
    }

    /** Entries in the file of {@code hour}, as a reader counts them. */
    private long entriesIn(final int hour)
    {
        final long index = RollCycles.FAST_HOURLY.toIndex((int)((START_MS + hour * HOUR_MS) / HOUR_MS), 0);
        try (Journal j = Journal.openForReading(dir); JournalReader r = j.reader())
        {
            final JournalEntry e = new JournalEntry();
            long n = 0;
            if (r.moveToIndex(index))
            {
                while (r.next(e) && RollCycles.FAST_HOURLY.toCycle(e.index()) == RollCycles.FAST_HOURLY.toCycle(index))
                {
                    n++;
                }
            }
            return n;
        }
    }

    private long indexAt(final long nanos)
    {
        try (Journal j = Journal.openForReading(dir); TimeIndex index = new TimeIndex(j))
        {
            return index.firstAtOrAfter(nanos);
        }
    }

    private static long count(final JournalReader r, final List<Long> indexes)
    {
        final JournalEntry e = new JournalEntry();
        long n = 0;
        while (r.next(e))
        {
            indexes.add(e.index());
            n++;
        }
        return n;
    }

    private static void copyTree(final Path from, final Path to)
    {
        try (java.util.stream.Stream<Path> files = Files.walk(from))
        {
            for (final Path f : files.toList())
            {
                final Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f))
                {
                    Files.createDirectories(target);
                }
                else if (!f.getFileName().toString().equals(Journal.LOCK_FILE))
                {
                    Files.copy(f, target);
                }
            }
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
