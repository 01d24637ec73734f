package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.capture.AgentRunner;
import io.nlstream.monitor.forward.Checkpoint;
import io.nlstream.monitor.forward.ForwarderAgent;
import io.nlstream.monitor.journal.Journal;
import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code forward}: publishes an existing journal's events to Kafka from its checkpoint; exits once caught up
 * (or, with --follow, keeps forwarding until SIGTERM/SIGINT). Works while {@code run} writes the journal.
 */
final class ForwardCommand
{
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ForwardCommand.class.getName());

    /** The settings in force (SIGHUP may replace them). */
    private NlstreamConfig config;
    private final java.util.function.Supplier<NlstreamConfig> reread;
    private final CountDownLatch stop = new CountDownLatch(1);

    /** @param reread the settings again, from the same sources (SIGHUP) */
    ForwardCommand(final NlstreamConfig config, final java.util.function.Supplier<NlstreamConfig> reread)
    {
        this.config = config;
        this.reread = reread;
    }

    int call() throws InterruptedException
    {
        if (config.kafka().isEmpty())
        {
            Logging.error(System.err, "forward needs --kafka HOST:PORT");
            return Main.EXIT_USAGE;
        }
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        // SIGHUP: the log level at once; the filters and the Kafka settings by starting the forwarder again (below)
        final java.util.concurrent.atomic.AtomicReference<NlstreamConfig> reloaded = new java.util.concurrent.atomic.AtomicReference<>();
        new ConfigReload(NlstreamConfig.FORWARD, config, reread)
            .live("filter.", now ->
            {
                io.nlstream.monitor.read.ReadPipeline.checkFilters(now.filter());
                reloaded.set(now);
            })
            .live("kafka.", now ->
            {
                if (now.kafka().isEmpty())
                {
                    throw new IllegalArgumentException("forward needs --kafka HOST:PORT");
                }
                reloaded.set(now);
            })
            .install();
        try (Journal journal = Journal.openForReading(config.journalDir()).configuredHost(config.hostId());
             Checkpoint checkpoint = Forwarding.checkpoint(config))
        {
            ForwarderAgent agent = Forwarding.agent(config, journal, checkpoint, true);
            AgentRunner runner = new AgentRunner(agent, stop::countDown).start();
            final long giveUpNanos = config.kafkaGiveUp().toNanos();
            boolean gaveUp = false;
            while (!stop.await(100, TimeUnit.MILLISECONDS))
            {
                final NlstreamConfig now = reloaded.getAndSet(null);
                if (now != null)
                {
                    // what Kafka acknowledged is in the checkpoint: the new forwarder goes on right after it
                    runner.stop();
                    runner.join(30_000);
                    if (!now.kafkaTopicPrefix().equals(config.kafkaTopicPrefix()))
                    {
                        LOG.warning("SIGHUP: kafka.topic-prefix " + config.kafkaTopicPrefix() + " -> " + now.kafkaTopicPrefix()
                            + ": events go to the new topics from checkpoint " + checkpoint.file() + " on");
                    }
                    config = now;
                    agent = Forwarding.agent(config, journal, checkpoint, true);
                    runner = new AgentRunner(agent, stop::countDown).start();
                    LOG.info("forwarder started again with the reloaded settings");
                }
                if (!config.follow() && agent.caughtUp())
                {
                    break;
                }
                if (!config.follow() && agent.unreachableNanos() > giveUpNanos || agent.fatal() != null)
                {
                    gaveUp = true;
                    break;
                }
            }
            runner.stop();
            runner.join(30_000);
            if (agent.fatal() != null)
            {
                Logging.error(System.err, agent.fatal() + " (not retried: fix the configuration or the broker's; " + agent.acknowledged()
                    + " events acknowledged, the rest wait in the journal after checkpoint " + checkpoint.file() + ")");
                return Main.EXIT_FAILURE;
            }
            if (gaveUp)
            {
                // the client says only that it timed out: what listens there may say why
                final String mismatch = io.nlstream.sinks.kafka.KafkaEndpointProbe.mismatch(config.kafka(),
                    Forwarding.producerProperties(config, config.kafka()).getProperty("security.protocol"), 3000);
                Logging.error(System.err, "Kafka at " + config.kafka() + " unreachable or silent for " + config.kafkaGiveUp().toSeconds()
                    + " s (--kafka-give-up)" + (agent.lastError() == null ? "" : "; last error: " + agent.lastError())
                    + (mismatch == null ? "" : "; " + mismatch) + "; "
                    + agent.acknowledged() + " events acknowledged, the rest wait in the journal after checkpoint " + checkpoint.file());
                return Main.EXIT_FAILURE;
            }
            if (runner.failure() != null)
            {
                Logging.error(System.err, "forwarder failed: " + runner.failure().getMessage());
                return Main.EXIT_FAILURE;
            }
            return Main.EXIT_OK;
        }
    }
}
