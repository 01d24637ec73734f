package io.nlstream.monitor.read;

import io.nlstream.monitor.capture.Agent;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.Retention;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * {@code run}'s retention, on a thread of its own (never capture's, nor the snapshot writer's: deleting and checking
 * snapshots takes what it takes): checks the limits at start-up and every {@code intervalNanos}, and at once after
 * they change (SIGHUP). The snapshots are its bases ({@link SnapshotBases}).
 */
public final class RetentionAgent implements Agent
{
    private static final Logger LOG = Logger.getLogger(RetentionAgent.class.getName());
    private final Retention retention;
    private final long intervalNanos;
    private volatile Retention.Limits limits;
    private volatile boolean due = true;
    private long nextNanos;
    /** The agent's thread: new limits wake it (a stop does too, by its runner). */
    private volatile Thread thread;

    public RetentionAgent(final Journal journal, final Retention.Limits limits, final Supplier<List<Retention.Pin>> pins,
        final long intervalNanos)
    {
        this.retention = new Retention(journal, new SnapshotBases(journal), pins,
            () -> System.currentTimeMillis() * 1_000_000L);
        this.limits = limits;
        this.intervalNanos = intervalNanos;
    }

    @Override
    public String roleName()
    {
        return "retention";
    }

    @Override
    public void onStart()
    {
        thread = Thread.currentThread();
        final Retention.Limits l = limits;
        if (l.any())
        {
            LOG.info("retention: " + l + "; checked every " + intervalNanos / 1_000_000_000L + " s");
        }
    }

    /** New limits (SIGHUP): checked at once. */
    public void limits(final Retention.Limits limits)
    {
        this.limits = limits;
        this.due = true;
        final Thread t = thread;
        if (t != null)
        {
            LockSupport.unpark(t);
        }
    }

    public Retention.Limits limits()
    {
        return limits;
    }

    @Override
    public int doWork()
    {
        final long now = System.nanoTime();
        if (!due && now - nextNanos < 0)
        {
            // until the next check, in one sleep: new limits and a stop wake it
            LockSupport.parkNanos(nextNanos - now);
            return 0;
        }
        due = false;
        nextNanos = now + intervalNanos;
        try
        {
            return retention.check(limits);
        }
        catch (final RuntimeException e)
        {
            // never ends the run: capture goes on, and the next check tries again
            LOG.warning("retention: the check failed (" + e + "); trying again in " + intervalNanos / 1_000_000_000L + " s");
            return 0;
        }
    }

    /** Cycle files deleted since the start. */
    public long deletedFiles()
    {
        return retention.deletedFiles();
    }

    /** What the journal directory took on disk at the last check, -1 before it. */
    public long journalBytes()
    {
        return retention.journalBytes();
    }
}
