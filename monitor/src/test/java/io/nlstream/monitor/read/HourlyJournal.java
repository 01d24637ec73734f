package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.RtnlMessages;
import io.nlstream.monitor.journal.TestJournal;
import io.nlstream.netlink.rtnl.Rtnetlink;
import net.openhft.chronicle.core.time.SetTimeProvider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test journal of hourly cycle files (FAST_HOURLY) as capture writes them, with the snapshots run's snapshot agent
 * writes beside it (every 10 minutes of journal time): each hour opens with a complete dump of namespace A's links
 * (so a snapshot after it points into that hour's file only), a link {@code vH} is added each hour and deleted two
 * hours later, eth0's MTU changes, and lo is announced every minute.
 */
public final class HourlyJournal
{
    public static final String ROLL = "FAST_HOURLY";
    public static final long HOUR_MS = 3_600_000L;
    public static final long MINUTE = 60_000_000_000L;
    public static final long SNAPSHOT_INTERVAL = 10 * MINUTE;

    private HourlyJournal()
    {
    }

    /**
     * Hours {@code from} to {@code to - 1} after {@code startMs} (an hour's start); {@code clock} (Chronicle's, which
     * names the files) ends at hour {@code to}. With {@code stray}, a link in namespace B is announced in hour 0 and
     * never dumped: its record stays in the first file. From hour {@code dumpB} on (none if negative), namespace B's
     * links (none) are dumped at the start of each hour.
     */
    public static void write(final Path dir, final SetTimeProvider clock, final long startMs, final int from, final int to,
        final boolean stray, final int dumpB)
    {
        final long t0 = startMs * 1_000_000L;
        final long hour = HOUR_MS * 1_000_000L;
        clock.currentTimeMillis(startMs + from * HOUR_MS);
        try (TestJournal j = TestJournal.create(dir, ROLL, clock))
        {
            for (int h = from; h < to; h++)
            {
                final long t = t0 + h * hour;
                j.at(t).event(TestJournal.NETNS_A, RtnlMessages.newLink(1, "lo", 65536));
                final List<byte[]> links = new ArrayList<>(List.of(RtnlMessages.newLink(1, "lo", 65536),
                    RtnlMessages.newLink(2, "eth0", 1400 + Math.max(0, h - 1))));
                if (h >= 1)
                {
                    links.add(RtnlMessages.newLink(100 + h - 1, "v" + (h - 1), 1500));
                }
                j.at(t + 1_000_000_000L).dump(TestJournal.NETNS_A, Rtnetlink.RTM_GETLINK, 1000 + h, 0, links.toArray(byte[][]::new));
                if (stray && h == 0)
                {
                    j.at(t + 2_000_000_000L).event(TestJournal.NETNS_B, RtnlMessages.newLink(7, "stray", 1500));
                }
                if (dumpB >= 0 && h >= dumpB)
                {
                    j.at(t + 3_000_000_000L).dump(TestJournal.NETNS_B, Rtnetlink.RTM_GETLINK, 2000 + h, 0);
                }
                for (int m = 1; m < 60; m++)
                {
                    final long at = t + m * MINUTE;
                    if (m == 5)
                    {
                        j.at(at).event(TestJournal.NETNS_A, RtnlMessages.newLink(100 + h, "v" + h, 1500));
                    }
                    else if (m == 7 && h >= 2)
                    {
                        j.at(at).event(TestJournal.NETNS_A, RtnlMessages.delLink(100 + h - 2, "v" + (h - 2)));
                    }
                    else if (m == 20)
                    {
                        j.at(at).event(TestJournal.NETNS_A, RtnlMessages.newLink(2, "eth0", 1400 + h));
                    }
                    else
                    {
                        j.at(at).event(TestJournal.NETNS_A, RtnlMessages.newLink(1, "lo", 65536));
                    }
                }
                clock.advanceMillis(HOUR_MS);
            }
        }
        // the snapshots run's snapshot agent writes as it follows the journal
        V1Journal.events(dir, b -> b.snapshots(true, true, SNAPSHOT_INTERVAL, 1_000_000));
    }
}
