package io.nlstream.sinks;

import java.util.List;

/**
 * The text format's lines, per kind, laid out as the tools people already read print the same thing:
 * <pre>
 * conn   tcp 6 120 SYN_SENT src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=80 [UNREPLIED] src=10.0.0.2 ... [ASSURED] mark=0 zone=0 use=1 id=7 ...
 *        (conntrack -E)
 * link   3: a0@a1: &lt;BROADCAST,MULTICAST,UP,LOWER_UP&gt; mtu 1500 qdisc noqueue master br0 state UP group default qlen 1000 link/ether ... brd ...
 * addr   3: a0 inet 10.0.0.1/24 brd 10.0.0.255 scope global a0 valid_lft forever preferred_lft forever
 * route  local 10.0.0.1 dev a0 table local proto kernel scope host src 10.0.0.1
 * neigh  10.0.0.2 dev a0 lladdr 02:00:00:00:00:02 REACHABLE
 *        (ip monitor, with each record on one line)
 * sock   tcp ESTAB 0 0 10.0.0.1:40000 10.0.0.2:80 inode=... uid=0 cookie=...
 *        (ss: netid, state, recv-q, send-q, local, peer)
 * </pre>
 * Whatever those tools do not print follows as {@code name=value} ({@code status=}, {@code community_id=},
 * {@code pid=}, {@code comm=}...), and {@code origin=} last, unless it is {@code event}. Left out because the
 * line says it otherwise: conn's, route's, neigh's and sock's {@code family} (the addresses show it), an
 * address's or neighbour's {@code ifindex} when its {@code dev} is known (a route's {@code oif} likewise),
 * an address's empty flags. The {@code kv} format keeps every field as {@code name=value}.
 */
public final class TextLayouts
{
    private static final List<TextLayout> LAYOUTS = List.of(
        TextLayout.of("conn")
            .value("proto").value("proto_num").value("timeout")
            .value("tcp_state").value("sctp_state").value("dccp_state")
            .value("orig.src", "src=").value("orig.dst", "dst=").value("orig.sport", "sport=").value("orig.dport", "dport=")
            .value("orig.type", "type=").value("orig.code", "code=").value("orig.icmp_id", "id=")
            .value("counters.orig_packets", "packets=").value("counters.orig_bytes", "bytes=")
            .whenLacks("status", "SEEN_REPLY", "[UNREPLIED]")
            .value("reply.src", "src=").value("reply.dst", "dst=").value("reply.sport", "sport=").value("reply.dport", "dport=")
            .value("reply.type", "type=").value("reply.code", "code=").value("reply.icmp_id", "id=")
            .value("counters.reply_packets", "packets=").value("counters.reply_bytes", "bytes=")
            .whenHolds("status", "ASSURED", "[ASSURED]")
            .value("mark", "mark=").value("zone", "zone=").value("use", "use=").value("id", "id=")
            .hide("family")
            .rest()
            .value("origin", "origin=").omitIf("event")
            .build(),
        TextLayout.of("link")
            .value("ifindex").after(":")
            .value("ifname")
            .glued("link_dev", "@")
            .glued("link", "@if").onlyWithout("link_dev")
            .literal(":", true)
            .value("flags", "<").after(">").emptyShown()
            .value("mtu", "mtu ").value("qdisc", "qdisc ")
            .value("master_dev", "master ").value("master", "master ").onlyWithout("master_dev")
            .value("operstate", "state ")
            .value("group", "group ").map("0", "default")
            .value("txqlen", "qlen ")
            .value("link_type", "link/").value("address").value("broadcast", "brd ")
            .value("link_netnsid", "link-netnsid ").value("new_netnsid", "new-netnsid ").value("new_ifindex", "new-ifindex ")
            .value("perm_address", "permaddr ").value("ifalias", "alias ")
            .value("link_kind").value("slave_kind").after("_slave")
            .rest()
            .value("origin", "origin=").omitIf("event")
            .build(),
        TextLayout.of("addr")
            .value("ifindex").after(":")
            .value("dev")
            .value("family")
            .value("address").glued("prefixlen", "/")
            .value("peer", "peer ").value("broadcast", "brd ")
            .value("scope", "scope ")
            .value("addr_flags").spaced()
            .value("label")
            .value("valid_lft", "valid_lft ").seconds().value("preferred_lft", "preferred_lft ").seconds()
            .rest()
            .value("origin", "origin=").omitIf("event")
            .build(),
        TextLayout.of("route")
            .value("type").omitIf("unicast")
            .value("dst").hostPrefixOmitted()
            .value("nh_id", "nhid ")
            .value("gateway", "via ")
            .value("dev", "dev ")
            .value("oif", "oif ").onlyWithout("dev")
            .value("table", "table ").omitIf("main")
            .value("protocol", "proto ").omitIf("boot")
            .value("scope", "scope ").omitIf("global")
            .value("prefsrc", "src ")
            .value("metric", "metric ")
            .value("tos", "tos ")
            .value("pref", "pref ")
            .hide("family")
            .rest()
            .value("origin", "origin=").omitIf("event")
            .build(),
        TextLayout.of("neigh")
            .value("address")
            .value("dev", "dev ")
            .value("ifindex", "ifindex ").onlyWithout("dev")
            .value("lladdr", "lladdr ")
            .value("neigh_flags").spaced()
            .value("state")
            .hide("family")
            .rest()
            .value("origin", "origin=").omitIf("event")
            .build(),
        TextLayout.of("sock")
            .value("proto").value("state").value("rqueue").value("wqueue")
            .value("src").bracketed().glued("sport", ":").map("0", "*")
            .value("dst").bracketed().glued("dport", ":").map("0", "*")
            .hide("family")
            .rest()
            .value("origin", "origin=").omitIf("event")
            .build(),
        TextLayout.of("gap")
            .rest()
            .value("origin", "origin=").omitIf("event")
            .build());

    private TextLayouts()
    {
    }

    /** The layout of every kind. */
    public static TextLayout[] all()
    {
        return LAYOUTS.toArray(new TextLayout[0]);
    }
}
