package io.nlstream.monitor.read;

import io.nlstream.config.FilterSpec;
import io.nlstream.netlink.conntrack.CtDecoder;
import io.nlstream.netlink.conntrack.CtTuple;
import io.nlstream.netlink.diag.InetDiagDecoder;
import io.nlstream.netlink.rtnl.AddrDecoder;
import io.nlstream.netlink.rtnl.RouteDecoder;
import io.nlstream.sinks.Name;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The filters of {@code --proto --port --ip --in-netns --ifname --op --pid --comm}, evaluated on the typed event
 * before anything is encoded. Values within one filter are OR'd, filters AND'd; a filter on a field keeps only
 * events that have the field ({@code --port 80} keeps conn and sock events).
 * <ul>
 * <li>{@code --proto}: conn (the original tuple's protocol), sock;</li>
 * <li>{@code --port}: either end of either tuple of a conn, either end of a sock;</li>
 * <li>{@code --ip}: any address of the event in one of the CIDRs (conn tuples, sock ends, an address and its
 *     peer and broadcast, a neighbour, a route's gateway and preferred source); a route also when its
 *     destination and the CIDR overlap (the routes that carry traffic to the address);</li>
 * <li>{@code --in-netns}: the event's namespace (inode, or a name of /run/netns);</li>
 * <li>{@code --ifname}: a link's name; an address's, neighbour's, route's (output device or a next hop's) and
 *     bound socket's interface by its name at that point of the journal;</li>
 * <li>{@code --op}, {@code --pid}, {@code --comm}: the event's op; the process that held the socket (sock) or the
 *     flow's local socket (conn).</li>
 * </ul>
 */
final class Filters implements EventFilter
{
    private final StatePolicy policy;
    private final int[] protos;
    private final FilterSpec.PortRange[] ports;
    private final FilterSpec.Cidr[] cidrs;
    private final CidrMatcher cidrMatcher;
    private final long[] netns;
    private final long[] names;
    private final Name[] ops;
    private final int[] pids;
    private final String[] comms;
    private final byte[] v4 = new byte[4];
    private final byte[] v6 = new byte[16];

    private Filters(final FilterSpec spec, final StatePolicy policy, final long[] netns)
    {
        this.policy = policy;
        this.protos = spec.protos().isEmpty() ? null : spec.protos().stream().mapToInt(Integer::intValue).toArray();
        this.ports = spec.portRanges().isEmpty() ? null : spec.portRanges().toArray(new FilterSpec.PortRange[0]);
        this.cidrs = spec.ips().isEmpty() ? null : spec.ips().toArray(new FilterSpec.Cidr[0]);
        this.cidrMatcher = new CidrMatcher(spec.ips());
        this.netns = netns;
        this.names = spec.ifnames().isEmpty() ? null : spec.ifnames().stream().mapToLong(StatePolicy::nameHash).toArray();
        this.ops = spec.ops().isEmpty() ? null : spec.ops().stream().map(Ops::of).toArray(Name[]::new);
        this.pids = spec.pids().isEmpty() ? null : spec.pids().stream().mapToInt(Integer::intValue).toArray();
        this.comms = spec.comms().isEmpty() ? null : spec.comms().toArray(new String[0]);
    }

    /**
     * @throws io.nlstream.config.UsageException naming a namespace name that is not in /run/netns
     */
    static EventFilter of(final FilterSpec spec, final StatePolicy policy)
    {
        if (spec == null || spec.isEmpty())
        {
            return ALL;
        }
        return new Filters(spec, policy, namespaces(spec.netns()));
    }

    /** Namespace inodes from numbers or /run/netns names. */
    static long[] namespaces(final List<String> values)
    {
        if (values.isEmpty())
        {
            return null;
        }
        final Set<Long> inodes = new HashSet<>();
        final List<String> missing = new ArrayList<>();
        for (final String v : values)
        {
            if (!v.isEmpty() && v.chars().allMatch(Character::isDigit))
            {
                inodes.add(Long.parseLong(v));
                continue;
            }
            final Path path = Path.of("/run/netns", v);
            try
            {
                inodes.add(((Number)Files.getAttribute(path, "unix:ino")).longValue());
            }
            catch (final NoSuchFileException e)
            {
                missing.add(v);
            }
            catch (final IOException | UnsupportedOperationException e)
            {
                throw new io.nlstream.config.UsageException(List.of("Invalid value " + v + " for configuration filter.in-netns: cannot read "
                    + path + ": " + e));
            }
        }
        if (!missing.isEmpty())
        {
            throw new io.nlstream.config.UsageException(List.of("Invalid value " + String.join(",", missing)
                + " for configuration filter.in-netns: no " + (missing.size() == 1 ? "such namespace" : "such namespaces")
                + " in /run/netns (a namespace's inode, as lsns, the JSON's \"netns\" or --format kv's netns= show it, works for"
                + " namespaces gone since)"));
        }
        return inodes.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public boolean test(final EventView e)
    {
        if (netns != null && !contains(netns, e.netns()))
        {
            return false;
        }
        if (ops != null && !opMatches(e.op()))
        {
            return false;
        }
        if (pids != null && (e.pid() == 0 || !contains(pids, e.pid())))
        {
            return false;
        }
        if (comms != null && (e.comm() == null || !commMatches(e.comm())))
        {
            return false;
        }
        final Kind kind = e.kind();
        if (protos != null && !protoMatches(e, kind))
        {
            return false;
        }
        if (ports != null && !portMatches(e, kind))
        {
            return false;
        }
        if (names != null && !nameMatches(e, kind))
        {
            return false;
        }
        return cidrs == null || ipMatches(e, kind);
    }

    /**
     * The filters a flow's every event answers the same: ctnetlink puts both tuples in every event of a flow
     * (new, update, destroy, dumped), and neither tuple changes once the flow is confirmed, so a flow failing
     * them never prints and its state is not needed (its synthesized end would fail them too). --op, --pid and
     * --comm are left to {@link #test}.
     */
    @Override
    public boolean flowCanPass(final EventView e)
    {
        return flowCanPass(e.netns(), e.conn().decoder());
    }

    @Override
    public boolean flowCanPass(final long netns, final CtDecoder flow)
    {
        return (this.netns == null || contains(this.netns, netns))
            && names == null
            && (protos == null || contains(protos, flow.orig().present() ? flow.orig().l4proto() : -1))
            && (ports == null || portMatches(flow))
            && (cidrs == null || ipMatches(flow));
    }

    @Override
    public boolean judgesFlows()
    {
        return netns != null || names != null || protos != null || ports != null || cidrs != null;
    }

    private boolean opMatches(final Name op)
    {
        for (final Name o : ops)
        {
            if (o == op)
            {
                return true;
            }
        }
        return false;
    }

    private boolean commMatches(final String comm)
    {
        for (final String c : comms)
        {
            if (c.equals(comm))
            {
                return true;
            }
        }
        return false;
    }

    private boolean protoMatches(final EventView e, final Kind kind)
    {
        if (kind == Kind.CONN)
        {
            return contains(protos, e.conn().proto());
        }
        return kind == Kind.SOCK && contains(protos, e.sock().proto());
    }

    private boolean portMatches(final EventView e, final Kind kind)
    {
        if (kind == Kind.CONN)
        {
            return portMatches(e.conn().decoder());
        }
        if (kind == Kind.SOCK)
        {
            return port(e.sock().decoder().sport()) || port(e.sock().decoder().dport());
        }
        return false;
    }

    /** Either end of either tuple of a flow. */
    private boolean portMatches(final CtDecoder flow)
    {
        final CtTuple o = flow.orig();
        final CtTuple r = flow.reply();
        return o.present() && (port(o.srcPort()) || port(o.dstPort())) || r.present() && (port(r.srcPort()) || port(r.dstPort()));
    }

    /** Any address of either tuple of a flow. */
    private boolean ipMatches(final CtDecoder flow)
    {
        final ByteBuffer b = flow.buffer();
        final CtTuple o = flow.orig();
        final CtTuple r = flow.reply();
        return o.present() && (ip(b, o.srcOffset(), o.srcLength()) || ip(b, o.dstOffset(), o.dstLength()))
            || r.present() && (ip(b, r.srcOffset(), r.srcLength()) || ip(b, r.dstOffset(), r.dstLength()));
    }

    private boolean port(final int port)
    {
        if (port < 0)
        {
            return false;
        }
        for (final FilterSpec.PortRange r : ports)
        {
            if (r.contains(port))
            {
                return true;
            }
        }
        return false;
    }

    private boolean nameMatches(final EventView e, final Kind kind)
    {
        final long netns = e.netns();
        switch (kind)
        {
            case LINK:
                return contains(names, StatePolicy.nameHash(e.link().ifname()));
            case ADDR:
                return interfaceNamed(netns, e.addr().ifindex());
            case NEIGH:
                return interfaceNamed(netns, e.neigh().ifindex());
            case SOCK:
                return interfaceNamed(netns, e.sock().decoder().ifindex());
            case ROUTE:
            {
                final RouteDecoder r = e.route().decoder();
                if (interfaceNamed(netns, r.oif()))
                {
                    return true;
                }
                for (int i = 0; i < r.nexthopCount(); i++)
                {
                    if (interfaceNamed(netns, r.nexthopIfindex(i)))
                    {
                        return true;
                    }
                }
                return false;
            }
            default:
                return false;
        }
    }

    private boolean interfaceNamed(final long netns, final int ifindex)
    {
        final long hash = policy.linkNameHash(netns, ifindex);
        return hash != 0 && contains(names, hash);
    }

    private boolean ipMatches(final EventView e, final Kind kind)
    {
        switch (kind)
        {
            case CONN:
                return ipMatches(e.conn().decoder());
            case SOCK:
            {
                final InetDiagDecoder d = e.sock().decoder();
                final ByteBuffer b = e.sock().buffer();
                return ip(b, d.srcOffset(), d.addressLength()) || ip(b, d.dstOffset(), d.addressLength());
            }
            case ADDR:
            {
                final AddrDecoder a = e.addr().decoder();
                final ByteBuffer b = a.buffer();
                return ip(b, a.addressOffset(), a.addressLength()) || ip(b, a.localOffset(), a.localLength())
                    || ip(b, a.broadcastOffset(), a.broadcastLength());
            }
            case NEIGH:
                return ip(e.neigh().decoder().buffer(), e.neigh().decoder().dstOffset(), e.neigh().decoder().dstLength());
            case ROUTE:
            {
                final RouteDecoder r = e.route().decoder();
                final ByteBuffer b = r.buffer();
                return ip(b, r.gatewayOffset(), r.gatewayLength()) || ip(b, r.prefsrcOffset(), r.prefsrcLength()) || routeCarries(r);
            }
            default:
                return false;
        }
    }

    /** Whether the route's destination and one of the CIDRs overlap (a default route overlaps everything). */
    private boolean routeCarries(final RouteDecoder r)
    {
        final int length = r.family() == io.nlstream.netlink.rtnl.Rtnetlink.AF_INET ? 4 : 16;
        final byte[] dst = length == 4 ? v4 : v6;
        java.util.Arrays.fill(dst, (byte)0);
        if (r.dstOffset() >= 0)
        {
            if (r.dstLength() != length)
            {
                return false;
            }
            r.buffer().get(r.dstOffset(), dst, 0, length);
        }
        final int dstLen = r.dstLen();
        for (final FilterSpec.Cidr c : cidrs)
        {
            final byte[] net = c.address();
            if (net.length != length)
            {
                continue;
            }
            // the shorter prefix contains the other's network: compare the first min(prefix) bits
            final int bits = Math.min(dstLen, c.prefixLength());
            if (samePrefix(dst, net, bits))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean samePrefix(final byte[] a, final byte[] b, final int bits)
    {
        int i = 0;
        for (; i < bits / 8; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }
        final int rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }
        final int mask = 0xFF << (8 - rest) & 0xFF;
        return (a[i] & mask) == (b[i] & mask);
    }

    private boolean ip(final ByteBuffer buf, final int offset, final int length)
    {
        return cidrMatcher.matches(buf, offset, length);
    }

    private static boolean contains(final long[] values, final long v)
    {
        for (final long x : values)
        {
            if (x == v)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(final int[] values, final int v)
    {
        for (final int x : values)
        {
            if (x == v)
            {
                return true;
            }
        }
        return false;
    }
}
