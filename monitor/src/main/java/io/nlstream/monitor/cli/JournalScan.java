package io.nlstream.monitor.cli;

import io.nlstream.monitor.events.EventDecoder;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import io.nlstream.monitor.state.StateBuilder;
import io.nlstream.sinks.Event;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a journal from its start up to an instant, decoding each entry and keeping the state up to date;
 * what cannot be read or decoded is reported on stderr with its index and skipped.
 */
final class JournalScan
{
    interface Visitor
    {
        void visit(JournalEntry entry, Event event, List<Event> ended);
    }

    private JournalScan()
    {
    }

    static StateBuilder scan(final Path dir, final long untilNanos, final PrintStream err, final Visitor visitor)
    {
        final EventDecoder decoder = new EventDecoder()
            .onMalformed((index, reason) -> Logging.error(err, "journal " + dir + " index " + index + ": " + reason + " (skipped)"));
        final StateBuilder state = new StateBuilder();
        try (Journal journal = Journal.openForReading(dir);
             JournalReader reader = journal.reader().onCorrupt((index, reason) ->
                 Logging.error(err, "journal " + dir + " index " + index + ": " + reason + " (skipped)")))
        {
            final JournalEntry entry = new JournalEntry();
            reader.toStart();
            while (reader.next(entry) && entry.wallNanos() <= untilNanos)
            {
                final long malformedBefore = decoder.malformed();
                final Event event = decoder.decode(entry);
                if (decoder.malformed() != malformedBefore)
                {
                    state.dumpMessageUnreadable(entry);
                }
                visitor.visit(entry, event, state.apply(entry, event));
            }
        }
        return state;
    }
}
