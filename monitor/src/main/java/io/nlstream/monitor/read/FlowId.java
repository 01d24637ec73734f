package io.nlstream.monitor.read;

import io.nlstream.sinks.CommunityId;

import java.nio.ByteBuffer;

/**
 * Community ID v1 (seed 0) of a flow whose addresses sit in a buffer, as ASCII bytes in a reused array.
 */
final class FlowId
{
    private static final int ICMP = 1;
    private static final int ICMPV6 = 58;

    private final CommunityId communityId = new CommunityId();
    private final byte[] out = new byte[CommunityId.LENGTH];

    /**
     * @return the id's length in {@link #bytes()}, or 0 when the flow cannot have one (a protocol that needs
     * ports without them, an address length other than 4 or 16, an ICMP type or code above 255)
     */
    int compute(final ByteBuffer buf, final int saddr, final int daddr, final int length, final int proto, final int sport, final int dport)
    {
        if ((sport < 0) != (dport < 0) || sport < 0 && CommunityId.hasPorts(proto) || proto < 0 || proto > 255
            || length != 4 && length != 16 || sport > 0xFFFF || dport > 0xFFFF
            // an ICMP tuple whose "ports" are not a type and code (a message that names ICMP but carries ports)
            || (proto == ICMP || proto == ICMPV6) && (sport > 0xFF || dport > 0xFF))
        {
            return 0;
        }
        return communityId.compute(buf, saddr, daddr, length, proto, sport, dport, out, 0);
    }

    byte[] bytes()
    {
        return out;
    }
}
