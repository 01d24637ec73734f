package io.nlstream.bench;

import io.nlstream.netlink.conntrack.CtDecoder;
import io.nlstream.netlink.conntrack.CtTuple;
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
 * Nanoseconds to decode one conntrack event: {@link CtDecoder#wrap} (framing, nfgenmsg, every known
 * attribute validated at every depth, both tuples and the protoinfo nest located) plus the getters a
 * reader touches for every entry: event type, id, status, the l4 protocol and ports of the original and
 * the reply tuple, TCP state, mark, zone. The messages are the captured ctnetlink fixtures
 * ({@code fixtures/conntrack/}), in a direct buffer in host order as the capture path holds them.
 * The target is at most 150 ns a message; run with {@code -prof gc}: {@code gc.alloc.rate.norm} should
 * be 0 B/op, since wrap and these getters allocate nothing (addresses as text and the other String and
 * byte[] getters are left out on purpose).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CtDecodeBenchmark
{
    /**
     * tcp4-dnat-new: 208 bytes, DNAT, SYN_SENT; tcp4-dnat-established: 208 bytes, an UPDATE;
     * tcp4-dnat-destroy: 260 bytes, with counters and timestamps; udp4-new: 168 bytes with a mark;
     * icmp4-echo-new: 176 bytes, no ports; tcp6-new: 276 bytes, IPv6 addresses and labels.
     */
    @Param({"tcp4-dnat-new", "tcp4-dnat-established", "tcp4-dnat-destroy", "udp4-new", "icmp4-echo-new", "tcp6-new"})
    public String fixture;

    private final CtDecoder decoder = new CtDecoder();
    private ByteBuffer buf;
    private int length;

    @Setup
    public void setUp()
    {
        buf = Fixtures.direct("conntrack/" + fixture);
        length = buf.capacity();
        if (!decoder.wrap(buf, 0, length))
        {
            throw new IllegalStateException("fixture=" + fixture + " does not decode: " + decoder.error()
                + " errorOffset=" + decoder.errorOffset() + " length=" + length);
        }
        final CtDecoder.EventType expected = fixture.endsWith("-destroy") ? CtDecoder.EventType.DESTROY
            : fixture.endsWith("-established") ? CtDecoder.EventType.UPDATE : CtDecoder.EventType.NEW;
        if (decoder.eventType() != expected || !decoder.hasId() || !decoder.orig().present()
            || !decoder.reply().present())
        {
            throw new IllegalStateException("fixture=" + fixture + " decodes to eventType=" + decoder.eventType()
                + " hasId=" + decoder.hasId() + " orig=" + decoder.orig().present() + " reply="
                + decoder.reply().present() + ": not the " + expected + " event expected");
        }
    }

    @Benchmark
    public void wrapAndHotGetters(final Blackhole bh)
    {
        if (!decoder.wrap(buf, 0, length))
        {
            throw new IllegalStateException(decoder.error());
        }
        bh.consume(decoder.eventType());
        bh.consume(decoder.id());
        bh.consume(decoder.status());
        final CtTuple orig = decoder.orig();
        bh.consume(orig.l4proto());
        bh.consume(orig.srcPort());
        bh.consume(orig.dstPort());
        final CtTuple reply = decoder.reply();
        bh.consume(reply.l4proto());
        bh.consume(reply.srcPort());
        bh.consume(reply.dstPort());
        bh.consume(decoder.tcpState());
        bh.consume(decoder.mark());
        bh.consume(decoder.zone());
    }
}
