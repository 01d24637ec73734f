package io.nlstream.monitor.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Touches a real Kafka broker (a separate process from bin/kafka-local, see {@link KafkaBroker}): records
 * produced idempotently with acks=all are read back, a produce fails while the broker is killed, and after a
 * restart on the same directory all records are still there.
 */
class KafkaBrokerIT
{
    private static final String TOPIC = "nlst-it-records";
    private static final String PROBE_TOPIC = "nlst-it-outage";
    private static final int RECORDS = 100;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    void recordsSurviveAKilledBrokerAndItsRestart() throws Exception
    {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka")))
        {
            final long startMillis = broker.lastStartMillis();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap())))
            {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short)1), new NewTopic(PROBE_TOPIC, 1, (short)1)))
                    .all().get(60, TimeUnit.SECONDS);
            }

            final List<String> expected = new ArrayList<>();
            try (KafkaProducer<String, String> producer = producer(broker, 120_000))
            {
                final List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (int i = 0; i < RECORDS; i++)
                {
                    expected.add("value-" + i);
                    acks.add(producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i)));
                }
                producer.flush();
                for (int i = 0; i < RECORDS; i++)
                {
                    assertEquals(i, acks.get(i).get(60, TimeUnit.SECONDS).offset(), "offset of record " + i);
                }
            }
            assertEquals(expected, consumeAll(broker, "nlst-it-before"));

            // A producer that already knows the cluster (metadata, producer id) sees the outage as a
            // delivery timeout, as the forwarder would.
            try (KafkaProducer<String, String> producer = producer(broker, 4_000))
            {
                producer.send(new ProducerRecord<>(PROBE_TOPIC, "probe", "before the outage")).get(60, TimeUnit.SECONDS);
                broker.kill();
                assertFalse(broker.isAlive());
                final Future<RecordMetadata> lost = producer.send(new ProducerRecord<>(PROBE_TOPIC, "probe", "during the outage"));
                final ExecutionException e = assertThrows(ExecutionException.class, () -> lost.get(60, TimeUnit.SECONDS));
                assertInstanceOf(TimeoutException.class, e.getCause(), "produce while the broker is down");
                producer.close(Duration.ofSeconds(5));
            }

            broker.restart();
            final long restartMillis = broker.lastStartMillis();
            assertEquals(expected, consumeAll(broker, "nlst-it-after"), "records after SIGKILL and restart");

            broker.stop();
            assertFalse(broker.isAlive());
            System.out.printf("KafkaBrokerIT: start=%d ms, restart after SIGKILL=%d ms%n", startMillis, restartMillis);
        }
    }

    private static KafkaProducer<String, String> producer(final KafkaBroker broker, final int deliveryTimeoutMillis)
    {
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMillis);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(30_000, deliveryTimeoutMillis));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, deliveryTimeoutMillis);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Reads the topic from the start in a new consumer group until it has RECORDS values or a minute passes. */
    private static List<String> consumeAll(final KafkaBroker broker, final String group)
    {
        final Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        final List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer()))
        {
            consumer.subscribe(List.of(TOPIC));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < RECORDS && System.nanoTime() - deadline < 0)
            {
                for (final ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500)))
                {
                    assertEquals("key-" + values.size(), r.key(), "key at offset " + r.offset());
                    values.add(r.value());
                }
            }
            consumer.commitSync();
        }
        return values;
    }
}
