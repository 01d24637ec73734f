package io.nlstream.monitor.cli;

import io.nlstream.config.FilterSpec;
import io.nlstream.monitor.capture.Agent;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;

import java.util.EnumSet;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Prints each event as it is journalled: a reader like any other (the read pipeline, from the state the
 * journal holds when it starts), so a slow terminal never slows capture and a restart on an existing
 * journal prints exactly what {@code replay} prints for the same entries.
 */
final class StdoutAgent implements Agent
{
    private static final Logger LOG = Logger.getLogger(StdoutAgent.class.getName());

    private final Journal journal;
    private final EventPrinter printer;
    private final FilterSpec filter;
    /** Filters SIGHUP reloaded, for the agent's thread to apply at its next turn; null: none pending. */
    private volatile FilterSpec reloaded;
    private ReadPipeline pipeline;
    private volatile boolean draining;
    private long idleParkNanos = 2_500_000L;
    private volatile boolean drained;

    StdoutAgent(final Journal journal, final EventPrinter printer, final FilterSpec filter)
    {
        this.journal = journal;
        this.printer = printer;
        this.filter = filter;
    }

    @Override
    public String roleName()
    {
        return "stdout";
    }

    @Override
    public void onStart()
    {
        // events from what is journalled after this point; the state before it from the journal itself
        final long last = journal.lastIndex();
        pipeline = ReadPipeline.from(journal)
            .kinds(EnumSet.allOf(Kind.class))
            .emitFromIndex(last < 0 ? Long.MIN_VALUE : last + 1)
            .filter(filter)
            .snapshots(true, false, 60_000_000_000L, 1_000_000L)
            .problems((index, reason) -> LOG.warning("journal index " + index + ": " + reason + " (not printed)"))
            .build();
    }

    @Override
    public int doWork()
    {
        if (drained)
        {
            LockSupport.parkNanos(10_000_000L);
            return 0;
        }
        final FilterSpec f = reloaded;
        if (f != null)
        {
            reloaded = null;
            pipeline.filter(f);
        }
        final int work = pipeline.poll(1024, printer);
        if (work == 0)
        {
            printer.flush();
            if (draining)
            {
                drained = true;
            }
            else
            {
                // idle: back off from 5 to 50 ms between polls (each costs a few hundred µs of the journal's checks)
                idleParkNanos = Math.min(50_000_000L, idleParkNanos * 2);
                LockSupport.parkNanos(idleParkNanos);
            }
        }
        else
        {
            idleParkNanos = 2_500_000L;
        }
        return work;
    }

    /** New filters (SIGHUP): they apply from the next entry the agent reads. Any thread. */
    void filter(final FilterSpec spec)
    {
        reloaded = spec;
    }

    /** Asks the agent to print what is left and then idle; returns at once. */
    void drainAndStop()
    {
        draining = true;
    }

    boolean drained()
    {
        return drained;
    }

    @Override
    public void onClose()
    {
        printer.flush();
        if (pipeline != null)
        {
            pipeline.close();
        }
    }
}
