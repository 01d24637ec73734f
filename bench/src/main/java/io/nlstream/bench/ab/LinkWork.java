package io.nlstream.bench.ab;

import io.nlstream.netlink.rtnl.LinkDecoder;

/** {@code LinkDecodeBenchmark}'s operation. */
public final class LinkWork extends Work
{
    private final LinkDecoder decoder = new LinkDecoder();

    public LinkWork(final String fixture)
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
        return decoder.ifindex() + decoder.flags() + decoder.mtu() + decoder.operstate() + decoder.master();
    }
}
