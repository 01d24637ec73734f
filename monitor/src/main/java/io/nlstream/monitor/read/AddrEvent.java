package io.nlstream.monitor.read;

import io.nlstream.netlink.rtnl.AddrDecoder;
import io.nlstream.netlink.rtnl.AddrFlags;
import io.nlstream.netlink.rtnl.AddrScope;
import io.nlstream.sinks.FieldWriter;
import io.nlstream.sinks.Name;

import java.nio.ByteBuffer;

/**
 * An address event or object (RTM_NEWADDR / RTM_DELADDR). Identity: ifindex, family, address, prefix length.
 */
public final class AddrEvent extends EventBody
{
    private static final Name IFINDEX = Name.of("ifindex");
    private static final Name DEV = Name.of("dev");
    private static final Name FAMILY = Name.of("family");
    private static final Name ADDRESS = Name.of("address");
    private static final Name PREFIXLEN = Name.of("prefixlen");
    private static final Name SCOPE = Name.of("scope");
    private static final Name PEER = Name.of("peer");
    private static final Name BROADCAST = Name.of("broadcast");
    private static final Name LABEL = Name.of("label");
    private static final Name ADDR_FLAGS = Name.of("addr_flags");
    private static final Name VALID_LFT = Name.of("valid_lft");
    private static final Name PREFERRED_LFT = Name.of("preferred_lft");
    static final Names SCOPES = new Names(256, AddrScope::name);

    final AddrDecoder decoder = new AddrDecoder();

    boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        return decoder.wrap(buf, offset, length);
    }

    @Override
    Kind kind()
    {
        return Kind.ADDR;
    }

    public AddrDecoder decoder()
    {
        return decoder;
    }

    public int ifindex()
    {
        return decoder.ifindex();
    }

    /** The address as iproute2 shows it. */
    public String address()
    {
        return decoder.primaryAddress();
    }

    @Override
    boolean identity(final IdentityHash h)
    {
        h.add(decoder.ifindex()).add(decoder.family()).add(decoder.primaryAddress()).add(decoder.prefixlen());
        return true;
    }

    @Override
    int family()
    {
        return decoder.family();
    }

    @Override
    void writeFields(final FieldWriter w, final EventView event)
    {
        final AddrDecoder a = decoder;
        w.field(IFINDEX, a.ifindex());
        LinkEvent.stringIfPresent(w, DEV, event.dev(a.ifindex()));
        w.field(FAMILY, Families.name(a.family()));
        final String primary = a.primaryAddress();
        if (primary != null)
        {
            w.field(ADDRESS, primary);
        }
        w.field(PREFIXLEN, a.prefixlen());
        w.field(SCOPE, SCOPES.of(a.scope()));
        if (a.hasLocal() && a.hasAddress())
        {
            final String peer = a.address();
            if (!a.local().equals(peer))
            {
                w.field(PEER, peer);
            }
        }
        if (a.hasBroadcast())
        {
            w.field(BROADCAST, a.broadcast());
        }
        LinkEvent.stringIfPresent(w, LABEL, a.label());
        w.beginList(ADDR_FLAGS);
        for (final String flag : AddrFlags.names(a.flags()))
        {
            w.element(flag);
        }
        w.endList();
        if (a.hasCacheInfo())
        {
            w.lifetime(VALID_LFT, a.validLft());
            w.lifetime(PREFERRED_LFT, a.preferredLft());
        }
    }

    @Override
    void kafkaKey(final long netns, final Ascii key)
    {
        key.append(netns).append(':').append(decoder.ifindex());
    }
}
