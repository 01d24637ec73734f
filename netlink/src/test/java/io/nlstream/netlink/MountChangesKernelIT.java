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
        assumeMayMount();
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

    @Test
    void aWaitEndsAtAMountOrAWakeNotBefore() throws Exception
    {
        assumeMayMount();
        final Path point = Files.createDirectories(tmp.resolve("point"));
        try (MountChanges changes = MountChanges.open("/proc/self/mountinfo"))
        {
            changes.changed();
            // a wake from another thread ends a long wait without a change
            final Thread waker = new Thread(() ->
            {
                sleep(100);
                changes.wake();
            });
            waker.start();
            long start = System.nanoTime();
            changes.await(600_000);
            waker.join();
            // another test's mount meanwhile could make it true; what must hold is that the wait ended early
            assertTrue(System.nanoTime() - start < 300_000_000_000L, "the wake ended the wait");

            // a mount from another thread ends a long wait, and the mark stays for changed()
            changes.changed();
            final Thread mounter = new Thread(() ->
            {
                sleep(100);
                try
                {
                    run("mount", "-t", "tmpfs", "nlst-mountchanges", point.toString());
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException(e);
                }
            });
            mounter.start();
            try
            {
                start = System.nanoTime();
                assertTrue(changes.await(600_000), "a mount ends the wait");
                assertTrue(System.nanoTime() - start < 300_000_000_000L);
                mounter.join();
                assertTrue(changes.changed(), "the mark the wait saw is kept for changed()");
            }
            finally
            {
                mounter.join();
                run("umount", point.toString());
            }
            assertTrue(changes.await(0), "the unmount is a change too");
        }
    }

    private static void assumeMayMount() throws Exception
    {
        assumeTrue(Files.readString(Path.of("/proc/self/status")).lines().anyMatch(l -> l.startsWith("CapEff:")
            && (Long.parseUnsignedLong(l.substring(7).trim(), 16) & (1L << 21)) != 0), "skipped: mounting needs CAP_SYS_ADMIN");
    }

    /** Fixed: gives the test's thread time to be inside its wait before this one wakes it (nothing tells that it is). */
    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(final String... command) throws Exception
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }
}
