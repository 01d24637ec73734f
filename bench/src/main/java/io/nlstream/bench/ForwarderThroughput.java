package io.nlstream.bench;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.forward.Checkpoint;
import io.nlstream.monitor.forward.ForwarderAgent;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import io.nlstream.monitor.journal.JournalWriter;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.RealtimeClock;
import io.nlstream.netlink.rtnl.Rtnetlink;
import io.nlstream.sinks.JsonFieldWriter;
import io.nlstream.sinks.kafka.KafkaPublisher;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Forwarder throughput into a real broker (run by {@code bin/kafka-bench throughput}, which starts the broker
 * and then runs Kafka's ProducerPerformance with the record size and producer settings this prints).
 *
 * <p>Writes a journal of {@code --events} captured rtnetlink notifications (the byte-exact fixtures, round
 * robin, as ORIGIN_EVENT entries stamped with the current wall clock), then drives one
 * {@link ForwarderAgent}'s {@code doWork()} on this thread from the journal's start until {@code caughtUp()}:
 * every event read, decoded, JSON-encoded, sent and acknowledged (idempotent, acks=all), with the producer
 * settings {@code run --kafka} uses by default. Prints {@code key=value} lines on stdout.
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar io.nlstream.bench.ForwarderThroughput --bootstrap 127.0.0.1:9092 \
 *     [--events 1000000] [--topic-prefix bench] [--out DIR] [--delivery at-least-once|exactly-once]
 * </pre>
 * {@code --out DIR} receives {@code producer.properties} (the forwarder's exact producer settings, for
 * {@code --producer.config}) and {@code payloads.txt} (forwarded JSON values, one a line, for
 * {@code --payload-file}).
 */
public final class ForwarderThroughput
{
    /** The mix: 5 link and 4 address notifications, as the kernel sent them (sizes in the fixtures' README). */
    private static final String[] FIXTURES = {
        "lo-newlink", "ipv4-newaddr", "veth-newlink", "ipv6-newaddr", "bridge-newlink",
        "ipv6-linklocal-newaddr", "nocarrier-newlink", "deladdr", "dellink"};
    private static final long NETNS = 4026531840L;
    private static final int NO_NSID = -1;
    private static final int SAMPLE_EVENTS = 90_000;
    private static final int PAYLOAD_LINES = 900;
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(10);

    private ForwarderThroughput()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        String bootstrap = null;
        long events = 1_000_000;
        String prefix = "bench";
        Path out = null;
        ForwarderAgent.Delivery delivery = ForwarderAgent.Delivery.AT_LEAST_ONCE;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--bootstrap":
                    bootstrap = args[++i];
                    break;
                case "--events":
                    events = Long.parseLong(args[++i].replace("_", ""));
                    break;
                case "--topic-prefix":
                    prefix = args[++i];
                    break;
                case "--out":
                    out = Paths.get(args[++i]);
                    break;
                case "--delivery":
                    delivery = ForwarderAgent.Delivery.of(args[++i]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: --bootstrap HOST:PORT [--events N] [--topic-prefix P] [--out DIR] [--delivery at-least-once|exactly-once]");
            }
        }
        if (bootstrap == null || events <= 0)
        {
            throw new IllegalArgumentException("--bootstrap is required and --events must be > 0 (events=" + events + ")");
        }
        final Path dir = TempDirs.create("nlstream-kafka-bench-");
        try (Journal journal = Journal.openForWriting(dir, "FAST_HOURLY"))
        {
            run(journal, dir, bootstrap, events, prefix, out, delivery);
        }
        finally
        {
            TempDirs.delete(dir);
        }
    }

    private static void run(final Journal journal, final Path dir, final String bootstrap, final long events, final String prefix,
        final Path out, final ForwarderAgent.Delivery delivery) throws Exception
    {
        long t = System.nanoTime();
        writeJournal(journal, events);
        final double writeSeconds = (System.nanoTime() - t) / 1e9;
        print("journal_entries", events);
        print("journal_write_s", String.format("%.2f", writeSeconds));

        final Sample sample = sample(journal, Math.min(events, SAMPLE_EVENTS), out);
        print("mean_value_bytes", String.format("%.1f", sample.meanValueBytes));
        print("record_size", Math.round(sample.meanValueBytes));
        print("events_per_entry", String.format("%.3f", sample.eventsPerEntry));

        // the same settings as run --kafka by default (NlstreamConfig: lz4, 10 ms, 256 KiB, 64 MiB)
        final Properties props = KafkaPublisher.producerProperties(bootstrap, "lz4", Duration.ofMillis(10), 256 << 10, 64L << 20,
            Map.of());
        final List<String> kinds = new ArrayList<>(NlstreamConfig.KINDS);
        // ProducerPerformance's topics too, so that neither run pays for creating its topics
        kinds.add("pp-size");
        kinds.add("pp-payload");
        try (KafkaPublisher admin = new KafkaPublisher(props, prefix))
        {
            admin.ensureTopics(kinds, -1, -1, Duration.ofSeconds(30));
        }
        if (out != null)
        {
            writeProducerConfig(props, out.resolve("producer.properties"));
        }

        final long expected = Math.round(sample.eventsPerEntry * events);
        try (Checkpoint checkpoint = Checkpoint.open(dir.resolve("kafka-" + prefix + ".checkpoint")))
        {
            final ForwarderAgent agent = new ForwarderAgent(journal,
                transactionalId -> new KafkaPublisher(transactionalId == null ? props : KafkaPublisher.transactional(props, transactionalId), prefix),
                checkpoint, prefix, NlstreamConfig.KINDS, -1, -1).delivery(delivery);
            final long cpu0 = processCpuNanos();
            agent.onStart();
            t = System.nanoTime();
            long nextReport = t + TimeUnit.SECONDS.toNanos(5);
            while (!agent.caughtUp())
            {
                agent.doWork();
                final long now = System.nanoTime();
                if (now >= nextReport)
                {
                    System.err.printf("forwarded %,d of %,d events (%.0f s)%n", agent.acknowledged(), expected, (now - t) / 1e9);
                    nextReport = now + TimeUnit.SECONDS.toNanos(5);
                }
                if (now - t > TIMEOUT_NANOS)
                {
                    throw new IllegalStateException("not caught up after " + TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NANOS)
                        + " s: acknowledged=" + agent.acknowledged() + " expected=" + expected);
                }
            }
            final double seconds = (System.nanoTime() - t) / 1e9;
            final double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            agent.onClose();
            final long acked = agent.acknowledged();
            if (acked != expected)
            {
                throw new IllegalStateException("acknowledged=" + acked + " expected=" + expected + " (events in the journal)");
            }
            print("forwarded_events", acked);
            print("forward_s", String.format("%.3f", seconds));
            print("events_per_s", String.format("%.0f", acked / seconds));
            print("mb_per_s", String.format("%.2f", acked * sample.meanValueBytes / seconds / 1e6));
            print("process_cpu_s", String.format("%.2f", cpuSeconds));
            print("cpu_us_per_event", String.format("%.2f", cpuSeconds * 1e6 / acked));
        }
    }

    private static void writeJournal(final Journal journal, final long events)
    {
        final ByteBuffer[] messages = new ByteBuffer[FIXTURES.length];
        final int[] groups = new int[FIXTURES.length];
        for (int i = 0; i < FIXTURES.length; i++)
        {
            messages[i] = Fixtures.direct(FIXTURES[i]);
            groups[i] = FIXTURES[i].endsWith("link") ? Rtnetlink.RTNLGRP_LINK
                : FIXTURES[i].startsWith("ipv6") ? Rtnetlink.RTNLGRP_IPV6_IFADDR : Rtnetlink.RTNLGRP_IPV4_IFADDR;
        }
        final RealtimeClock clock = new RealtimeClock();
        try (JournalWriter writer = journal.writer())
        {
            for (long n = 0; n < events; n++)
            {
                final int i = (int)(n % FIXTURES.length);
                writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, groups[i], clock.nanos(), System.nanoTime(), NETNS,
                    NO_NSID, 0, messages[i], 0, messages[i].capacity());
            }
        }
    }

    private static final class Sample
    {
        double meanValueBytes;
        double eventsPerEntry;
    }

    /**
     * The forwarded values of the first entries, encoded as the publisher encodes them: the mix is round robin,
     * so their mean size is the whole journal's (seq and ts have the same number of digits throughout).
     */
    private static Sample sample(final Journal journal, final long entries, final Path out) throws IOException
    {
        final JsonFieldWriter json = new JsonFieldWriter();
        final long[] totals = new long[2];
        OutputStream payloads = null;
        try (ReadPipeline pipeline = ReadPipeline.from(journal)
            .problems((index, reason) ->
            {
                throw new IllegalStateException("fixture at journal index " + index + " is malformed: " + reason);
            })
            .build())
        {
            if (out != null)
            {
                payloads = Files.newOutputStream(out.resolve("payloads.txt"));
            }
            final OutputStream to = payloads;
            long n = 0;
            while (n < entries)
            {
                final int read = pipeline.poll((int)Math.min(1024, entries - n), e ->
                {
                    json.reset();
                    e.write(json);
                    totals[0] += json.length();
                    if (to != null && totals[1] < PAYLOAD_LINES)
                    {
                        try
                        {
                            json.newLine();
                            json.writeTo(to);
                        }
                        catch (final IOException ex)
                        {
                            throw new java.io.UncheckedIOException(ex);
                        }
                    }
                    totals[1]++;
                });
                if (read == 0)
                {
                    break;
                }
                n += read;
            }
        }
        finally
        {
            if (payloads != null)
            {
                payloads.close();
            }
        }
        final Sample s = new Sample();
        s.meanValueBytes = (double)totals[0] / totals[1];
        s.eventsPerEntry = (double)totals[1] / entries;
        return s;
    }

    private static void writeProducerConfig(final Properties props, final Path file) throws IOException
    {
        final Properties copy = new Properties();
        copy.putAll(props);
        copy.remove("client.id");
        try (OutputStream o = Files.newOutputStream(file))
        {
            copy.store(o, "the forwarder's producer settings (KafkaPublisher.producerProperties, run --kafka defaults)");
        }
    }

    private static long processCpuNanos()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ? ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : 0;
    }

    private static void print(final String key, final Object value)
    {
        System.out.println(key + "=" + value);
    }
}
