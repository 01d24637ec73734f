package io.nlstream.bench;

import io.nlstream.netlink.diag.InetDiagDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds to decode one sock_diag message: {@link InetDiagDecoder#wrap} (framing, inet_diag_msg,
 * every known INET_DIAG_* attribute validated and located, INET_DIAG_INFO included) plus the getters
 * the socket table reads for every socket: family, state, local and remote port, inode, uid, cookie and
 * tcp_info's smoothed RTT (-1 for UDP, which has no INET_DIAG_INFO). The messages are the captured
 * fixtures of {@code fixtures/diag/}: single replies of the dumps and destroy notifications, in a direct
 * buffer in host order. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} should be 0 B/op
 * (addresses as text and the congestion control name are left out; they allocate).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InetDiagDecodeBenchmark
{
    /**
     * tcp4-listen: 492 bytes, a listener with tcp_info and meminfo; tcp4-estab: 516 bytes;
     * tcp6-estab: 524 bytes; udp4-unconn: 200 bytes, no tcp_info; tcp4-destroy: 380 bytes, a destroy
     * notification (INET_DIAG_PROTOCOL and tcp_info, inode 0).
     */
    @Param({"tcp4-listen", "tcp4-estab", "tcp6-estab", "udp4-unconn", "tcp4-destroy"})
    public String fixture;

    private final InetDiagDecoder decoder = new InetDiagDecoder();
    private ByteBuffer buf;
    private int length;

    @Setup
    public void setUp()
    {
        buf = Fixtures.direct("diag/" + fixture);
        length = buf.capacity();
        if (!decoder.wrap(buf, 0, length))
        {
            throw new IllegalStateException("fixture=" + fixture + " does not decode: " + decoder.error()
                + " errorOffset=" + decoder.errorOffset() + " length=" + length);
        }
        final boolean tcp = fixture.startsWith("tcp");
        if (decoder.sport() <= 0 || decoder.cookie() == 0 || decoder.hasTcpInfo() != tcp)
        {
            throw new IllegalStateException("fixture=" + fixture + " decodes to sport=" + decoder.sport()
                + " cookie=" + decoder.cookie() + " hasTcpInfo=" + decoder.hasTcpInfo()
                + ": not the socket expected");
        }
    }

    @Benchmark
    public void wrapAndHotGetters(final Blackhole bh)
    {
        if (!decoder.wrap(buf, 0, length))
        {
            throw new IllegalStateException(decoder.error());
        }
        bh.consume(decoder.family());
        bh.consume(decoder.state());
        bh.consume(decoder.sport());
        bh.consume(decoder.dport());
        bh.consume(decoder.inode());
        bh.consume(decoder.uid());
        bh.consume(decoder.cookie());
        bh.consume(decoder.tcpiRtt());
    }
}
