package io.nlstream.monitor.read;

import io.nlstream.netlink.rtnl.LinkDecoder;
import io.nlstream.netlink.rtnl.LinkFlags;
import io.nlstream.netlink.rtnl.OperState;
import io.nlstream.sinks.FieldWriter;
import io.nlstream.sinks.Name;

import java.nio.ByteBuffer;

/**
 * A link event or object: RTM_NEWLINK / RTM_DELLINK of family AF_UNSPEC (bridge port notifications, family
 * AF_BRIDGE, are not links). Identity: the ifindex.
 */
public final class LinkEvent extends EventBody
{
    static final int IFF_UP = 1;

    private static final Name IFINDEX = Name.of("ifindex");
    private static final Name IFNAME = Name.of("ifname");
    private static final Name FLAGS = Name.of("flags");
    private static final Name MTU = Name.of("mtu");
    private static final Name MIN_MTU = Name.of("min_mtu");
    private static final Name MAX_MTU = Name.of("max_mtu");
    private static final Name OPERSTATE = Name.of("operstate");
    private static final Name LINK_TYPE = Name.of("link_type");
    private static final Name ADDRESS = Name.of("address");
    private static final Name BROADCAST = Name.of("broadcast");
    private static final Name LINK_KIND = Name.of("link_kind");
    private static final Name MASTER = Name.of("master");
    private static final Name SLAVE_KIND = Name.of("slave_kind");
    private static final Name LINK = Name.of("link");
    private static final Name MASTER_DEV = Name.of("master_dev");
    private static final Name LINK_DEV = Name.of("link_dev");
    private static final Name LINK_NETNSID = Name.of("link_netnsid");
    private static final Name NEW_NETNSID = Name.of("new_netnsid");
    private static final Name NEW_IFINDEX = Name.of("new_ifindex");
    private static final Name TXQLEN = Name.of("txqlen");
    private static final Name QDISC = Name.of("qdisc");
    private static final Name GROUP = Name.of("group");
    private static final Name IFALIAS = Name.of("ifalias");
    private static final Name PERM_ADDRESS = Name.of("perm_address");
    private static final Names OPERSTATES = new Names(8, OperState::name);

    final LinkDecoder decoder = new LinkDecoder();
    /** A veth's peer the state knows from the other end, when this record does not name it (0: none). */
    private int peer;

    boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        peer = 0;
        return decoder.wrap(buf, offset, length);
    }

    /** A veth registered before its peer names no peer; the peer's messages name it. */
    boolean vethWithoutPeer()
    {
        return decoder.link() == 0 && !decoder.hasLinkNetnsid() && "veth".equals(decoder.linkKind());
    }

    void peer(final int ifindex)
    {
        this.peer = ifindex;
    }

    @Override
    Kind kind()
    {
        return Kind.LINK;
    }

    public LinkDecoder decoder()
    {
        return decoder;
    }

    public int ifindex()
    {
        return decoder.ifindex();
    }

    public String ifname()
    {
        return decoder.hasIfname() ? decoder.ifname() : null;
    }

    public boolean isUp()
    {
        return (decoder.flags() & IFF_UP) != 0;
    }

    /** The lower or peer device in the same namespace (IFLA_LINK without IFLA_LINK_NETNSID), else 0. */
    public int lowerInSameNetns()
    {
        return decoder.link() != 0 && !decoder.hasLinkNetnsid() ? decoder.link() : 0;
    }

    @Override
    boolean identity(final IdentityHash h)
    {
        h.add(decoder.ifindex());
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
        final LinkDecoder l = decoder;
        w.field(IFINDEX, l.ifindex());
        if (l.hasIfname())
        {
            w.field(IFNAME, l.ifname());
        }
        w.beginList(FLAGS);
        for (final String flag : LinkFlags.names(l.flags(), event.masterDown()))
        {
            w.element(flag);
        }
        w.endList();
        if (l.hasMtu())
        {
            w.field(MTU, l.mtu());
        }
        if (l.minMtu() >= 0)
        {
            w.field(MIN_MTU, l.minMtu());
        }
        if (l.maxMtu() >= 0)
        {
            w.field(MAX_MTU, l.maxMtu());
        }
        if (l.operstate() >= 0)
        {
            w.field(OPERSTATE, OPERSTATES.of(l.operstate()));
        }
        w.field(LINK_TYPE, LinkTypes.name(l.deviceType()));
        if (l.hasAddress())
        {
            w.field(ADDRESS, l.address());
        }
        if (l.hasBroadcast())
        {
            w.field(BROADCAST, l.broadcast());
        }
        stringIfPresent(w, LINK_KIND, l.linkKind());
        if (l.master() != 0)
        {
            w.field(MASTER, l.master());
            stringIfPresent(w, MASTER_DEV, event.dev(l.master()));
        }
        stringIfPresent(w, SLAVE_KIND, l.slaveKind());
        final int link = l.link() != 0 ? l.link() : peer;
        if (link != 0)
        {
            w.field(LINK, link);
            if (!l.hasLinkNetnsid())
            {
                // the peer (or lower device) is in this namespace: its name, as ip prints a0@a1
                stringIfPresent(w, LINK_DEV, event.dev(link));
            }
        }
        if (l.hasLinkNetnsid())
        {
            w.field(LINK_NETNSID, l.linkNetnsid());
        }
        if (l.hasNewNetnsid())
        {
            // a RTM_DELLINK of a device moved to another namespace: its id there, and its index there
            w.field(NEW_NETNSID, l.newNetnsid());
        }
        if (l.newIfindex() != 0)
        {
            w.field(NEW_IFINDEX, l.newIfindex());
        }
        if (l.txqlen() >= 0)
        {
            w.field(TXQLEN, l.txqlen());
        }
        stringIfPresent(w, QDISC, l.qdisc());
        if (l.group() >= 0)
        {
            w.field(GROUP, l.group());
        }
        stringIfPresent(w, IFALIAS, l.ifalias());
        if (l.hasPermAddress())
        {
            w.field(PERM_ADDRESS, l.permAddress());
        }
    }

    static void stringIfPresent(final FieldWriter w, final Name name, final String value)
    {
        if (value != null)
        {
            w.field(name, value);
        }
    }

    @Override
    void kafkaKey(final long netns, final Ascii key)
    {
        key.append(netns).append(':').append(decoder.ifindex());
    }
}
