package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.monitor.testing.Traffic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: the journal's filesystem fills up under {@code run} (issue 11, item 4; a 24 MiB tmpfs, most
 * of it taken by a filler file). Before, {@code run} died with "a fault occurred in a recent unsafe memory access"
 * (a SIGBUS on a mapped page the filesystem had no room for) and readers crashed until space was freed. Now the
 * pretouch thread finds the page it cannot fault in ahead of the writers; they stop short of it, log "no space
 * left" with the path, keep capturing and counting, and once space is back journal a gap (errno ENOSPC) spanning
 * what they could not write, then resync. Readers work throughout.
 */
@org.junit.jupiter.api.Tag("kernel")
class FullDiskKernelIT
{
    /** Sends one UDP datagram to each of 8 loopback addresses on each port in [from, to): 8 new flows a port. */
    private static final String FLOWS = String.join("\n",
        "import socket, sys",
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
        "for p in range(int(sys.argv[1]), int(sys.argv[2])):",
        "    for a in range(1, 9):",
        "        s.sendto(b'x', ('127.0.0.%d' % a, p))");

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aFullDiskIsNamedCaptureGoesOnAndTheTimeItCouldNotWriteIsAGap() throws Exception
    {
        final Path mount = Files.createDirectories(tmp.resolve("small"));
        final Path journal = mount.resolve("journal");
        Netns.run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount.toString());
        try (Netns ns = Netns.create("fulldisk"))
        {
            ns.ip("link", "set", "lo", "up");
            Traffic.trackConnections(ns);
            final Path filler = mount.resolve("filler");
            Netns.run("dd", "if=/dev/zero", "of=" + filler, "bs=1M", "count=13");
            try (MonitorProcess run = MonitorProcess.start(ns, Files.createDirectories(tmp.resolve("run")), "run", "--journal",
                journal.toString(), "--stdout", "none", "--capture", "conntrack", "--snapshots", "false"))
            {
                run.awaitLog("capture conntrack: initial dumps complete", 30_000);
                // about 200 bytes a flow: 128,000 flows are more than the 11 MiB left
                ns.exec("python3", "-c", FLOWS, "1000", "17000");
                run.awaitLog("journal " + journal + ": no space left on its filesystem (" + mount, 30_000);
                assertTrue(run.isAlive(), run::toString);

                // readers work on the full disk
                final String stats = Cli.run("stats", "--journal", journal.toString(), "--snapshots", "false");
                assertTrue(stats.contains("entries.netfilter.event"), stats);

                Files.delete(filler);
                ns.exec("python3", "-c", FLOWS, "17000", "17100");
                run.awaitLog("space again; ", 30_000);
                assertTrue(run.isAlive(), run::toString);
                assertEquals(0, run.terminate(20_000), run::toString);
                assertTrue(!run.stderr().contains("unsafe memory access"), run::toString);
            }
            final List<Map<String, Object>> gaps = Cli.json("replay", "--journal", journal.toString(), "--kind", "gap", "--snapshots", "false");
            assertTrue(!gaps.isEmpty(), "a gap for the time the journal could not be written");
            final Map<String, Object> gap = gaps.get(0);
            assertEquals("ENOSPC", gap.get("errno"), gap.toString());
            assertTrue(((Number)gap.get("overruns")).longValue() > 0 && gap.get("since") != null, gap.toString());
            assertTrue(((String)gap.get("since")).compareTo((String)gap.get("ts")) < 0, gap.toString());
            // capture resynced after it: a conntrack dump follows the gap
            final String stats = Cli.run("stats", "--journal", journal.toString(), "--snapshots", "false");
            assertTrue(stats.contains("entries.netfilter.dump-begin 2") || stats.contains("entries.netfilter.dump-begin 3"), stats);
        }
        finally
        {
            Netns.run("umount", "-l", mount.toString());
        }
    }
}
