package io.nlstream.monitor.cli;

import io.nlstream.monitor.capture.Agent;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import io.nlstream.monitor.state.EventStream;
import io.nlstream.sinks.Event;
import io.nlstream.sinks.StreamSink;

import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Tails the journal and prints each event: a reader like any other, so a slow terminal never slows
 * capture.
 */
final class StdoutAgent implements Agent
{
    private static final Logger LOG = Logger.getLogger(StdoutAgent.class.getName());

    private final Journal journal;
    private final StreamSink sink;
    private final JournalEntry entry = new JournalEntry();
    private final EventStream stream = new EventStream(
        (index, reason) -> LOG.warning("journal index " + index + ": " + reason + " (not printed)"));
    private JournalReader reader;
    private volatile boolean draining;
    private volatile boolean drained;

    StdoutAgent(final Journal journal, final StreamSink sink)
    {
        this.journal = journal;
        this.sink = sink;
    }

    @Override
    public String roleName()
    {
        return "stdout";
    }

    @Override
    public void onStart()
    {
        reader = journal.reader().toEnd();
    }

    @Override
    public int doWork()
    {
        if (drained)
        {
            LockSupport.parkNanos(10_000_000L);
            return 0;
        }
        int work = 0;
        while (work < 1024 && reader.next(entry))
        {
            for (final Event e : stream.apply(entry))
            {
                sink.accept(e);
            }
            work++;
        }
        if (work == 0)
        {
            sink.flush();
            if (draining)
            {
                drained = true;
            }
            else
            {
                LockSupport.parkNanos(5_000_000L);
            }
        }
        return work;
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
        sink.flush();
        if (reader != null)
        {
            reader.close();
        }
    }
}
