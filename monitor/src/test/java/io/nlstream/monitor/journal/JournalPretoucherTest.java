package io.nlstream.monitor.journal;

import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pretoucher against the real kernel: pages after the write position are present in this process's
 * page tables (as /proc/self/pagemap shows them) before any append touches them,
 * and the journal's bytes are exactly what was appended, however the pretoucher raced the writer.
 */
class JournalPretoucherTest
{
    @TempDir
    Path tmp;

    /**
     * With nothing appended the thread sleeps longer and longer (an idle host's journal costs next to no wakes); the
     * first append wakes it, and the pages after a burst are faulted in as before.
     */
    @Test
    void anIdleJournalsPretoucherDozesAndTheNextAppendWakesIt() throws Exception
    {
        try (Journal journal = Journal.openForWriting(tmp.resolve("journal"), TestJournal.ROLL_CYCLE); JournalWriter writer = journal.writer())
        {
            final JournalPretoucher pretoucher = journal.pretoucher();
            final byte[] p = new byte[1_000];
            java.util.Arrays.fill(p, (byte)1);
            writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_NETFILTER, 1, 0, 0, TestJournal.NETNS_A, -1, 0, ByteBuffer.wrap(p), 0, p.length);
            Await.until("the pretoucher of an idle journal to doze", Duration.ofSeconds(10), pretoucher::dozing);
            // a burst: the first append wakes it (the note clears the doze before it returns)
            writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_NETFILTER, 1, 1, 1, TestJournal.NETNS_A, -1, 0, ByteBuffer.wrap(p), 0, p.length);
            assertFalse(pretoucher.dozing(), "an append woke it");
            for (int i = 2; i < 3_000; i++)
            {
                writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_NETFILTER, 1, i, i, TestJournal.NETNS_A, -1, 0, ByteBuffer.wrap(p), 0, p.length);
            }
            final long from = (pretoucher.notedAddress() & -4096L) + 4096;
            final int pages = (int)(JournalPretoucher.DEFAULT_AHEAD_BYTES / 2 / 4096);
            final int[] present = {0};
            Await.until("the " + pages + " pages after the burst's write position to be present", Duration.ofSeconds(10),
                () -> (present[0] = presentPages(from, pages)) == pages, () -> present[0] + " present");
            assertEquals(0, pretoucher.failures());
        }
    }

    @Test
    void faultsPagesInAheadOfTheWriterWithoutChangingAByte() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        final Random random = new Random(7);
        final byte[][] payloads = new byte[5_000][];
        long written = 0;
        try (Journal journal = Journal.openForWriting(dir, TestJournal.ROLL_CYCLE); JournalWriter writer = journal.writer())
        {
            final JournalPretoucher pretoucher = journal.pretoucher();
            assertNotNull(pretoucher, "on by default when writing");
            for (int i = 0; i < payloads.length; i++)
            {
                // 100 to 1,500 bytes, no zero runs a careless toucher could pass for untouched pages
                final byte[] p = new byte[100 + random.nextInt(1_400)];
                random.nextBytes(p);
                p[0] = (byte)(i | 1);
                payloads[i] = p;
                writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_NETFILTER, 1, i, i, TestJournal.NETNS_A, -1, 0,
                    ByteBuffer.wrap(p), 0, p.length);
                written += CaptureHeader.LENGTH + p.length;
                if (i % 500 == 0)
                {
                    Thread.onSpinWait(); // give the pretoucher a chance to race the writer
                }
            }
            // the pages after the write position, in this process's own page tables (/proc/self/pagemap)
            final long from = (pretoucher.notedAddress() & -4096L) + 4096;
            final int pages = (int)(JournalPretoucher.DEFAULT_AHEAD_BYTES / 2 / 4096);
            final int[] present = {0};
            Await.until("the " + pages + " pages after the write position to be present", Duration.ofSeconds(10),
                () -> (present[0] = presentPages(from, pages)) == pages,
                () -> present[0] + " present (populated " + pretoucher.populatedBytes() + " bytes, failures " + pretoucher.failures() + ")");
            assertTrue(pretoucher.running());
            assertEquals(0, pretoucher.failures());
        }

        try (Journal journal = Journal.openForReading(dir); JournalReader reader = journal.reader())
        {
            final JournalEntry entry = new JournalEntry();
            for (int i = 0; i < payloads.length; i++)
            {
                assertTrue(reader.next(entry), "entry " + i + " missing");
                assertEquals(i, entry.wallNanos());
                final byte[] got = new byte[entry.payloadLength()];
                entry.buffer().get(entry.payloadOffset(), got);
                assertArrayEquals(payloads[i], got, "entry " + i);
            }
            assertFalse(reader.next(entry), "nothing after the last append");
        }
    }

    @Test
    void closeStopsTheThread()
    {
        final Journal journal = Journal.openForWriting(tmp.resolve("j2"), TestJournal.ROLL_CYCLE);
        final JournalPretoucher pretoucher = journal.pretoucher();
        assertTrue(pretoucher.running());
        journal.close();
        assertFalse(pretoucher.running());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().equals("nlstream-journal-pretouch-j2") && t.isAlive()));
    }

    /**
     * How many of the {@code pages} pages from virtual address {@code from} are present in this process's
     * page tables: bit 63 of each page's /proc/self/pagemap entry.
     */
    private static int presentPages(final long from, final int pages) throws IOException
    {
        // pagemap takes reads of whole 8-byte entries only
        final ByteBuffer entries = ByteBuffer.allocate(pages * 8).order(ByteOrder.nativeOrder());
        try (FileChannel pagemap = FileChannel.open(Paths.get("/proc/self/pagemap"), StandardOpenOption.READ))
        {
            final long at = (from >>> 12) * 8;
            while (entries.hasRemaining() && pagemap.read(entries, at + entries.position()) > 0)
            {
                // read on
            }
        }
        int present = 0;
        for (int i = 0; i < pages; i++)
        {
            if (entries.getLong(i * 8) < 0)
            {
                present++;
            }
        }
        return present;
    }
}
