package io.nlstream.bench.ab;

import io.nlstream.bench.Fixtures;
import io.nlstream.netlink.rtnl.LinkDecoder;

import java.nio.ByteBuffer;

/** {@code LinkDecodeBenchmark}'s operation, for {@link Interleaved}: wrap and the hot getters. */
public final class LinkWork
{
    private final LinkDecoder decoder = new LinkDecoder();
    private final ByteBuffer buf;
    private final int length;

    public LinkWork(final String fixture)
    {
        buf = Fixtures.direct(fixture);
        length = buf.capacity();
        if (!decoder.wrap(buf, 0, length) || decoder.ifindex() <= 0)
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
            sum += decoder.ifindex() + decoder.flags() + decoder.mtu() + decoder.operstate() + decoder.master();
        }
        return sum;
    }
}
