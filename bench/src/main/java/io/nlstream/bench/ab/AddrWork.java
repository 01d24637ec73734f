package io.nlstream.bench.ab;

import io.nlstream.netlink.rtnl.AddrDecoder;

/** {@code AddrDecodeBenchmark}'s operation. */
public final class AddrWork extends Work
{
    private final AddrDecoder decoder = new AddrDecoder();

    public AddrWork(final String fixture)
    {
        super(fixture);
        if (!decoder.wrap(buf, 0, length) || decoder.ifindex() <= 0)
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
        return decoder.ifindex() + decoder.family() + decoder.prefixlen() + decoder.flags() + decoder.scope() + decoder.validLft();
    }
}
