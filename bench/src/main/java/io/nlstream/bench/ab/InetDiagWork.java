package io.nlstream.bench.ab;

import io.nlstream.netlink.diag.InetDiagDecoder;

/** {@code InetDiagDecodeBenchmark}'s operation. */
public final class InetDiagWork extends Work
{
    private final InetDiagDecoder decoder = new InetDiagDecoder();

    public InetDiagWork(final String fixture)
    {
        super("diag/" + fixture);
        if (!decoder.wrap(buf, 0, length) || decoder.sport() <= 0)
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
        return decoder.family() + decoder.state() + decoder.sport() + decoder.dport() + decoder.inode() + decoder.uid()
            + decoder.cookie() + decoder.tcpiRtt();
    }
}
