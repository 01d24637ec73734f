package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.config.Setting;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.testing.Json;
import io.nlstream.monitor.journal.RtnlMessages;
import io.nlstream.monitor.journal.TestJournal;
import io.nlstream.netlink.rtnl.Rtnetlink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Main.run} end to end on journals written in the test, with wall-clock times chosen so that
 * --since, --until and --at land exactly on entries.
 */
class CliTest
{
    /** 2026-11-28T10:00:00Z */
    private static final long T0 = Instant.parse("2026-11-28T10:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path tmp;

    private record Result(int code, String out, String err)
    {
        List<String> lines()
        {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        @Override
        public String toString()
        {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @Test
    void noArgumentsIsAUsageErrorWithTheUsageOnStderr()
    {
        final Result r = run();
        assertEquals(Main.EXIT_USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("Usage: nlstream COMMAND"), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void helpListsEveryCommandOnStdout()
    {
        for (final String help : List.of("--help", "-h", "help"))
        {
            final Result r = run(help);
            assertEquals(Main.EXIT_OK, r.code(), r.toString());
            assertEquals("", r.err());
            for (final String command : NlstreamConfig.DEF.commands().keySet())
            {
                assertTrue(r.out().contains("  " + command + " "), command + " in " + r);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"replay", "state", "stats", "run"})
    void commandHelpMentionsEveryFlagOfTheCommand(final String command)
    {
        final Result r = run(command, "--help");
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("Usage: nlstream " + command), r.toString());
        final List<Setting> settings = NlstreamConfig.DEF.settings(command);
        assertFalse(settings.isEmpty());
        for (final Setting s : settings)
        {
            if (s.flag() != null)
            {
                assertTrue(r.out().contains(s.flag() + " "), s.flag() + " in " + r);
            }
        }
        assertTrue(r.out().contains("--config"), r.toString());
        assertTrue(r.out().contains("--help"), r.toString());
    }

    @Test
    void replayHelpNamesItsOwnFlagsAndNotThoseOfRun()
    {
        final Result r = run("replay", "-h");
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        for (final String flag : List.of("--journal", "--format", "--since", "--until", "--kind", "--log-level"))
        {
            assertTrue(r.out().contains(flag), flag + " in " + r);
        }
        assertFalse(r.out().contains("--rcvbuf"), r.toString());
    }

    @Test
    void versionPrintsTheProjectVersionAndTheJavaRuntime()
    {
        for (final String version : List.of("--version", "version"))
        {
            final Result r = run(version);
            assertEquals(Main.EXIT_OK, r.code(), r.toString());
            assertEquals("", r.err());
            assertEquals(2, r.lines().size(), r.toString());
            assertTrue(r.lines().get(0).matches("nlstream \\d+\\.\\d+\\.\\d+[-.A-Za-z0-9]*"), r.toString());
            assertTrue(r.lines().get(1).startsWith("Java " + Runtime.version() + " ("), r.toString());
        }
    }

    /** A single-valued option given twice is refused before anything is made, naming both values. */
    @Test
    void aRepeatedSingleValuedOptionIsAUsageErrorAndMakesNoJournal()
    {
        final Path a = tmp.resolve("a");
        final Path b = tmp.resolve("b");
        final Result r = run("run", "--journal", a.toString(), "--stdout", "none", "--journal", b.toString());
        assertEquals(Main.EXIT_USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("Option --journal (journal.dir) takes one value but was given twice: --journal " + a
            + " and --journal " + b), r.toString());
        assertFalse(Files.exists(a) || Files.exists(b), "no journal made");
        assertEquals(Main.EXIT_USAGE, run("replay", "--to-kafka", "x:9092", "--to-kafka", "y:9092").code());
    }

    @Test
    void unknownOptionIsAUsageErrorNamingIt()
    {
        final Result r = run("replay", "--journal", tmp.toString(), "--colour", "always");
        assertEquals(Main.EXIT_USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("--colour"), r.toString());
        assertTrue(r.err().contains("nlstream replay --help"), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void aHostIdThatCannotBePartOfAnEventIdIsAUsageError()
    {
        final Result r = run("replay", "--journal", tmp.toString(), "--host-id", "rack:7");
        assertEquals(Main.EXIT_USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("rack:7") && r.err().contains("--host-id") && r.err().contains("event id"), r.toString());
        final Result delivery = run("run", "--journal", tmp.toString(), "--kafka", "127.0.0.1:9092", "--kafka-delivery", "twice");
        assertEquals(Main.EXIT_USAGE, delivery.code(), delivery.toString());
        assertTrue(delivery.err().contains("exactly-once") && delivery.err().contains("at-least-once"), delivery.toString());
    }

    @Test
    void unknownCommandIsAUsageErrorNamingIt()
    {
        final Result r = run("frobnicate");
        assertEquals(Main.EXIT_USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("frobnicate"), r.toString());
    }

    @Test
    void optionOfAnotherCommandIsAUsageError()
    {
        final Result r = run("stats", "--journal", tmp.toString(), "--since", "now");
        assertEquals(Main.EXIT_USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("--since"), r.toString());
    }

    @Test
    void badSinceValueIsAUsageErrorNamingTheValue()
    {
        final Result r = run("replay", "--journal", tmp.toString(), "--since", "yesterday");
        assertEquals(Main.EXIT_USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("yesterday"), r.toString());
        assertTrue(r.err().contains("--since"), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void sinceAfterUntilIsAUsageError()
    {
        final Result r = run("replay", "--journal", tmp.toString(), "--since", "2026-11-28T11:00:00Z", "--until", "2026-11-28T10:00:00Z");
        assertEquals(Main.EXIT_USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("--until"), r.toString());
    }

    @Test
    void badFormatAndKindAreUsageErrors()
    {
        assertEquals(Main.EXIT_USAGE, run("replay", "--journal", tmp.toString(), "--format", "yaml").code());
        assertEquals(Main.EXIT_USAGE, run("state", "--journal", tmp.toString(), "--kind", "link,bogus").code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"replay", "state", "stats"})
    void missingJournalIsARuntimeFailureNamingThePath(final String command)
    {
        final Path missing = tmp.resolve("nonexistent");
        final Result r = run(command, "--journal", missing.toString());
        assertEquals(Main.EXIT_FAILURE, r.code(), r.toString());
        assertTrue(r.err().contains(missing.toString()), r.toString());
        assertEquals("", r.out());
        assertFalse(Files.exists(missing), "reading commands must not create the journal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"replay", "state", "stats", "diff", "run"})
    void aDirectoryThatIsNotAJournalIsARuntimeFailureNamingIt(final String command) throws IOException
    {
        final Path other = tmp.resolve("not-a-journal-" + command);
        Files.createDirectories(other);
        Files.writeString(other.resolve("hosts"), "127.0.0.1 localhost\n");
        final Result r = "diff".equals(command) ? run(command, "--journal", other.toString(), "--from", "2026-11-28T10:00:00Z")
            : "run".equals(command) ? run(command, "--journal", other.toString(), "--capture", "rtnl", "--stdout", "none")
            : run(command, "--journal", other.toString());
        assertEquals(Main.EXIT_FAILURE, r.code(), r.toString());
        assertTrue(r.err().contains(other + " is not an nlstream journal"), r.toString());
        assertEquals("", r.out());
        try (java.util.stream.Stream<Path> left = Files.list(other))
        {
            assertEquals(List.of(other.resolve("hosts")), left.toList(), "nothing written there");
        }
    }

    /** A --netns that does not exist is one usage error, before any journal is made (not one per capture thread). */
    @Test
    void runWithANetnsThatDoesNotExistIsOneUsageErrorAndMakesNoJournal()
    {
        final Path journal = tmp.resolve("netns-journal");
        final Result r = run("run", "--netns", "nlst-nosuch-namespace", "--journal", journal.toString(), "--stdout", "none");
        assertEquals(Main.EXIT_USAGE, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().contains("/run/netns/nlst-nosuch-namespace does not exist"), r.toString());
        assertFalse(Files.exists(journal), "no journal made");
        final Result notNs = run("run", "--netns", "/etc/hostname", "--journal", journal.toString(), "--stdout", "none");
        assertEquals(Main.EXIT_FAILURE, notNs.code(), notNs.toString());
        assertTrue(notNs.err().contains("not a network namespace"), notNs.toString());
        assertFalse(Files.exists(journal), "no journal made");
    }

    /**
     * --netns takes all alone, or names and paths: all among names, an empty name, or a namespace in the list that
     * is not there is a usage error, and nothing is made.
     */
    @Test
    void runWithAWrongNetnsListIsAUsageErrorAndMakesNoJournal()
    {
        final Path journal = tmp.resolve("netns-list-journal");
        final Result mixed = run("run", "--netns", "all,blue", "--journal", journal.toString(), "--stdout", "none");
        assertEquals(Main.EXIT_USAGE, mixed.code(), mixed.toString());
        assertTrue(mixed.err().contains("Invalid value all,blue for configuration capture.netns (--netns): all already means every"
            + " namespace: give it alone; for a namespace named all, give /run/netns/all"), mixed.toString());
        final Result empty = run("run", "--netns", "a,,b", "--journal", journal.toString(), "--stdout", "none");
        assertEquals(Main.EXIT_USAGE, empty.code(), empty.toString());
        assertTrue(empty.err().contains("an empty namespace in the list"), empty.toString());
        final Result missing = run("run", "--netns", "/proc/self/ns/net,nlst-nosuch-namespace", "--journal", journal.toString(),
            "--stdout", "none");
        assertEquals(Main.EXIT_USAGE, missing.code(), missing.toString());
        assertTrue(missing.err().contains("/run/netns/nlst-nosuch-namespace does not exist"), missing.toString());
        assertFalse(Files.exists(journal), "no journal made");
    }

    /**
     * --log-format json: every stderr line is one JSON object, whoever wrote it: a usage error, a command's own
     * lines, a runtime failure, and the java.util.logging records (the handler writes to System.err, captured here).
     */
    @Test
    void logFormatJsonMakesEveryStderrLineAJsonObject() throws IOException
    {
        final ByteArrayOutputStream logged = new ByteArrayOutputStream();
        final PrintStream systemErr = System.err;
        final List<Result> results = new ArrayList<>();
        try (PrintStream capture = new PrintStream(logged, true, StandardCharsets.UTF_8))
        {
            System.setErr(capture);
            results.add(run("replay", "--log-format", "json", "--since", "yesterday"));
            results.add(run(Map.of("NLSTREAM_LOG_FORMAT", "json"), "replay", "--journal", "/nonexistent"));
            results.add(run("replay", "--log-format=json", "--journal", Files.createDirectories(tmp.resolve("empty")).toString()));
            java.util.logging.Logger.getLogger("io.nlstream.test").log(java.util.logging.Level.WARNING, "a \"quoted\"\nrecord",
                new IllegalStateException("why"));
        }
        finally
        {
            System.setErr(systemErr);
            Logging.configure("info", "text");
        }
        assertEquals(List.of(Main.EXIT_USAGE, Main.EXIT_FAILURE, Main.EXIT_OK), results.stream().map(Result::code).toList(), results.toString());
        final List<Map<String, Object>> lines = new ArrayList<>();
        for (final Result r : results)
        {
            assertFalse(r.err().isEmpty(), r.toString());
            r.err().lines().forEach(l -> lines.add(Json.object(l)));
        }
        logged.toString(StandardCharsets.UTF_8).lines().forEach(l -> lines.add(Json.object(l)));
        for (final Map<String, Object> line : lines)
        {
            assertTrue(String.valueOf(line.get("ts")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z"), line.toString());
            assertTrue(List.of("error", "warning", "info").contains(line.get("level")), line.toString());
        }
        assertTrue(String.valueOf(lines.get(0).get("msg")).contains("yesterday"), lines.toString());
        assertEquals("error", lines.get(0).get("level"));
        final Map<String, Object> record = lines.get(lines.size() - 1);
        assertEquals("a \"quoted\"\nrecord", record.get("msg"));
        assertEquals("io.nlstream.test", record.get("logger"));
        assertTrue(String.valueOf(record.get("thrown")).startsWith("java.lang.IllegalStateException: why\n"), record.toString());
        assertTrue(run("replay", "--journal", "/nonexistent").err().startsWith("nlstream: error: "), "text again without the flag");
    }

    @Test
    void replayOfAbsolutelyNonexistentPathFails()
    {
        final Result r = run("replay", "--journal", "/nonexistent");
        assertEquals(Main.EXIT_FAILURE, r.code(), r.toString());
        assertTrue(r.err().contains("/nonexistent"), r.toString());
    }

    @Test
    void stateAndReplayOfAnEmptyJournalPrintNothing() throws IOException
    {
        final Path empty = Files.createDirectory(tmp.resolve("empty"));
        for (final String format : List.of("text", "json"))
        {
            final Result state = run("state", "--journal", empty.toString(), "--format", format);
            assertEquals(Main.EXIT_OK, state.code(), state.toString());
            assertEquals("", state.out());
            final Result replay = run("replay", "--journal", empty.toString(), "--format", format);
            assertEquals(Main.EXIT_OK, replay.code(), replay.toString());
            assertEquals("", replay.out());
        }
        final Result stats = run("stats", "--journal", empty.toString());
        assertEquals(Main.EXIT_OK, stats.code(), stats.toString());
        assertTrue(stats.lines().contains("entries 0"), stats.toString());
    }

    @Test
    void statsCountsWhatTheJournalHolds()
    {
        final Written w = writeScenario();
        final Result r = run("stats", "--journal", w.dir().toString());
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        final Map<String, String> stats = new LinkedHashMap<>();
        for (final String line : r.lines())
        {
            final int space = line.indexOf(' ');
            stats.put(line.substring(0, space), line.substring(space + 1));
        }
        assertEquals(w.dir().toString(), stats.get("journal"));
        assertEquals("8", stats.get("entries"));
        assertEquals(Long.toString(w.bytes()), stats.get("entry_bytes"));
        assertEquals("2026-11-28T10:00:00.000000000Z", stats.get("first"));
        assertEquals("2026-11-28T10:00:05.000000000Z", stats.get("last"));
        assertEquals("4", stats.get("entries.rtnetlink.event"));
        assertEquals("1", stats.get("entries.rtnetlink.gap"));
        assertEquals("1", stats.get("entries.rtnetlink.dump-begin"));
        assertEquals("1", stats.get("entries.rtnetlink.dump"));
        assertEquals("1", stats.get("entries.rtnetlink.dump-end"));
        assertEquals("4", stats.get("events.link"));
        assertEquals("1", stats.get("events.addr"));
        assertEquals("1", stats.get("events.gap"));
        assertEquals("2", stats.get("synthesized_ends"), "eth0 and, with it, its address");
    }

    @Test
    void replayPrintsEveryEventAndTheSynthesizedEndsAsJsonLines()
    {
        final Written w = writeScenario();
        final Result r = run("replay", "--journal", w.dir().toString(), "--format", "json");
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        final List<Map<String, Object>> events = json(r);
        // the resync dump's lo is what was known already: not printed again
        assertEquals(List.of("link new lo", "link new eth0", "addr new 192.0.2.1", "gap overrun",
            "link del eth0", "addr del 192.0.2.1", "link new eth1"), summary(events));
        long previous = -1;
        long previousSub = 0;
        for (final Map<String, Object> e : events)
        {
            assertEquals(List.of("seq", "ts", "kind", "op", "netns"), new ArrayList<>(e.keySet()).subList(0, 5), e.toString());
            // synthesized ends share their dump end's journal index and are told apart by "sub"
            final long seq = (Long)e.get("seq");
            final long sub = e.get("sub") == null ? 0 : (Long)e.get("sub");
            assertTrue(seq > previous || seq == previous && sub > previousSub, "(seq, sub) increases: " + events);
            previous = seq;
            previousSub = sub;
            assertEquals(TestJournal.NETNS_A, e.get("netns"));
        }
        assertEquals("2026-11-28T10:00:01.000000000Z", events.get(1).get("ts"));
        final Map<String, Object> ended = events.get(4);
        assertEquals(Boolean.TRUE, ended.get("synthesized"));
        assertEquals("resync", ended.get("origin"));
        assertEquals(2L, ended.get("ifindex"));
        assertEquals(1L, ended.get("sub"));
        assertEquals(2L, events.get(5).get("sub"), "the address ends with its link, at the same dump end");
    }

    @Test
    void replayBetweenSinceAndUntilIncludesBothEnds()
    {
        final Written w = writeScenario();
        final Result r = run("replay", "--journal", w.dir().toString(), "--format", "json",
            "--since", "2026-11-28T10:00:01Z", "--until", "2026-11-28T10:00:03Z");
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        assertEquals(List.of("link new eth0", "addr new 192.0.2.1", "gap overrun"), summary(json(r)));

        final Result after = run("replay", "--journal", w.dir().toString(), "--format", "json",
            "--since", "2026-11-28T10:00:01.000000001Z", "--until", "2026-11-28T10:00:02.999999999Z");
        assertEquals(List.of("addr new 192.0.2.1"), summary(json(after)), after.toString());
    }

    @Test
    void replaySinceStillReportsEndsOfObjectsCreatedBeforeIt()
    {
        final Written w = writeScenario();
        // just after the dump's lo message: the dump's end, with the end of eth0 it implies, is in range
        final Result r = run("replay", "--journal", w.dir().toString(), "--format", "json",
            "--since", "2026-11-28T10:00:04.000002Z");
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        assertEquals(List.of("link del eth0", "addr del 192.0.2.1", "link new eth1"), summary(json(r)));
    }

    @Test
    void replayKindFilter()
    {
        final Written w = writeScenario();
        final Result links = run("replay", "--journal", w.dir().toString(), "--format", "json", "--kind", "link");
        assertEquals(List.of("link new lo", "link new eth0", "link del eth0", "link new eth1"), summary(json(links)));
        final Result addrGap = run("replay", "--journal", w.dir().toString(), "--format", "json", "--kind", "addr,gap");
        assertEquals(List.of("addr new 192.0.2.1", "gap overrun", "addr del 192.0.2.1"), summary(json(addrGap)));
        final Result routes = run("replay", "--journal", w.dir().toString(), "--kind", "route");
        assertEquals(Main.EXIT_OK, routes.code(), routes.toString());
        assertEquals("", routes.out());
    }

    @Test
    void replayTextLinesStartWithTheTimeKindAndOp()
    {
        final Written w = writeScenario();
        final Result r = run("replay", "--journal", w.dir().toString(), "--until", "2026-11-28T10:00:01Z");
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        assertEquals(2, r.lines().size(), r.toString());
        assertTrue(r.lines().get(0).startsWith("2026-11-28T10:00:00.000000000Z link new netns=" + TestJournal.NETNS_A + " "), r.toString());
        // laid out as ip monitor prints a link: "2: eth0: <...> mtu ..."
        assertTrue(r.lines().get(1).contains(" 2: eth0: <"), r.toString());
        final Result kv = run("replay", "--journal", w.dir().toString(), "--until", "2026-11-28T10:00:01Z", "--format", "kv");
        assertTrue(kv.lines().get(1).contains(" ifname=eth0 "), kv.toString());
    }

    @Test
    void stateAtAnInstantAndAtTheEnd()
    {
        final Written w = writeScenario();
        final Result before = run("state", "--journal", w.dir().toString(), "--format", "json", "--at", "2026-11-28T10:00:02Z");
        assertEquals(Main.EXIT_OK, before.code(), before.toString());
        final List<Map<String, Object>> objects = json(before);
        assertEquals(List.of("link lo", "link eth0", "addr 192.0.2.1"), summary(objects));
        for (final Map<String, Object> o : objects)
        {
            assertEquals(List.of("kind", "netns"), new ArrayList<>(o.keySet()).subList(0, 2), "a state object has no seq, ts or op: " + o);
            assertFalse(o.containsKey("op") || o.containsKey("origin"), o.toString());
        }

        final Result end = run("state", "--journal", w.dir().toString(), "--format", "json", "--kind", "link");
        assertEquals(List.of("link lo", "link eth1"), summary(json(end)), "eth0 ended with the resync dump");

        final Result text = run("state", "--journal", w.dir().toString(), "--kind", "link");
        assertEquals(2, text.lines().size(), text.toString());
        assertTrue(text.lines().get(0).startsWith("link netns=" + TestJournal.NETNS_A + " 1: lo: <"), text.toString());
        final Result kv = run("state", "--journal", w.dir().toString(), "--kind", "link", "--format", "kv");
        assertTrue(kv.lines().get(0).startsWith("link netns=" + TestJournal.NETNS_A + " ifindex=1 ifname=lo "), kv.toString());
    }

    @Test
    void journalFromTheEnvironment()
    {
        final Written w = writeScenario();
        final Setting journal = NlstreamConfig.DEF.setting(NlstreamConfig.JOURNAL_DIR);
        final Result r = run(Map.of(journal.env(), w.dir().toString()), "stats");
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        assertTrue(r.lines().contains("entries 8"), r.toString());
    }

    @Test
    void unreadableEntriesAreReportedWithTheirIndexAndSkipped()
    {
        final Path dir = tmp.resolve("journal");
        final long corrupt;
        final long malformed;
        try (TestJournal j = TestJournal.create(dir))
        {
            j.at(T0).event(TestJournal.NETNS_A, RtnlMessages.newLink(1, "lo", 65536));
            corrupt = j.raw(new byte[10]);
            final byte[] broken = RtnlMessages.newLink(2, "eth0", 1500);
            broken[0] = (byte)(broken[0] + 8); // nlmsg_len past the end of the entry
            malformed = j.event(TestJournal.NETNS_A, broken);
            j.event(TestJournal.NETNS_A, RtnlMessages.newLink(3, "eth1", 1500));
        }
        final Result r = run("replay", "--journal", dir.toString(), "--format", "json");
        // a damaged entry (the journal's own) makes the exit code 4; a message the kernel sent malformed does not
        assertEquals(Main.EXIT_DAMAGED, r.code(), r.toString());
        assertEquals(List.of("link new lo", "link new eth1"), summary(jsonLines(r)));
        final List<String> errors = List.of(r.err().split("\n"));
        assertEquals(3, errors.size(), r.toString());
        assertTrue(errors.get(0).contains("index " + corrupt + ":") && errors.get(0).contains(dir.toString()), r.toString());
        assertTrue(errors.get(1).contains("index " + malformed + ":") && errors.get(1).contains("(skipped)"), r.toString());
        assertTrue(errors.get(2).contains("1 damaged entry or stretch skipped"), r.toString());

        final Result state = run("state", "--journal", dir.toString(), "--format", "json");
        assertEquals(Main.EXIT_DAMAGED, state.code(), state.toString());
        assertEquals(List.of("link lo", "link eth1"), summary(jsonLines(state)));
    }

    /**
     * A capture's NETNS_NAME annotation names its namespace for every reader: in text instead of the inode, in
     * JSON as netns_name; a namespace without one keeps its inode. The name survives snapshots: the second
     * state reads the snapshot the first wrote (the events are minutes apart) and names it the same.
     */
    @Test
    void namespacesAreShownByTheNameTheirCaptureGaveThem()
    {
        final Path dir = tmp.resolve("named");
        try (TestJournal j = TestJournal.create(dir))
        {
            final java.nio.ByteBuffer record = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.nativeOrder());
            final int length = io.nlstream.monitor.journal.AnnotationRecord.writeNetnsName(record, TestJournal.NETNS_A, "blue");
            final byte[] payload = new byte[length];
            record.get(0, payload);
            j.at(T0).append(CaptureHeader.ORIGIN_ANNOTATION, 0, TestJournal.NETNS_A, 0, payload);
            j.event(TestJournal.NETNS_A, RtnlMessages.newLink(1, "lo", 65536));
            j.event(TestJournal.NETNS_B, RtnlMessages.newLink(1, "lo", 65536));
            for (int minute = 1; minute <= 3; minute++)
            {
                j.at(T0 + minute * 60_000_000_000L).event(TestJournal.NETNS_A, RtnlMessages.newLink(1 + minute, "eth" + minute, 1500));
            }
        }
        final Result replay = run("replay", "--journal", dir.toString());
        assertEquals(5, replay.lines().size(), replay.toString());
        assertTrue(replay.lines().get(0).contains(" link new netns=blue 1: lo: "), replay.toString());
        assertTrue(replay.lines().get(1).contains(" link new netns=" + TestJournal.NETNS_B + " 1: lo: "), replay.toString());
        for (final Map<String, Object> e : json(run("replay", "--journal", dir.toString(), "--format", "json")))
        {
            assertEquals(e.get("netns").equals(TestJournal.NETNS_A) ? "blue" : null, e.get("netns_name"), e.toString());
        }
        for (int pass = 0; pass < 2; pass++)
        {
            final Result state = run("state", "--journal", dir.toString(), "--snapshot-interval", "30s");
            assertEquals(5, state.lines().size(), state.toString());
            assertEquals(4, state.lines().stream().filter(l -> l.startsWith("link netns=blue ")).count(), "pass " + pass + ": " + state);
        }
        assertTrue(Files.isDirectory(dir.resolve("snapshots")), "the first state wrote snapshots");
    }

    // ---- the scenario

    private record Written(Path dir, long bytes)
    {
    }

    /**
     * 10:00:00 lo appears, :01 eth0, :02 its address, :03 a gap, :04 a resync dump of links holding only
     * lo (so eth0 ended unseen), :05 eth1 appears. Entries inside one second are 1 µs apart.
     */
    private Written writeScenario()
    {
        final Path dir = tmp.resolve("journal");
        long bytes = 0;
        try (TestJournal j = TestJournal.create(dir))
        {
            final List<byte[]> payloads = new ArrayList<>();
            payloads.add(RtnlMessages.newLink(1, "lo", 65536));
            j.at(T0).event(TestJournal.NETNS_A, payloads.get(0));
            payloads.add(RtnlMessages.newLink(2, "eth0", 1500));
            j.at(T0 + SECOND).event(TestJournal.NETNS_A, payloads.get(1));
            payloads.add(RtnlMessages.newAddr4(2, "192.0.2.1", 24));
            j.at(T0 + 2 * SECOND).event(TestJournal.NETNS_A, payloads.get(2));
            payloads.add(RtnlMessages.gapRecord(1, RtnlMessages.ENOBUFS));
            j.at(T0 + 3 * SECOND).gap(TestJournal.NETNS_A, 1);
            payloads.add(RtnlMessages.dumpRequest(Rtnetlink.RTM_GETLINK, 5));
            payloads.add(RtnlMessages.newLink(1, "lo", 65536));
            payloads.add(RtnlMessages.done(5));
            j.at(T0 + 4 * SECOND).dump(TestJournal.NETNS_A, Rtnetlink.RTM_GETLINK, 5, CaptureHeader.FLAG_RESYNC, payloads.get(5));
            payloads.add(RtnlMessages.newLink(3, "eth1", 1500));
            j.at(T0 + 5 * SECOND).event(TestJournal.NETNS_A, payloads.get(7));
            for (final byte[] p : payloads)
            {
                bytes += CaptureHeader.LENGTH + p.length;
            }
        }
        return new Written(dir, bytes);
    }

    // ---- helpers

    private static Result run(final String... args)
    {
        return run(Map.of(), args);
    }

    private static Result run(final Map<String, String> env, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            code = Main.run(args, env, o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** As {@link #json}, whatever the exit code. */
    private static List<Map<String, Object>> jsonLines(final Result r)
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final String line : r.lines())
        {
            out.add(Json.object(line));
        }
        return out;
    }

    /**
     * A cycle file cut short (truncate after a crash or a copy that stopped) ends every reader with exit 4 and a
     * message naming the file and its size, not an InternalError and a stack trace (issue 11).
     */
    @Test
    void aTruncatedJournalFileIsNamedAndExitsWithItsOwnCode() throws IOException, InterruptedException
    {
        final Path journal = io.nlstream.monitor.read.V1Journal.extract(Files.createDirectories(tmp.resolve("truncated")));
        final List<String> whole = run("replay", "--journal", journal.toString(), "--format", "json").lines();
        final Path cycle;
        try (java.util.stream.Stream<Path> files = Files.list(journal))
        {
            cycle = files.filter(f -> f.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(cycle, java.nio.file.StandardOpenOption.WRITE))
        {
            ch.truncate(200_000);
        }
        for (final String command : List.of("replay", "state", "stats"))
        {
            final Result r = run(command, "--journal", journal.toString());
            assertEquals(Main.EXIT_DAMAGED, r.code(), command + ": " + r);
            assertTrue(r.err().contains(cycle.getFileName() + " is 200000 bytes, cut short: its first ")
                && r.err().contains("nlstream repair --journal " + journal), command + ": " + r);
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
        }
        // what lies before the cut is read as it is
        final List<String> asIs = run("replay", "--journal", journal.toString(), "--format", "json").lines();
        // the repair keeps what the cut left readable; replay then prints the same events as before the cut, up to it
        final Result repaired = run("repair", "--journal", journal.toString());
        assertEquals(Main.EXIT_OK, repaired.code(), repaired.toString());
        assertTrue(repaired.out().contains(cycle + " was damaged (") && repaired.out().contains("kept as " + cycle.getFileName() + ".damaged-"),
            repaired.toString());
        final Result after = run("replay", "--journal", journal.toString(), "--format", "json");
        assertEquals(Main.EXIT_OK, after.code(), after.toString());
        assertEquals(after.lines(), asIs, "the same events before and after the repair");
        assertTrue(after.lines().size() > 10 && after.lines().size() < whole.size(), after.lines().size() + " of " + whole.size());
        assertEquals(whole.subList(0, after.lines().size() - 1), after.lines().subList(0, after.lines().size() - 1),
            "the same events up to the cut (the last may end differently: what ended after the cut is not known)");
    }

    /** Zeros in the middle of a file: the readers name the place, read on after it, and stats counts what it skipped. */
    @Test
    void zerosInAJournalFileAreSkippedNamedAndCounted() throws IOException, InterruptedException
    {
        final Path journal = io.nlstream.monitor.read.V1Journal.extract(Files.createDirectories(tmp.resolve("zeros")));
        final Result whole = run("stats", "--journal", journal.toString());
        final Path cycle;
        try (java.util.stream.Stream<Path> files = Files.list(journal))
        {
            cycle = files.filter(f -> f.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(cycle.toFile(), "rw"))
        {
            f.seek(150_000);
            f.write(new byte[4096]);
        }
        final Result r = run("stats", "--journal", journal.toString());
        assertEquals(Main.EXIT_DAMAGED, r.code(), r.toString());
        assertTrue(r.err().contains("journal file " + cycle.getFileName() + " after byte ") && r.err().contains("sound ones after them recovered"),
            r.toString());
        final long entries = Long.parseLong(r.lines().get(1).substring("entries ".length()));
        final long unreadable = r.lines().stream().filter(l -> l.startsWith("unreadable_entries ")).mapToLong(l -> Long.parseLong(l.split(" ")[1]))
            .findFirst().orElseThrow(() -> new AssertionError(r.toString()));
        assertEquals(Long.parseLong(whole.lines().get(1).substring("entries ".length())), entries + unreadable,
            "every entry is either read or counted as unreadable: " + r);
    }

    /** Every stdout line, each of which must be exactly one JSON object. */
    private static List<Map<String, Object>> json(final Result r)
    {
        assertEquals(Main.EXIT_OK, r.code(), r.toString());
        assertTrue(r.out().isEmpty() || r.out().endsWith("\n"), "lines end with a newline: " + r);
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final String line : r.lines())
        {
            out.add(Json.object(line));
        }
        return out;
    }

    /** "link new eth0", "addr new 192.0.2.1", "gap overrun"; for state objects without the op. */
    private static List<String> summary(final List<Map<String, Object>> events)
    {
        final List<String> out = new ArrayList<>();
        for (final Map<String, Object> e : events)
        {
            final StringBuilder sb = new StringBuilder().append(e.get("kind"));
            if (e.get("op") != null)
            {
                sb.append(' ').append(e.get("op"));
            }
            if ("link".equals(e.get("kind")))
            {
                sb.append(' ').append(e.get("ifname"));
            }
            else if ("addr".equals(e.get("kind")))
            {
                sb.append(' ').append(e.get("address"));
            }
            out.add(sb.toString());
        }
        return out;
    }
}
