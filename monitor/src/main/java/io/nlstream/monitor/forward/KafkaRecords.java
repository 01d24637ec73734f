package io.nlstream.monitor.forward;

import io.nlstream.monitor.read.Ascii;
import io.nlstream.monitor.read.EventView;
import io.nlstream.sinks.JsonFieldWriter;
import io.nlstream.sinks.kafka.KafkaPublisher;

import java.nio.charset.StandardCharsets;

/**
 * Turns a typed event into its Kafka record: the value is the event's JSON, byte for byte what
 * {@code replay --format json} prints; the key and the {@code event_id} header as {@link io.nlstream.monitor.read.Kind} and
 * {@link HostIdentity} define them. Reused for every event of one sender.
 */
public final class KafkaRecords
{
    private final JsonFieldWriter json = new JsonFieldWriter();
    private final Ascii key = new Ascii();
    private final Ascii id = new Ascii();
    private final byte[] host;

    public KafkaRecords(final String hostId)
    {
        this.host = hostId.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends the event through the publisher (see {@link KafkaPublisher#send}). */
    public void send(final KafkaPublisher publisher, final EventView event, final boolean replay, final KafkaPublisher.Ack ack)
    {
        json.reset();
        event.write(json);
        key.reset();
        event.kafkaKey(key);
        id.reset().append(host, 0, host.length).append(':').append(event.seq());
        if (event.sub() > 0)
        {
            id.append(':').append(event.sub());
        }
        publisher.send(event.kind().text(), key.toByteArray(), json.toByteArray(), id.toByteArray(), event.tsNanos() / 1_000_000L,
            replay, ack);
    }
}
