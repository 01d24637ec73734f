package io.nlstream.bench.ab;

import io.nlstream.bench.Fixtures;
import io.nlstream.netlink.conntrack.CtDecoder;
import io.nlstream.netlink.conntrack.CtTuple;

import java.nio.ByteBuffer;

/** {@code CtDecodeBenchmark}'s operation, for {@link Interleaved}: wrap and the hot getters. */
public final class CtWork
{
    private final CtDecoder decoder = new CtDecoder();
    private final ByteBuffer buf;
    private final int length;

    public CtWork(final String fixture)
    {
        buf = Fixtures.direct("conntrack/" + fixture);
        length = buf.capacity();
        if (!decoder.wrap(buf, 0, length) || !decoder.orig().present())
        {
            throw new IllegalStateException("fixture=" + fixture + " does not decode: " + decoder.error());
        }
    }

    public long run(final int n)
    {
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            if (!decoder.wrap(buf, 0, length))
            {
                throw new IllegalStateException(decoder.error());
            }
            final CtTuple orig = decoder.orig();
            final CtTuple reply = decoder.reply();
            sum += decoder.eventType().ordinal() + decoder.id() + decoder.status() + orig.l4proto() + orig.srcPort()
                + orig.dstPort() + reply.l4proto() + reply.srcPort() + reply.dstPort() + decoder.tcpState()
                + decoder.mark() + decoder.zone();
        }
        return sum;
    }
}
