package io.nlstream.bench.ab;

import io.nlstream.netlink.conntrack.CtDecoder;
import io.nlstream.netlink.conntrack.CtTuple;

/** {@code CtDecodeBenchmark}'s operation. */
public final class CtWork extends Work
{
    private final CtDecoder decoder = new CtDecoder();

    public CtWork(final String fixture)
    {
        super("conntrack/" + fixture);
        if (!decoder.wrap(buf, 0, length) || !decoder.orig().present())
        {
            throw refused(fixture, decoder.error());
        }
    }

    @Override
    protected long once()
    {
        if (!decoder.wrap(buf, 0, length))
        {
            throw new IllegalStateException(decoder.error());
        }
        final CtTuple orig = decoder.orig();
        final CtTuple reply = decoder.reply();
        return decoder.eventType().ordinal() + decoder.id() + decoder.status() + orig.l4proto() + orig.srcPort()
            + orig.dstPort() + reply.l4proto() + reply.srcPort() + reply.dstPort() + decoder.tcpState() + decoder.mark()
            + decoder.zone();
    }
}
