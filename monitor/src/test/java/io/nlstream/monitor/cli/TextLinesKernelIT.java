package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.monitor.testing.Traffic;
import io.nlstream.netlink.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: the text format reads like the tools. While {@code run --netns NAME} captures a test
 * namespace, {@code conntrack -E} and {@code ip monitor all} listen in it; links, a bridge, addresses of both
 * families, a route in table 100, a neighbour, TCP, UDP and ICMP flows and a flow deleted with
 * {@code conntrack -D} happen there. Then, in order:
 * <ul>
 * <li>every line {@code conntrack -E} printed begins the body of one of our conn lines with the same op
 *     ({@code [NEW]} is {@code conn new}), whitespace collapsed;</li>
 * <li>every route, address and neighbour line {@code ip monitor} printed (its continuation lines joined,
 *     {@code Deleted} as op {@code del}) begins the body of one of our lines of that kind and op, but for what
 *     we do not decode ({@code pref medium}, {@code linkdown}); a link line's words all appear, in order, in
 *     ours (we add {@code qlen}, the kind, and print {@code @NONE} as nothing; {@code M-DOWN}, which ip derives
 *     from its cache of the peer, only {@code state} shows);</li>
 * <li>the namespace is named as {@code run --netns} named it, in text and JSON ({@code netns_name}), by
 *     {@code run --stdout text} and {@code replay} alike.</li>
 * </ul>
 */
@org.junit.jupiter.api.Tag("kernel")
class TextLinesKernelIT
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void linesReadAsConntrackAndIpMonitorPrintThem() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        final List<Process> started = new ArrayList<>();
        try (Netns ns = Netns.create("lines"))
        {
            ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0");
            ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0");
            ns.ip("link", "set", "lo", "up");
            Traffic.trackConnections(ns);
            final File ctOut = tmp.resolve("conntrack-E.txt").toFile();
            final File ipOut = tmp.resolve("ip-monitor.txt").toFile();
            try (MonitorProcess monitor = MonitorProcess.startInHost(tmp, "run", "--netns", ns.name(), "--journal", journal.toString(),
                "--stdout", "text"))
            {
                monitor.awaitLog("capture rtnl: initial dumps complete", 30_000);
                started.add(new ProcessBuilder(ns.prefix("conntrack", "-E")).redirectErrorStream(true).redirectOutput(ctOut).start());
                started.add(new ProcessBuilder(ns.prefix("ip", "monitor", "all")).redirectErrorStream(true).redirectOutput(ipOut).start());
                Thread.sleep(1_000); // fixed: conntrack -E and ip monitor print nothing once they listen

                ns.ip("link", "add", "a0", "type", "veth", "peer", "name", "a1");
                ns.ip("link", "add", "br9", "type", "bridge");
                ns.ip("link", "set", "a1", "master", "br9");
                ns.ip("addr", "add", "10.5.0.1/24", "dev", "a0");
                ns.ip("link", "set", "a0", "up");
                ns.ip("link", "set", "a1", "up");
                ns.ip("-6", "addr", "add", "fd00::1/64", "dev", "a0");
                ns.ip("route", "add", "10.6.0.0/16", "via", "10.5.0.2", "table", "100");
                ns.ip("neigh", "add", "10.5.0.9", "lladdr", "02:00:00:00:00:09", "dev", "a0", "nud", "permanent");
                ns.ip("link", "set", "a0", "mtu", "1400");
                ns.ip("neigh", "del", "10.5.0.9", "dev", "a0");
                ns.ip("addr", "del", "10.5.0.1/24", "dev", "a0");

                Traffic.startServer(ns, started, Traffic.TCP_ECHO, "127.0.0.1", "8080");
                ns.exec("python3", "-c", Traffic.TCP_CLIENT, "127.0.0.1", "8080");
                ns.exec("python3", "-c", Traffic.UDP_SEND, "127.0.0.1", "5353");
                ns.exec("ping", "-c", "1", "-W", "1", "127.0.0.1");
                ns.exec("conntrack", "-D", "-p", "udp");
                // each reader's last line: of conntrack's, the deleted UDP flow's DESTROY (sent before conntrack -D returns);
                // of rtnetlink's, the last route deletion the kernel sends after the address's own (prefix, broadcast, then
                // local; sent before ip addr del returns). A tool prints its socket's messages in order, the monitor each
                // capture's, so once the last is there so is everything before it
                awaitLine(ctOut.toPath(), "conntrack -E to print the UDP flow's DESTROY",
                    l -> l.contains("[DESTROY] udp") && l.contains(" dport=5353 "));
                awaitLine(ipOut.toPath(), "ip monitor to print the deletion of 10.5.0.1's local route",
                    l -> l.startsWith("[ROUTE]Deleted local 10.5.0.1 "));
                monitor.awaitStdoutLine("the UDP flow's conn destroy", l -> isOurs(l, "conn", "destroy", "udp ") && l.contains(" dport=5353 "),
                    Duration.ofSeconds(30));
                monitor.awaitStdoutLine("the deletion of 10.5.0.1's local route", l -> isOurs(l, "route", "del", "local 10.5.0.1 "),
                    Duration.ofSeconds(30));
                for (final Process p : started)
                {
                    p.destroy();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
                assertEquals(0, monitor.terminate(20_000), monitor::toString);

                final List<String> replayed = lines(Cli.run("replay", "--journal", journal.toString(), "--format", "text"));
                assertFalse(replayed.isEmpty());
                assertEquals(replayed, lines(monitor.stdout()), "run --stdout text prints what replay prints");
                for (final String line : replayed)
                {
                    assertTrue(line.contains(" netns=" + ns.name() + " "), line);
                }
                for (final Map<String, Object> e : Cli.lines(Cli.run("replay", "--journal", journal.toString(), "--format", "json")))
                {
                    assertEquals(ns.name(), e.get("netns_name"), e.toString());
                }

                final List<String> conntrack = lines(Files.readString(ctOut.toPath(), StandardCharsets.UTF_8));
                assertTrue(conntrack.stream().anyMatch(l -> l.contains("[DESTROY] udp")), String.join("\n", conntrack));
                assertTrue(conntrack.stream().anyMatch(l -> l.contains("[ASSURED]")), String.join("\n", conntrack));
                conntrackLinesBeginOurs(conntrack, replayed);
                final List<String> ip = joined(Files.readString(ipOut.toPath(), StandardCharsets.UTF_8));
                assertTrue(ip.stream().anyMatch(l -> l.startsWith("[ROUTE]") && l.contains("table 100")), String.join("\n", ip));
                ipMonitorLinesMatchOurs(ip, replayed);
            }
            finally
            {
                started.forEach(Process::destroyForcibly);
            }
        }
    }

    /** Waits until a tool's output file has a line matching {@code line}. */
    private static void awaitLine(final Path file, final String what, final Predicate<String> line)
    {
        Await.until(what, Duration.ofSeconds(30), () -> Files.readString(file, StandardCharsets.UTF_8).lines().anyMatch(line), () ->
        {
            try
            {
                return file + ":\n" + Files.readString(file, StandardCharsets.UTF_8);
            }
            catch (final IOException e)
            {
                return file + " (unreadable: " + e + ")";
            }
        });
    }

    /** Whether {@code line} is one of ours of that kind and op (no origin) whose body begins with {@code body}. */
    private static boolean isOurs(final String line, final String kind, final String op, final String body)
    {
        final String[] parts = line.split(" ", 5);
        return parts.length == 5 && parts[1].equals(kind) && parts[2].equals(op) && !line.contains(" origin=") && parts[4].startsWith(body);
    }

    private static void conntrackLinesBeginOurs(final List<String> conntrack, final List<String> ours)
    {
        final List<String[]> conns = bodies(ours, "conn");
        int from = 0;
        for (final String line : conntrack)
        {
            if (!line.contains("["))
            {
                continue; // "conntrack v1.4.7 (conntrack-tools): 12 flow events have been shown."
            }
            final String trimmed = line.trim();
            final String op = trimmed.substring(1, trimmed.indexOf(']')).toLowerCase();
            // who deleted a flow, as conntrack -E tells it: the netlink port, and the program's name when that process
            // is still there when it prints (so only now and then): not the kernel's data, not in our line
            final String body = collapse(trimmed.substring(trimmed.indexOf(']') + 1)
                .replaceAll(" \\[USERSPACE\\] portid=\\d+( progname=\\S+)?", ""));
            from = find(conns, from, op, body, "conntrack -E line: " + line);
        }
    }

    private static void ipMonitorLinesMatchOurs(final List<String> ip, final List<String> ours)
    {
        final String[][] kinds = {{"[ROUTE]", "route"}, {"[ADDR]", "addr"}, {"[NEIGH]", "neigh"}, {"[LINK]", "link"}};
        for (final String[] k : kinds)
        {
            final List<String[]> bodies = bodies(ours, k[1]);
            int from = 0;
            int compared = 0;
            for (final String line : ip)
            {
                if (!line.startsWith(k[0]))
                {
                    continue;
                }
                String body = line.substring(k[0].length());
                String op = "new";
                if (body.startsWith("Deleted "))
                {
                    op = "del";
                    body = body.substring("Deleted ".length());
                }
                body = collapse(body.replace(" pref medium", "").replace(" linkdown", ""));
                if (k[1].equals("neigh") && body.startsWith("dev "))
                {
                    continue; // a bridge's forwarding entry (AF_BRIDGE): no address, printed as fdb
                }
                if (k[1].equals("link") && !body.contains(" qdisc "))
                {
                    continue; // a bridge port's record (AF_BRIDGE, as `bridge link` shows it): not a link event of ours
                }
                if (k[1].equals("link"))
                {
                    // M-DOWN is ip's, from its cache of the peer's flags: events carry the flags the kernel sent (state adds it)
                    from = findWords(bodies, from, op, body.replace("@NONE", "").replace(",M-DOWN", "").replaceAll(" event( [A-Z_]+)+", ""),
                        "ip monitor line: " + line);
                }
                else
                {
                    from = find(bodies, from, op, body, "ip monitor line: " + line);
                }
                compared++;
            }
            assertTrue(compared > 0, "no " + k[0] + " lines from ip monitor");
        }
    }

    /** Our lines of one kind as {op, body}: the body is what follows the namespace. */
    private static List<String[]> bodies(final List<String> ours, final String kind)
    {
        final List<String[]> out = new ArrayList<>();
        for (final String line : ours)
        {
            final String[] parts = line.split(" ", 5);
            if (parts.length == 5 && parts[1].equals(kind) && !line.contains(" origin="))
            {
                out.add(new String[] {parts[2], parts[4]});
            }
        }
        return out;
    }

    /** The first of ours at or after {@code from} with this op whose body begins with {@code body}; one past it. */
    private static int find(final List<String[]> ours, final int from, final String op, final String body, final String what)
    {
        for (int i = from; i < ours.size(); i++)
        {
            final String[] o = ours.get(i);
            if (o[0].equals(op) && (o[1].equals(body) || o[1].startsWith(body + " ")))
            {
                return i + 1;
            }
        }
        throw new AssertionError(what + "\nexpected a line of ours, op " + op + ", beginning\n" + body + "\nafter line " + from + " of\n" + print(ours));
    }

    /** As {@link #find}, with every word of {@code body} in ours, in order. */
    private static int findWords(final List<String[]> ours, final int from, final String op, final String body, final String what)
    {
        final String[] words = body.split(" ");
        for (int i = from; i < ours.size(); i++)
        {
            final String[] o = ours.get(i);
            if (o[0].equals(op) && inOrder(words, o[1].split(" ")))
            {
                return i + 1;
            }
        }
        throw new AssertionError(
            what + "\nexpected a line of ours, op " + op + ", with the words of\n" + body + "\nafter line " + from + " of\n" + print(ours));
    }

    private static boolean inOrder(final String[] words, final String[] in)
    {
        int j = 0;
        for (final String w : words)
        {
            while (j < in.length && !in[j].equals(w))
            {
                j++;
            }
            if (j++ >= in.length)
            {
                return false;
            }
        }
        return true;
    }

    private static String print(final List<String[]> ours)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ours.size(); i++)
        {
            sb.append(i).append(": ").append(ours.get(i)[0]).append(' ').append(ours.get(i)[1]).append('\n');
        }
        return sb.toString();
    }

    private static String collapse(final String s)
    {
        return s.trim().replaceAll("\\s+", " ");
    }

    /** ip monitor's records, each on one line: lines that begin with white space continue the one before. */
    private static List<String> joined(final String text)
    {
        final List<String> out = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && !out.isEmpty())
            {
                out.set(out.size() - 1, out.get(out.size() - 1) + " " + line.trim());
            }
            else if (!line.isBlank())
            {
                out.add(line);
            }
        }
        return out;
    }

    private static List<String> lines(final String text)
    {
        return new ArrayList<>(Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).toList());
    }
}
