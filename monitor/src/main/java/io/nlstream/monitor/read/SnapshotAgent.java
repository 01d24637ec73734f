package io.nlstream.monitor.read;

import io.nlstream.monitor.capture.Agent;
import io.nlstream.monitor.journal.Journal;

import java.util.EnumSet;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * The sidecar's snapshot writer: a read pipeline of its own that follows the journal with the full state and
 * writes the snapshots as they fall due, on its own thread (never capture's), so that queries on a live host
 * start near where they ask.
 */
public final class SnapshotAgent implements Agent
{
    private static final Logger LOG = Logger.getLogger(SnapshotAgent.class.getName());

    private final Journal journal;
    private final long intervalNanos;
    private final long entries;
    private ReadPipeline pipeline;
    private final ReadPipeline.Consumer none = event ->
    {};

    public SnapshotAgent(final Journal journal, final long intervalNanos, final long entries)
    {
        this.journal = journal;
        this.intervalNanos = intervalNanos;
        this.entries = entries;
    }

    @Override
    public String roleName()
    {
        return "snapshots";
    }

    @Override
    public void onStart()
    {
        pipeline = ReadPipeline.from(journal)
            .kinds(EnumSet.allOf(Kind.class))
            .emitFromIndex(Long.MAX_VALUE)
            .snapshots(true, true, intervalNanos, entries)
            .problems((index, reason) -> LOG.fine(() -> "journal index " + index + ": " + reason))
            .build();
        LOG.fine(() -> "snapshots: starting from " + (pipeline.startedFrom() == null ? "the journal's start" : pipeline.startedFrom()));
    }

    private static final int BATCH = 4096;
    private static final long PARK_NANOS = 1_000_000_000L;
    /** The longest sleep while nothing is appended (an append wakes it sooner). */
    private static final long DOZE_NANOS = 30_000_000_000L;

    @Override
    public int doWork()
    {
        final int work = pipeline.poll(BATCH, none);
        if (work == 0)
        {
            // nothing new: snapshots follow journal time, which stands still until the next append; sleep until then
            return journal.bell().doze(DOZE_NANOS, () -> pipeline.poll(BATCH, none));
        }
        if (work < BATCH)
        {
            // caught up: snapshots are due every minute of journal time and nothing waits on this thread, so it looks
            // again in a second whatever came (a full batch means a backlog: read on at once). A host's trickle of
            // dumps then costs it one wake a second, not one per entry
            LockSupport.parkNanos(PARK_NANOS);
        }
        return work;
    }

    public long written()
    {
        return pipeline == null ? 0 : pipeline.snapshotsWritten();
    }

    @Override
    public void onClose()
    {
        if (pipeline != null)
        {
            pipeline.close();
        }
    }
}
