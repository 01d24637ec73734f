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
    private final NlstreamConfig config;
    private final CountDownLatch stop = new CountDownLatch(1);

    ForwardCommand(final NlstreamConfig config)
    {
        this.config = config;
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
        try (Journal journal = Journal.openForReading(config.journalDir()).configuredHost(config.hostId());
             Checkpoint checkpoint = Forwarding.checkpoint(config))
        {
            final ForwarderAgent agent = Forwarding.agent(config, journal, checkpoint, true);
            final AgentRunner runner = new AgentRunner(agent, stop::countDown).start();
            final long giveUpNanos = config.kafkaGiveUp().toNanos();
            boolean gaveUp = false;
            while (!stop.await(100, TimeUnit.MILLISECONDS))
            {
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
