package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.monitor.read.StateDiff;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * {@code diff --from T1 --to T2}: the state at each instant (as {@code state --at} builds it, from the nearest
 * snapshot), then what was added, removed and changed between them ({@link StateDiff}).
 */
final class DiffCommand
{
    private final NlstreamConfig config;
    private final PrintStream out;
    private final PrintStream err;

    DiffCommand(final NlstreamConfig config, final PrintStream out, final PrintStream err)
    {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    int call()
    {
        final Set<Kind> kinds = Kind.of(config.kinds());
        final long from = config.diffFromNanos();
        final long to = config.diffToNanos().orElse(Long.MAX_VALUE);
        try (Journal journal = Journal.openForReading(config.journalDir()).configuredHost(config.hostId()))
        {
            if (!Reading.coversUntil(journal, to, err))
            {
                return Main.EXIT_OK;
            }
            if (!Reading.stateKnownAt(journal, from, err))
            {
                return Main.EXIT_OK;
            }
            // before the journal's first entry nothing was alive: the empty state, and everything at --to is added
            Reading.coversUntil(journal, from, err);
            try (ReadPipeline before = state(journal, kinds, from);
                 ReadPipeline after = state(journal, kinds, to))
            {
                final OutputStream buffered = new BufferedOutputStream(out, 1 << 18);
                StateDiff.write(before, after, kinds, config.diffAllFields(), config.format(), buffered);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write the difference to output", e);
        }
        return Main.EXIT_OK;
    }

    private ReadPipeline state(final Journal journal, final Set<Kind> kinds, final long at)
    {
        final ReadPipeline p = Reading.pipeline(config, journal, kinds, err)
            .until(at)
            .emitFromIndex(Long.MAX_VALUE)
            .filter(config.filter())
            .build();
        Reading.drain(p, event ->
        {});
        return p;
    }
}
