package io.nlstream.bench;

import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalWriter;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.rtnl.Rtnetlink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What the capture thread pays per message: {@link JournalWriter#append} of one captured link message
 * (capture header + raw bytes, from a direct host-order buffer as after recvmsg) into a Chronicle
 * journal opened as the monitor opens it ({@code Journal.openForWriting(dir, "FAST_HOURLY")}).
 * {@link #appendLatency} samples single appends (Mode.SampleTime: p50, p99, p99.9 and the max, which
 * show page faults of fresh journal pages); {@link #appendThroughput} is appends per second from one
 * thread. Timestamps are counters, not clock reads, so that only the append is measured.
 * <p>
 * One journal, in a temporary directory (see {@link TempDirs}), serves the whole trial, as one journal
 * serves a running monitor; the teardown deletes it (gigabytes: unpaced, this appends 300-500 MB/s). A
 * journal per iteration made every iteration pay for creating and mapping a fresh cycle file, and the
 * next one run beside the deletion of the last one's gigabytes: p99 10.7 µs, against 0.7 µs for the
 * same unpaced appends into one journal ({@code bin/bench journal-latency --rate 0}). The first append
 * (creating the cycle file) happens in setup, as it happens once an hour in a running monitor.
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JournalAppendBenchmark extends ChronicleBenchmark
{
    private static final long NETNS = 4026531840L;
    private static final int NO_NSID = -1;

    /**
     * lo-newlink: 1468 bytes, an RTM_NEWLINK as this kernel sends them (1.4 to 1.9 KiB);
     * dellink: 684 bytes.
     */
    @Param({"lo-newlink", "dellink", "conntrack/tcp4-dnat-new"})
    public String fixture;

    private ByteBuffer message;
    private int length;
    private Path dir;
    private Journal journal;
    private JournalWriter writer;
    private long wallNanos = 1_700_000_000_000_000_000L;
    private long monoNanos;

    @Setup(Level.Trial)
    public void openJournal()
    {
        message = Fixtures.direct(fixture);
        length = message.capacity();
        dir = TempDirs.create("nlstream-bench-journal-");
        journal = Journal.openForWriting(dir, "FAST_HOURLY");
        writer = journal.writer();
        append();
    }

    @TearDown(Level.Trial)
    public void deleteJournal()
    {
        try
        {
            if (writer != null)
            {
                writer.close();
            }
            if (journal != null)
            {
                journal.close();
            }
        }
        finally
        {
            writer = null;
            journal = null;
            TempDirs.delete(dir);
            dir = null;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void appendLatency()
    {
        append();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void appendThroughput()
    {
        append();
    }

    private void append()
    {
        writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, Rtnetlink.RTNLGRP_LINK,
            wallNanos++, monoNanos++, NETNS, NO_NSID, 0, message, 0, length);
    }
}
