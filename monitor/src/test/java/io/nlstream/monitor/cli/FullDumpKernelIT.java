package io.nlstream.monitor.cli;

import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.monitor.testing.Traffic;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: {@code run} dumps rtnetlink's four tables and the conntrack table again in full every
 * {@code --full-dump-interval} (issue 11, item 2), so a hole in the journal (a damaged or deleted file) leaves
 * {@code state} unsettled for one period at most: a complete dump is authoritative, and readers end what it lacks.
 */
@org.junit.jupiter.api.Tag("kernel")
class FullDumpKernelIT
{
    @TempDir
    Path tmp;

    /** Dump requests journalled so far: [rtnetlink, conntrack]. */
    private static int[] dumpsBegun(final Path journal)
    {
        final int[] n = new int[2];
        try (Journal j = Journal.openForReading(journal); JournalReader reader = j.reader().toStart())
        {
            final JournalEntry e = new JournalEntry();
            while (reader.next(e))
            {
                if (e.origin() == CaptureHeader.ORIGIN_DUMP_BEGIN && e.protocol() == Netlink.NETLINK_ROUTE)
                {
                    n[0]++;
                }
                else if (e.origin() == CaptureHeader.ORIGIN_DUMP_BEGIN && e.protocol() == Netlink.NETLINK_NETFILTER)
                {
                    n[1]++;
                }
            }
        }
        return n;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void rtnetlinkAndConntrackAreDumpedAgainEveryInterval() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        try (Netns ns = Netns.create("fulldump"))
        {
            Traffic.trackConnections(ns);
            try (MonitorProcess run = MonitorProcess.start(ns, Files.createDirectories(tmp.resolve("run")), "run", "--journal",
                journal.toString(), "--stdout", "none", "--capture", "rtnl,conntrack", "--full-dump-interval", "10s"))
            {
                run.awaitLog("capture conntrack: initial dumps complete", 30_000);
                final int[] start = dumpsBegun(journal);
                assertEquals(4, start[0], "links, addresses, routes, neighbours at start");
                assertEquals(1, start[1], "the conntrack table at start");
                final int[][] now = {start};
                Await.until("a second full round within the interval (and some slack)", Duration.ofSeconds(40), () ->
                {
                    now[0] = dumpsBegun(journal);
                    return now[0][0] >= 8 && now[0][1] >= 2;
                }, () -> "dumps begun: rtnl " + now[0][0] + ", conntrack " + now[0][1]);
                assertEquals(0, run.terminate(20_000), run::toString);
            }
        }
    }
}
