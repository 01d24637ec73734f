package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.netlink.testing.Await;
import io.nlstream.sinks.CommunityId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: one namespace holds the client's and the server's address on one link, conntrack, and a
 * DNAT in its nat output chain ({@code VIP:80} to {@code SERVER:8080}, as a service proxy does); {@code run --netns}
 * captures its conntrack and sockets while a real TCP connection to the VIP stays open across socket dumps. Both
 * ends of the connection are sockets of that namespace, so one journal holds the flow and both of them: the conn
 * event's {@code community_id} is the client socket's, its {@code community_id_reply} the server's accepted
 * socket's, and both sockets name the process.
 */
@org.junit.jupiter.api.Tag("kernel")
class NatJoinKernelIT
{
    private static final String CLIENT = "10.242.0.1";
    private static final String SERVER = "10.242.0.2";
    private static final String VIP = "10.242.0.9";

    /** Listens on SERVER:8080, connects from CLIENT to VIP:80, prints its pid and the client's port, holds until stdin closes. */
    private static final String CONNECTION = String.join("\n",
        "import os, socket, sys",
        "l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
        "l.bind((sys.argv[1], 8080)); l.listen(1)",
        "c = socket.socket(); c.bind((sys.argv[2], 0)); c.settimeout(5); c.connect((sys.argv[3], 80))",
        "a, _ = l.accept(); c.sendall(b'hello'); assert a.recv(100) == b'hello'",
        "print(os.getpid(), c.getsockname()[1], flush=True)",
        "sys.stdin.readline()");

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void connThroughDnatJoinsBothSocketsByCommunityId() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        try (Netns ns = Netns.create("natjoin"))
        {
            wire(ns);
            try (MonitorProcess monitor = MonitorProcess.startInHost(tmp, "run", "--netns", ns.name(), "--journal", journal.toString(),
                "--stdout", "none", "--capture", "conntrack,sock", "--sock-interval", "1s"))
            {
                monitor.awaitLog("capture conntrack: initial dumps complete", 30_000);
                monitor.awaitLog("capture sock_diag: initial dumps complete", 30_000);

                final Process connection = new ProcessBuilder(ns.prefix("python3", "-c", CONNECTION, SERVER, CLIENT, VIP))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                final long pid;
                final long clientPort;
                try
                {
                    final String line = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    assertNotNull(line, "the connection through the DNAT failed");
                    pid = Long.parseLong(line.split(" ")[0]);
                    clientPort = Long.parseLong(line.split(" ")[1]);
                    // held open until a socket dump has found both ends and their process
                    awaitSockets(journal, clientPort, 20_000);
                }
                finally
                {
                    connection.getOutputStream().close();
                    if (!connection.waitFor(10, TimeUnit.SECONDS))
                    {
                        connection.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
                assertEquals(0, monitor.terminate(20_000), monitor::toString);

                final List<Map<String, Object>> events = Cli.lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json"));
                final List<Map<String, Object>> conns = conns(events, clientPort);
                assertFalse(conns.isEmpty(), "no conn event for " + CLIENT + ":" + clientPort + " -> " + VIP + ":80 in " + events);
                final Object original = conns.get(0).get("community_id");
                final Object reply = conns.get(0).get("community_id_reply");
                assertNotNull(original, conns.get(0).toString());
                assertNotNull(reply, "a DNAT'd flow carries the reply's id: " + conns.get(0));
                assertNotEquals(original, reply);
                for (final Map<String, Object> c : conns)
                {
                    assertEquals(original, c.get("community_id"), c.toString());
                    assertEquals(reply, c.get("community_id_reply"), c.toString());
                    assertEquals(Map.of("src", SERVER, "dst", CLIENT, "sport", 8080L, "dport", clientPort), c.get("reply"));
                }
                assertEquals(CommunityId.v1(address(CLIENT), address(VIP), 6, (int)clientPort, 80), original);
                assertEquals(CommunityId.v1(address(SERVER), address(CLIENT), 6, 8080, (int)clientPort), reply);

                // the join: the server's accepted socket by community_id_reply, the client's by community_id
                final Map<String, Object> server = sock(events, SERVER, 8080, CLIENT, clientPort);
                assertEquals(reply, server.get("community_id"), server.toString());
                final Map<String, Object> client = sock(events, CLIENT, clientPort, VIP, 80);
                assertEquals(original, client.get("community_id"), client.toString());
                for (final Map<String, Object> s : List.of(server, client))
                {
                    assertEquals(pid, s.get("pid"), s.toString());
                    assertEquals("python3", s.get("comm"), s.toString());
                }

                // text prints it beside community_id
                final String text = Cli.run("replay", "--journal", journal.toString(), "--kind", "conn");
                assertTrue(text.contains(" community_id=" + original + " community_id_reply=" + reply), text);
            }
        }
    }

    /** Both addresses on one link of the namespace; conntrack on, and the DNAT for locally sent packets. */
    private static void wire(final Netns ns)
    {
        ns.ip("link", "add", "a0", "type", "veth", "peer", "name", "a1");
        ns.ip("addr", "add", CLIENT + "/24", "dev", "a0");
        ns.ip("addr", "add", SERVER + "/24", "dev", "a0");
        ns.ip("link", "set", "a0", "up");
        ns.ip("link", "set", "a1", "up");
        ns.execWithInput(String.join("\n",
            "table ip nlstest {",
            "  chain out { type nat hook output priority -100; policy accept; ip daddr " + VIP + " tcp dport 80 dnat to " + SERVER + ":8080; }",
            "  chain in { type filter hook input priority 0; policy accept; ct state new counter; }",
            "}", ""), "nft", "-f", "-");
    }

    /** Waits until replay (while run writes) shows both ends of the connection as sockets with their process. */
    private static void awaitSockets(final Path journal, final long clientPort, final long timeoutMillis)
    {
        final List<List<Map<String, Object>>> events = new ArrayList<>(List.of(List.of()));
        Await.until("sock events for both ends of the connection", Duration.ofMillis(timeoutMillis), () ->
        {
            events.set(0, Cli.lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json", "--kind", "sock")));
            return findSock(events.get(0), SERVER, 8080, CLIENT, clientPort) != null
                && findSock(events.get(0), CLIENT, clientPort, VIP, 80) != null;
        }, () -> events.get(0));
    }

    private static List<Map<String, Object>> conns(final List<Map<String, Object>> events, final long clientPort)
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Map<String, Object> e : events)
        {
            if ("conn".equals(e.get("kind")) && "tcp".equals(e.get("proto"))
                && Map.of("src", CLIENT, "dst", VIP, "sport", clientPort, "dport", 80L).equals(e.get("orig")))
            {
                out.add(e);
            }
        }
        return out;
    }

    private static Map<String, Object> sock(final List<Map<String, Object>> events, final String src, final long sport,
        final String dst, final long dport)
    {
        final Map<String, Object> s = findSock(events, src, sport, dst, dport);
        assertNotNull(s, "no sock event for " + src + ":" + sport + " -> " + dst + ":" + dport + " in " + events);
        return s;
    }

    private static Map<String, Object> findSock(final List<Map<String, Object>> events, final String src, final long sport,
        final String dst, final long dport)
    {
        for (final Map<String, Object> e : events)
        {
            if ("sock".equals(e.get("kind")) && "new".equals(e.get("op")) && "tcp".equals(e.get("proto"))
                && src.equals(e.get("src")) && Long.valueOf(sport).equals(e.get("sport"))
                && dst.equals(e.get("dst")) && Long.valueOf(dport).equals(e.get("dport")))
            {
                return e;
            }
        }
        return null;
    }

    private static byte[] address(final String literal) throws Exception
    {
        return InetAddress.getByName(literal).getAddress();
    }
}
