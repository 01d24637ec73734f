package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.monitor.read.StateTable;
import io.nlstream.monitor.read.StateView;

import java.io.PrintStream;
import java.util.Set;

/**
 * {@code state}: prints the objects alive at --at (default: the end of the journal), one per line.
 */
final class StateCommand
{
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(StateCommand.class.getName());

    private final NlstreamConfig config;
    private final PrintStream out;
    private final PrintStream err;

    StateCommand(final NlstreamConfig config, final PrintStream out, final PrintStream err)
    {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    int call()
    {
        final Set<Kind> kinds = Kind.of(config.kinds());
        try (Journal journal = Journal.openForReading(config.journalDir()).configuredHost(config.hostId()))
        {
            if (!Reading.coversUntil(journal, config.atNanos().orElse(Long.MAX_VALUE), err))
            {
                return Main.EXIT_OK;
            }
            return print(journal, kinds);
        }
    }

    private int print(final Journal journal, final Set<Kind> kinds)
    {
        final boolean table = "table".equals(config.format());
        try (ReadPipeline pipeline = Reading.pipeline(config, journal, kinds, err)
            .until(config.atNanos().orElse(Long.MAX_VALUE))
            .emitFromIndex(Long.MAX_VALUE)
            .filter(config.filter())
            .build();
             EventPrinter printer = new EventPrinter(table ? "text" : config.format(), out))
        {
            Reading.drain(pipeline, printer);
            final StateView state = pipeline.state();
            if (table)
            {
                final StateTable columns = new StateTable(out);
                state.forEach(kinds, columns);
                columns.finish();
            }
            else
            {
                state.forEach(kinds, printer);
            }
            LOG.fine(() -> "state: " + pipeline.entriesRead() + " entries read" + (pipeline.startedFrom() == null ? " from the journal's start"
                : " after snapshot " + pipeline.startedFrom()) + "; object tables " + state.tableBytes() + " bytes for "
                + state.count(Kind.CONN) + " flows, " + state.count(Kind.SOCK) + " sockets, " + state.count(Kind.LINK) + " links");
        }
        return Main.EXIT_OK;
    }
}
