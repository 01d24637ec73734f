package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.forward.Checkpoint;
import io.nlstream.monitor.forward.ForwarderAgent;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.sinks.kafka.KafkaPublisher;

import java.util.Properties;

/**
 * Builds the Kafka side from the configuration, the same way for {@code run --kafka}, {@code forward} and
 * {@code replay --to-kafka}.
 */
final class Forwarding
{
    private Forwarding()
    {
    }

    static Properties producerProperties(final NlstreamConfig config, final String bootstrap)
    {
        return KafkaPublisher.producerProperties(bootstrap, config.kafkaCompression(), config.kafkaLinger(),
            config.kafkaBatchSize(), config.kafkaBufferMemory(), config.kafkaClientProperties());
    }

    static Checkpoint checkpoint(final NlstreamConfig config)
    {
        return Checkpoint.open(checkpointPath(config));
    }

    /** {@code JOURNAL/kafka-PREFIX.checkpoint}: one per journal and topic prefix. */
    static java.nio.file.Path checkpointPath(final NlstreamConfig config)
    {
        return config.journalDir().resolve("kafka-" + config.kafkaTopicPrefix() + ".checkpoint");
    }

    /** The checkpoint files beside a journal, of every forwarder that has forwarded it (any topic prefix). */
    static final String CHECKPOINTS = "kafka-*.checkpoint";

    /**
     * @param writeSnapshots whether its pipeline writes the snapshots it finds due (not inside run, whose snapshot
     *                       agent does)
     */
    static ForwarderAgent agent(final NlstreamConfig config, final Journal journal, final Checkpoint checkpoint, final boolean writeSnapshots)
    {
        final Properties props = producerProperties(config, config.kafka());
        final boolean snapshots = Reading.snapshotsEnabled(config);
        return new ForwarderAgent(journal,
            transactionalId -> new KafkaPublisher(transactionalId == null ? props : KafkaPublisher.transactional(props, transactionalId),
                config.kafkaTopicPrefix()),
            checkpoint, config.kafkaTopicPrefix(), NlstreamConfig.KINDS, config.kafkaPartitions(), config.kafkaReplication())
                .delivery(ForwarderAgent.Delivery.of(config.kafkaDelivery()))
                .endpointProbe(() -> io.nlstream.sinks.kafka.KafkaEndpointProbe.mismatch(config.kafka(), props.getProperty("security.protocol"), 3000))
                .reading(b -> b.filter(config.filter())
                    .snapshots(snapshots, snapshots && writeSnapshots, Reading.snapshotIntervalNanos(config), Reading.snapshotEntries(config)));
    }
}
