package io.nlstream.monitor.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real sockets in a test namespace: small python3 servers and clients (ADDRESS PORT as their arguments), so
 * the kernel makes real conntrack entries and sockets. Servers print "ready" once they listen.
 */
public final class Traffic
{
    /** A TCP echo server: accepts, echoes one read, closes; forever. */
    public static final String TCP_ECHO = String.join("\n",
        "import socket, sys",
        "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
        "s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(16); print('ready', flush=True)",
        "while True:",
        "    c, a = s.accept(); d = c.recv(100); c.sendall(d); c.close()");
    /** A UDP echo server. */
    public static final String UDP_ECHO = String.join("\n",
        "import socket, sys",
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
        "s.bind((sys.argv[1], int(sys.argv[2]))); print('ready', flush=True)",
        "while True:",
        "    d, a = s.recvfrom(100); s.sendto(d, a)");
    /** One TCP exchange with an echo server; fails unless the echo comes back. */
    public static final String TCP_CLIENT = String.join("\n",
        "import socket, sys",
        "c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)",
        "c.sendall(b'hello'); assert c.recv(100) == b'hello'; c.close()");
    /** One UDP exchange with an echo server; fails unless the echo comes back. */
    public static final String UDP_CLIENT = String.join("\n",
        "import socket, sys",
        "c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.settimeout(5)",
        "c.sendto(b'hello', (sys.argv[1], int(sys.argv[2]))); assert c.recvfrom(100)[0] == b'hello'");
    /** One UDP datagram, no answer expected. */
    public static final String UDP_SEND = String.join("\n",
        "import socket, sys",
        "socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'hello', (sys.argv[1], int(sys.argv[2])))");

    private Traffic()
    {
    }

    /**
     * A veth pair between two test namespaces, named eth0 on both sides, addressed ({@code /24}) and up: the
     * client sends from {@code clientAddress}, the server listens on {@code serverAddress}.
     */
    public static void wire(final Netns client, final Netns server, final String clientAddress, final String serverAddress)
    {
        final String veth = "nlw" + Long.toHexString(System.nanoTime() & 0xffffff);
        client.ip("link", "add", veth + "a", "type", "veth", "peer", "name", veth + "b", "netns", server.name());
        client.ip("link", "set", veth + "a", "name", "eth0");
        server.ip("link", "set", veth + "b", "name", "eth0");
        client.ip("addr", "add", clientAddress + "/24", "dev", "eth0");
        server.ip("addr", "add", serverAddress + "/24", "dev", "eth0");
        client.ip("link", "set", "eth0", "up");
        server.ip("link", "set", "eth0", "up");
    }

    /** Turns conntrack on in {@code ns}: it tracks nothing until a rule uses it. */
    public static void trackConnections(final Netns ns)
    {
        ns.execWithInput(String.join("\n",
            "table inet nlstest {",
            "  chain in { type filter hook input priority 0; policy accept; ct state new counter; }",
            "}", ""), "nft", "-f", "-");
    }

    /**
     * A neighbour's state as the kernel announces it: entries into REACHABLE, STALE, FAILED and the static
     * states are announced, the passing ones (DELAY, PROBE) it goes through on the next use are not, and
     * iproute2 may list either: the dynamic states compare as one, "dynamic".
     */
    public static String stableNeighbourState(final Object state)
    {
        return "PERMANENT".equals(state) || "NOARP".equals(state) || "FAILED".equals(state) || "INCOMPLETE".equals(state)
            ? (String)state : "dynamic";
    }

    /**
     * Starts a server script in {@code ns} and waits for its "ready"; the process is added to {@code started}
     * (the caller destroys them all, also when the test fails).
     */
    public static Process startServer(final Netns ns, final List<Process> started, final String script, final String... args) throws IOException
    {
        final List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(ns.prefix(cmd.toArray(new String[0]))).redirectErrorStream(true).start();
        started.add(p);
        final BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", r.readLine(), "server did not start: " + String.join(" ", args));
        return p;
    }
}
