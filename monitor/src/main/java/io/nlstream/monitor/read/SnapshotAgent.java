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
    private final ReadPipeline.Consumer none = event -> { };

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

    private long idleParkNanos = 25_000_000L;

    @Override
    public int doWork()
    {
        final int work = pipeline.poll(4096, none);
        if (work == 0)
        {
            // snapshots are due every minute of journal time: an idle journal is polled once a second, not 20 times
            idleParkNanos = Math.min(1_000_000_000L, idleParkNanos * 2);
            LockSupport.parkNanos(idleParkNanos);
        }
        else
        {
            idleParkNanos = 25_000_000L;
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
