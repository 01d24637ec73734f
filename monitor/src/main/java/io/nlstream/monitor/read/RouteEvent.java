package io.nlstream.monitor.read;

import io.nlstream.netlink.rtnl.RouteDecoder;
import io.nlstream.netlink.rtnl.RouteNames;
import io.nlstream.netlink.rtnl.Rtnetlink;
import io.nlstream.sinks.FieldWriter;
import io.nlstream.sinks.Name;

import java.nio.ByteBuffer;

/**
 * A route event or object (RTM_NEWROUTE / RTM_DELROUTE of AF_INET and AF_INET6; multicast routing tables
 * and other families are journalled, not events). Identity: family, table, destination, tos, metric and the
 * output device (routes of one prefix on several devices are several routes, as {@code ip route} lists them).
 */
public final class RouteEvent extends EventBody
{
    private static final Name FAMILY = Name.of("family");
    private static final Name DST = Name.of("dst");
    private static final Name NH_ID = Name.of("nh_id");
    private static final Name GATEWAY = Name.of("gateway");
    private static final Name OIF = Name.of("oif");
    private static final Name DEV = Name.of("dev");
    private static final Name TABLE = Name.of("table");
    private static final Name PROTOCOL = Name.of("protocol");
    private static final Name SCOPE = Name.of("scope");
    private static final Name TYPE = Name.of("type");
    private static final Name METRIC = Name.of("metric");
    private static final Name PREFSRC = Name.of("prefsrc");
    private static final Name TOS = Name.of("tos");
    private static final Name PREF = Name.of("pref");
    private static final Name NEXTHOPS = Name.of("nexthops");
    private static final Name WEIGHT = Name.of("weight");
    private static final Names PROTOCOLS = new Names(256, RouteNames::protocol);
    private static final Names TYPES = new Names(16, RouteNames::type);
    private static final Names TABLES = new Names(256, RouteNames::table);
    private static final Names PREFS = new Names(4, RouteNames::pref);

    final RouteDecoder decoder = new RouteDecoder();

    boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        return decoder.wrap(buf, offset, length);
    }

    /** Whether the message is an IPv4 or IPv6 route (the only families that make events). */
    boolean isInet()
    {
        return decoder.family() == Rtnetlink.AF_INET || decoder.family() == Rtnetlink.AF_INET6;
    }

    @Override
    Kind kind()
    {
        return Kind.ROUTE;
    }

    public RouteDecoder decoder()
    {
        return decoder;
    }

    @Override
    boolean identity(final IdentityHash h)
    {
        // as the kernel tells routes apart: a prefix on two devices (IPv6's fe80::/64 on each link) is two routes
        h.add(decoder.family()).add(decoder.table()).add(decoder.dstCidr()).add(decoder.tos()).add(decoder.priority()).add(decoder.oif());
        return true;
    }

    @Override
    int family()
    {
        return decoder.family();
    }

    /** The table's name as {@code ip route} prints it (main, local, a number). */
    public Name table()
    {
        final long table = decoder.table();
        return table >= 0 && table < 256 ? TABLES.of((int)table) : Name.of(RouteNames.table(table));
    }

    @Override
    void writeFields(final FieldWriter w, final EventView event)
    {
        final RouteDecoder r = decoder;
        w.field(FAMILY, Families.name(r.family()));
        LinkEvent.stringIfPresent(w, DST, r.dstCidr());
        if (r.nhId() >= 0)
        {
            w.field(NH_ID, r.nhId());
        }
        if (r.hasGateway())
        {
            w.field(GATEWAY, r.gateway());
        }
        else if (r.hasVia())
        {
            LinkEvent.stringIfPresent(w, GATEWAY, r.via());
        }
        if (r.oif() != 0)
        {
            w.field(OIF, r.oif());
            LinkEvent.stringIfPresent(w, DEV, event.dev(r.oif()));
        }
        w.field(TABLE, table());
        w.field(PROTOCOL, PROTOCOLS.of(r.protocol()));
        w.field(SCOPE, AddrEvent.SCOPES.of(r.scope()));
        w.field(TYPE, TYPES.of(r.type()));
        if (r.priority() >= 0)
        {
            w.field(METRIC, r.priority());
        }
        if (r.hasPrefsrc())
        {
            w.field(PREFSRC, r.prefsrc());
        }
        if (r.tos() != 0)
        {
            w.field(TOS, r.tos());
        }
        if (r.pref() >= 0)
        {
            w.field(PREF, PREFS.of(r.pref()));
        }
        if (r.nexthopCount() > 0)
        {
            w.beginList(NEXTHOPS);
            for (int i = 0; i < r.nexthopCount(); i++)
            {
                w.beginListObject();
                final String gateway = r.nexthopGateway(i);
                if (gateway != null)
                {
                    w.field(GATEWAY, gateway);
                }
                else
                {
                    w.absent(GATEWAY);
                }
                w.field(OIF, r.nexthopIfindex(i));
                LinkEvent.stringIfPresent(w, DEV, event.dev(r.nexthopIfindex(i)));
                w.field(WEIGHT, r.nexthopWeight(i));
                w.endListObject();
            }
            w.endList();
        }
    }

    @Override
    void kafkaKey(final long netns, final Ascii key)
    {
        key.append(netns).append(':').append(table()).append(':').append(String.valueOf(decoder.dstCidr()));
    }
}
