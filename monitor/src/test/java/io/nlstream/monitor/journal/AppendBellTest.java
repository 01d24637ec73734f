package io.nlstream.monitor.journal;

import io.nlstream.netlink.Netlink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader dozing on the journal's bell: woken by the next append of any writer of that journal, not before; a look
 * that finds work (an append before the reader announced itself) means no sleep at all.
 */
class AppendBellTest
{
    /** Far longer than the test may take: a doze that ended did so because of the append. */
    private static final long LONG_DOZE = TimeUnit.MINUTES.toNanos(10);

    @TempDir
    Path tmp;

    @Test
    void aLookThatFindsWorkMeansNoSleep()
    {
        final AppendBell bell = new AppendBell();
        final long start = System.nanoTime();
        assertEquals(3, bell.doze(LONG_DOZE, () -> 3));
        assertTrue(System.nanoTime() - start < TimeUnit.MINUTES.toNanos(1), "did not sleep");
        bell.ring(); // nobody dozing: nothing to do
    }

    @Test
    void anAppendWakesADozingReaderOfTheSameJournal() throws Exception
    {
        try (Journal journal = Journal.openForWriting(tmp.resolve("journal"), TestJournal.ROLL_CYCLE); JournalWriter writer = journal.writer())
        {
            final AtomicInteger looks = new AtomicInteger();
            final CompletableFuture<Integer> dozed = CompletableFuture.supplyAsync(
                () -> journal.bell().doze(LONG_DOZE, () ->
                {
                    looks.incrementAndGet();
                    return 0;
                }));
            // until the reader has announced itself and looked (then it parks, or is about to: an unpark before the
            // park is kept by the thread's permit)
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (looks.get() == 0 && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            assertEquals(1, looks.get(), "the reader looked once after announcing itself");
            assertFalse(dozed.isDone(), "asleep while nothing is appended");

            final byte[] p = {1, 2, 3, 4};
            writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_NETFILTER, 1, 0, 0, TestJournal.NETNS_A, -1, 0, ByteBuffer.wrap(p), 0, p.length);
            assertEquals(0, dozed.get(1, TimeUnit.MINUTES), "woken by the append, not by its ten-minute limit");
            assertEquals(1, looks.get());
        }
    }
}
