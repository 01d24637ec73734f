package io.nlstream.monitor.capture;

import io.nlstream.netlink.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery and the namespace life cycle over a /proc made of files: mountinfo lines as the kernel writes them for
 * {@code ip netns add} (nsfs mounts), and /proc/PID/ns/net links as {@code readlink} shows them.
 */
class NamespaceWatcherTest
{
    private static final long SELF = 4026531840L;

    @TempDir
    Path proc;

    /** What the sources were told, in order. */
    private final List<String> told = new ArrayList<>();

    private final NamespaceWatcher.Listener listener = new NamespaceWatcher.Listener()
    {
        @Override
        public void watch(final long inode, final Path path, final int rcvbuf, final io.nlstream.monitor.journal.ContainerIdentity container)
        {
            told.add("watch " + inode + " " + path + " " + rcvbuf);
        }

        @Override
        public void unwatch(final long inode, final boolean ended)
        {
            told.add("unwatch " + inode + (ended ? " ended" : ""));
        }
    };

    @Test
    void mountinfoLinesOfNetworkNamespaces()
    {
        // as the kernel writes them (ip netns add blue; a runtime's namespace under a path with a space)
        assertEquals(4026532290L, NamespaceWatcher.mountedNetns(
            "517 29 0:4 net:[4026532290] /run/netns/blue rw,nosuid,nodev,noexec - nsfs nsfs rw"));
        assertEquals(4026532291L, NamespaceWatcher.mountedNetns(
            "518 29 0:4 net:[4026532291] /var/run/my\\040ns rw shared:5 - nsfs nsfs rw"));
        assertEquals(0, NamespaceWatcher.mountedNetns("519 29 0:4 mnt:[4026532292] /run/mntns/x rw - nsfs nsfs rw"), "not net");
        assertEquals(0, NamespaceWatcher.mountedNetns("26 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw"), "not nsfs");
        assertEquals(0, NamespaceWatcher.mountedNetns("520 29 0:4 net:[x] /run/netns/bad rw - nsfs nsfs rw"), "no number");
        assertEquals(0, NamespaceWatcher.mountedNetns("520 29 0:4 net:[12] /run/netns/bad rw - tmpfs tmpfs rw"), "not nsfs");
        assertEquals(0, NamespaceWatcher.mountedNetns(""));
        assertEquals(0, NamespaceWatcher.mountedNetns("garbage"));
        assertEquals("/var/run/my ns", NamespaceWatcher.unescape("/var/run/my\\040ns"));
        assertEquals("/a\\b", NamespaceWatcher.unescape("/a\\134b"));
        assertEquals("/a\\9", NamespaceWatcher.unescape("/a\\9"), "not an octal escape");
        assertEquals(4026531840L, NamespaceWatcher.inodeOfLink("net:[4026531840]"));
        assertEquals(0, NamespaceWatcher.inodeOfLink("mnt:[4026531840]"));
        assertEquals(0, NamespaceWatcher.inodeOfLink("net:[]"));
    }

    @Test
    void findsNamespacesByMountsAndProcessesOnceEachAndEndsThoseNothingHolds() throws IOException
    {
        link("self/ns/net", SELF);
        link("1/ns/net", SELF);
        mounts("517 29 0:4 net:[100] /run/netns/blue rw - nsfs nsfs rw");
        link("300/ns/net", 100);   // a process in blue: the mount names it
        link("400/ns/net", 200);   // a process in a namespace without a name
        link("401/ns/net", 200);
        Files.createDirectories(proc.resolve("sys"));   // not a pid
        final NamespaceWatcher w = new NamespaceWatcher(List.of(listener), 1, 64, 4, proc, 1);
        w.onStart();
        assertEquals(List.of("watch " + SELF + " null 64"), told);
        told.clear();

        assertEquals(2, w.scan());
        assertEquals(List.of("watch 100 /run/netns/blue 4", "watch 200 " + proc.resolve("400/ns/net") + " 4").stream().sorted().toList(),
            told.stream().sorted().toList());
        assertEquals(3, w.watchedCount());
        told.clear();
        assertEquals(0, w.scan(), "nothing new");
        assertEquals(List.of(), told);

        // a source could not open blue (the process named first had exited): the next scan offers it again
        w.openFailed(100);
        w.openFailed(SELF);
        assertEquals(1, w.scan());
        assertEquals(List.of("watch 100 /run/netns/blue 4"), told, "this one's own namespace is never forgotten");
        told.clear();

        // blue's mount goes (ip netns del) and its process exits; the unnamed one loses one of two processes
        mounts();
        exit(300);
        exit(400);
        assertEquals(0, w.scan(), "one scan missing it is not yet an end");
        assertEquals(List.of(), told);
        assertEquals(1, w.scan());
        assertEquals(List.of("unwatch 100 ended"), told);
        assertEquals(2, w.watchedCount());
        told.clear();

        // a namespace that comes back between two scans is not ended; the one nlstream runs in never is
        exit(401);
        exit(1);
        assertEquals(0, w.scan());
        link("402/ns/net", 200);
        assertEquals(0, w.scan());
        assertEquals(0, w.scan());
        assertEquals(List.of(), told);
        assertEquals(2, w.watchedCount());

        // a process seen before that moves to a namespace of its own (unshare -n after its start) is read again
        // within REREAD_SCANS scans
        link("500/ns/net", SELF);
        w.scan();
        Files.delete(proc.resolve("500/ns/net"));
        link("500/ns/net", 300);
        int scans = 0;
        while (told.isEmpty() && scans < NamespaceWatcher.REREAD_SCANS)
        {
            w.scan();
            scans++;
        }
        assertEquals(List.of("watch 300 " + proc.resolve("500/ns/net") + " 4"), told);
    }

    /** Processes looked at every other scan: a process-held namespace is not ended in the scans between. */
    @Test
    void processesLookedAtEveryOtherScanStillHoldTheirNamespacesBetween() throws IOException
    {
        link("self/ns/net", SELF);
        mounts();
        link("400/ns/net", 200);
        final NamespaceWatcher w = new NamespaceWatcher(List.of(listener), 1, 64, 4, proc, 2);
        w.onStart();
        told.clear();
        assertEquals(1, w.scan());
        told.clear();
        for (int i = 0; i < 6; i++)
        {
            assertEquals(0, w.scan(), "scan " + i);
        }
        exit(400);
        int scans = 0;
        while (told.isEmpty() && scans < 10)
        {
            w.scan();
            scans++;
        }
        assertEquals(List.of("unwatch 200 ended"), told);
        assertTrue(scans <= 2 * NamespaceWatcher.MISSES_TO_END, "ended after " + scans + " scans");
    }

    /**
     * Processes looked at only when /proc/loadavg's count of tasks or last pid moved (or once in PROCESS_LOOK_EVERY
     * process scans): a process that appears without them moving is found by the periodic look and not before; one
     * that moves them is found at the next scan, and read again at the one after (its fork was seen before its
     * unshare); an exit moves the count and ends its namespace without waiting for the periodic look.
     */
    @Test
    void processesAreLookedAtWhenTheKernelSaysOneWasMadeOrEndedOtherwiseOnceInAWhile() throws IOException
    {
        link("self/ns/net", SELF);
        mounts();
        loadavg("1/80 1000");
        // a process whose namespace is not ours to read (the init of another user namespace): a directory, no link
        Files.createDirectories(proc.resolve("1/ns"));
        final NamespaceWatcher w = new NamespaceWatcher(List.of(listener), 1, 64, 4, proc, 1);
        w.onStart();
        told.clear();
        assertEquals(0, w.scan());
        // a process the count does not show (a test's sleight of hand: the kernel's would have moved)
        link("400/ns/net", 200);
        int scans = 0;
        while (told.isEmpty() && scans < 3 * NamespaceWatcher.PROCESS_LOOK_EVERY)
        {
            w.scan();
            scans++;
        }
        assertEquals(List.of("watch 200 " + proc.resolve("400/ns/net") + " 4"), told);
        assertEquals(NamespaceWatcher.PROCESS_LOOK_EVERY, scans, "found by the periodic look, not before");
        told.clear();

        // a new process: the last pid moves; found at once, in the namespace it had when first read
        link("401/ns/net", SELF);
        loadavg("1/81 1001");
        assertEquals(0, w.scan());
        // it unshares before the next scan: read again there although nothing moved
        Files.delete(proc.resolve("401/ns/net"));
        link("401/ns/net", 300);
        assertEquals(1, w.scan());
        assertEquals(List.of("watch 300 " + proc.resolve("401/ns/net") + " 4"), told);
        told.clear();

        // it exits: the count moves, its namespace ends after MISSES_TO_END scans
        exit(401);
        loadavg("1/80 1001");
        scans = 0;
        while (told.isEmpty() && scans < 10)
        {
            w.scan();
            scans++;
        }
        assertEquals(List.of("unwatch 300 ended"), told);
        assertEquals(NamespaceWatcher.MISSES_TO_END, scans);
    }

    private void loadavg(final String tasks) throws IOException
    {
        Files.writeString(proc.resolve("loadavg"), "0.00 0.01 0.05 " + tasks + "\n");
    }

    /**
     * Mounts read once in MOUNT_SCAN_EVERY scans, and at once (that scan and the next) when a watched directory
     * changes: a name made there is found within a scan or two, a namespace mounted elsewhere by the periodic read,
     * a name deleted there ends its namespace without waiting for it. The directory appears only after the start.
     */
    @Test
    void aChangeInAWatchedDirectoryReadsMountsAtOnceOtherwiseEveryFewScans() throws Exception
    {
        link("self/ns/net", SELF);
        mounts();
        final Path netnsDir = proc.resolve("run-netns");
        final NamespaceWatcher w = new NamespaceWatcher(List.of(listener), 1, 64, 4, proc, 2, 8, List.of(netnsDir));
        w.onStart();
        try
        {
            told.clear();
            // the scans of discoveries 0 to 8: mounts read at the first and the last
            for (int i = 0; i <= 8; i++)
            {
                w.scan();
            }
            assertEquals(List.of(), told);

            // a mount elsewhere, nothing in the watched directory: seen by the read once in 8 scans, not before
            mounts("518 29 0:4 net:[300] /var/lib/runtime/ns1 rw - nsfs nsfs rw");
            int scans = 0;
            while (told.isEmpty() && scans < 20)
            {
                w.scan();
                scans++;
            }
            assertEquals(List.of("watch 300 /var/lib/runtime/ns1 4"), told);
            assertTrue(scans >= 2 && scans <= 8, "found after " + scans + " scans");
            told.clear();
        }
        finally
        {
            w.onClose();
        }

        // a watcher that reads mounts only at its first scan, unless the directory tells of a change: the directory
        // is made (the first ip netns add), then a name in it: found once the event reaches the watcher
        final NamespaceWatcher events = new NamespaceWatcher(List.of(listener), 1, 64, 4, proc, 2, Integer.MAX_VALUE, List.of(netnsDir));
        events.onStart();
        try
        {
            events.scan();
            told.clear();
            Files.createDirectories(netnsDir);
            events.scan();
            events.scan();
            mounts("518 29 0:4 net:[300] /var/lib/runtime/ns1 rw - nsfs nsfs rw",
                "519 29 0:4 net:[100] " + netnsDir.resolve("blue") + " rw - nsfs nsfs rw");
            for (int i = 0; i < 4; i++)
            {
                events.scan();
            }
            assertEquals(List.of(), told, "no event, no read");
            Files.createFile(netnsDir.resolve("blue"));
            scanUntil(events, "watch 100 " + netnsDir.resolve("blue") + " 4");
            told.clear();

            // the name goes (ip netns del: umount, then unlink): its namespace ends in the scans the event makes
            mounts("518 29 0:4 net:[300] /var/lib/runtime/ns1 rw - nsfs nsfs rw");
            Files.delete(netnsDir.resolve("blue"));
            scanUntil(events, "unwatch 100 ended");
        }
        finally
        {
            events.onClose();
        }
    }

    /** Scans until {@code expected} is told, for up to 5 s (the directory watch reports on a thread of the JDK's). */
    private void scanUntil(final NamespaceWatcher w, final String expected)
    {
        Await.until("the watcher to tell \"" + expected + "\"", Duration.ofSeconds(5), () ->
        {
            w.scan();
            return told.contains(expected);
        }, () -> "told " + told);
    }

    /** A process that exits: its /proc directory goes. */
    private void exit(final int pid) throws IOException
    {
        final Path dir = proc.resolve(Integer.toString(pid));
        Files.delete(dir.resolve("ns/net"));
        Files.delete(dir.resolve("ns"));
        Files.delete(dir);
    }

    private void link(final String path, final long inode) throws IOException
    {
        final Path p = proc.resolve(path);
        Files.createDirectories(p.getParent());
        Files.createSymbolicLink(p, Path.of("net:[" + inode + "]"));
    }

    private void mounts(final String... lines) throws IOException
    {
        Files.createDirectories(proc.resolve("self"));
        Files.write(proc.resolve("self/mountinfo"), List.of(lines));
    }
}
