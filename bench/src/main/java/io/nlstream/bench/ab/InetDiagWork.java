package io.nlstream.bench.ab;

import io.nlstream.bench.Fixtures;
import io.nlstream.netlink.diag.InetDiagDecoder;

import java.nio.ByteBuffer;

/** {@code InetDiagDecodeBenchmark}'s operation, for {@link Interleaved}: wrap and the hot getters. */
public final class InetDiagWork
{
    private final InetDiagDecoder decoder = new InetDiagDecoder();
    private final ByteBuffer buf;
    private final int length;

    public InetDiagWork(final String fixture)
    {
        buf = Fixtures.direct("diag/" + fixture);
        length = buf.capacity();
        if (!decoder.wrap(buf, 0, length) || decoder.sport() <= 0)
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
            sum += decoder.family() + decoder.state() + decoder.sport() + decoder.dport() + decoder.inode()
                + decoder.uid() + decoder.cookie() + decoder.tcpiRtt();
        }
        return sum;
    }
}
