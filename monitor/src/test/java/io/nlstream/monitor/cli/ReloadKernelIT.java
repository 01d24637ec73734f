package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: SIGHUP makes {@code run} read its --config file again (a supervisor's reload), where it used
 * to end the process with 129. The log level applies at once, other changes are named as needing a restart, a
 * file with a mistake changes nothing; the process keeps running through all of it.
 */
@org.junit.jupiter.api.Tag("kernel")
class ReloadKernelIT
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void sighupReloadsTheConfigFileAndNeverEndsTheRun() throws Exception
    {
        final Path file = tmp.resolve("nlstream.properties");
        Files.write(file, List.of("journal.dir = journal", "log.level = info"));
        try (Netns ns = Netns.create("hup");
             MonitorProcess run = MonitorProcess.start(ns, Files.createDirectories(tmp.resolve("run")), "run", "--config", file.toString(),
                 "--stdout", "none", "--capture", "rtnl"))
        {
            run.awaitLog("capture rtnl: initial dumps complete", 30_000);

            Files.write(file, List.of("journal.dir = journal", "log.level = debug", "capture.sock-interval = 7s"));
            hup(run);
            run.awaitLog("SIGHUP: settings reloaded; log.level debug applies now; needs a restart to apply:"
                + " capture.sock-interval 5s -> 7s", 20_000);

            Files.write(file, List.of("journal.dir = journal", "log.level = loud"));
            hup(run);
            run.awaitLog("SIGHUP: the settings were not reloaded, nothing changed: Invalid value loud for configuration log.level", 20_000);

            Files.write(file, List.of("journal.dir = journal", "log.level = warn", "capture.sock-interval = 7s"));
            hup(run);
            run.awaitLog("SIGHUP: settings reloaded; log.level warn applies now", 20_000);

            assertTrue(run.isAlive(), run::toString);
            assertEquals(0, run.terminate(20_000), run::toString);
            assertTrue(Files.isDirectory(tmp.resolve("journal")), "journal.dir beside the file");
        }
    }

    /**
     * Started under nohup, which starts it with SIGHUP ignored (the JVM would keep it ignored, without a word), run
     * takes the signal back, says so, and reloads on it like any other run.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void sighupReloadsUnderNohupToo() throws Exception
    {
        final Path file = tmp.resolve("nlstream.properties");
        Files.write(file, List.of("journal.dir = journal", "log.level = info"));
        try (Netns ns = Netns.create("nohup"))
        {
            final List<String> prefix = new ArrayList<>(Arrays.asList(ns.prefix()));
            prefix.add("nohup");
            try (MonitorProcess run = MonitorProcess.startUnder(prefix, Files.createDirectories(tmp.resolve("run")), "run", "--config",
                file.toString(), "--stdout", "none", "--capture", "rtnl"))
            {
                run.awaitLog("SIGHUP was ignored when run started (nohup?): it now reloads the settings", 30_000);
                run.awaitLog("capture rtnl: initial dumps complete", 30_000);

                Files.write(file, List.of("journal.dir = journal", "log.level = debug"));
                hup(run);
                run.awaitLog("SIGHUP: settings reloaded; log.level debug applies now", 20_000);
                assertTrue(run.isAlive(), run::toString);
                assertEquals(0, run.terminate(20_000), run::toString);
            }
        }
    }

    /**
     * The stdout filters of run, and those of replay --follow, apply from the next entry after SIGHUP; forward
     * --follow (its broker down here) takes SIGHUP too and keeps running.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sighupReloadsFiltersOfRunAndReplayFollowAndForwardLivesOn() throws Exception
    {
        final Path file = tmp.resolve("filters.properties");
        final Path journal = tmp.resolve("journal");
        Files.write(file, List.of("journal.dir = " + journal, "filter.ifname = nlfa0"));
        try (Netns ns = Netns.create("hupf");
             MonitorProcess run = MonitorProcess.start(ns, Files.createDirectories(tmp.resolve("run")), "run", "--config", file.toString(),
                 "--stdout", "kv", "--capture", "rtnl"))
        {
            run.awaitLog("capture rtnl: initial dumps complete", 30_000);
            try (MonitorProcess follow = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("follow")), "replay", "--config",
                file.toString(), "-f", "--since", "-5m", "--format", "kv");
                 MonitorProcess forward = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("forward")), "forward",
                     "--config", file.toString(), "--follow", "--kafka", "127.0.0.1:9", "--kafka-give-up", "1h"))
            {
                // each has its SIGHUP handler once it reads (forward says so): the default one would end it with 129
                forward.awaitLog("forwarding to Kafka", 30_000);
                ns.ip("link", "add", "nlfa0", "type", "veth", "peer", "name", "nlfa1");
                run.awaitStdout("ifname=nlfa0", 20_000);
                follow.awaitStdout("ifname=nlfa0", 20_000);

                Files.write(file, List.of("journal.dir = " + journal, "filter.ifname = nlfb0"));
                for (final MonitorProcess p : List.of(run, follow, forward))
                {
                    hup(p);
                    p.awaitLog("SIGHUP: settings reloaded; filter.ifname applies now", 20_000);
                }
                ns.ip("link", "add", "nlfb0", "type", "veth", "peer", "name", "nlfb1");
                ns.ip("link", "set", "nlfa0", "mtu", "1400");
                run.awaitStdout("ifname=nlfb0", 20_000);
                follow.awaitStdout("ifname=nlfb0", 20_000);
                Thread.sleep(1_000); // fixed: what is asserted is that nlfa0's change, made after nlfb0, is never printed
                for (final MonitorProcess p : List.of(run, follow))
                {
                    assertTrue(p.stdout().lines().noneMatch(l -> l.contains("ifname=nlfa0") && l.contains("mtu=1400")),
                        "nlfa0's change after the reload is filtered out: " + p.stdout());
                    assertTrue(p.stdout().lines().noneMatch(l -> l.contains("ifname=nlfb1")), p.stdout());
                }
                // (after the forwarder it stops gives up its connection attempt: up to 10 s)
                forward.awaitLog("forwarder started again with the reloaded settings", 30_000);
                assertTrue(forward.isAlive(), forward::toString);
                assertEquals(0, follow.terminate(20_000), follow::toString);
                forward.terminate(30_000);
            }
            assertEquals(0, run.terminate(20_000), run::toString);
        }
    }

    private static void hup(final MonitorProcess run) throws Exception
    {
        assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(run.pid())).inheritIO().start().waitFor());
    }
}
