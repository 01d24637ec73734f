package io.nlstream.bench;

import io.nlstream.monitor.attribution.ProcScanner;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Microseconds for one {@link ProcScanner#scan()}: a full walk of the real {@code /proc} of the machine
 * the benchmark runs on (every process's {@code fd/} listed, every link read, {@code comm} read for each
 * process holding a socket), which the attribution agent does once per batch of unknown socket inodes.
 * The cost grows with the number of fds on the machine, so the result is only meaningful next to the
 * counts it was measured with: the secondary results {@code walk:sockets} and {@code walk:links} are the
 * time per socket found ({@code scan().size()}) and per fd link read ({@code linksRead()}), and teardown
 * prints the sockets and links of one walk.
 * <p>
 * {@link #extraSockets} opens that many more sockets in the benchmark JVM before measuring, half TCP
 * listeners and half UDP sockets, all bound to 127.0.0.1 port 0 (nothing is sent; they are closed in
 * teardown), to show how a walk scales with a busy process. 10000 needs an fd limit above that
 * ({@code ulimit -n}) and takes 5000 ports of the loopback's ephemeral range for the run. Run with
 * {@code -prof gc} to see the garbage of one walk (Paths, Strings, the map and its boxed inodes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AttributionBenchmark
{
    /** Sockets opened in this JVM on top of whatever the machine already has. */
    @Param({"0", "1000", "10000"})
    public int extraSockets;

    private final List<NetworkChannel> channels = new ArrayList<>();
    private final ProcScanner scanner = new ProcScanner();
    private long sockets;
    private long links;

    /** What the walks found, reported per unit of time like the primary result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Found
    {
        /** Sockets found ({@code scan().size()}), summed over the walks. */
        public long sockets;
        /** fd links read ({@code linksRead()} after minus before), summed over the walks. */
        public long links;

        @Setup(Level.Iteration)
        public void clear()
        {
            sockets = 0;
            links = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
        try
        {
            for (int i = 0; i < extraSockets; i++)
            {
                if (i % 2 == 0)
                {
                    channels.add(ServerSocketChannel.open(StandardProtocolFamily.INET).bind(loopback, 1));
                }
                else
                {
                    channels.add(DatagramChannel.open(StandardProtocolFamily.INET).bind(loopback));
                }
            }
        }
        catch (final IOException e)
        {
            final int opened = channels.size();
            closeAll();
            throw new IOException("opened " + opened + " of extraSockets=" + extraSockets + " (ulimit -n?): " + e, e);
        }
        final int found = scanner.scan().size();
        if (found < extraSockets)
        {
            throw new IllegalStateException("a walk found " + found + " sockets with extraSockets=" + extraSockets
                + " open in this JVM: not reading /proc/self/fd?");
        }
    }

    @Benchmark
    public Map<Long, ProcScanner.Owner> walk(final Found found)
    {
        final long before = scanner.linksRead();
        final Map<Long, ProcScanner.Owner> owners = scanner.scan();
        found.sockets += owners.size();
        found.links += scanner.linksRead() - before;
        sockets += owners.size();
        links += scanner.linksRead() - before;
        return owners;
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        // walks() counts the one in setUp too, which sockets and links leave out
        final long walks = scanner.walks() - 1;
        System.out.printf("%nextraSockets=%d walks=%d per walk: sockets=%d links=%d; last walk %d us%n",
            extraSockets, walks, walks > 0 ? sockets / walks : 0, walks > 0 ? links / walks : 0,
            TimeUnit.NANOSECONDS.toMicros(scanner.lastWalkNanos()));
        closeAll();
    }

    private void closeAll()
    {
        IOException first = null;
        for (final NetworkChannel channel : channels)
        {
            try
            {
                channel.close();
            }
            catch (final IOException e)
            {
                if (first == null)
                {
                    first = e;
                }
            }
        }
        channels.clear();
        if (first != null)
        {
            throw new UncheckedIOException("closing the extra sockets: " + first, first);
        }
    }
}
