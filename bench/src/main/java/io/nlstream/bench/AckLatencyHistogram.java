package io.nlstream.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Kernel event to Kafka acknowledgement, in an HdrHistogram: the forwarder's ack-latency listener in
 * {@code bin/kafka-bench latency}, which starts {@code nlstream run} with
 * {@code -Dnlstream.forward.ackLatencyListener=io.nlstream.bench.AckLatencyHistogram} (see
 * {@code ForwarderAgent.ACK_LATENCY_LISTENER_PROPERTY}).
 *
 * <p>A value is wall-clock now when the producer's callback runs minus the event's capture time, which the
 * capture thread reads (CLOCK_REALTIME) right after recvmsg returns the kernel's datagram: one clock, one
 * host. On close (the forwarder's {@code onClose}) it prints a {@code key=value} summary line to stderr
 * and, with {@code -Dnlstream.bench.ackLatency.out=FILE}, writes the summary and the percentile
 * distribution (µs) to FILE.
 *
 * <p>{@code -Dnlstream.bench.ackLatency.warmupMillis=W} leaves out the acks of the first W ms after the
 * first ack (the start dump, a cold JIT); they are only counted.
 */
public final class AckLatencyHistogram implements LongConsumer, AutoCloseable
{
    public static final String OUT_PROPERTY = "nlstream.bench.ackLatency.out";
    public static final String WARMUP_PROPERTY = "nlstream.bench.ackLatency.warmupMillis";
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
    private final long warmupNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong(WARMUP_PROPERTY, 0));
    private final String out = System.getProperty(OUT_PROPERTY);
    // written by the producer's I/O thread only (one at a time), read after it has stopped
    private long firstAckNanos;
    private long measureFromNanos;
    private long warmupAcks;
    private long negative;
    private long clamped;

    @Override
    public void accept(final long latencyNanos)
    {
        final long now = System.nanoTime();
        if (firstAckNanos == 0)
        {
            firstAckNanos = now;
            measureFromNanos = now + warmupNanos;
        }
        if (now < measureFromNanos)
        {
            warmupAcks++;
            return;
        }
        long v = latencyNanos;
        if (v < 0)
        {
            // the wall clock stepped back between capture and ack
            negative++;
            v = 0;
        }
        else if (v > HIGHEST_NANOS)
        {
            clamped++;
            v = HIGHEST_NANOS;
        }
        recorder.recordValue(v);
    }

    @Override
    public void close()
    {
        final Histogram h = recorder.getIntervalHistogram();
        final double windowSeconds = firstAckNanos == 0 ? 0 : (System.nanoTime() - measureFromNanos) / 1e9;
        final String summary = String.format("ack_latency count=%d warmup_acks=%d window_s=%.1f p50_us=%.0f p90_us=%.0f p99_us=%.0f"
            + " p99_9_us=%.0f max_us=%.0f mean_us=%.0f min_us=%.0f negative=%d clamped=%d",
            h.getTotalCount(), warmupAcks, windowSeconds, us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)),
            us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()), h.getMean() / 1e3,
            us(h.getMinValue()), negative, clamped);
        System.err.println(summary);
        if (out != null)
        {
            try (PrintStream p = new PrintStream(out, StandardCharsets.UTF_8))
            {
                p.println(summary);
                p.println("# kernel event -> Kafka ack, percentile distribution in microseconds");
                h.outputPercentileDistribution(p, 5, 1e3);
            }
            catch (final IOException e)
            {
                System.err.println("ack_latency: cannot write " + out + ": " + e);
            }
        }
    }

    private static double us(final long nanos)
    {
        return nanos / 1e3;
    }
}
