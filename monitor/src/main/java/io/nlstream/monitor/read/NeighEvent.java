package io.nlstream.monitor.read;

import io.nlstream.netlink.rtnl.NeighDecoder;
import io.nlstream.netlink.rtnl.NeighStates;
import io.nlstream.netlink.rtnl.Rtnetlink;
import io.nlstream.sinks.FieldWriter;
import io.nlstream.sinks.Name;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A neighbour event or object (RTM_NEWNEIGH / RTM_DELNEIGH of AF_INET and AF_INET6; bridge FDB entries share
 * the group and are journalled, not events). Identity: ifindex and address.
 */
public final class NeighEvent extends EventBody
{
    private static final Name IFINDEX = Name.of("ifindex");
    private static final Name DEV = Name.of("dev");
    private static final Name FAMILY = Name.of("family");
    private static final Name ADDRESS = Name.of("address");
    private static final Name LLADDR = Name.of("lladdr");
    private static final Name STATE = Name.of("state");
    private static final Name NEIGH_FLAGS = Name.of("neigh_flags");

    final NeighDecoder decoder = new NeighDecoder();

    boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        return decoder.wrap(buf, offset, length);
    }

    boolean isInet()
    {
        return decoder.family() == Rtnetlink.AF_INET || decoder.family() == Rtnetlink.AF_INET6;
    }

    @Override
    Kind kind()
    {
        return Kind.NEIGH;
    }

    public NeighDecoder decoder()
    {
        return decoder;
    }

    public int ifindex()
    {
        return decoder.ifindex();
    }

    @Override
    boolean identity(final IdentityHash h)
    {
        h.add(decoder.ifindex()).add(decoder.hasDst() ? decoder.dst() : null);
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
        final NeighDecoder n = decoder;
        w.field(IFINDEX, n.ifindex());
        LinkEvent.stringIfPresent(w, DEV, event.dev(n.ifindex()));
        w.field(FAMILY, Families.name(n.family()));
        if (n.hasDst())
        {
            w.field(ADDRESS, n.dst());
        }
        if (n.hasLladdr())
        {
            w.field(LLADDR, n.lladdr());
        }
        w.field(STATE, NeighStates.name(n.state()));
        final List<String> flags = NeighStates.flagNames(n.flags(), n.flagsExt());
        if (!flags.isEmpty())
        {
            w.beginList(NEIGH_FLAGS);
            for (final String f : flags)
            {
                w.element(f);
            }
            w.endList();
        }
    }

    @Override
    void kafkaKey(final long netns, final Ascii key)
    {
        key.append(netns).append(':').append(decoder.ifindex());
    }
}
