package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.forward.KafkaRecords;
import io.nlstream.monitor.read.ReadPipeline;

import io.nlstream.sinks.kafka.KafkaPublisher;

import sun.misc.Signal;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Set;

/**
 * {@code replay}: prints the events between --since and --until (by capture time), then exits: what the
 * state policy of the {@link io.nlstream.monitor.read.ReadPipeline} emits for each entry, so dumps print only
 * what they add, and the ends a resync dump implies print as synthesized events.
 */
final class ReplayCommand
{
    private final NlstreamConfig config;
    private final java.util.function.Supplier<NlstreamConfig> reread;
    private final PrintStream out;
    private final PrintStream err;

    /** @param reread the settings again, from the same sources (SIGHUP, with --follow) */
    ReplayCommand(final NlstreamConfig config, final java.util.function.Supplier<NlstreamConfig> reread, final PrintStream out,
        final PrintStream err)
    {
        this.config = config;
        this.reread = reread;
        this.out = out;
        this.err = err;
    }

    int call() throws InterruptedException
    {
        if (!config.toKafka().isEmpty())
        {
            if (config.replayFollow())
            {
                Logging.error(err, "replay --to-kafka re-publishes a range once; to keep publishing what is journalled use: nlstream forward --follow");
                return Main.EXIT_USAGE;
            }
            return toKafka();
        }
        final long since = config.sinceNanos().orElse(Long.MIN_VALUE);
        final long until = config.untilNanos().orElse(Long.MAX_VALUE);
        if (config.replayFollow())
        {
            return follow(since, until);
        }
        try (Journal journal = Journal.openForReading(config.journalDir()).configuredHost(config.hostId()))
        {
            if (!Reading.covers(journal, since, until, err))
            {
                return Main.EXIT_OK;
            }
            try (ReadPipeline pipeline = range(journal).build();
                 EventPrinter printer = new EventPrinter(config.format(), out))
            {
                Reading.drain(pipeline, printer);
            }
        }
        return Main.EXIT_OK;
    }

    /**
     * {@code replay --follow}: prints what is journalled as it arrives (from --since, else from now) while
     * another process captures into the journal, until SIGINT/SIGTERM, --until, or the output is closed.
     */
    private int follow(final long since, final long until) throws InterruptedException
    {
        final CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        // SIGHUP: the log level, and the filters from the next entry read
        final java.util.concurrent.atomic.AtomicReference<io.nlstream.config.FilterSpec> filters = new java.util.concurrent.atomic.AtomicReference<>();
        new ConfigReload(NlstreamConfig.REPLAY, config, reread)
            .live("filter.", now ->
            {
                ReadPipeline.checkFilters(now.filter());
                filters.set(now.filter());
            })
            .install();
        try (Journal journal = Journal.openForReading(config.journalDir()).configuredHost(config.hostId()))
        {
            final long last = journal.lastIndex();
            final ReadPipeline.Builder b = range(journal);
            if (since == Long.MIN_VALUE)
            {
                // from now: the state before it from snapshots and the journal, events from what comes next
                b.emitFromIndex(last < 0 ? Long.MIN_VALUE : last + 1);
            }
            try (ReadPipeline pipeline = b.build();
                 EventPrinter printer = new EventPrinter(config.format(), out))
            {
                while (stop.getCount() > 0 && !pipeline.done())
                {
                    final io.nlstream.config.FilterSpec f = filters.getAndSet(null);
                    if (f != null)
                    {
                        pipeline.filter(f);
                    }
                    if (pipeline.poll(4096, printer) == 0)
                    {
                        printer.flush();
                        if (out.checkError())
                        {
                            break; // the reader of our output went away (a closed pipe)
                        }
                        stop.await(20, TimeUnit.MILLISECONDS);
                    }
                }
            }
        }
        return Main.EXIT_OK;
    }

    private ReadPipeline.Builder range(final Journal journal)
    {
        return Reading.pipeline(config, journal, Kind.of(config.kinds()), err)
            .since(config.sinceNanos().orElse(Long.MIN_VALUE))
            .until(config.untilNanos().orElse(Long.MAX_VALUE))
            .filter(config.filter());
    }

    /** Re-publishes the selection to Kafka, marked with a replay header; no checkpoint is kept. */
    private int toKafka() throws InterruptedException
    {
        final Set<String> kinds = config.kinds();
        final AtomicLong failed = new AtomicLong();
        final AtomicReference<Exception> firstError = new AtomicReference<>();
        final AtomicLong sent = new AtomicLong();
        try (KafkaPublisher publisher = new KafkaPublisher(Forwarding.producerProperties(config, config.toKafka()), config.kafkaTopicPrefix()))
        {
            publisher.ensureTopics(kinds, config.kafkaPartitions(), config.kafkaReplication(), java.time.Duration.ofSeconds(30));
            try (Journal journal = Journal.openForReading(config.journalDir()).configuredHost(config.hostId());
                 ReadPipeline pipeline = range(journal).build())
            {
                final KafkaRecords records = new KafkaRecords(journal);
                Reading.drain(pipeline, event ->
                {
                    records.send(publisher, event, true,
                        error ->
                        {
                            if (error != null)
                            {
                                failed.incrementAndGet();
                                firstError.compareAndSet(null, error);
                            }
                        });
                    sent.incrementAndGet();
                });
            }
            publisher.flush();
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e)
        {
            Logging.error(err, "cannot reach Kafka at " + config.toKafka() + " to create topics: " + e);
            return Main.EXIT_FAILURE;
        }
        if (failed.get() > 0)
        {
            Logging.error(err, failed.get() + " of " + sent.get() + " events were not acknowledged by Kafka at " + config.toKafka()
                + ": " + firstError.get());
            return Main.EXIT_FAILURE;
        }
        Logging.note(err, "replayed " + sent.get() + " events to Kafka at " + config.toKafka());
        return Main.EXIT_OK;
    }
}
