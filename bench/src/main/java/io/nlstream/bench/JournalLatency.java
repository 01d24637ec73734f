package io.nlstream.bench;

import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalPretoucher;
import io.nlstream.monitor.journal.JournalWriter;
import io.nlstream.netlink.Netlink;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Journal append latency at a given offered rate, the way the capture thread appends: one thread,
 * {@link JournalWriter#append} of a captured message into a journal opened as the monitor opens it,
 * paced to {@code --rate} messages a second (0: as fast as it goes, which measures the disk's
 * writeback throttling more than the append).
 * <p>
 * JMH's {@code JournalAppendBenchmark} appends without pause: at millions of 1.4 KiB appends a second
 * it writes faster than the disk takes, so its tail is the kernel's dirty-page throttling
 * ({@code balance_dirty_pages}), milliseconds long, whatever the append does. A capture thread appends
 * at the kernel's event rate: a 200,000-flow storm of conntrack events is about 60 MB/s. This harness
 * offers such rates and reports two histograms (HdrHistogram, ns):
 * <ul>
 *   <li><b>service</b>: the append call alone;</li>
 *   <li><b>response</b>: from when the message was due (its slot in the schedule) to the end of its
 *   append, so that a stall also counts against the messages that queued behind it (no coordinated
 *   omission), as messages queue in the socket behind a stalled capture thread.</li>
 * </ul>
 * The default warm-up is 30 s: Chronicle writes an index entry every 16th append, and at 10,000
 * appends a second that path is not compiled by C2 until about 10 s in; measured before that, every 16th
 * append took 3–8 µs (p99 7.8 µs at 10,000/s) against 2.6 µs after 40 s.
 * <p>
 * Usage: {@code JournalLatency [--rate MSGS_PER_S] [--seconds S] [--warmup S] [--fixture NAME]}
 * ({@code bin/journal-bench} runs it with and without the pretoucher). The journal is created under
 * {@code -Dnlstream.bench.dir} (default java.io.tmpdir) and deleted at the end.
 */
public final class JournalLatency
{
    private static final long HIGHEST = TimeUnit.SECONDS.toNanos(10);

    private JournalLatency()
    {
    }

    public static void main(final String[] args)
    {
        long rate = 200_000;
        int seconds = 20;
        int warmup = 30;
        String fixture = "conntrack/tcp4-dnat-new";
        boolean control = false;
        boolean controlFile = false;
        boolean controlBytes = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--rate":
                    rate = Long.parseLong(args[++i]);
                    break;
                case "--seconds":
                    seconds = Integer.parseInt(args[++i]);
                    break;
                case "--warmup":
                    warmup = Integer.parseInt(args[++i]);
                    break;
                case "--fixture":
                    fixture = args[++i];
                    break;
                case "--control":
                    control = true;
                    break;
                case "--control-bytes":
                    controlBytes = true;
                    break;
                case "--control-file":
                    control = true;
                    controlFile = true;
                    break;
                default:
                    System.err.println("unknown argument " + args[i]
                        + "; usage: JournalLatency [--rate MSGS_PER_S] [--seconds S] [--warmup S] [--fixture NAME] [--control|--control-file|--control-bytes]");
                    System.exit(2);
                    return;
            }
        }
        final ByteBuffer message = Fixtures.direct(fixture);
        // --control: the same schedule, but each "append" copies the message into a pre-touched 64 MiB
        // ring of native memory, a journal append without Chronicle, the file or page faults: what the
        // machine itself adds to an operation of this size at this rate
        final Path dir = TempDirs.create("nlstream-journal-latency-");
        final ByteBuffer ring;
        if (controlFile)
        {
            // --control-file: the copy goes into a 1.9 GB file mapped shared in the journal's directory,
            // faulted in first: the kernel's side of a journal (dirty pages, writeback) without Chronicle
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve("control.dat"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE))
            {
                ring = ch.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, 1_900L << 20);
            }
            catch (final java.io.IOException e)
            {
                throw new java.io.UncheckedIOException(e);
            }
        }
        else
        {
            ring = control ? ByteBuffer.allocateDirect(64 << 20) : null;
        }
        if (ring != null)
        {
            for (int i = 0; i < ring.capacity(); i += 4096)
            {
                ring.put(i, (byte)1);
            }
        }
        final int length = message.capacity();
        // --control-bytes: Chronicle's MappedBytes alone (64 MiB chunks, 16 MiB overlap, as the queue maps
        // its cycle files), each "append" a sequence number and the message: Chronicle's file layer
        // without the queue's headers, lock and index
        net.openhft.chronicle.bytes.MappedBytes mb = null;
        final net.openhft.chronicle.bytes.BytesStore<?, ?> src = net.openhft.chronicle.bytes.BytesStore.wrap(message);
        if (controlBytes)
        {
            try
            {
                mb = net.openhft.chronicle.bytes.MappedBytes.mappedBytes(dir.resolve("mb.dat").toFile(), 64L << 20, 16L << 20);
            }
            catch (final java.io.FileNotFoundException e)
            {
                throw new java.io.UncheckedIOException(e);
            }
        }
        final Histogram service = new Histogram(HIGHEST, 3);
        final Histogram response = new Histogram(HIGHEST, 3);
        long appends = 0;
        long populated = -1;
        long worst = 0;
        long worstAt = 0;
        try (Journal journal = Journal.openForWriting(dir, "FAST_HOURLY"); JournalWriter writer = journal.writer())
        {
            final long interval = rate > 0 ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
            final long start = System.nanoTime();
            final long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
            final long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            long due = start;
            long seq = 0;
            while (true)
            {
                long now = System.nanoTime();
                if (now >= end)
                {
                    break;
                }
                if (interval > 0)
                {
                    while (now < due)
                    {
                        Thread.onSpinWait();
                        now = System.nanoTime();
                    }
                }
                else
                {
                    due = now;
                }
                final long before = System.nanoTime();
                if (mb != null)
                {
                    mb.writeLong(seq);
                    mb.write(src, 0L, (long)length);
                }
                else if (ring == null)
                {
                    writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_NETFILTER, 1, seq, seq, 4026531840L, -1, 0,
                        message, 0, length);
                }
                else
                {
                    final int at = (int)((seq * (length + CaptureHeader.LENGTH)) % (ring.capacity() - 4096)) & -8;
                    ring.putLong(at, seq);
                    ring.put(at + CaptureHeader.LENGTH, message, 0, length);
                }
                final long after = System.nanoTime();
                seq++;
                if (before >= measureFrom)
                {
                    if (after - before > worst)
                    {
                        worst = after - before;
                        worstAt = before - start;
                    }
                    service.recordValue(Math.min(after - before, HIGHEST));
                    response.recordValue(Math.min(after - due, HIGHEST));
                    appends++;
                }
                due += interval;
            }
            final JournalPretoucher pretoucher = journal.pretoucher();
            populated = pretoucher == null ? -1 : pretoucher.populatedBytes();
        }
        finally
        {
            TempDirs.delete(dir);
        }
        final PrintStream out = System.out;
        final String pretouch = populated < 0 ? "off" : "on (" + (populated >> 20) + " MiB faulted in ahead)";
        out.printf(Locale.ROOT, "%sfixture=%s bytes=%d rate=%s seconds=%d appends=%d achieved=%.0f/s pretouch=%s%n",
            controlFile ? "CONTROL (copy into a mapped file, no Chronicle) " : control ? "CONTROL (copy into memory, no journal) " : "", fixture, length,
            rate > 0 ? rate + "/s" : "unpaced", seconds, appends, appends / (double)seconds, pretouch);
        out.printf(Locale.ROOT, "slowest append: %d us at %.3f s after start%n", worst / 1000, worstAt / 1e9);
        print(out, "service ", service);
        print(out, "response", response);
    }

    private static void print(final PrintStream out, final String name, final Histogram h)
    {
        out.printf(Locale.ROOT, "%s ns: p50=%d p90=%d p99=%d p99.9=%d p99.99=%d max=%d mean=%.0f%n", name,
            h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
            h.getValueAtPercentile(99.9), h.getValueAtPercentile(99.99), h.getMaxValue(), h.getMean());
    }
}
