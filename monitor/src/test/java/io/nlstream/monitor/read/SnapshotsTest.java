package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots change nothing but the cost: over the kernel-made v1 journal, state at many instants and event
 * streams from many positions are the same read from the journal's start, from snapshots, and from snapshots
 * that were deleted, truncated, bit-flipped, renamed or belong to another journal (which are then written
 * again when due).
 */
class SnapshotsTest
{
    private static final long INTERVAL = 200_000_000L;
    private static final long ENTRIES = 500;
    private static final UnaryOperator<ReadPipeline.Builder> NO_SNAPSHOTS = b -> b;
    private static final UnaryOperator<ReadPipeline.Builder> SNAPSHOTS = b -> b.snapshots(true, true, INTERVAL, ENTRIES);

    @TempDir
    Path tmp;
    Path journal;
    List<Long> instants;
    List<Long> indexes;

    @BeforeEach
    void setUp()
    {
        journal = V1Journal.extract(tmp);
        instants = new ArrayList<>();
        indexes = new ArrayList<>();
        try (Journal j = Journal.openForReading(journal); JournalReader r = j.reader().toStart())
        {
            final JournalEntry e = new JournalEntry();
            int n = 0;
            while (r.next(e))
            {
                if (n++ % 397 == 0)
                {
                    instants.add(e.wallNanos());
                    indexes.add(e.index());
                }
            }
        }
    }

    private List<Path> snapshots() throws IOException
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(journal.resolve(Snapshots.DIR), "*.snap"))
        {
            d.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    @Test
    void theSameAnswersFromSnapshots() throws IOException
    {
        V1Journal.events(journal, SNAPSHOTS);
        assertTrue(snapshots().size() >= 8, snapshots().toString());
        assertSameAnswers();
    }

    /**
     * After an upgrade that changes what a snapshot holds, the first reader finds none it can use: it reads the
     * journal from its start anyway, so it follows every kind and writes them again, even when asked one kind;
     * the queries after it start from them.
     */
    @Test
    void snapshotsOfAnotherPolicyVersionAreWrittenAgainByTheFirstReader() throws IOException
    {
        V1Journal.events(journal, SNAPSHOTS);
        final List<Path> files = snapshots();
        assertTrue(files.size() > 3, files.toString());
        for (final Path f : files)
        {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE))
            {
                // the policy version follows the magic (8 bytes) and the format version (4), little-endian
                final java.nio.ByteBuffer older = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(0, Snapshot.POLICY_VERSION - 1);
                ch.write(older, 12);
            }
            assertEquals(null, Snapshot.readHeader(f, new String[1]), f + " reads as another version");
        }
        final long end = instants.get(instants.size() - 1);
        final List<String> conns = V1Journal.state(journal, end, Set.of(Kind.CONN), SNAPSHOTS);
        for (final Path f : files)
        {
            assertTrue(Snapshot.readHeader(f, new String[1]) != null, f + " written again");
        }
        assertEquals(V1Journal.state(journal, end, Set.of(Kind.CONN), NO_SNAPSHOTS), conns);
    }

    @Test
    void damagedSnapshotsAreNotTrustedAndAreWrittenAgain() throws IOException
    {
        V1Journal.events(journal, SNAPSHOTS);
        final List<Path> files = snapshots();
        final Random random = new Random(11);
        final List<Path> damaged = new ArrayList<>();
        for (int i = 0; i < files.size(); i++)
        {
            final Path f = files.get(i);
            switch (i % 5)
            {
                case 0:
                    Files.delete(f);
                    break;
                case 1:
                    truncate(f, random.nextInt((int)Files.size(f)));
                    damaged.add(f);
                    break;
                case 2:
                    flip(f, random.nextInt((int)Files.size(f)), random);
                    damaged.add(f);
                    break;
                case 3:
                    // a snapshot under another index's name
                    if (i + 1 < files.size())
                    {
                        Files.copy(files.get(i + 1), f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        damaged.add(f);
                    }
                    break;
                default:
                    break;
            }
        }
        assertSameAnswers();
        // a reader that reads across them writes the missing and damaged ones again
        V1Journal.events(journal, SNAPSHOTS);
        assertEquals(files, snapshots());
        for (final Path f : damaged)
        {
            final String[] why = new String[1];
            final Snapshot.Header h = Snapshot.readHeader(f, why);
            assertTrue(h != null && f.getFileName().toString().equals(Snapshot.fileName(h.lastIndex)), f + ": " + why[0]);
            final String problem = Snapshot.load(h, new StatePolicy(null), new EventReader(), V1Journal.allKinds());
            // a bit flipped in a body is found when a reader loads it (and then written again): never used
            assertTrue(problem == null || problem.contains("checksum") || problem.contains("section"), f + ": " + problem);
        }
    }

    @Test
    void everyByteOfASnapshotIsChecked() throws IOException
    {
        V1Journal.events(journal, SNAPSHOTS);
        final Path f = snapshots().get(snapshots().size() - 1);
        final byte[] good = Files.readAllBytes(f);
        final Random random = new Random(3);
        for (int i = 0; i < 40; i++)
        {
            final int at = i < good.length / 97 ? i * 97 : random.nextInt(good.length);
            final byte[] bad = good.clone();
            bad[at] ^= (byte)(1 << random.nextInt(8));
            Files.write(f, bad);
            final String[] why = new String[1];
            final Snapshot.Header h = Snapshot.readHeader(f, why);
            final String problem = h == null ? why[0] : Snapshot.load(h, new StatePolicy(null), new EventReader(), V1Journal.allKinds());
            assertFalse(problem == null && h.lastIndex == Snapshot.indexOf(f.getFileName().toString())
                && !java.util.Arrays.equals(good, bad), "flip at " + at + " not noticed");
        }
    }

    @Test
    void aSnapshotOfAnotherJournalIsNotUsed() throws IOException
    {
        V1Journal.events(journal, SNAPSHOTS);
        final Path other = V1Journal.extract(Files.createDirectories(tmp.resolve("other")));
        // the other journal's entries at the same indexes, captured at other times
        try (Journal j = Journal.openForWriting(tmp.resolve("elsewhere"), "FAST_HOURLY"))
        {
            // nothing: only a directory that is not the journal
        }
        final Path snap = snapshots().get(snapshots().size() / 2);
        final Snapshot.Header h = Snapshot.readHeader(snap, new String[1]);
        // rewrite the last entry's time in the header: as if it came from a journal with different times
        try (FileChannel ch = FileChannel.open(snap, StandardOpenOption.WRITE))
        {
            final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, h.lastTs + 1);
            ch.write(b, 24);
        }
        assertSameAnswers();
        assertTrue(Files.isDirectory(other));
    }

    /**
     * A filtered reader does not track the flows its filters reject, so it never saves a snapshot of that
     * partial state; the first reader of a journal without snapshots tracks everything even when filtered, and
     * saves them. Either way its answers are those of the unfiltered reader, filtered.
     */
    @Test
    void filteredReadersSaveOnlyWholeStates() throws IOException
    {
        final io.nlstream.config.FilterSpec udp = io.nlstream.config.NlstreamConfig.parse("state", new String[] {"--proto", "udp"},
            java.util.Map.of(), java.time.Clock.systemUTC()).filter();
        final List<String> first = V1Journal.events(journal, b -> SNAPSHOTS.apply(b).filter(udp));
        final List<Path> written = snapshots();
        assertTrue(written.size() >= 8, "the first reader saved snapshots though filtered: " + written);
        final List<String> udpEvents = V1Journal.events(journal, b -> b.filter(udp));
        assertEquals(udpEvents, first);
        for (final Path f : written)
        {
            Files.delete(f);
        }
        // one snapshot left: the journal has some, so a filtered reader skips flows and saves none
        V1Journal.events(journal, SNAPSHOTS);
        final List<Path> all = snapshots();
        for (int i = 1; i < all.size(); i++)
        {
            Files.delete(all.get(i));
        }
        assertEquals(udpEvents, V1Journal.events(journal, b -> SNAPSHOTS.apply(b).filter(udp)));
        assertEquals(1, snapshots().size(), "a reader that skipped flows saved no snapshot");
        for (final long at : instants)
        {
            assertEquals(sorted(V1Journal.state(journal, at, V1Journal.allKinds(), b -> b.filter(udp))),
                sorted(V1Journal.state(journal, at, V1Journal.allKinds(), b -> SNAPSHOTS.apply(b).filter(udp))), "udp state at " + at);
        }
        assertEquals(1, snapshots().size());
    }

    private void assertSameAnswers()
    {
        final Set<Kind> all = V1Journal.allKinds();
        for (final long at : instants)
        {
            final List<String> plain = sorted(V1Journal.state(journal, at, all, NO_SNAPSHOTS));
            assertEquals(plain, sorted(V1Journal.state(journal, at, all, SNAPSHOTS)), "state at " + at);
            assertEquals(sorted(V1Journal.state(journal, at, Set.of(Kind.LINK, Kind.ADDR), NO_SNAPSHOTS)),
                sorted(V1Journal.state(journal, at, Set.of(Kind.LINK, Kind.ADDR), SNAPSHOTS)), "links and addresses at " + at);
        }
        final List<String> all0 = V1Journal.events(journal, NO_SNAPSHOTS);
        for (final long from : indexes)
        {
            final List<String> tail = V1Journal.events(journal, b -> SNAPSHOTS.apply(b).emitFromIndex(from));
            assertEquals(all0.subList(all0.size() - tail.size(), all0.size()), tail, "events from index " + from);
            assertTrue(tail.isEmpty() || all0.indexOf(tail.get(0)) >= 0);
        }
        for (final long since : instants)
        {
            assertEquals(V1Journal.events(journal, b -> b.since(since)), V1Journal.events(journal, b -> SNAPSHOTS.apply(b).since(since)),
                "events since " + since);
        }
    }

    private static List<String> sorted(final List<String> lines)
    {
        final List<String> copy = new ArrayList<>(lines);
        copy.sort(null);
        return copy;
    }

    private static void truncate(final Path f, final long size) throws IOException
    {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE))
        {
            ch.truncate(size);
        }
    }

    private static void flip(final Path f, final int at, final Random random) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(f);
        bytes[at] ^= (byte)(1 << random.nextInt(8));
        Files.write(f, bytes);
    }
}
