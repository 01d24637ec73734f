package io.nlstream.bench;

import io.nlstream.netlink.rtnl.LinkDecoder;
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
 * Nanoseconds to decode one link message: {@link LinkDecoder#wrap} (framing, ifinfomsg, every known
 * attribute validated and located, IFLA_LINKINFO included) plus the getters a reader touches for every
 * message: ifindex, flags, mtu, operstate, master. The messages are the captured fixtures, in a direct
 * buffer in host order as the capture path holds them. Run with {@code -prof gc}:
 * {@code gc.alloc.rate.norm} should be 0 B/op, since wrap and the primitive getters allocate nothing
 * (the String getters, ifname and friends, are left out on purpose; EventDecodeBenchmark covers them).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LinkDecodeBenchmark
{
    /**
     * lo-newlink: 1468 bytes, no IFLA_LINKINFO; veth-newlink: 1872 bytes, linkinfo with kind, slave kind
     * and their data, master, alias; dellink: 684 bytes, an RTM_DELLINK event.
     */
    @Param({"lo-newlink", "veth-newlink", "dellink"})
    public String fixture;

    private final LinkDecoder decoder = new LinkDecoder();
    private ByteBuffer buf;
    private int length;

    @Setup
    public void setUp()
    {
        buf = Fixtures.direct(fixture);
        length = buf.capacity();
        if (!decoder.wrap(buf, 0, length))
        {
            throw new IllegalStateException("fixture=" + fixture + " does not decode: " + decoder.error()
                + " errorOffset=" + decoder.errorOffset() + " length=" + length);
        }
        if (decoder.ifindex() <= 0 || decoder.mtu() <= 0)
        {
            throw new IllegalStateException("fixture=" + fixture + " decodes to ifindex=" + decoder.ifindex()
                + " mtu=" + decoder.mtu() + ": not the link message expected");
        }
    }

    @Benchmark
    public void wrapAndHotGetters(final Blackhole bh)
    {
        if (!decoder.wrap(buf, 0, length))
        {
            throw new IllegalStateException(decoder.error());
        }
        bh.consume(decoder.ifindex());
        bh.consume(decoder.flags());
        bh.consume(decoder.mtu());
        bh.consume(decoder.operstate());
        bh.consume(decoder.master());
    }
}
