package io.nlstream.monitor.state;

import io.nlstream.monitor.events.EventDecoder;
import io.nlstream.sinks.Event;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Finds sockets by inode (for attribution annotations) and by their endpoints (to give a conntrack flow the
 * process of the local socket it belongs to: an outgoing connection's socket has the original tuple's
 * endpoints; an accepted one, through DNAT or not, the reply tuple's; else a listener or an unconnected
 * UDP socket on the reply tuple's source).
 */
final class SocketIndex
{
    private final Map<String, String> byInode = new HashMap<>();
    private final Map<String, String> byEndpoints = new HashMap<>();
    private final Map<String, String> byLocal = new HashMap<>();

    void add(final String key, final Event sock)
    {
        if (!EventDecoder.KIND_SOCK.equals(sock.kind()))
        {
            return;
        }
        final Object inode = sock.get("inode");
        if (inode instanceof Number && ((Number)inode).longValue() != 0)
        {
            byInode.put(sock.netns() + "/" + inode, key);
        }
        if (isUnconnected(sock))
        {
            byLocal.put(local(sock.netns(), sock.get("proto"), sock.get("src"), sock.get("sport")), key);
        }
        else
        {
            byEndpoints.put(endpoints(sock.netns(), sock.get("proto"), sock.get("src"), sock.get("sport"), sock.get("dst"), sock.get("dport")), key);
        }
    }

    void remove(final Event sock)
    {
        if (!EventDecoder.KIND_SOCK.equals(sock.kind()))
        {
            return;
        }
        byInode.remove(sock.netns() + "/" + sock.get("inode"));
        if (isUnconnected(sock))
        {
            byLocal.remove(local(sock.netns(), sock.get("proto"), sock.get("src"), sock.get("sport")));
        }
        else
        {
            byEndpoints.remove(endpoints(sock.netns(), sock.get("proto"), sock.get("src"), sock.get("sport"), sock.get("dst"), sock.get("dport")));
        }
    }

    String byInode(final long netns, final long inode)
    {
        return byInode.get(netns + "/" + inode);
    }

    /** The local socket a conntrack flow belongs to, or null. */
    Event forFlow(final Event conn, final Function<String, Event> objects)
    {
        final Object proto = conn.get("proto");
        final Map<?, ?> orig = conn.get("orig") instanceof Map ? (Map<?, ?>)conn.get("orig") : null;
        final Map<?, ?> reply = conn.get("reply") instanceof Map ? (Map<?, ?>)conn.get("reply") : null;
        if (orig == null || reply == null || orig.get("sport") == null)
        {
            return null;
        }
        String key = byEndpoints.get(endpoints(conn.netns(), proto, orig.get("src"), orig.get("sport"), orig.get("dst"), orig.get("dport")));
        if (key == null)
        {
            key = byEndpoints.get(endpoints(conn.netns(), proto, reply.get("src"), reply.get("sport"), reply.get("dst"), reply.get("dport")));
        }
        if (key == null)
        {
            key = byLocal.get(local(conn.netns(), proto, reply.get("src"), reply.get("sport")));
        }
        final boolean ipv4 = !"inet6".equals(conn.get("family"));
        if (key == null && ipv4)
        {
            key = byLocal.get(local(conn.netns(), proto, "0.0.0.0", reply.get("sport")));
        }
        if (key == null)
        {
            // a socket bound to :: takes IPv6 flows, and IPv4 ones too unless it is IPV6_V6ONLY
            key = byLocal.get(local(conn.netns(), proto, "::", reply.get("sport")));
        }
        return key == null ? null : objects.apply(key);
    }

    private static boolean isUnconnected(final Event sock)
    {
        final Object dport = sock.get("dport");
        return "LISTEN".equals(sock.get("state")) || dport == null || dport instanceof Number && ((Number)dport).intValue() == 0;
    }

    private static String endpoints(final long netns, final Object proto, final Object src, final Object sport, final Object dst, final Object dport)
    {
        return netns + "/" + proto + "/" + unmapped(src) + "/" + sport + "/" + unmapped(dst) + "/" + dport;
    }

    private static String local(final long netns, final Object proto, final Object addr, final Object port)
    {
        return netns + "/" + proto + "/" + unmapped(addr) + "/" + port;
    }

    /** A dual-stack socket shows an IPv4 peer as ::ffff:a.b.c.d; conntrack shows a.b.c.d. */
    private static String unmapped(final Object addr)
    {
        final String a = String.valueOf(addr);
        return a.startsWith("::ffff:") && a.indexOf('.') > 0 ? a.substring(7) : a;
    }
}
