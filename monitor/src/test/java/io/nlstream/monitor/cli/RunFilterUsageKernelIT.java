package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel (run opens capture sockets in a test namespace): a filter value that names no namespace is
 * a usage error for {@code run} as for {@code replay}: exit 2 naming it, before anything is captured.
 */
@org.junit.jupiter.api.Tag("kernel")
class RunFilterUsageKernelIT
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void runWithInNetnsNamingNoNamespaceIsAUsageError() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        final String name = "nlst-nosuch-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        try (Netns ns = Netns.create("runusage");
             MonitorProcess run = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("run")), "run", "--netns", ns.name(),
                 "--journal", journal.toString(), "--stdout", "json", "--in-netns", name))
        {
            final int code = run.awaitExit(30_000);
            assertEquals(Main.EXIT_USAGE, code, run::toString);
            assertTrue(run.stderr().contains(name), run::toString);
            assertFalse(run.stderr().contains("capture rtnl"), "nothing captured: " + run);
        }
    }
}
