package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.NetlinkFraming;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.nlstream.netlink.rtnl.IfAddr.*;
import static io.nlstream.netlink.rtnl.IfLink.*;

/**
 * Deliberately slow, obviously-correct decoders for the property test: every byte is copied out of a
 * byte[] into lists and maps, every rule is written once, in the order the rules apply, with no
 * offsets kept and no buffers shared. The result is the value every getter of the fast decoder must
 * return, keyed by getter name, including {@code error} and {@code errorOffset}.
 */
final class ReferenceDecoders
{
    private static final String STRING = "string";
    private static final String BINARY = "binary";
    private static final String U8 = "u8";
    private static final String U32 = "u32";
    private static final String NESTED = "nested";
    private static final String ADDRESS = "address";
    private static final String CACHEINFO = "cacheinfo";

    private static final Map<Integer, String> LINK_TYPES = Map.ofEntries(
        Map.entry(IFLA_IFNAME, STRING), Map.entry(IFLA_QDISC, STRING), Map.entry(IFLA_IFALIAS, STRING),
        Map.entry(IFLA_ADDRESS, BINARY), Map.entry(IFLA_BROADCAST, BINARY), Map.entry(IFLA_PERM_ADDRESS, BINARY),
        Map.entry(IFLA_MTU, U32), Map.entry(IFLA_MIN_MTU, U32), Map.entry(IFLA_MAX_MTU, U32),
        Map.entry(IFLA_LINK, U32), Map.entry(IFLA_MASTER, U32), Map.entry(IFLA_TXQLEN, U32),
        Map.entry(IFLA_GROUP, U32), Map.entry(IFLA_LINK_NETNSID, U32), Map.entry(IFLA_NEW_NETNSID, U32),
        Map.entry(IFLA_NEW_IFINDEX, U32),
        Map.entry(IFLA_OPERSTATE, U8), Map.entry(IFLA_LINKMODE, U8), Map.entry(IFLA_CARRIER, U8),
        Map.entry(IFLA_LINKINFO, NESTED));
    private static final Map<Integer, String> LINKINFO_TYPES = Map.of(
        IFLA_INFO_KIND, STRING, IFLA_INFO_SLAVE_KIND, STRING, IFLA_INFO_DATA, NESTED, IFLA_INFO_SLAVE_DATA, NESTED);
    private static final Map<Integer, String> ADDR_TYPES = Map.ofEntries(
        Map.entry(IFA_ADDRESS, ADDRESS), Map.entry(IFA_LOCAL, ADDRESS), Map.entry(IFA_BROADCAST, ADDRESS),
        Map.entry(IFA_ANYCAST, ADDRESS), Map.entry(IFA_MULTICAST, ADDRESS), Map.entry(IFA_LABEL, STRING),
        Map.entry(IFA_CACHEINFO, CACHEINFO), Map.entry(IFA_FLAGS, U32), Map.entry(IFA_RT_PRIORITY, U32),
        Map.entry(IFA_TARGET_NETNSID, U32), Map.entry(IFA_PROTO, U8));

    private ReferenceDecoders()
    {
    }

    static final String[] LINK_GETTERS = {
        "error", "errorOffset", "messageType", "isDelete", "family", "deviceType", "ifindex", "flags",
        "change", "hasIfname", "ifname", "hasMtu", "mtu", "minMtu", "maxMtu", "operstate",
        "carrier", "hasAddress", "address", "hasBroadcast", "broadcast", "hasPermAddress", "permAddress",
        "master", "link", "hasLinkNetnsid", "linkNetnsid", "hasNewNetnsid", "newNetnsid",
        "newIfindex", "txqlen", "group", "qdisc", "ifalias", "linkKind", "slaveKind",
    };
    static final String[] ADDR_GETTERS = {
        "error", "errorOffset", "messageType", "isDelete", "family", "prefixlen", "flags", "scope",
        "ifindex", "hasAddress", "address", "hasLocal", "local", "primaryAddress", "hasBroadcast",
        "broadcast", "label", "hasCacheInfo", "validLft", "preferredLft", "proto",
    };

    /**
     * Getter name to value, array-backed in the order of the getter list: a LinkedHashMap per decode
     * was most of the property test's time. {@link #put} checks the order, so a reordered line fails
     * loudly instead of comparing the wrong getters.
     */
    static final class Values
    {
        final String[] names;
        final Object[] values;
        private int n;

        Values(final String[] names)
        {
            this.names = names;
            this.values = new Object[names.length];
        }

        Values(final Values absent, final String error, final int errorOffset)
        {
            this.names = absent.names;
            this.values = absent.values.clone();
            this.n = names.length;
            values[0] = error;
            values[1] = errorOffset;
        }

        Values put(final String name, final Object value)
        {
            if (!names[n].equals(name))
            {
                throw new IllegalStateException(name + " where " + names[n] + " belongs");
            }
            values[n++] = value;
            return this;
        }

        Object get(final String name)
        {
            return values[Arrays.asList(names).indexOf(name)];
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Values && ((Values)o).names == names && Arrays.equals(((Values)o).values, values);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString()
        {
            final StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < names.length; i++)
            {
                sb.append(i == 0 ? "" : ", ").append(names[i]).append('=').append(values[i]);
            }
            return sb.append('}').toString();
        }
    }

    /** One attribute, copied out. */
    record Attr(int offset, int type, byte[] payload)
    {
    }

    /** The attributes of a run up to the first broken one, and why the run stopped early (or null). */
    record Run(List<Attr> attrs, String error, int errorOffset)
    {
    }

    static long u32(final byte[] b, final int at)
    {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    static int u16(final byte[] b, final int at)
    {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static Run parse(final byte[] b, final int start, final int end)
    {
        final List<Attr> attrs = new ArrayList<>();
        int pos = start;
        while (pos < end)
        {
            if (end - pos < 4)
            {
                return new Run(attrs, AttributeIterator.ERR_TRAILING_BYTES, pos);
            }
            final int len = u16(b, pos);
            if (len < 4)
            {
                return new Run(attrs, AttributeIterator.ERR_SHORT_ATTRIBUTE, pos);
            }
            if (len > end - pos)
            {
                return new Run(attrs, AttributeIterator.ERR_LENGTH_PAST_END, pos);
            }
            final byte[] payload = new byte[len - 4];
            System.arraycopy(b, pos + 4, payload, 0, payload.length);
            attrs.add(new Attr(pos, u16(b, pos + 2) & 0x3FFF, payload));
            pos += (len + 3) / 4 * 4;
        }
        return new Run(attrs, null, -1);
    }

    /** The error for a payload of the given kind, or null. ADDRESS and CACHEINFO are checked by the caller. */
    static String check(final String kind, final byte[] p)
    {
        switch (kind)
        {
            case STRING:
                return p.length >= 1 && p[p.length - 1] == 0 ? null : AttributeIterator.ERR_NOT_NUL_STRING;
            case U8:
                return p.length == 1 ? null : AttributeIterator.ERR_NOT_U8;
            case U32:
                return p.length == 4 ? null : AttributeIterator.ERR_NOT_U32;
            case NESTED:
                return p.length == 0 || p.length >= 4 ? null : AttributeIterator.ERR_NOT_NESTED;
            default:
                return null;
        }
    }

    static String string(final byte[] p)
    {
        int n = 0;
        while (n < p.length && p[n] != 0)
        {
            n++;
        }
        return new String(p, 0, n, StandardCharsets.UTF_8);
    }

    static String hex(final byte[] p)
    {
        final List<String> parts = new ArrayList<>();
        for (final byte x : p)
        {
            final String h = Integer.toHexString(x & 0xFF);
            parts.add(h.length() == 1 ? "0" + h : h);
        }
        return String.join(":", parts);
    }

    static String ipv4(final byte[] p)
    {
        return (p[0] & 0xFF) + "." + (p[1] & 0xFF) + "." + (p[2] & 0xFF) + "." + (p[3] & 0xFF);
    }

    /**
     * glibc inet_ntop, restated: the first longest run of two or more zero groups is "::"; six leading
     * zero groups, or five and then ffff, put the last four bytes in dotted form.
     */
    static String ipv6(final byte[] p)
    {
        final int[] w = new int[8];
        for (int i = 0; i < 8; i++)
        {
            w[i] = (p[2 * i] & 0xFF) << 8 | (p[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int s = 0; s < 8; s++)
        {
            int len = 0;
            while (s + len < 8 && w[s + len] == 0)
            {
                len++;
            }
            if (len > bestLen)
            {
                bestStart = s;
                bestLen = len;
            }
        }
        if (bestLen < 2)
        {
            bestStart = -1;
        }
        final byte[] last4 = {p[12], p[13], p[14], p[15]};
        if (bestStart == 0 && bestLen == 6)
        {
            return "::" + ipv4(last4);
        }
        if (bestStart == 0 && bestLen == 5 && w[5] == 0xFFFF)
        {
            return "::ffff:" + ipv4(last4);
        }
        final List<String> left = new ArrayList<>();
        final List<String> right = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            if (bestStart == -1 || i < bestStart)
            {
                left.add(Integer.toHexString(w[i]));
            }
            else if (i >= bestStart + bestLen)
            {
                right.add(Integer.toHexString(w[i]));
            }
        }
        return bestStart == -1 ? String.join(":", left) : String.join(":", left) + "::" + String.join(":", right);
    }

    // ---------------------------------------------------------------------------------------------- link

    static Values link(final byte[] b, final int off, final int length)
    {
        final int avail = Math.min(length, b.length - off);
        if (avail < 16)
        {
            return linkFailure(NetlinkFraming.SHORT_HEADER, off);
        }
        final long nlmsgLen = u32(b, off);
        if (nlmsgLen < 16)
        {
            return linkFailure(NetlinkFraming.LENGTH_TOO_SMALL, off);
        }
        if (nlmsgLen > avail)
        {
            return linkFailure(NetlinkFraming.LENGTH_PAST_END, off);
        }
        final int type = u16(b, off + 4);
        if (type != Rtnetlink.RTM_NEWLINK && type != Rtnetlink.RTM_DELLINK)
        {
            return linkFailure(LinkDecoder.ERR_NOT_LINK, off);
        }
        if (nlmsgLen < 32)
        {
            return linkFailure(LinkDecoder.ERR_SHORT_IFINFOMSG, off + 16);
        }

        final Run run = parse(b, off + 32, off + (int)nlmsgLen);
        final Map<Integer, byte[]> tb = new HashMap<>();
        Map<Integer, byte[]> info = new HashMap<>();
        for (final Attr a : run.attrs())
        {
            final String kind = LINK_TYPES.get(a.type());
            if (kind == null)
            {
                continue;
            }
            final String bad = check(kind, a.payload());
            if (bad != null)
            {
                return linkFailure(bad, a.offset());
            }
            tb.put(a.type(), a.payload());
            if (a.type() == IFLA_LINKINFO)
            {
                info = new HashMap<>();
                final Run inner = parse(a.payload(), 0, a.payload().length);
                for (final Attr i : inner.attrs())
                {
                    final String innerKind = LINKINFO_TYPES.get(i.type());
                    final String innerBad = innerKind == null ? null : check(innerKind, i.payload());
                    if (innerBad != null)
                    {
                        return linkFailure(innerBad, a.offset() + 4 + i.offset());
                    }
                    info.put(i.type(), i.payload());
                }
                if (inner.error() != null)
                {
                    return linkFailure(inner.error(), a.offset() + 4 + inner.errorOffset());
                }
            }
        }
        if (run.error() != null)
        {
            return linkFailure(run.error(), run.errorOffset());
        }

        final Values v = new Values(LINK_GETTERS);
        v.put("error", null);
        v.put("errorOffset", -1);
        v.put("messageType", type);
        v.put("isDelete", type == Rtnetlink.RTM_DELLINK);
        v.put("family", b[off + 16] & 0xFF);
        v.put("deviceType", u16(b, off + 18));
        v.put("ifindex", (int)u32(b, off + 20));
        v.put("flags", (int)u32(b, off + 24));
        v.put("change", (int)u32(b, off + 28));
        v.put("hasIfname", tb.containsKey(IFLA_IFNAME));
        v.put("ifname", tb.containsKey(IFLA_IFNAME) ? string(tb.get(IFLA_IFNAME)) : null);
        v.put("hasMtu", tb.containsKey(IFLA_MTU));
        v.put("mtu", tb.containsKey(IFLA_MTU) ? (int)u32(tb.get(IFLA_MTU), 0) : -1);
        v.put("minMtu", tb.containsKey(IFLA_MIN_MTU) ? (int)u32(tb.get(IFLA_MIN_MTU), 0) : -1);
        v.put("maxMtu", tb.containsKey(IFLA_MAX_MTU) ? (int)u32(tb.get(IFLA_MAX_MTU), 0) : -1);
        v.put("operstate", tb.containsKey(IFLA_OPERSTATE) ? tb.get(IFLA_OPERSTATE)[0] & 0xFF : -1);
        v.put("carrier", tb.containsKey(IFLA_CARRIER) ? tb.get(IFLA_CARRIER)[0] & 0xFF : -1);
        v.put("hasAddress", tb.containsKey(IFLA_ADDRESS));
        v.put("address", tb.containsKey(IFLA_ADDRESS) ? hex(tb.get(IFLA_ADDRESS)) : null);
        v.put("hasBroadcast", tb.containsKey(IFLA_BROADCAST));
        v.put("broadcast", tb.containsKey(IFLA_BROADCAST) ? hex(tb.get(IFLA_BROADCAST)) : null);
        v.put("hasPermAddress", tb.containsKey(IFLA_PERM_ADDRESS));
        v.put("permAddress", tb.containsKey(IFLA_PERM_ADDRESS) ? hex(tb.get(IFLA_PERM_ADDRESS)) : null);
        v.put("master", tb.containsKey(IFLA_MASTER) ? (int)u32(tb.get(IFLA_MASTER), 0) : 0);
        v.put("link", tb.containsKey(IFLA_LINK) ? (int)u32(tb.get(IFLA_LINK), 0) : 0);
        v.put("hasLinkNetnsid", tb.containsKey(IFLA_LINK_NETNSID));
        v.put("linkNetnsid", tb.containsKey(IFLA_LINK_NETNSID) ? (int)u32(tb.get(IFLA_LINK_NETNSID), 0) : -1);
        v.put("hasNewNetnsid", tb.containsKey(IFLA_NEW_NETNSID));
        v.put("newNetnsid", tb.containsKey(IFLA_NEW_NETNSID) ? (int)u32(tb.get(IFLA_NEW_NETNSID), 0) : -1);
        v.put("newIfindex", tb.containsKey(IFLA_NEW_IFINDEX) ? (int)u32(tb.get(IFLA_NEW_IFINDEX), 0) : 0);
        v.put("txqlen", tb.containsKey(IFLA_TXQLEN) ? (int)u32(tb.get(IFLA_TXQLEN), 0) : -1);
        v.put("group", tb.containsKey(IFLA_GROUP) ? (int)u32(tb.get(IFLA_GROUP), 0) : -1);
        v.put("qdisc", tb.containsKey(IFLA_QDISC) ? string(tb.get(IFLA_QDISC)) : null);
        v.put("ifalias", tb.containsKey(IFLA_IFALIAS) ? string(tb.get(IFLA_IFALIAS)) : null);
        v.put("linkKind", info.containsKey(IFLA_INFO_KIND) ? string(info.get(IFLA_INFO_KIND)) : null);
        v.put("slaveKind", info.containsKey(IFLA_INFO_SLAVE_KIND) ? string(info.get(IFLA_INFO_SLAVE_KIND)) : null);
        return v;
    }

    private static final Values ABSENT_LINK = absent(LINK_GETTERS, absentLink());
    private static final Values ABSENT_ADDR = absent(ADDR_GETTERS, absentAddr());

    private static Values absent(final String[] names, final Map<String, Object> defaults)
    {
        final Values v = new Values(names);
        for (final String name : names)
        {
            if (!defaults.containsKey(name))
            {
                throw new IllegalStateException("no absent value for " + name);
            }
            v.put(name, defaults.get(name));
        }
        return v;
    }

    private static Values linkFailure(final String error, final int errorOffset)
    {
        return new Values(ABSENT_LINK, error, errorOffset);
    }

    private static Values addrFailure(final String error, final int errorOffset)
    {
        return new Values(ABSENT_ADDR, error, errorOffset);
    }

    /** What every getter answers after a failed wrap. */
    private static Map<String, Object> absentLink()
    {
        final Map<String, Object> v = new HashMap<>();
        v.put("error", null);
        v.put("errorOffset", -1);
        for (final String zero : List.of("messageType", "family", "deviceType", "ifindex", "flags", "change",
            "master", "link", "newIfindex"))
        {
            v.put(zero, 0);
        }
        for (final String minusOne : List.of("mtu", "minMtu", "maxMtu", "operstate", "carrier",
            "linkNetnsid", "newNetnsid", "txqlen", "group"))
        {
            v.put(minusOne, -1);
        }
        for (final String no : List.of("isDelete", "hasIfname", "hasMtu", "hasAddress", "hasBroadcast",
            "hasPermAddress", "hasLinkNetnsid", "hasNewNetnsid"))
        {
            v.put(no, false);
        }
        for (final String none : List.of("ifname", "address", "broadcast", "permAddress", "qdisc", "ifalias",
            "linkKind", "slaveKind"))
        {
            v.put(none, null);
        }
        return v;
    }

    /** The fast decoder's getters, under the same names. */
    static Values linkGetters(final LinkDecoder d)
    {
        final Values v = new Values(LINK_GETTERS);
        v.put("error", d.error());
        v.put("errorOffset", d.errorOffset());
        v.put("messageType", d.messageType());
        v.put("isDelete", d.isDelete());
        v.put("family", d.family());
        v.put("deviceType", d.deviceType());
        v.put("ifindex", d.ifindex());
        v.put("flags", d.flags());
        v.put("change", d.change());
        v.put("hasIfname", d.hasIfname());
        v.put("ifname", d.ifname());
        v.put("hasMtu", d.hasMtu());
        v.put("mtu", d.mtu());
        v.put("minMtu", d.minMtu());
        v.put("maxMtu", d.maxMtu());
        v.put("operstate", d.operstate());
        v.put("carrier", d.carrier());
        v.put("hasAddress", d.hasAddress());
        v.put("address", d.address());
        v.put("hasBroadcast", d.hasBroadcast());
        v.put("broadcast", d.broadcast());
        v.put("hasPermAddress", d.hasPermAddress());
        v.put("permAddress", d.permAddress());
        v.put("master", d.master());
        v.put("link", d.link());
        v.put("hasLinkNetnsid", d.hasLinkNetnsid());
        v.put("linkNetnsid", d.linkNetnsid());
        v.put("hasNewNetnsid", d.hasNewNetnsid());
        v.put("newNetnsid", d.newNetnsid());
        v.put("newIfindex", d.newIfindex());
        v.put("txqlen", d.txqlen());
        v.put("group", d.group());
        v.put("qdisc", d.qdisc());
        v.put("ifalias", d.ifalias());
        v.put("linkKind", d.linkKind());
        v.put("slaveKind", d.slaveKind());
        return v;
    }

    // ---------------------------------------------------------------------------------------------- addr

    static Values addr(final byte[] b, final int off, final int length)
    {
        final int avail = Math.min(length, b.length - off);
        if (avail < 16)
        {
            return addrFailure(NetlinkFraming.SHORT_HEADER, off);
        }
        final long nlmsgLen = u32(b, off);
        if (nlmsgLen < 16)
        {
            return addrFailure(NetlinkFraming.LENGTH_TOO_SMALL, off);
        }
        if (nlmsgLen > avail)
        {
            return addrFailure(NetlinkFraming.LENGTH_PAST_END, off);
        }
        final int type = u16(b, off + 4);
        if (type != Rtnetlink.RTM_NEWADDR && type != Rtnetlink.RTM_DELADDR)
        {
            return addrFailure(AddrDecoder.ERR_NOT_ADDR, off);
        }
        if (nlmsgLen < 24)
        {
            return addrFailure(AddrDecoder.ERR_SHORT_IFADDRMSG, off + 16);
        }

        final int family = b[off + 16] & 0xFF;
        final Run run = parse(b, off + 24, off + (int)nlmsgLen);
        final Map<Integer, byte[]> tb = new HashMap<>();
        for (final Attr a : run.attrs())
        {
            final String kind = ADDR_TYPES.get(a.type());
            if (kind == null)
            {
                continue;
            }
            final int n = a.payload().length;
            final String bad;
            if (kind.equals(ADDRESS))
            {
                bad = family == Rtnetlink.AF_INET && n != 4 || family == Rtnetlink.AF_INET6 && n != 16
                    ? AddrDecoder.ERR_ADDRESS_LENGTH : null;
            }
            else if (kind.equals(CACHEINFO))
            {
                bad = n == 16 ? null : AddrDecoder.ERR_CACHEINFO_LENGTH;
            }
            else
            {
                bad = check(kind, a.payload());
            }
            if (bad != null)
            {
                return addrFailure(bad, a.offset());
            }
            tb.put(a.type(), a.payload());
        }
        if (run.error() != null)
        {
            return addrFailure(run.error(), run.errorOffset());
        }

        final Values v = new Values(ADDR_GETTERS);
        v.put("error", null);
        v.put("errorOffset", -1);
        v.put("messageType", type);
        v.put("isDelete", type == Rtnetlink.RTM_DELADDR);
        v.put("family", family);
        v.put("prefixlen", b[off + 17] & 0xFF);
        v.put("flags", tb.containsKey(IFA_FLAGS) ? (int)u32(tb.get(IFA_FLAGS), 0) : b[off + 18] & 0xFF);
        v.put("scope", b[off + 19] & 0xFF);
        v.put("ifindex", (int)u32(b, off + 20));
        final String address = tb.containsKey(IFA_ADDRESS) ? text(family, tb.get(IFA_ADDRESS)) : null;
        final String local = tb.containsKey(IFA_LOCAL) ? text(family, tb.get(IFA_LOCAL)) : null;
        v.put("hasAddress", address != null);
        v.put("address", address);
        v.put("hasLocal", local != null);
        v.put("local", local);
        v.put("primaryAddress", local != null ? local : address);
        v.put("hasBroadcast", tb.containsKey(IFA_BROADCAST));
        v.put("broadcast", tb.containsKey(IFA_BROADCAST) ? text(family, tb.get(IFA_BROADCAST)) : null);
        v.put("label", tb.containsKey(IFA_LABEL) ? string(tb.get(IFA_LABEL)) : null);
        v.put("hasCacheInfo", tb.containsKey(IFA_CACHEINFO));
        v.put("validLft", tb.containsKey(IFA_CACHEINFO) ? u32(tb.get(IFA_CACHEINFO), 4) : -1L);
        v.put("preferredLft", tb.containsKey(IFA_CACHEINFO) ? u32(tb.get(IFA_CACHEINFO), 0) : -1L);
        v.put("proto", tb.containsKey(IFA_PROTO) ? tb.get(IFA_PROTO)[0] & 0xFF : -1);
        return v;
    }

    private static String text(final int family, final byte[] p)
    {
        if (family == Rtnetlink.AF_INET)
        {
            return ipv4(p);
        }
        return family == Rtnetlink.AF_INET6 ? ipv6(p) : hex(p);
    }

    private static Map<String, Object> absentAddr()
    {
        final Map<String, Object> v = new HashMap<>();
        v.put("error", null);
        v.put("errorOffset", -1);
        for (final String zero : List.of("messageType", "family", "prefixlen", "flags", "scope", "ifindex"))
        {
            v.put(zero, 0);
        }
        for (final String no : List.of("isDelete", "hasAddress", "hasLocal", "hasBroadcast", "hasCacheInfo"))
        {
            v.put(no, false);
        }
        for (final String none : List.of("address", "local", "primaryAddress", "broadcast", "label"))
        {
            v.put(none, null);
        }
        v.put("validLft", -1L);
        v.put("preferredLft", -1L);
        v.put("proto", -1);
        return v;
    }

    static Values addrGetters(final AddrDecoder d)
    {
        final Values v = new Values(ADDR_GETTERS);
        v.put("error", d.error());
        v.put("errorOffset", d.errorOffset());
        v.put("messageType", d.messageType());
        v.put("isDelete", d.isDelete());
        v.put("family", d.family());
        v.put("prefixlen", d.prefixlen());
        v.put("flags", d.flags());
        v.put("scope", d.scope());
        v.put("ifindex", d.ifindex());
        v.put("hasAddress", d.hasAddress());
        v.put("address", d.address());
        v.put("hasLocal", d.hasLocal());
        v.put("local", d.local());
        v.put("primaryAddress", d.primaryAddress());
        v.put("hasBroadcast", d.hasBroadcast());
        v.put("broadcast", d.broadcast());
        v.put("label", d.label());
        v.put("hasCacheInfo", d.hasCacheInfo());
        v.put("validLft", d.validLft());
        v.put("preferredLft", d.preferredLft());
        v.put("proto", d.proto());
        return v;
    }
}
