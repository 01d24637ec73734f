package io.nlstream.monitor.state;

import io.nlstream.monitor.events.EventDecoder;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.sinks.Event;

import java.util.Collection;
import java.util.List;

/**
 * Journal entries in, events out: the decoder and the state together, one instance per reader (stdout,
 * replay, Kafka), so every reader emits the same events for the same journal.
 */
public final class EventStream
{
    private final EventDecoder decoder;
    private final StateBuilder state = new StateBuilder();
    private Event lastDecoded;

    public EventStream(final EventDecoder.MalformedListener onMalformed)
    {
        this.decoder = new EventDecoder().onMalformed(onMalformed);
    }

    /** The events to emit for this entry (usually zero or one), in order. */
    public List<Event> apply(final JournalEntry entry)
    {
        final long malformedBefore = decoder.malformed();
        lastDecoded = decoder.decode(entry);
        if (decoder.malformed() != malformedBefore)
        {
            state.dumpMessageUnreadable(entry);
        }
        return state.apply(entry, lastDecoded);
    }

    /** What the last entry carried, decoded (null when nothing): for counting. */
    public Event lastDecoded()
    {
        return lastDecoded;
    }

    public Collection<Event> objects()
    {
        return state.objects();
    }

    public long malformed()
    {
        return decoder.malformed();
    }
}
