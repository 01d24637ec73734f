package io.nlstream.bench.ab;

import io.nlstream.bench.Fixtures;
import io.nlstream.netlink.rtnl.AddrDecoder;

import java.nio.ByteBuffer;

/** {@code AddrDecodeBenchmark}'s operation, for {@link Interleaved}: wrap and the hot getters. */
public final class AddrWork
{
    private final AddrDecoder decoder = new AddrDecoder();
    private final ByteBuffer buf;
    private final int length;

    public AddrWork(final String fixture)
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
            sum += decoder.ifindex() + decoder.family() + decoder.prefixlen() + decoder.flags() + decoder.scope()
                + decoder.validLft();
        }
        return sum;
    }
}
