package io.nlstream.monitor.forward;

import io.nlstream.monitor.read.EventView;
import io.nlstream.monitor.read.ReadPipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads the journal ahead of the forwarder, on a thread of its own, while there is a backlog: the read pipeline's
 * events (decoded, through the state policy, written as JSON with key and id by {@link KafkaRecords#prepare}) go
 * into a ring of prepared records that the forwarder's thread takes and hands to the producer. Reading and sending
 * then overlap instead of taking turns (catching up after an outage, {@code forward} of a day's journal).
 * <p>
 * One thread reads, one takes (single producer, single consumer). The reader and the records encoder belong to the
 * read-ahead thread from {@link #start} until it has {@link #finished()} and been {@link #join joined} (or
 * {@link #stop stopped}); the forwarder uses neither in between. The thread ends by itself once its polls have found
 * nothing more for 20 ms (caught up; the pause keeps a storm's next entries from starting a thread each time): the
 * forwarder then reads inline again, so an idle forwarder has no extra thread.
 * <p>
 * Records come out in the pipeline's order. A failure of the reading thread (an exception from the pipeline) is
 * thrown to the taker after the records read before it.
 */
final class ReadAhead
{
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final int BATCH = 256;
    /** How long a side waits for the other when the ring is full (reader) or empty (taker): tens of µs. */
    private static final long WAIT_NANOS = 20_000L;
    /** Caught up, the reading thread looks again this often, for this long, before it ends. */
    private static final long LINGER_POLL_NANOS = 200_000L;
    private static final long LINGER_NANOS = 20_000_000L;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(ReadAhead.class, "head", long.class);
            TAIL = lookup.findVarHandle(ReadAhead.class, "tail", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What the taker does with each record, in order. */
    interface Taker
    {
        void take(KafkaRecords.Prepared record);
    }

    /** Makes an event's record ({@link KafkaRecords#prepare}), on the reading thread. */
    interface Preparer
    {
        void prepare(EventView event, KafkaRecords.Prepared into);
    }

    private final ReadPipeline reader;
    private final Preparer records;
    private final KafkaRecords.Prepared[] ring;
    private final int mask;
    /** Taken up to (the taker's; read by the reading thread to know the free room). */
    @SuppressWarnings("unused")
    private volatile long head;
    /** Published up to (the reading thread's). */
    @SuppressWarnings("unused")
    private volatile long tail;
    private volatile boolean stop;
    private volatile boolean finished;
    private volatile RuntimeException failure;
    private final Thread thread;
    /** The reading thread's own copy of {@link #tail}. */
    private long written;

    /** Unwinds the pipeline's poll when the forwarder stops the read-ahead while it waits for room. */
    private static final class Stopped extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Stopped()
        {
            super(null, null, false, false);
        }
    }

    /**
     * @param capacity records the ring holds, a power of two
     */
    private ReadAhead(final ReadPipeline reader, final Preparer records, final int capacity, final String threadName)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("Invalid value " + capacity + " for capacity: must be a power of two");
        }
        this.reader = reader;
        this.records = records;
        this.ring = new KafkaRecords.Prepared[capacity];
        for (int i = 0; i < capacity; i++)
        {
            ring[i] = new KafkaRecords.Prepared();
        }
        this.mask = capacity - 1;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts reading {@code reader} ahead into a ring of {@code capacity} records. */
    static ReadAhead start(final ReadPipeline reader, final Preparer records, final int capacity, final String threadName)
    {
        final ReadAhead ahead = new ReadAhead(reader, records, capacity, threadName);
        reader.handOver();
        ahead.thread.start();
        return ahead;
    }

    private void run()
    {
        final ReadPipeline.Consumer prepare = event ->
        {
            final long at = written;
            while (at - (long)HEAD.getAcquire(this) > mask)
            {
                if (stop)
                {
                    throw new Stopped();
                }
                LockSupport.parkNanos(WAIT_NANOS);
            }
            records.prepare(event, ring[(int)at & mask]);
            written = at + 1;
            TAIL.setRelease(this, at + 1);
        };
        try
        {
            long quietSince = 0;
            while (!stop)
            {
                if (reader.poll(BATCH, prepare) > 0)
                {
                    quietSince = 0;
                    continue;
                }
                // caught up: it lingers a little, so that a storm's next entries do not start a thread each time
                final long now = System.nanoTime();
                if (quietSince == 0)
                {
                    quietSince = now;
                }
                else if (now - quietSince >= LINGER_NANOS)
                {
                    break;
                }
                LockSupport.parkNanos(LINGER_POLL_NANOS);
            }
        }
        catch (final Stopped e)
        {
            // stopped while waiting for room: what it held is dropped by whoever stopped it
        }
        catch (final RuntimeException e)
        {
            failure = e;
        }
        finally
        {
            finished = true;
        }
    }

    /**
     * Takes up to {@code limit} records, in order, handing each to {@code taker} (on the caller's thread).
     *
     * @return records taken; 0 when none is ready now (see {@link #finished()})
     * @throws RuntimeException what the reading thread failed with, once every record read before it is taken
     */
    int poll(final int limit, final Taker taker)
    {
        // finished is read before tail: a finished reader's last records are then all visible
        final boolean done = finished;
        final long from = (long)HEAD.getOpaque(this);
        final long to = Math.min((long)TAIL.getAcquire(this), from + limit);
        long at = from;
        try
        {
            while (at < to)
            {
                final KafkaRecords.Prepared record = ring[(int)at & mask];
                at++;
                taker.take(record);
                record.clear();
            }
        }
        finally
        {
            HEAD.setRelease(this, at);
        }
        if (at == from && done && failure != null)
        {
            final RuntimeException e = failure;
            failure = null;
            throw e;
        }
        return (int)(at - from);
    }

    /** Whether the reading thread has ended and every record it read has been taken: the reader is the caller's again. */
    boolean finished()
    {
        return finished && (long)HEAD.getOpaque(this) == (long)TAIL.getAcquire(this) && failure == null;
    }

    /** Waits for the ended reading thread (the pipeline and encoder are the caller's again afterwards). */
    void join()
    {
        joinThread();
        reader.handOver();
    }

    /**
     * Stops the reading thread and drops what it read and was not taken; the pipeline is the caller's again (to close:
     * its position is past what was dropped).
     */
    void stop()
    {
        stop = true;
        LockSupport.unpark(thread);
        joinThread();
        reader.handOver();
        for (final KafkaRecords.Prepared record : ring)
        {
            record.clear();
        }
        HEAD.setRelease(this, (long)TAIL.getAcquire(this));
        failure = null;
    }

    /** How long the taker should wait before it looks again when {@link #poll} found nothing and it is not finished. */
    static long waitNanos()
    {
        return WAIT_NANOS;
    }

    private void joinThread()
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                thread.join();
                break;
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
