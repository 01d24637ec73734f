package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.Json;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.netlink.testing.Await;
import io.nlstream.sinks.Timestamps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.nlstream.monitor.cli.ReadersAgreeKernelIT.assertSameLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Touches the kernel: {@code nlstream run} captures a test namespace's links and addresses into a journal
 * while {@code replay --follow} runs as a separate process on the same journal, as {@code journalctl -f} does:
 * what is journalled after it started reaches its stdout within seconds, the same lines a later {@code replay}
 * prints; SIGTERM ends it with exit 0; {@code -f --since T} prints from T on; with {@code --until} it stops by
 * itself once an entry after that instant is journalled; filters apply to what it follows.
 */
@org.junit.jupiter.api.Tag("kernel")
class FollowKernelIT
{
    /** How long a followed change may take to reach the follower's stdout. */
    private static final long FOLLOW_LATENCY_MILLIS = 5_000;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void followerPrintsWhatIsJournalledAfterItStartedAsReplayDoesAndEndsOnSigterm() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        try (Netns ns = Netns.create("follow");
             MonitorProcess run = startRun(ns, journal))
        {
            ns.ip("link", "add", "old0", "type", "veth", "peer", "name", "old0p");
            // (a veth's peer is announced first)
            final List<String> before = awaitReplayed(journal, "the link old0", l -> l.contains("\"ifname\":\"old0\""));
            final long lastSeqBefore = seq(before.get(before.size() - 1));

            // from now: nothing of what was journalled before it started
            final List<String> followed;
            final long since;
            try (MonitorProcess follower = startFollower("f1", journal, "--follow", "--format", "json"))
            {
                awaitFollowing(ns, follower);
                since = quietInstant();
                ns.ip("link", "add", "x0", "type", "veth", "peer", "name", "x0p");
                ns.ip("link", "set", "x0p", "up");
                ns.ip("link", "set", "x0", "up");
                ns.ip("link", "set", "x0", "mtu", "1400");
                ns.ip("addr", "add", "10.240.0.1/24", "dev", "x0");
                ns.ip("addr", "del", "10.240.0.1/24", "dev", "x0");
                final long changed = System.currentTimeMillis();
                ns.ip("link", "del", "x0");
                follower.awaitStdoutLine("x0's deletion", l -> l.contains("\"op\":\"del\"") && l.contains("\"ifname\":\"x0\""),
                    Duration.ofMillis(FOLLOW_LATENCY_MILLIS));
                System.out.println("FollowKernelIT: a link deleted reached the follower's stdout " + (System.currentTimeMillis() - changed)
                    + " ms after ip link del was started");
                // (a veth's peer is deleted after it: the last of what ip link del made the kernel announce)
                final List<String> all = awaitReplayed(journal, "x0p's deletion",
                    l -> l.contains("\"op\":\"del\"") && l.contains("\"ifname\":\"x0p\""));
                follower.awaitStdout(all.get(all.size() - 1) + "\n", FOLLOW_LATENCY_MILLIS);
                assertTrue(follower.isAlive(), "follower still follows");
                assertEquals(0, follower.terminate(10_000), follower::toString);
                assertFalse(follower.stderr().contains("error"), follower::toString);
                followed = lines(follower.stdout());

                final List<String> after = new ArrayList<>();
                for (final String line : all)
                {
                    if (seq(line) > lastSeqBefore)
                    {
                        after.add(line);
                    }
                }
                // it started while the pokes went on: it printed a tail of what came after, the pokes before it aside
                assertFalse(followed.isEmpty());
                final int skipped = after.size() - followed.size();
                assertTrue(skipped >= 0, "the follower printed more than was journalled after it started:\n" + String.join("\n", followed));
                for (final String line : after.subList(0, skipped))
                {
                    assertTrue(((String)Json.object(line).get("ifname")).startsWith("poke"),
                        "the follower missed an event journalled after it printed its first: " + line);
                }
                assertSameLines(after.subList(skipped, after.size()), followed, "replay --follow (from now) vs replay");
                assertTrue(followed.stream().anyMatch(l -> l.contains("\"10.240.0.1\"")), String.join("\n", followed));
            }

            // -f --since T: from T on, then what comes
            try (MonitorProcess follower = startFollower("f2", journal, "-f", "--since", Timestamps.rfc3339(since), "--format", "json"))
            {
                final List<String> fromT = replay(journal, "--since", Timestamps.rfc3339(since));
                assertEquals(followed.subList(followed.size() - fromT.size(), followed.size()), fromT, "the changes after T");
                follower.awaitStdout(fromT.get(fromT.size() - 1) + "\n", 30_000);
                ns.ip("link", "add", "y0", "type", "veth", "peer", "name", "y0p");
                final List<String> now = awaitReplayed(journal, "the link y0 (announced after its peer)",
                    l -> l.contains("\"ifname\":\"y0\""), "--since", Timestamps.rfc3339(since));
                follower.awaitStdout(now.get(now.size() - 1) + "\n", FOLLOW_LATENCY_MILLIS);
                assertTrue(now.get(now.size() - 1).contains("\"y0"), now.toString());
                assertEquals(0, follower.terminate(10_000), follower::toString);
                assertSameLines(now, lines(follower.stdout()), "replay -f --since T vs replay --since T");
            }
            assertEquals(0, run.terminate(20_000), run::toString);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void followerWithUntilStopsByItselfOnceAnEntryAfterItIsJournalled() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        try (Netns ns = Netns.create("followu");
             MonitorProcess run = startRun(ns, journal))
        {
            final long since = quietInstant();
            ns.ip("link", "add", "a0", "type", "veth", "peer", "name", "a0p");
            final long until = System.currentTimeMillis() * 1_000_000L + 8_000_000_000L;
            try (MonitorProcess follower = startFollower("f", journal, "--follow", "--since", Timestamps.rfc3339(since),
                "--until", Timestamps.rfc3339(until), "--format", "json"))
            {
                follower.awaitStdout("\"a0p\"", 30_000);
                ns.ip("link", "add", "b0", "type", "veth", "peer", "name", "b0p");
                follower.awaitStdout("\"b0p\"", FOLLOW_LATENCY_MILLIS);
                assertTrue(System.currentTimeMillis() * 1_000_000L < until - 500_000_000L, "the test was too slow to change things before --until");
                // fixed: the clock must pass --until, and the follower stay on with nothing journalled after it
                Thread.sleep(Math.max(0, (until - System.currentTimeMillis() * 1_000_000L) / 1_000_000L + 300));
                final boolean waitedPastUntil = follower.isAlive();
                ns.ip("link", "add", "c0", "type", "veth", "peer", "name", "c0p"); // journalled after --until
                final int code = follower.awaitExit(FOLLOW_LATENCY_MILLIS);
                assertEquals(0, code, follower::toString);
                final List<String> printed = lines(follower.stdout());
                assertSameLines(replay(journal, "--since", Timestamps.rfc3339(since), "--until", Timestamps.rfc3339(until)), printed,
                    "replay -f --since --until vs replay --since --until");
                assertTrue(printed.stream().anyMatch(l -> l.contains("\"b0\"")), printed.toString());
                assertTrue(printed.stream().noneMatch(l -> l.contains("\"c0")), "nothing after --until: " + printed);
                System.out.println("FollowKernelIT: follower still running past --until with nothing journalled after it: " + waitedPastUntil);
            }
            assertEquals(0, run.terminate(20_000), run::toString);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void filteredFollowerPrintsOnlyTheLinkEventsOfItsInterface() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        try (Netns ns = Netns.create("followf");
             MonitorProcess run = startRun(ns, journal))
        {
            final long since = quietInstant();
            ns.ip("link", "add", "fx0", "type", "veth", "peer", "name", "fy0");
            ns.ip("addr", "add", "10.241.0.1/24", "dev", "fx0");
            try (MonitorProcess follower = startFollower("f", journal, "-f", "--since", Timestamps.rfc3339(since),
                "--kind", "link", "--ifname", "fx0", "--format", "json"))
            {
                follower.awaitStdout("\"fx0\"", 30_000);
                // while it follows: changes to fx0 (link, address) and to its peer fy0
                ns.ip("link", "set", "fy0", "up");
                ns.ip("link", "set", "fx0", "up");
                ns.ip("link", "set", "fx0", "mtu", "1280");
                ns.ip("addr", "add", "10.241.1.1/24", "dev", "fx0");
                ns.ip("link", "set", "fy0", "mtu", "1300");
                ns.ip("link", "del", "fx0");
                final List<String> expected = awaitReplayed(journal, "fx0's deletion", l -> l.contains("\"op\":\"del\""),
                    "--since", Timestamps.rfc3339(since), "--kind", "link", "--ifname", "fx0");
                follower.awaitStdout(expected.get(expected.size() - 1) + "\n", FOLLOW_LATENCY_MILLIS);
                assertEquals(0, follower.terminate(10_000), follower::toString);
                final List<String> printed = lines(follower.stdout());
                assertSameLines(expected, printed, "replay -f --kind link --ifname fx0 vs replay with the same filters");

                // the same as the whole replay's link events of fx0: nothing else, nothing missing
                final List<String> reference = new ArrayList<>();
                for (final String line : replay(journal, "--since", Timestamps.rfc3339(since)))
                {
                    final Map<String, Object> e = Json.object(line);
                    if ("link".equals(e.get("kind")) && "fx0".equals(e.get("ifname")))
                    {
                        reference.add(line);
                    }
                }
                assertSameLines(reference, printed, "replay -f --kind link --ifname fx0 vs replay's link events of fx0");
                assertTrue(printed.stream().anyMatch(l -> l.contains("\"mtu\":1280")), printed.toString());
                assertEquals("del", Json.object(printed.get(printed.size() - 1)).get("op"), printed.toString());
            }
            assertEquals(0, run.terminate(20_000), run::toString);
        }
    }

    private MonitorProcess startRun(final Netns ns, final Path journal) throws Exception
    {
        // link-local IPv6 addresses appear at once instead of after DAD, so the namespace settles quickly
        ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0");
        ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0");
        final MonitorProcess run = MonitorProcess.start(ns, Files.createDirectories(tmp.resolve("run")), "run",
            "--journal", journal.toString(), "--stdout", "none", "--capture", "rtnl");
        try
        {
            run.awaitLog("capture rtnl: initial dumps complete", 30_000);
        }
        catch (final AssertionError | IOException | InterruptedException e)
        {
            run.close();
            throw e;
        }
        return run;
    }

    /** {@code nlstream replay --journal J ARGS} as a process of its own, in the host's namespace. */
    private MonitorProcess startFollower(final String name, final Path journal, final String... args) throws IOException
    {
        final List<String> all = new ArrayList<>(List.of("replay", "--journal", journal.toString()));
        all.addAll(List.of(args));
        return MonitorProcess.startInHost(Files.createDirectories(tmp.resolve(name)), all.toArray(new String[0]));
    }

    /**
     * A follower from now prints nothing until something changes: makes links (poke0, poke1, ...) until one
     * reaches its stdout, so the test knows it follows.
     */
    private static void awaitFollowing(final Netns ns, final MonitorProcess follower)
    {
        final int[] pokes = {0};
        final long[] nextPoke = {System.nanoTime()};
        Await.until("the follower to print one of the links made while it runs", Duration.ofSeconds(30), () ->
        {
            if (!follower.stdout().isEmpty())
            {
                return true;
            }
            if (!follower.isAlive())
            {
                fail("follower exited: " + follower);
            }
            if (System.nanoTime() - nextPoke[0] >= 0)
            {
                ns.ip("link", "add", "poke" + pokes[0], "type", "veth", "peer", "name", "poke" + pokes[0] + "p");
                pokes[0]++;
                nextPoke[0] = System.nanoTime() + 500_000_000L;
            }
            return false;
        }, () -> pokes[0] + " links made; " + follower);
    }

    /**
     * Runs replay (with {@code args}) until a line of its output matches {@code line} and returns that output: the
     * monitor has journalled that change, and with it what the kernel announced before it.
     */
    private static List<String> awaitReplayed(final Path journal, final String what, final Predicate<String> line, final String... args)
    {
        final List<List<String>> last = new ArrayList<>(List.of(List.of()));
        return Await.value(what + " to be journalled", Duration.ofSeconds(30), () ->
        {
            last.set(0, replay(journal, args));
            return last.get(0).stream().anyMatch(line) ? Optional.of(last.get(0)) : Optional.empty();
        }, () -> "replay:\n" + String.join("\n", last.get(0)));
    }

    /** An instant with nothing changing shortly before or after it. */
    private static long quietInstant() throws InterruptedException
    {
        // fixed: what a test does must fall clearly before or after the instant
        Thread.sleep(300);
        final long at = System.currentTimeMillis() * 1_000_000L;
        Thread.sleep(300);
        return at;
    }

    private static List<String> replay(final Path journal, final String... args)
    {
        final List<String> all = new ArrayList<>(List.of("replay", "--journal", journal.toString(), "--format", "json"));
        all.addAll(List.of(args));
        return lines(Cli.run(all.toArray(new String[0])));
    }

    private static long seq(final String line)
    {
        return (Long)Json.object(line).get("seq");
    }

    private static List<String> lines(final String text)
    {
        final List<String> out = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            if (!line.isBlank())
            {
                out.add(line);
            }
        }
        return out;
    }
}
