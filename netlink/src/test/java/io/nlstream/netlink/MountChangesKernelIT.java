package io.nlstream.netlink;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernel's mark on /proc/self/mountinfo: none while nothing is mounted, one after a mount (as {@code ip netns add}
 * bind-mounts a namespace) and one after the unmount, each consumed by the question. A tmpfs mounted on a
 * directory of the test's own, unmounted even when the test fails.
 */
@Tag("kernel")
class MountChangesKernelIT
{
    @TempDir
    Path tmp;

    @Test
    void aMountAndAnUnmountEachMarkTheTableOnce() throws Exception
    {
        assumeTrue(Files.readString(Path.of("/proc/self/status")).lines().anyMatch(l -> l.startsWith("CapEff:")
            && (Long.parseUnsignedLong(l.substring(7).trim(), 16) & (1L << 21)) != 0), "skipped: mounting needs CAP_SYS_ADMIN");
        final Path point = Files.createDirectories(tmp.resolve("point"));
        try (MountChanges changes = MountChanges.open("/proc/self/mountinfo"))
        {
            // other tests or the host may mount meanwhile: only "no mark after it was consumed, with nothing mounted by
            // us in between" could fail spuriously, so the quiet case is asked twice in a row instead
            changes.changed();
            run("mount", "-t", "tmpfs", "nlst-mountchanges", point.toString());
            try
            {
                assertTrue(changes.changed(), "a mount marks the table");
            }
            finally
            {
                run("umount", point.toString());
            }
            assertTrue(changes.changed(), "an unmount marks the table");
            final boolean again = changes.changed();
            assertFalse(again && changes.changed() && changes.changed(), "the mark is consumed by the question");
        }
    }

    private static void run(final String... command) throws Exception
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }
}
