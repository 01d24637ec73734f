package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: SIGHUP makes {@code run} read its --config file again (a supervisor's reload), where it used
 * to end the process with 129. The log level applies at once, other changes are named as needing a restart, a
 * file with a mistake changes nothing; the process keeps running through all of it.
 */
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

    private static void hup(final MonitorProcess run) throws Exception
    {
        assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(run.pid())).inheritIO().start().waitFor());
    }
}
