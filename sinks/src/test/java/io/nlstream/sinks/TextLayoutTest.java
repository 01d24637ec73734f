package io.nlstream.sinks;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The text format's layouts ({@link TextLayouts}) on events written field by field, as the event model writes
 * them: each kind's words and order, each modifier, and what is left for {@code name=value}. The lines are
 * those ip monitor, conntrack -E and ss print for the same objects (TextLinesKernelIT checks that against the
 * tools on the real kernel).
 */
class TextLayoutTest
{
    private static final long TS = 1_764_584_912_000_000_000L;

    private static String text(final String kind, final String op, final Consumer<FieldWriter> fields)
    {
        final TextFieldWriter w = new TextFieldWriter(TextLayouts.all());
        w.beginEvent(1, TS, Name.of(kind), op == null ? null : Name.of(op), 4026532177L);
        fields.accept(w);
        w.endEvent();
        final String line = new String(w.array(), 0, w.length(), StandardCharsets.UTF_8);
        // the time is the same for every case
        return op == null ? line : line.substring(line.indexOf(' ') + 1);
    }

    private static Name n(final String s)
    {
        return Name.of(s);
    }

    private static ByteBuffer ip(final int... bytes)
    {
        final ByteBuffer b = ByteBuffer.allocate(bytes.length);
        for (final int x : bytes)
        {
            b.put((byte)x);
        }
        return b.flip();
    }

    private static void list(final FieldWriter w, final String name, final String... elements)
    {
        w.beginList(n(name));
        for (final String e : elements)
        {
            w.element(n(e));
        }
        w.endList();
    }

    @Test
    void connAsConntrackPrintsIt()
    {
        final String line = text("conn", "new", w ->
        {
            w.field(n("origin"), n("event"));
            w.field(n("id"), 7);
            w.field(n("family"), n("inet"));
            w.field(n("proto"), n("icmp"));
            w.field(n("proto_num"), 1);
            w.beginObject(n("orig"));
            w.address(n("src"), ip(10, 0, 0, 1), 0, 4);
            w.address(n("dst"), ip(10, 0, 0, 2), 0, 4);
            w.field(n("type"), 8);
            w.field(n("code"), 0);
            w.field(n("icmp_id"), 99);
            w.endObject();
            w.beginObject(n("reply"));
            w.address(n("src"), ip(10, 0, 0, 2), 0, 4);
            w.address(n("dst"), ip(10, 0, 0, 1), 0, 4);
            w.field(n("type"), 0);
            w.field(n("code"), 0);
            w.field(n("icmp_id"), 99);
            w.endObject();
            list(w, "status", "CONFIRMED");
            w.field(n("timeout"), 30);
            w.field(n("community_id"), "1:abc=");
            w.field(n("pid"), 12);
            w.field(n("comm"), "ping");
        });
        assertEquals("conn new netns=4026532177 icmp 1 30 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=99 [UNREPLIED]"
            + " src=10.0.0.2 dst=10.0.0.1 type=0 code=0 id=99 id=7 status=CONFIRMED community_id=1:abc= pid=12 comm=ping", line);
    }

    @Test
    void anEventFromADumpSaysSoLast()
    {
        final String line = text("neigh", "new", w ->
        {
            w.field(n("origin"), n("dump"));
            w.field(n("ifindex"), 3);
            w.field(n("dev"), "a0");
            w.field(n("family"), n("inet"));
            w.address(n("address"), ip(10, 0, 0, 2), 0, 4);
            w.mac(n("lladdr"), ip(2, 0, 0, 0, 0, 2), 0, 6);
            w.field(n("state"), n("REACHABLE"));
            list(w, "neigh_flags", "router", "extern_learn");
        });
        assertEquals("neigh new netns=4026532177 10.0.0.2 dev a0 lladdr 02:00:00:00:00:02 router extern_learn REACHABLE origin=dump", line);
    }

    @Test
    void aNeighbourWithoutItsDevicesNameKeepsTheIndex()
    {
        final String line = text("neigh", "del", w ->
        {
            w.field(n("ifindex"), 3);
            w.field(n("family"), n("inet"));
            w.address(n("address"), ip(10, 0, 0, 2), 0, 4);
            w.field(n("state"), n("FAILED"));
        });
        assertEquals("neigh del netns=4026532177 10.0.0.2 ifindex 3 FAILED", line);
    }

    @Test
    void linkAsIpMonitorPrintsIt()
    {
        final String line = text("link", "new", w ->
        {
            w.field(n("ifindex"), 5);
            w.field(n("ifname"), "a1");
            list(w, "flags");
            w.field(n("mtu"), 1500);
            w.field(n("operstate"), n("DOWN"));
            w.field(n("link_type"), n("ether"));
            w.mac(n("address"), ip(2, 0, 0, 0, 0, 5), 0, 6);
            w.field(n("link_kind"), "veth");
            w.field(n("master"), 4);
            w.field(n("slave_kind"), "bridge");
            w.field(n("link"), 9);
            w.field(n("link_netnsid"), 0);
            w.field(n("group"), 0);
            w.field(n("ifalias"), "uplink to b");
        });
        assertEquals("link new netns=4026532177 5: a1@if9: <> mtu 1500 master 4 state DOWN group default link/ether 02:00:00:00:00:05"
            + " link-netnsid 0 alias \"uplink to b\" veth bridge_slave", line);
        // a device moved to another namespace, as ip monitor prints its Deleted line; min_mtu and max_mtu (ip -d only) follow
        final String moved = text("link", "del", w ->
        {
            w.field(n("ifindex"), 2);
            w.field(n("ifname"), "mv1");
            list(w, "flags");
            w.field(n("mtu"), 1500);
            w.field(n("min_mtu"), 68);
            w.field(n("max_mtu"), 65535);
            w.field(n("link_type"), n("ether"));
            w.field(n("new_netnsid"), 7);
            w.field(n("new_ifindex"), 4);
        });
        assertEquals("link del netns=4026532177 2: mv1: <> mtu 1500 link/ether new-netnsid 7 new-ifindex 4 min_mtu=68 max_mtu=65535", moved);
        final String named = text("link", null, w ->
        {
            w.field(n("ifindex"), 5);
            w.field(n("ifname"), "a1");
            list(w, "flags", "UP");
            w.field(n("master"), 4);
            w.field(n("master_dev"), "br0");
            w.field(n("link"), 6);
            w.field(n("link_dev"), "a0");
            w.field(n("group"), 3);
        });
        assertEquals("link netns=4026532177 5: a1@a0: <UP> master br0 group 3", named, "a state object: no time or op");
    }

    @Test
    void addrAsIpMonitorPrintsIt()
    {
        final String line = text("addr", "new", w ->
        {
            w.field(n("ifindex"), 2);
            w.field(n("dev"), "eth0");
            w.field(n("family"), n("inet6"));
            w.field(n("address"), "2001:db8::1");
            w.field(n("prefixlen"), 64);
            w.field(n("scope"), n("global"));
            list(w, "addr_flags", "dynamic", "noprefixroute");
            w.lifetime(n("valid_lft"), 3599);
            w.lifetime(n("preferred_lft"), FieldWriter.INFINITE_LIFETIME);
        });
        assertEquals("addr new netns=4026532177 2: eth0 inet6 2001:db8::1/64 scope global dynamic noprefixroute"
            + " valid_lft 3599sec preferred_lft forever", line);
        final String plain = text("addr", "del", w ->
        {
            w.field(n("ifindex"), 2);
            w.field(n("family"), n("inet"));
            w.field(n("address"), "10.0.0.1");
            w.field(n("prefixlen"), 24);
            w.field(n("scope"), n("global"));
            w.field(n("broadcast"), "10.0.0.255");
            w.field(n("label"), "eth0:1");
            list(w, "addr_flags");
        });
        assertEquals("addr del netns=4026532177 2: inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0:1", plain, "empty flags print nothing");
    }

    @Test
    void routeAsIpMonitorPrintsIt()
    {
        final String local = text("route", "new", w ->
        {
            w.field(n("family"), n("inet"));
            w.field(n("dst"), "10.0.0.1/32");
            w.field(n("oif"), 2);
            w.field(n("dev"), "eth0");
            w.field(n("table"), n("local"));
            w.field(n("protocol"), n("kernel"));
            w.field(n("scope"), n("host"));
            w.field(n("type"), n("local"));
            w.field(n("prefsrc"), "10.0.0.1");
        });
        assertEquals("route new netns=4026532177 local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1", local);
        final String main = text("route", "del", w ->
        {
            w.field(n("family"), n("inet6"));
            w.field(n("dst"), "default");
            w.field(n("gateway"), "fe80::1");
            w.field(n("oif"), 7);
            w.field(n("table"), n("main"));
            w.field(n("protocol"), n("boot"));
            w.field(n("scope"), n("global"));
            w.field(n("type"), n("unicast"));
            w.field(n("metric"), 1024);
        });
        assertEquals("route del netns=4026532177 default via fe80::1 oif 7 metric 1024", main, "iproute2's defaults left out");
        final String host6 = text("route", "new", w ->
        {
            w.field(n("dst"), "fd00::1/128");
            w.field(n("table"), n("100"));
            w.field(n("type"), n("unicast"));
        });
        assertEquals("route new netns=4026532177 fd00::1 table 100", host6);
    }

    @Test
    void sockAsSsPrintsIt()
    {
        final String v6 = text("sock", "new", w ->
        {
            w.field(n("family"), n("inet6"));
            w.field(n("proto"), n("tcp"));
            w.field(n("state"), n("LISTEN"));
            w.address(n("src"), ip(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), 0, 16);
            w.field(n("sport"), 80);
            w.address(n("dst"), ip(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, 16);
            w.field(n("dport"), 0);
            w.field(n("inode"), 1234);
            w.field(n("rqueue"), 0);
            w.field(n("wqueue"), 128);
        });
        assertEquals("sock new netns=4026532177 tcp LISTEN 0 128 [::1]:80 [::]:* inode=1234", v6);
    }

    @Test
    void theNamespacesNameReplacesItsInodeAndQuotedValuesStayQuoted()
    {
        final TextFieldWriter w = new TextFieldWriter(TextLayouts.all());
        w.beginEvent(1, TS, Name.of("gap"), Name.of("overrun"), 4026532177L);
        w.netnsName("pod a");
        w.field(n("origin"), n("event"));
        w.field(n("protocol"), n("netfilter"));
        w.field(n("overruns"), 2);
        w.endEvent();
        final String line = new String(w.array(), 0, w.length(), StandardCharsets.UTF_8);
        assertEquals("gap overrun netns=\"pod a\" protocol=netfilter overruns=2", line.substring(line.indexOf(' ') + 1));

        final JsonFieldWriter json = new JsonFieldWriter();
        json.beginEvent(1, TS, Name.of("gap"), Name.of("overrun"), 4026532177L);
        json.netnsName("blue");
        json.field(n("overruns"), 2);
        json.endEvent();
        final String j = new String(json.array(), 0, json.length(), StandardCharsets.UTF_8);
        assertEquals("\"netns\":4026532177,\"netns_name\":\"blue\",\"overruns\":2}", j.substring(j.indexOf("\"netns\"")));
    }

    @Test
    void aKindWithoutALayoutIsPrintedAsKv()
    {
        final TextFieldWriter w = new TextFieldWriter(TextLayouts.all());
        w.beginEvent(1, TS, Name.of("rule"), null, 1);
        w.field(n("origin"), n("event"));
        w.field(n("table"), 100);
        w.endEvent();
        assertEquals("rule netns=1 origin=event table=100", new String(w.array(), 0, w.length(), StandardCharsets.UTF_8));
    }
}
