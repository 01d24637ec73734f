package io.nlstream.monitor.read;

import io.nlstream.sinks.CommunityId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Community ID v1 (seed 0) of a flow whose addresses sit in a buffer, as ASCII bytes in a reused array.
 */
final class FlowId
{
    private final CommunityId communityId = new CommunityId();
    private final byte[] out = new byte[64];

    /**
     * @return the id's length in {@link #bytes()}, or 0 when the flow cannot have one (a protocol that needs
     * ports without them, unequal address lengths)
     */
    int compute(final ByteBuffer buf, final int saddr, final int daddr, final int length, final int proto, final int sport, final int dport)
    {
        if ((sport < 0) != (dport < 0) || sport < 0 && CommunityId.hasPorts(proto) || proto < 0 || proto > 255)
        {
            return 0;
        }
        final byte[] s = new byte[length];
        final byte[] d = new byte[length];
        for (int i = 0; i < length; i++)
        {
            s[i] = buf.get(saddr + i);
            d[i] = buf.get(daddr + i);
        }
        final byte[] id = communityId.compute(s, d, proto, sport, dport).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, out, 0, id.length);
        return id.length;
    }

    byte[] bytes()
    {
        return out;
    }
}
