package io.nlstream.monitor.forward;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.Ascii;
import io.nlstream.monitor.read.EventView;
import io.nlstream.sinks.JsonFieldWriter;
import io.nlstream.sinks.kafka.KafkaPublisher;

import java.nio.charset.StandardCharsets;

/**
 * Turns a typed event into its Kafka record: the value is the event's JSON, byte for byte what
 * {@code replay --format json} prints; the key as {@link io.nlstream.monitor.read.Kind} defines it; the
 * {@code event_id} header {@code HOST:JOURNAL:SEQ[:SUB]} (see {@link io.nlstream.monitor.journal.JournalIdentity}),
 * the same whoever sends it again. Reused for every event of one sender.
 */
public final class KafkaRecords
{
    private final JsonFieldWriter json = new JsonFieldWriter();
    private final Ascii key = new Ascii();
    private final Ascii id = new Ascii();
    private final Journal journal;
    private byte[] prefix;

    public KafkaRecords(final Journal journal)
    {
        this.journal = journal;
    }

    /** Sends the event through the publisher (see {@link KafkaPublisher#send}). */
    public void send(final KafkaPublisher publisher, final EventView event, final boolean replay, final KafkaPublisher.Ack ack)
    {
        json.reset();
        event.write(json);
        key.reset();
        event.kafkaKey(key);
        publisher.send(event.kind().text(), key.toByteArray(), json.toByteArray(), eventId(event), event.tsNanos() / 1_000_000L,
            replay, ack);
    }

    /** {@code HOST:JOURNAL:SEQ}, or {@code HOST:JOURNAL:SEQ:SUB}; a new array. */
    public byte[] eventId(final EventView event)
    {
        if (prefix == null)
        {
            // known once the journal has an entry, which it has when it has an event
            prefix = journal.identity().prefix().getBytes(StandardCharsets.UTF_8);
        }
        id.reset().append(prefix, 0, prefix.length).append(':').append(event.seq());
        if (event.sub() > 0)
        {
            id.append(':').append(event.sub());
        }
        return id.toByteArray();
    }
}
