package io.nlstream.monitor.cli;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: two {@code run}s never write one journal, even when someone deletes its lock file
 * between them (issue 11: every event was journalled twice). The second exits 1 naming the journal.
 */
@org.junit.jupiter.api.Tag("kernel")
class JournalLockKernelIT
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aSecondRunIsRefusedAfterTheLockFileIsDeleted() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        try (Netns ns = Netns.create("lock");
             MonitorProcess first = MonitorProcess.start(ns, Files.createDirectories(tmp.resolve("first")), "run", "--journal", journal.toString(),
                 "--stdout", "none", "--capture", "rtnl"))
        {
            first.awaitLog("capture rtnl: initial dumps complete", 30_000);
            Files.delete(journal.resolve(Journal.LOCK_FILE));
            try (MonitorProcess second = MonitorProcess.start(ns, Files.createDirectories(tmp.resolve("second")), "run", "--journal",
                journal.toString(), "--stdout", "none", "--capture", "rtnl"))
            {
                assertEquals(Main.EXIT_FAILURE, second.awaitExit(30_000), second::toString);
                assertTrue(second.stderr().contains("journal " + journal + " is in use by another nlstream run"), second::toString);
            }
            assertTrue(first.isAlive(), first::toString);
            assertEquals(0, first.terminate(20_000), first::toString);
        }
    }
}
