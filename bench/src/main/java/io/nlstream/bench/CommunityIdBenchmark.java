package io.nlstream.bench;

import io.nlstream.sinks.CommunityId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One Community ID from addresses in a buffer: {@link #repeated} asks for the same flow every time (the id cache's
 * hit, as a flow's update and destroy events do), {@link #newFlows} for a new source port each time (a miss: the
 * SHA-1 itself, as every flow's first event and a storm of new flows pay).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CommunityIdBenchmark
{
    private final CommunityId id = new CommunityId();
    private final ByteBuffer v4 = ByteBuffer.allocateDirect(8).put(0, new byte[] {10, (byte)240, 1, 2, 10, 0, 0, 9});
    private final ByteBuffer v6 = ByteBuffer.allocateDirect(32);
    private final byte[] out = new byte[CommunityId.LENGTH];
    private int port;

    {
        for (int i = 0; i < 32; i++)
        {
            v6.put(i, (byte)(i < 16 ? 0xfd : 0xfe));
        }
    }

    @Benchmark
    public int repeated()
    {
        return id.compute(v4, 0, 4, 4, 17, 40000, 9, out, 0);
    }

    @Benchmark
    public int newFlows()
    {
        port = port + 1 & 0xFFFF;
        return id.compute(v4, 0, 4, 4, 17, port, 9, out, 0);
    }

    @Benchmark
    public int newFlowsV6()
    {
        port = port + 1 & 0xFFFF;
        return id.compute(v6, 0, 16, 16, 6, port, 443, out, 0);
    }
}
