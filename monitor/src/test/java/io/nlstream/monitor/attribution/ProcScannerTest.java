package io.nlstream.monitor.attribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ProcScanner on this machine's /proc, with a socket this JVM holds, and on a /proc laid out in a temp
 * directory for the cases a live system does not offer on demand.
 */
class ProcScannerTest
{
    @TempDir
    Path tmp;

    @Test
    void findsTheListenerThisJvmHoldsAndForgetsItOnceClosed() throws IOException
    {
        final ProcScanner scanner = new ProcScanner();
        final long inode;
        try (AttributionSockets.Listener listener = AttributionSockets.listen())
        {
            inode = listener.inode();
            assertTrue(AttributionSockets.socketInodesOfThisProcess().contains(inode),
                "the kernel's table and /proc/self/fd agree on the inode " + inode);

            final Map<Long, ProcScanner.Owner> owners = scanner.scan();
            final ProcScanner.Owner owner = owners.get(inode);
            assertNotNull(owner, "inode " + inode + " among " + owners.size() + " sockets");
            assertEquals(ProcessHandle.current().pid(), owner.pid);
            assertEquals("java", owner.comm);
            assertEquals(ownComm(), owner.comm, "what /proc/self/comm says");
            assertEquals(1, scanner.walks());
            assertTrue(scanner.linksRead() >= owners.size(), "every socket found was a link read");
            assertTrue(scanner.lastWalkNanos() > 0);
        }
        assertFalse(scanner.scan().containsKey(inode), "closed: no process holds it any more");
        assertEquals(2, scanner.walks());
    }

    @Test
    void readsSocketLinksOnlyOfPidDirectories() throws IOException
    {
        process(100, "nginx", "3", "socket:[4242]", "4", "pipe:[9]", "5", "anon_inode:[eventfd]", "6", "socket:[4243]");
        process(200, "sshd", "0", "socket:[4343]");
        process(300, null, "1", "socket:[4444]"); // comm unreadable: still attributed, without a name
        Files.createDirectories(tmp.resolve("400")); // exited between the listing and the walk: no fd directory
        process(500, "idle", "0", "/dev/null");
        Files.createDirectories(tmp.resolve("self/fd"));
        Files.createSymbolicLink(tmp.resolve("self/fd/9"), Path.of("socket:[9999]"));
        Files.createDirectories(tmp.resolve("sys/fd"));
        Files.createSymbolicLink(tmp.resolve("sys/fd/9"), Path.of("socket:[9998]"));

        final ProcScanner scanner = new ProcScanner(tmp);
        final Map<Long, String> owners = new TreeMap<>();
        scanner.scan().forEach((inode, owner) -> owners.put(inode, owner.toString()));
        assertEquals(Map.of(4242L, "100/nginx", 4243L, "100/nginx", 4343L, "200/sshd", 4444L, "300/"), owners);
        assertEquals(7, scanner.linksRead(), "every fd link of every pid directory, sockets or not");
        assertEquals(1, scanner.walks());
    }

    @Test
    void socketSharedByTwoProcessesHasOneOwner() throws IOException
    {
        process(700, "parent", "3", "socket:[5000]");
        process(701, "child", "3", "socket:[5000]");
        final Map<Long, ProcScanner.Owner> owners = new ProcScanner(tmp).scan();
        assertEquals(1, owners.size());
        final ProcScanner.Owner owner = owners.get(5000L);
        assertTrue(owner.toString().equals("700/parent") || owner.toString().equals("701/child"), owner.toString());
    }

    @Test
    void unreadableProcIsAnError()
    {
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ProcScanner(tmp.resolve("missing")).scan());
        assertTrue(e.getMessage().contains("cannot list " + tmp.resolve("missing")), e.getMessage());
    }

    /** tmp/PID/comm (unless null) and tmp/PID/fd/N -> target, as pairs N, target. */
    private void process(final int pid, final String comm, final String... fdTargets) throws IOException
    {
        final Path dir = tmp.resolve(Integer.toString(pid));
        Files.createDirectories(dir.resolve("fd"));
        if (comm != null)
        {
            Files.writeString(dir.resolve("comm"), comm + "\n", StandardCharsets.UTF_8);
        }
        for (int i = 0; i < fdTargets.length; i += 2)
        {
            Files.createSymbolicLink(dir.resolve("fd").resolve(fdTargets[i]), Path.of(fdTargets[i + 1]));
        }
    }

    private static String ownComm() throws IOException
    {
        return Files.readString(Path.of("/proc/self/comm"), StandardCharsets.UTF_8).trim();
    }
}
