package io.nlstream.bench;

import io.nlstream.netlink.rtnl.AddrDecoder;
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
 * Nanoseconds to decode one address message: {@link AddrDecoder#wrap} (framing, ifaddrmsg, address
 * lengths against the family, cache info) plus the primitive getters: ifindex, family, prefixlen, flags,
 * scope, valid lifetime. Same setting as {@link LinkDecodeBenchmark}: captured fixtures in a direct
 * host-order buffer; {@code -prof gc} should show 0 B/op (address text is left out; it allocates).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AddrDecodeBenchmark
{
    /** ipv4-newaddr: 88 bytes with IFA_LABEL; ipv6-newaddr: 72 bytes. */
    @Param({"ipv4-newaddr", "ipv6-newaddr"})
    public String fixture;

    private final AddrDecoder decoder = new AddrDecoder();
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
        if (decoder.ifindex() <= 0 || !decoder.hasAddress())
        {
            throw new IllegalStateException("fixture=" + fixture + " decodes to ifindex=" + decoder.ifindex()
                + " hasAddress=" + decoder.hasAddress() + ": not the address message expected");
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
        bh.consume(decoder.family());
        bh.consume(decoder.prefixlen());
        bh.consume(decoder.flags());
        bh.consume(decoder.scope());
        bh.consume(decoder.validLft());
    }
}
