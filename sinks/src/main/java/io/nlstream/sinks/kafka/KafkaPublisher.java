package io.nlstream.sinks.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes events to Kafka: one topic per kind ({@code PREFIX.KIND}), the event's JSON as the value (the
 * same bytes {@code replay --format json} prints), a key that keeps each flow or interface in one
 * partition, and headers {@code event_id}, {@code kind}, {@code schema} (and {@code replay} when
 * re-published). The producer is idempotent with acks=all; the caller learns of each acknowledgement.
 */
public final class KafkaPublisher implements AutoCloseable
{
    /** The version of the value's JSON Schema ({@code schema/} at the repository's root). */
    public static final String SCHEMA_VERSION = "2";
    /** The compacted topic of committed journal positions: {@code PREFIX.checkpoints}, keyed by {@code HOST:JOURNAL}. */
    public static final String CHECKPOINTS = "checkpoints";
    public static final String HEADER_EVENT_ID = "event_id";
    public static final String HEADER_KIND = "kind";
    public static final String HEADER_SCHEMA = "schema";
    public static final String HEADER_REPLAY = "replay";

    private static final byte[] SCHEMA_BYTES = SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8);
    private static final byte[] TRUE_BYTES = "true".getBytes(StandardCharsets.UTF_8);

    private final KafkaProducer<byte[], byte[]> producer;
    private final Properties clientProperties;
    private final String topicPrefix;
    /** Each kind's topic and {@code kind} header value, made once. */
    private final Map<String, KindTopic> kinds = new java.util.concurrent.ConcurrentHashMap<>();

    /** Told once per record: null when the broker acknowledged it, else why it failed. */
    public interface Ack
    {
        void onAck(Exception error);
    }

    public KafkaPublisher(final Properties producerProperties, final String topicPrefix)
    {
        this.clientProperties = producerProperties;
        this.topicPrefix = topicPrefix;
        this.producer = new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Producer settings for a forwarder: idempotent, acks=all, bounded memory, and a short block on send so
     * that an absent broker is noticed (and retried by the caller) rather than waited on forever.
     *
     * @param client passed through as they are (TLS, SASL, any producer property); they win over the defaults
     */
    public static Properties producerProperties(
        final String bootstrap,
        final String compression,
        final Duration linger,
        final long batchSize,
        final long bufferMemory,
        final Map<String, String> client)
    {
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "nlstream");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger.toMillis()));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Long.toString(batchSize));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(bufferMemory));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        p.putAll(client);
        return p;
    }

    /**
     * The same producer made transactional: {@code transactional.id} = {@code id}; a new producer with that id fences
     * the one before it (a zombie after a crash) and aborts what it left open.
     */
    public static Properties transactional(final Properties producer, final String id)
    {
        final Properties p = new Properties();
        p.putAll(producer);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
        return p;
    }

    /** Whether this producer is transactional (made with {@link #transactional}). */
    public boolean isTransactional()
    {
        return clientProperties.getProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null;
    }

    /** Registers the transactional id with its coordinator, fencing an older producer with it; blocks up to max.block.ms. */
    public void initTransactions()
    {
        producer.initTransactions();
    }

    public void beginTransaction()
    {
        producer.beginTransaction();
    }

    /** Sends what the transaction holds and commits it; blocks until committed (or throws, up to max.block.ms). */
    public void commitTransaction()
    {
        producer.commitTransaction();
    }

    /**
     * Sends, inside the open transaction, the position the transaction's events reach, to
     * {@code PREFIX.checkpoints} keyed by {@code key}: read back (read_committed) by {@link #committedCheckpoint}.
     */
    public void sendCheckpoint(final byte[] key, final byte[] value)
    {
        producer.send(new ProducerRecord<>(topic(CHECKPOINTS), key, value));
    }

    /**
     * The last committed value for {@code key} in {@code PREFIX.checkpoints} (read_committed, from its start to its
     * last stable offset), or null when there is none (or no such topic).
     */
    public byte[] committedCheckpoint(final byte[] key, final Duration timeout)
        throws TimeoutException
    {
        final Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, clientProperties.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        for (final String name : clientProperties.stringPropertyNames())
        {
            // TLS and SASL settings the user gave hold for the consumer too
            if (name.startsWith("security.") || name.startsWith("ssl.") || name.startsWith("sasl."))
            {
                c.put(name, clientProperties.getProperty(name));
            }
        }
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "nlstream-checkpoints");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeout.toMillis(), 30_000)));
        final long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic(CHECKPOINTS), timeout);
            if (infos == null || infos.isEmpty())
            {
                return null;
            }
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final PartitionInfo info : infos)
            {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            byte[] last = null;
            while (true)
            {
                boolean done = true;
                for (final TopicPartition tp : partitions)
                {
                    done &= consumer.position(tp, timeout) >= end.get(tp);
                }
                if (done)
                {
                    return last;
                }
                if (System.nanoTime() > deadline)
                {
                    throw new TimeoutException("reading " + topic(CHECKPOINTS) + " took longer than " + timeout.toMillis() + " ms");
                }
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)))
                {
                    if (r.key() != null && java.util.Arrays.equals(r.key(), key))
                    {
                        last = r.value();
                    }
                }
            }
        }
    }

    /**
     * Creates the topics of these kinds that do not exist yet; existing topics are used as they are.
     *
     * @param partitions  -1 for the broker's default
     * @param replication -1 for the broker's default
     */
    public void ensureTopics(final Collection<String> kinds, final int partitions, final int replication, final Duration timeout)
        throws ExecutionException, InterruptedException, TimeoutException
    {
        final Properties admin = new Properties();
        admin.putAll(clientProperties);
        for (final String producerOnly : List.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.ACKS_CONFIG,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, ProducerConfig.COMPRESSION_TYPE_CONFIG, ProducerConfig.LINGER_MS_CONFIG,
            ProducerConfig.BATCH_SIZE_CONFIG, ProducerConfig.BUFFER_MEMORY_CONFIG, ProducerConfig.MAX_BLOCK_MS_CONFIG,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ProducerConfig.CLIENT_ID_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG))
        {
            admin.remove(producerOnly);
        }
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "nlstream-admin");
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        // the admin client insists on request timeout <= api timeout
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeout.toMillis(), 30_000)));
        final Admin client = Admin.create(admin);
        try
        {
            final Set<String> existing = client.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            final List<NewTopic> missing = new ArrayList<>();
            for (final String kind : kinds)
            {
                final String topic = topic(kind);
                if (!existing.contains(topic))
                {
                    missing.add(new NewTopic(topic,
                        partitions > 0 ? Optional.of(partitions) : Optional.empty(),
                        replication > 0 ? Optional.of((short)replication) : Optional.empty()));
                }
            }
            if (isTransactional() && !existing.contains(topic(CHECKPOINTS)))
            {
                // one small record per transaction and journal, of which only the last counts
                missing.add(new NewTopic(topic(CHECKPOINTS), Optional.of(1),
                    replication > 0 ? Optional.of((short)replication) : Optional.empty())
                        .configs(Map.of("cleanup.policy", "compact")));
            }
            if (missing.isEmpty())
            {
                return;
            }
            try
            {
                client.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (final ExecutionException e)
            {
                if (!(e.getCause() instanceof TopicExistsException))
                {
                    throw e;
                }
            }
        }
        finally
        {
            // an unanswered request would otherwise hold close() until its own timeout
            client.close(Duration.ofSeconds(1));
        }
    }

    public String topic(final String kind)
    {
        return kind(kind).topic();
    }

    /**
     * Sends one event's record: its JSON value and key as bytes, to {@code PREFIX.KIND}, with the headers every
     * record carries. May block up to max.block.ms when the producer's memory is full or the broker was never
     * reached; throws then (a {@link org.apache.kafka.common.KafkaException}). The arrays are the record's:
     * not to be reused.
     *
     * @param key     null for none
     * @param eventId {@code HOST:SEQ} or {@code HOST:SEQ:SUB}, ASCII
     */
    public void send(final String kind, final byte[] key, final byte[] value, final byte[] eventId, final long timestampMillis,
        final boolean replay, final Ack ack)
    {
        final KindTopic t = kind(kind);
        final RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_EVENT_ID, eventId);
        headers.add(HEADER_KIND, t.header());
        headers.add(HEADER_SCHEMA, SCHEMA_BYTES);
        if (replay)
        {
            headers.add(HEADER_REPLAY, TRUE_BYTES);
        }
        producer.send(new ProducerRecord<>(t.topic(), null, timestampMillis, key, value, headers), (metadata, error) -> ack.onAck(error));
    }

    private KindTopic kind(final String kind)
    {
        return kinds.computeIfAbsent(kind, k -> new KindTopic(topicPrefix + "." + k, k.getBytes(StandardCharsets.UTF_8)));
    }

    /** A kind's topic, and its name as the {@code kind} header's value. */
    private record KindTopic(String topic, byte[] header)
    {
    }

    /** Sends what is buffered and waits for it (acks still arrive through the callbacks). */
    public void flush()
    {
        producer.flush();
    }

    @Override
    public void close()
    {
        close(Duration.ofSeconds(10));
    }

    public void close(final Duration timeout)
    {
        producer.close(timeout);
    }

    /**
     * Drops the producer without waiting: even {@code close(Duration.ZERO)} joins the producer's I/O thread,
     * which an unanswered request (a broker gone, an endpoint that is not Kafka) holds for request.timeout.ms.
     * Unsent records are dropped; the closing happens on a daemon thread of its own, returned: once it has ended,
     * nothing the producer held can reach the broker any more (a caller that sends the same events again waits for it).
     */
    public Thread abandon()
    {
        final Thread closer = new Thread(() -> producer.close(Duration.ZERO), "kafka-producer-close");
        closer.setDaemon(true);
        closer.start();
        return closer;
    }
}
