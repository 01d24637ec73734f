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
    private final Prepared scratch = new Prepared();
    private byte[] prefix;

    public KafkaRecords(final Journal journal)
    {
        this.journal = journal;
    }

    /** Sends the event through the publisher (see {@link KafkaPublisher#send}). */
    public void send(final KafkaPublisher publisher, final EventView event, final boolean replay, final KafkaPublisher.Ack ack)
    {
        prepare(event, scratch);
        send(publisher, scratch, replay, ack);
        scratch.clear();
    }

    /**
     * The event's record, made ready to send (its value, key and id encoded into new arrays) by a thread that reads
     * the journal, for another to {@link #send(KafkaPublisher, Prepared, boolean, KafkaPublisher.Ack)} it.
     */
    void prepare(final EventView event, final Prepared into)
    {
        json.reset();
        event.write(json);
        key.reset();
        event.kafkaKey(key);
        into.seq = event.seq();
        into.sub = event.sub();
        into.tsNanos = event.tsNanos();
        into.kind = event.kind().text();
        into.key = key.toByteArray();
        into.value = json.toByteArray();
        into.eventId = eventId(event);
    }

    /** Sends a prepared record through the publisher (see {@link KafkaPublisher#send}). */
    static void send(final KafkaPublisher publisher, final Prepared record, final boolean replay, final KafkaPublisher.Ack ack)
    {
        publisher.send(record.kind, record.key, record.value, record.eventId, record.tsNanos / 1_000_000L, replay, ack);
    }

    /** An event's record ready to send: its journal position and capture time, topic kind, key, value and id. */
    static final class Prepared
    {
        long seq;
        int sub;
        long tsNanos;
        String kind;
        byte[] key;
        byte[] value;
        byte[] eventId;

        long seq()
        {
            return seq;
        }

        int sub()
        {
            return sub;
        }

        long tsNanos()
        {
            return tsNanos;
        }

        /** The record's value: the event's JSON. */
        byte[] value()
        {
            return value;
        }

        /** Drops the arrays (the producer holds what it took). */
        void clear()
        {
            kind = null;
            key = null;
            value = null;
            eventId = null;
        }
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
