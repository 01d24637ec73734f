package io.nlstream.monitor.cli;

import io.nlstream.monitor.journal.RtnlMessages;
import io.nlstream.monitor.journal.TestJournal;
import io.nlstream.monitor.testing.MonitorProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code replay} and {@code state} say about a range the journal does not cover (nothing on stdout, the
 * journal's coverage on stderr, exit 0), and the usage errors of the new read options (filters, --follow),
 * on journals written in the test.
 */
class JournalRangeTest
{
    private static final long T0 = Instant.parse("2026-11-28T10:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final String COVERS = " holds entries captured from 2026-11-28T10:00:00.000000000Z to 2026-11-28T10:00:05.000000000Z";

    @TempDir
    Path tmp;

    private record Result(int code, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Six links, one a second from 10:00:00 to 10:00:05. */
    private Path journal()
    {
        final Path dir = tmp.resolve("journal");
        try (TestJournal j = TestJournal.create(dir))
        {
            for (int i = 0; i < 6; i++)
            {
                j.at(T0 + i * SECOND).event(TestJournal.NETNS_A, RtnlMessages.newLink(i + 1, "eth" + i, 1500));
            }
        }
        return dir;
    }

    @Test
    void stateAtBeforeTheFirstEntrySaysWhatTheJournalCovers()
    {
        final Path dir = journal();
        final Result r = run("state", "--journal", dir.toString(), "--at", "2026-11-28T09:00:00Z");
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        assertEquals("", r.out());
        assertEquals("nlstream: journal " + dir + COVERS + "; nothing was captured at or before 2026-11-28T09:00:00.000000000Z\n",
            r.err());
    }

    @Test
    void replaySinceAfterTheEndSaysWhatTheJournalCovers()
    {
        final Path dir = journal();
        final Result r = run("replay", "--journal", dir.toString(), "--since", "2026-11-28T10:00:06Z");
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        assertEquals("", r.out());
        assertEquals("nlstream: journal " + dir + COVERS + "; nothing was captured from 2026-11-28T10:00:06.000000000Z on\n", r.err());
    }

    @Test
    void replayOfAnEmptyRangeInTheMiddleSaysWhatTheJournalCovers()
    {
        final Path dir = journal();
        final Result r = run("replay", "--journal", dir.toString(), "--format", "json",
            "--since", "2026-11-28T10:00:02.5Z", "--until", "2026-11-28T10:00:02.9Z");
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        assertEquals("", r.out());
        assertEquals("nlstream: journal " + dir + COVERS
            + "; nothing was captured from 2026-11-28T10:00:02.500000000Z to 2026-11-28T10:00:02.900000000Z\n", r.err());

        // the entries at either end of that range are printed, and nothing is said
        final Result around = run("replay", "--journal", dir.toString(), "--format", "json",
            "--since", "2026-11-28T10:00:02Z", "--until", "2026-11-28T10:00:03Z");
        assertEquals(Main.EXIT_OK, around.code(), around.toString());
        assertEquals(2, around.out().split("\n").length, around.toString());
        assertEquals("", around.err());
    }

    @Test
    void replaySinceAndUntilBeforeTheFirstEntrySaysWhatTheJournalCovers()
    {
        final Path dir = journal();
        final Result r = run("replay", "--journal", dir.toString(), "--since", "2026-11-28T08:00:00Z", "--until", "2026-11-28T09:00:00Z");
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        assertEquals("", r.out());
        assertEquals("nlstream: journal " + dir + COVERS
            + "; nothing was captured from 2026-11-28T08:00:00.000000000Z to 2026-11-28T09:00:00.000000000Z\n", r.err());
    }

    @Test
    void replayUntilBeforeTheFirstEntrySaysWhatTheJournalCovers()
    {
        final Path dir = journal();
        final Result r = run("replay", "--journal", dir.toString(), "--until", "2026-11-28T09:00:00Z");
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("nlstream: journal " + dir + COVERS + "; nothing was captured "), r.toString());
        assertTrue(r.err().contains("2026-11-28T09:00:00.000000000Z"), r.toString());
    }

    @Test
    void anEmptyJournalDirectoryHoldsNoEntries() throws IOException
    {
        final Path empty = Files.createDirectory(tmp.resolve("empty"));
        final Path written = tmp.resolve("written");
        TestJournal.create(written).close(); // opened for writing by a run that captured nothing
        for (final Path dir : List.of(empty, written))
        {
            for (final String[] args : List.of(
                new String[] {"replay", "--journal", dir.toString()},
                new String[] {"replay", "--journal", dir.toString(), "--since", "2026-11-28T09:00:00Z", "--format", "json"},
                new String[] {"state", "--journal", dir.toString(), "--at", "2026-11-28T09:00:00Z"}))
            {
                final Result r = run(args);
                assertEquals(Main.EXIT_OK, r.code(), String.join(" ", args) + ": " + r);
                assertEquals("", r.out(), String.join(" ", args) + ": " + r);
                assertTrue(r.err().startsWith("nlstream: journal " + dir + " holds no entries"), String.join(" ", args) + ": " + r);
                assertEquals(1, r.err().split("\n").length, String.join(" ", args) + ": " + r);
            }
        }
    }

    @Test
    void replayToKafkaWithFollowIsAUsageError()
    {
        final Path dir = journal();
        for (final String follow : List.of("--follow", "-f"))
        {
            final Result r = run("replay", "--journal", dir.toString(), "--to-kafka", "127.0.0.1:1", follow);
            assertEquals(Main.EXIT_USAGE, r.code(), r.toString());
            assertEquals("", r.out());
            assertTrue(r.err().contains("forward --follow"), "points to the command that does it: " + r);
        }
    }

    @Test
    void inNetnsNamingNoNamespaceIsAUsageErrorNamingIt()
    {
        final Path dir = journal();
        final String name = "nlst-nosuch-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        assertFalse(Files.exists(Path.of("/run/netns", name)));
        for (final String command : List.of("replay", "state"))
        {
            final Result r = run(command, "--journal", dir.toString(), "--in-netns", name);
            assertEquals(Main.EXIT_USAGE, r.code(), command + ": " + r);
            assertEquals("", r.out(), command + ": " + r);
            assertTrue(r.err().contains(name), command + ": " + r);
        }
        // an inode number is taken as it is: namespaces gone since are still named by their inode
        final Result inode = run("replay", "--journal", dir.toString(), "--format", "json", "--in-netns", Long.toString(TestJournal.NETNS_A));
        assertEquals(Main.EXIT_OK, inode.code(), inode.toString());
        assertEquals(6, inode.out().split("\n").length, inode.toString());
    }

    @Test
    void inNetnsNamingNoNamespaceIsAUsageErrorWhateverTheJournalHolds() throws IOException
    {
        final Path dir = journal();
        final Path empty = Files.createDirectory(tmp.resolve("empty"));
        final String name = "nlst-nosuch-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        for (final String[] args : List.of(
            new String[] {"replay", "--journal", dir.toString(), "--in-netns", name, "--since", "2026-11-28T11:00:00Z"},
            new String[] {"state", "--journal", dir.toString(), "--in-netns", name, "--at", "2026-11-28T09:00:00Z"},
            new String[] {"replay", "--journal", empty.toString(), "--in-netns", name},
            new String[] {"replay", "--journal", tmp.resolve("missing").toString(), "--in-netns", name}))
        {
            final Result r = run(args);
            assertEquals(Main.EXIT_USAGE, r.code(), String.join(" ", args) + ": " + r);
            assertTrue(r.err().contains(name), String.join(" ", args) + ": " + r);
        }
    }

    @Test
    void badFilterValuesAreUsageErrorsListedAllAtOnce()
    {
        final Path dir = journal();
        final Map<String, String> bad = Map.of(
            "--proto", "bogus",
            "--port", "70000",
            "--ip", "10.0.0.256",
            "--in-netns", "no/such",
            "--ifname", "a/b",
            "--op", "bogus",
            "--pid", "0",
            "--comm", "0123456789abcdefg");
        final String[] args = new String[3 + 2 * bad.size()];
        args[0] = "replay";
        args[1] = "--journal";
        args[2] = dir.toString();
        int i = 3;
        for (final Map.Entry<String, String> e : bad.entrySet())
        {
            args[i++] = e.getKey();
            args[i++] = e.getValue();
        }
        final Result r = run(args);
        assertEquals(Main.EXIT_USAGE, r.code(), r.toString());
        assertEquals("", r.out());
        for (final Map.Entry<String, String> e : bad.entrySet())
        {
            final String key = "filter." + e.getKey().substring(2);
            assertTrue(r.err().lines().anyMatch(l -> l.contains(e.getValue()) && l.contains(key)),
                e.getKey() + " " + e.getValue() + " reported as a problem with " + key + ":\n" + r);
        }
    }

    @Test
    void followOnAMissingJournalFailsNamingTheDirectory() throws Exception
    {
        final Path missing = tmp.resolve("nonexistent");
        for (final String follow : List.of("-f", "--follow"))
        {
            // a process of its own: replay --follow takes over SIGTERM and SIGINT in the JVM it runs in
            try (MonitorProcess p = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("work" + follow)),
                "replay", "--journal", missing.toString(), follow))
            {
                assertEquals(Main.EXIT_FAILURE, p.awaitExit(30_000), p.toString());
                assertEquals("", p.stdout());
                assertTrue(p.stderr().contains(missing.toString()), p.toString());
            }
            assertFalse(Files.exists(missing), "reading commands must not create the journal");
        }
    }

    private static Result run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            code = Main.run(args, Map.of(), o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
