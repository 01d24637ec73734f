package io.nlstream.monitor.forward;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.HourlyJournal;
import io.nlstream.monitor.read.ReadPipeline;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forwarder's read-ahead on a journal of a day of hourly files (dumps with synthesized ends, so an entry may give
 * several records): the records it hands over are those an inline read prepares, in the same order, whatever the
 * ring's size and the taker's pace; the pipeline reads on inline after it (Chronicle's tailers are handed between
 * threads); a stop while it waits for room ends its thread; a failure of the reading thread reaches the taker after
 * the records read before it.
 */
class ReadAheadTest
{
    private static final long START_MS = Instant.parse("2026-11-30T00:00:00Z").toEpochMilli();
    private static final UnaryOperator<ReadPipeline.Builder> NO_SNAPSHOTS = b -> b.snapshots(false, false, 60_000_000_000L, 1_000_000);

    @TempDir
    Path tmp;

    private Path journal()
    {
        final Path dir = tmp.resolve("journal");
        HourlyJournal.write(dir, new SetTimeProvider(Instant.ofEpochMilli(START_MS)), START_MS, 0, 24, true, 3);
        return dir;
    }

    private static String text(final KafkaRecords.Prepared r)
    {
        return r.seq() + ":" + r.sub() + " " + new String(r.value(), StandardCharsets.UTF_8);
    }

    private static List<String> inline(final Journal j)
    {
        final KafkaRecords records = new KafkaRecords(j);
        final KafkaRecords.Prepared into = new KafkaRecords.Prepared();
        final List<String> out = new ArrayList<>();
        try (ReadPipeline reader = NO_SNAPSHOTS.apply(ReadPipeline.from(j)).build())
        {
            while (reader.poll(100, e ->
            {
                records.prepare(e, into);
                out.add(text(into));
            }) > 0)
            {
                // to the end
            }
        }
        return out;
    }

    @Test
    void theRecordsAreAnInlineReadsInItsOrderWhateverTheRingAndThePace()
    {
        try (Journal j = Journal.openForReading(journal()))
        {
            final List<String> expected = inline(j);
            assertTrue(expected.size() > 1_000, "records: " + expected.size());
            final SplittableRandom random = new SplittableRandom(7);
            for (final int capacity : new int[] {1, 8, 4096})
            {
                final List<String> problems = new ArrayList<>();
                try (ReadPipeline reader = NO_SNAPSHOTS.apply(ReadPipeline.from(j)).problems((index, reason) -> problems.add(index + ": " + reason))
                    .build())
                {
                    // a first part inline, as the forwarder reads until it finds a backlog
                    final KafkaRecords records = new KafkaRecords(j);
                    final KafkaRecords.Prepared into = new KafkaRecords.Prepared();
                    final List<String> got = new ArrayList<>();
                    reader.poll(10, e ->
                    {
                        records.prepare(e, into);
                        got.add(text(into));
                    });
                    final ReadAhead ahead = ReadAhead.start(reader, records::prepare, capacity, "test-read-ahead");
                    while (true)
                    {
                        final int taken = ahead.poll(1 + random.nextInt(300), r -> got.add(text(r)));
                        if (taken == 0 && ahead.finished())
                        {
                            break;
                        }
                        if (random.nextInt(50) == 0)
                        {
                            // a slow taker: the reader waits for room
                            LockSupport.parkNanos(200_000L);
                        }
                    }
                    ahead.join();
                    assertEquals(expected, got, "ring of " + capacity);
                    // the reader is this thread's again: Chronicle's tailer takes it, and finds nothing more
                    assertEquals(0, reader.poll(100, e -> got.add("more")));
                }
                // an entry a tailer refused to the thread it was handed to would be one
                assertEquals(List.of(), problems, "ring of " + capacity);
            }
        }
    }

    /** After the read-ahead has caught up and ended, the forwarder's thread reads what is journalled next, inline. */
    @Test
    void afterItTheReaderReadsOnInline()
    {
        final Path dir = journal();
        final List<String> problems = new ArrayList<>();
        try (Journal j = Journal.openForReading(dir);
             ReadPipeline reader = NO_SNAPSHOTS.apply(ReadPipeline.from(j)).problems((index, reason) -> problems.add(index + ": " + reason)).build())
        {
            final KafkaRecords records = new KafkaRecords(j);
            final List<String> got = new ArrayList<>();
            final ReadAhead ahead = ReadAhead.start(reader, records::prepare, 64, "test-read-ahead");
            while (!(ahead.poll(100, r -> got.add(text(r))) == 0 && ahead.finished()))
            {
                LockSupport.parkNanos(100_000L);
            }
            ahead.join();
            final int before = got.size();
            // another hour journalled (as run goes on writing)
            HourlyJournal.write(dir, new SetTimeProvider(Instant.ofEpochMilli(START_MS + 24 * HourlyJournal.HOUR_MS)), START_MS, 24, 25, false, 3);
            final KafkaRecords.Prepared into = new KafkaRecords.Prepared();
            while (reader.poll(100, e ->
            {
                records.prepare(e, into);
                got.add(text(into));
            }) > 0)
            {
                // to the new end
            }
            assertTrue(got.size() > before + 50, "read on inline: " + (got.size() - before));
            assertEquals(List.of(), problems);
        }
    }

    @Test
    void aStopWhileItWaitsForRoomEndsItsThread()
    {
        try (Journal j = Journal.openForReading(journal()); ReadPipeline reader = NO_SNAPSHOTS.apply(ReadPipeline.from(j)).build())
        {
            final AtomicInteger prepared = new AtomicInteger();
            final KafkaRecords records = new KafkaRecords(j);
            final ReadAhead ahead = ReadAhead.start(reader, (e, into) ->
            {
                records.prepare(e, into);
                prepared.incrementAndGet();
            }, 4, "test-read-ahead");
            final List<String> got = new ArrayList<>();
            // two taken, then the ring fills (4 more) and the reader waits for room until stopped
            while (got.size() < 2)
            {
                ahead.poll(2 - got.size(), r -> got.add(text(r)));
            }
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (prepared.get() < 6)
            {
                assertTrue(System.nanoTime() < deadline, "the ring never filled: " + prepared.get());
                LockSupport.parkNanos(1_000_000L);
            }
            ahead.stop();
            assertEquals(6, prepared.get(), "no record prepared while there was no room");
            assertEquals(inline(j).subList(0, 2), got);
            assertTrue(ahead.finished(), "ended, and what it held was dropped");
        }
    }

    @Test
    void aFailureReachesTheTakerAfterTheRecordsBeforeIt()
    {
        try (Journal j = Journal.openForReading(journal()); ReadPipeline reader = NO_SNAPSHOTS.apply(ReadPipeline.from(j)).build())
        {
            final KafkaRecords records = new KafkaRecords(j);
            final IllegalStateException boom = new IllegalStateException("record 100 cannot be made");
            final AtomicInteger n = new AtomicInteger();
            final ReadAhead ahead = ReadAhead.start(reader, (e, into) ->
            {
                if (n.getAndIncrement() == 100)
                {
                    throw boom;
                }
                records.prepare(e, into);
            }, 16, "test-read-ahead");
            final List<String> got = new ArrayList<>();
            final long deadline = System.nanoTime() + 30_000_000_000L;
            final IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
            {
                while (true)
                {
                    assertTrue(System.nanoTime() < deadline, "no failure after " + got.size() + " records");
                    if (ahead.poll(7, r -> got.add(text(r))) == 0)
                    {
                        LockSupport.parkNanos(100_000L);
                    }
                }
            });
            assertSame(boom, thrown);
            assertEquals(inline(j).subList(0, 100), got);
            assertTrue(ahead.finished());
            ahead.join();
        }
    }
}
