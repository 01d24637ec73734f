package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.netlink.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: no process in a watched namespace can fill a capture socket's queue. A root process there
 * sends forged rtnetlink messages straight to the capture socket's port (unicast, as the adversary in issue 11
 * did); the socket is connected to the kernel, so the kernel refuses every one (ECONNREFUSED) and capture never
 * sees them: its {@code foreign} counter stays 0, and a link made afterwards is captured.
 */
@org.junit.jupiter.api.Tag("kernel")
class CaptureFloodKernelIT
{
    private static final String FLOOD = String.join("\n",
        "import socket, struct, sys",
        "port = int(sys.argv[1]); n = int(sys.argv[2])",
        "s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0); s.bind((0, 0))",
        "# RTM_NEWLINK (16), an ifinfomsg for ifindex 4242",
        "msg = struct.pack('=IHHII', 32, 16, 0, 1, 0) + struct.pack('=BxHiII', 0, 1, 4242, 0, 0)",
        "sent = refused = other = 0",
        "for i in range(n):",
        "    try:",
        "        s.sendto(msg, socket.MSG_DONTWAIT, (port, 0)); sent += 1",
        "    except ConnectionRefusedError:",
        "        refused += 1",
        "    except OSError:",
        "        other += 1",
        "print(sent, refused, other)");

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void forgedUnicastToTheCapturePortIsRefusedByTheKernel() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        try (Netns ns = Netns.create("flood");
             MonitorProcess monitor = MonitorProcess.start(ns, tmp, "run", "--journal", journal.toString(), "--stdout", "none",
                 "--capture", "rtnl"))
        {
            monitor.awaitLog("capture rtnl: initial dumps complete", 30_000);
            final Matcher m = Pattern.compile("capture rtnl: netlink protocol 0 port (\\d+)").matcher(monitor.stderr());
            assertTrue(m.find(), monitor::toString);
            final String port = m.group(1);

            final String[] counts = ns.exec("python3", "-c", FLOOD, port, "20000").trim().split(" ");
            assertEquals("0", counts[0], "forged messages the kernel delivered to the capture socket");
            assertEquals("20000", counts[1], "forged messages refused (ECONNREFUSED)");

            ns.ip("link", "add", "fl0", "type", "veth", "peer", "name", "fl1");
            // (announced after its peer, and after the forged messages were refused)
            Await.until("fl0 to be journalled", Duration.ofSeconds(30), () -> Cli.run("replay", "--journal", journal.toString(), "--kind", "link",
                "--format", "kv").contains(" ifname=fl0 "));
            assertEquals(0, monitor.terminate(20_000), monitor::toString);
        }
        final String stats = Cli.run("stats", "--journal", journal.toString());
        assertTrue(stats.contains("capture.rtnetlink.foreign 0\n"), stats);
        final String links = Cli.run("replay", "--journal", journal.toString(), "--kind", "link", "--format", "kv");
        assertTrue(links.contains(" ifname=fl0 "), links);
        assertTrue(!links.contains("ifindex=4242 "), links);
    }
}
