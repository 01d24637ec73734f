package io.nlstream.monitor.cli;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import io.nlstream.monitor.state.EventStream;
import io.nlstream.sinks.Event;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a journal from its start up to an instant through an {@link EventStream}; what cannot be read or
 * decoded is reported on stderr with its index and skipped.
 */
final class JournalScan
{
    interface Visitor
    {
        /**
         * @param event   what the entry carries, decoded (null when nothing)
         * @param emitted the events a reader emits for it
         */
        void visit(JournalEntry entry, Event event, List<Event> emitted);
    }

    private JournalScan()
    {
    }

    static EventStream scan(final Path dir, final long untilNanos, final PrintStream err, final Visitor visitor)
    {
        final EventStream stream = new EventStream(
            (index, reason) -> Logging.error(err, "journal " + dir + " index " + index + ": " + reason + " (skipped)"));
        try (Journal journal = Journal.openForReading(dir);
             JournalReader reader = journal.reader().onCorrupt((index, reason) ->
                 Logging.error(err, "journal " + dir + " index " + index + ": " + reason + " (skipped)")))
        {
            final JournalEntry entry = new JournalEntry();
            reader.toStart();
            while (reader.next(entry) && entry.wallNanos() <= untilNanos)
            {
                final List<Event> emitted = stream.apply(entry);
                visitor.visit(entry, stream.lastDecoded(), emitted);
            }
        }
        return stream;
    }
}
