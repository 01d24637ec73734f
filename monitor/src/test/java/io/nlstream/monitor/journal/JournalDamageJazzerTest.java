package io.nlstream.monitor.journal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nlstream.monitor.cli.Main;
import io.nlstream.netlink.rtnl.Rtnetlink;
import net.openhft.chronicle.core.time.SetTimeProvider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing (Jazzer) of reading a damaged journal (issue 11, item 8): a journal of two hourly cycle
 * files (link and address dumps and events, the state builder's input) is damaged as the fuzzer says (bytes
 * overwritten, runs of zeros, a file cut short) anywhere in the files' written part, including Chronicle Queue's own
 * headers and index; then {@code state} reads it, {@code repair} repairs it, {@code state} reads it again. Whatever
 * the damage: every command exits 0 or with the damage code 4 (never 1, never a stack trace), the repair is
 * idempotent (a second finds nothing), and a repaired journal always opens. A normal test run replays the saved
 * inputs; {@code JAZZER_FUZZ=1} fuzzes.
 */
class JournalDamageJazzerTest
{
    private static final long HOUR_MS = 3_600_000L;
    private static final long START_MS = 1_795_000_000_000L / HOUR_MS * HOUR_MS;
    /** The template journal's cycle files: their size and their written part. */
    private static final List<byte[]> WRITTEN = new ArrayList<>();
    private static final List<Long> SIZES = new ArrayList<>();
    private static final List<String> NAMES = new ArrayList<>();
    private static byte[] metadata;

    private static synchronized void template() throws IOException
    {
        if (!WRITTEN.isEmpty())
        {
            return;
        }
        final Path dir = Files.createTempDirectory("nls-damage-template");
        final SetTimeProvider clock = new SetTimeProvider(Instant.ofEpochMilli(START_MS));
        try (TestJournal j = TestJournal.create(dir, "FAST_HOURLY", clock))
        {
            for (int cycle = 0; cycle < 2; cycle++)
            {
                final byte[][] links = new byte[8][];
                for (int i = 0; i < links.length; i++)
                {
                    links[i] = RtnlMessages.newLink(10 + i, "veth" + i, 1500);
                }
                j.dump(TestJournal.NETNS_A, Rtnetlink.RTM_GETLINK, 100 + cycle, 0, links);
                for (int i = 0; i < 300; i++)
                {
                    final int ifindex = 10 + i % 8;
                    j.event(TestJournal.NETNS_A, i % 3 == 0 ? RtnlMessages.delLink(ifindex, "veth" + i % 8)
                        : i % 3 == 1 ? RtnlMessages.newLink(ifindex, "veth" + i % 8, 1400 + i)
                        : RtnlMessages.newAddr4(ifindex, "10.0." + i % 8 + "." + (1 + i % 200), 24));
                }
                clock.advanceMillis(HOUR_MS);
            }
        }
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*.cq4"))
        {
            list.forEach(files::add);
        }
        files.sort(null);
        for (final Path f : files)
        {
            final CycleFileScan scan = CycleFileScan.scan(f, JournalRepair.indexSpacing(f), null);
            final byte[] all = Files.readAllBytes(f);
            WRITTEN.add(java.util.Arrays.copyOf(all, (int)scan.end() + 8));
            SIZES.add((long)all.length);
            NAMES.add(f.getFileName().toString());
        }
        metadata = Files.readAllBytes(dir.resolve("metadata.cq4t"));
        deleteTree(dir);
    }

    @FuzzTest(maxDuration = "20s")
    void readsAndRepairsWhateverTheDamage(final FuzzedDataProvider data) throws IOException
    {
        template();
        final Path dir = Files.createTempDirectory("nls-damage");
        try
        {
            final List<byte[]> files = new ArrayList<>();
            for (final byte[] w : WRITTEN)
            {
                files.add(w.clone());
            }
            final long[] sizes = SIZES.stream().mapToLong(Long::longValue).toArray();
            final int edits = data.consumeInt(1, 6);
            for (int e = 0; e < edits && data.remainingBytes() > 0; e++)
            {
                final int which = data.consumeInt(0, files.size() - 1);
                final byte[] f = files.get(which);
                final int at = data.consumeInt(0, f.length - 1);
                switch (data.consumeInt(0, 3))
                {
                    case 0: // one bit
                        f[at] ^= (byte)(1 << data.consumeInt(0, 7));
                        break;
                    case 1: // a run of zeros, as a lost write leaves
                        java.util.Arrays.fill(f, at, Math.min(f.length, at + data.consumeInt(1, 8192)), (byte)0);
                        break;
                    case 2: // bytes of the fuzzer's choosing
                        final byte[] b = data.consumeBytes(data.consumeInt(1, 64));
                        System.arraycopy(b, 0, f, at, Math.min(b.length, f.length - at));
                        break;
                    default: // cut short
                        sizes[which] = Math.min(sizes[which], at);
                        break;
                }
            }
            for (int i = 0; i < files.size(); i++)
            {
                try (RandomAccessFile out = new RandomAccessFile(dir.resolve(NAMES.get(i)).toFile(), "rw"))
                {
                    final byte[] f = files.get(i);
                    out.write(f, 0, (int)Math.min(f.length, sizes[i]));
                    out.setLength(sizes[i]);
                }
            }
            Files.write(dir.resolve("metadata.cq4t"), metadata);
            for (final String name : NAMES)
            {
                // damage is found later: an empty newest file made seconds ago may be one a writer is creating
                Files.setLastModifiedTime(dir.resolve(name), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - HOUR_MS));
            }

            final Result before = run("state", "--journal", dir.toString(), "--snapshots", "false");
            final Result repair = run("repair", "--journal", dir.toString());
            assertEquals(Main.EXIT_OK, repair.code, repair.toString());
            final Result after = run("state", "--journal", dir.toString(), "--snapshots", "false");
            assertTrue(after.code == Main.EXIT_OK || after.code == Main.EXIT_DAMAGED, after.toString());
            assertFalse(after.err.contains("cut short"), "a repaired journal opens: " + after);
            final Result again = run("repair", "--journal", dir.toString());
            assertTrue(again.out.contains("no damage found"), "one repair is enough: " + again);
            assertTrue(before.code == Main.EXIT_OK || before.code == Main.EXIT_DAMAGED, before.toString());
        }
        finally
        {
            deleteTree(dir);
        }
    }

    private record Result(int code, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + code + "\n" + out + err;
        }
    }

    private static Result run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        final Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r);
        return r;
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (Files.exists(root))
        {
            try (java.util.stream.Stream<Path> walk = Files.walk(root))
            {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
