package io.nlstream.netlink.diag;

import io.nlstream.netlink.FixtureMessages;
import io.nlstream.netlink.Fixtures;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.nlstream.netlink.diag.InetDiag.*;
import static io.nlstream.netlink.diag.SockDiag.SOCK_DIAG_BY_FAMILY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes the captured sock_diag messages (fixtures/diag/README.md) and checks them against what
 * capture_dfx.py set up and against what {@code ss -tanei} / {@code ss -uanei} printed.
 */
class InetDiagDecoderTest
{
    private static final List<String> DUMPS = List.of(
        "diag/tcp4-dump.hex", "diag/tcp6-dump.hex", "diag/udp4-dump.hex", "diag/udp6-dump.hex");

    private final InetDiagDecoder diag = new InetDiagDecoder();
    private final InetDiagDecoder other = new InetDiagDecoder();

    private void wrap(final InetDiagDecoder decoder, final String fixture)
    {
        final ByteBuffer buf = Fixtures.buffer("diag/" + fixture);
        assertTrue(decoder.wrap(buf, 0, buf.limit()), () -> fixture + ": " + decoder.error());
    }

    @Test
    void tcpListener()
    {
        wrap(diag, "tcp4-listen.hex");
        assertEquals(AF_INET, diag.family());
        assertEquals(TCP_LISTEN, diag.state());
        assertEquals("LISTEN", TcpStates.name(diag.state()));
        assertEquals("10.88.0.1", diag.src());
        assertEquals(8080, diag.sport());
        assertEquals("0.0.0.0", diag.dst());
        assertEquals(0, diag.dport());
        assertEquals(0, diag.rqueue(), "nobody waiting in accept");
        assertEquals(8, diag.wqueue(), "a listener's Send-Q is its backlog");
        assertEquals(0, diag.uid());
        assertTrue(diag.inode() > 0);
        assertEquals("bbr", diag.congestion());
        assertEquals(0, diag.shutdown());
        assertEquals(-1, diag.protocol(), "not asked for in the dump");
        assertEquals(0, diag.tos());
        assertEquals(-1, diag.tclass(), "IPv6 only");
        assertEquals(-1, diag.v6only());
        assertEquals(0, diag.mark());
        assertEquals(1, diag.cgroupId(), "the root cgroup");
        assertTrue(diag.hasTcpInfo());
        assertEquals(TCP_LISTEN, diag.tcpiState());
        assertEquals("10.88.0.1:8080", SsFormat.local(diag));
        assertEquals("0.0.0.0:*", SsFormat.peer(diag));
        assertNull(diag.error());
    }

    @Test
    void tcpConnection()
    {
        wrap(diag, "tcp4-estab.hex");
        assertEquals(TCP_ESTABLISHED, diag.state());
        assertEquals("ESTAB", TcpStates.name(diag.state()));
        assertEquals("10.88.0.1", diag.src());
        assertEquals(8080, diag.sport());
        assertEquals("10.88.0.2", diag.dst());
        assertTrue(diag.dport() >= 1024);
        assertEquals(200, diag.rqueue(), "b sent 200 bytes that a never read");
        assertEquals(0, diag.wqueue());
        assertEquals(280, diag.tcpInfoLength(), "struct tcp_info on kernel 6.18");
        assertEquals(TCP_ESTABLISHED, diag.tcpiState());
        assertEquals(0, diag.tcpiRetransmits());
        assertEquals(1000, diag.tcpiBytesAcked());
        assertEquals(1000, diag.tcpiBytesSent());
        assertEquals(200, diag.tcpiBytesReceived());
        assertEquals(0, diag.tcpiTotalRetrans());
        assertEquals(0, diag.tcpiLost());
        assertTrue(diag.tcpiRtt() > 0 && diag.tcpiRttvar() > 0);
        assertTrue(diag.tcpiSndCwnd() >= 10);
        assertTrue(diag.tcpiDeliveryRate() > 0);
        assertTrue(diag.tcpiMinRtt() > 0 && diag.tcpiMinRtt() <= diag.tcpiRtt() + diag.tcpiRttvar());
    }

    @Test
    void ipv6AndIpv4MappedConnections()
    {
        wrap(diag, "tcp6-listen.hex");
        assertEquals(AF_INET6, diag.family());
        assertEquals("::", diag.src());
        assertEquals(0, diag.v6only());
        assertEquals("*:8081", SsFormat.local(diag), "dual-stack: ss writes *");
        assertEquals("*:*", SsFormat.peer(diag));

        wrap(diag, "tcp6-mapped-estab.hex");
        assertEquals("::ffff:10.88.0.1", diag.src());
        assertEquals("::ffff:10.88.0.2", diag.dst());
        assertEquals("[::ffff:10.88.0.1]:8081", SsFormat.local(diag));
        assertEquals(300, diag.tcpiBytesAcked());

        wrap(diag, "tcp6-estab.hex");
        assertEquals("fd00:88::1", diag.src());
        assertEquals("fd00:88::2", diag.dst());
        assertEquals(100, diag.rqueue());
        assertEquals(100, diag.tcpiBytesReceived());
        assertEquals(0, diag.tclass());
        assertEquals("[fd00:88::1]:8081", SsFormat.local(diag));
    }

    @Test
    void udp()
    {
        wrap(diag, "udp4-unconn.hex");
        assertEquals(TCP_CLOSE, diag.state());
        assertEquals("UNCONN", TcpStates.name(diag.state()));
        assertEquals("10.88.0.1:5300", SsFormat.local(diag));
        assertEquals("0.0.0.0:*", SsFormat.peer(diag));
        assertFalse(diag.hasTcpInfo());
        assertEquals(-1, diag.tcpiRtt());
        assertNull(diag.congestion());

        wrap(diag, "udp6-connected.hex");
        assertEquals("ESTAB", TcpStates.name(diag.state()), "a connected UDP socket");
        assertEquals("[fd00:88::1]:5301", SsFormat.local(diag));
        assertEquals("[fd00:88::2]:5302", SsFormat.peer(diag));
    }

    /**
     * A destroy notification names the same socket as the dump did: same cookie, same addresses.
     */
    @Test
    void destroyNotifications()
    {
        wrap(diag, "tcp4-destroy.hex");
        wrap(other, "tcp4-estab.hex");
        assertEquals(SOCK_DIAG_BY_FAMILY, Fixtures.buffer("diag/tcp4-destroy.hex").getShort(4));
        assertEquals(IPPROTO_TCP, diag.protocol());
        assertEquals(TCP_CLOSE, diag.state(), "closed with unread data: reset, then freed");
        assertEquals(other.cookie(), diag.cookie());
        assertEquals(other.dport(), diag.dport());
        assertEquals("10.88.0.2", diag.dst());
        assertTrue(diag.hasTcpInfo());
        assertEquals(1000, diag.tcpiBytesAcked());
        assertNull(diag.congestion(), "destroy notifications carry INET_DIAG_INFO, not CONG");

        wrap(diag, "tcp6-destroy.hex");
        wrap(other, "tcp6-estab.hex");
        assertEquals(AF_INET6, diag.family());
        assertEquals(IPPROTO_TCP, diag.protocol());
        assertEquals(other.cookie(), diag.cookie());
        assertEquals("fd00:88::2", diag.dst());

        wrap(diag, "udp4-destroy.hex");
        wrap(other, "udp4-unconn.hex");
        assertEquals(IPPROTO_UDP, diag.protocol());
        assertEquals(5300, diag.sport());
        assertEquals(other.cookie(), diag.cookie());
        assertFalse(diag.hasTcpInfo());
    }

    /**
     * Every socket of the four dumps against its line in {@code ss -tanei} / {@code ss -uanei}.
     */
    @Test
    void dumpsMatchSs()
    {
        final Map<String, Map<String, String>> ss = new HashMap<>();
        ss.putAll(ssLines("diag/ss-tanei.txt"));
        ss.putAll(ssLines("diag/ss-uanei.txt"));
        int n = 0;
        for (final String dump : DUMPS)
        {
            final ByteBuffer buf = Fixtures.buffer(dump);
            for (final int[] span : FixtureMessages.messages(buf, SOCK_DIAG_BY_FAMILY))
            {
                assertTrue(diag.wrap(buf, span[0], span[1]), diag::error);
                final String key = SsFormat.local(diag) + " " + SsFormat.peer(diag);
                final Map<String, String> line = ss.get(key);
                assertNotNull(line, () -> key + " not printed by ss");
                assertEquals(line.get("state"), TcpStates.name(diag.state()), key);
                assertEquals(line.get("recvq"), Long.toString(diag.rqueue()), key);
                assertEquals(line.get("sendq"), Long.toString(diag.wqueue()), key);
                assertEquals(line.get("ino"), Long.toString(diag.inode()), key);
                assertEquals(line.get("sk"), Long.toHexString(diag.cookie()), key);
                assertTrue(line.get("cgroup").endsWith(":" + Long.toHexString(diag.cgroupId())), key);
                assertTrue(line.containsKey(shutdownArrows(diag.shutdown())), key);
                assertEquals(line.get("v6only"), diag.v6only() < 0 ? null : Integer.toString(diag.v6only()), key);
                if (dump.contains("tcp"))
                {
                    assertTrue(line.containsKey(diag.congestion()), key);
                    assertEquals(line.get("cwnd"), Long.toString(diag.tcpiSndCwnd()), key);
                    assertEquals(line.get("bytes_acked"), nonZero(diag.tcpiBytesAcked()), key);
                    assertEquals(line.get("bytes_received"), nonZero(diag.tcpiBytesReceived()), key);
                    assertEquals(line.get("retrans"), null, key);
                    assertEquals(line.get("lost"), nonZero(diag.tcpiLost()), key);
                    if (diag.state() == TCP_ESTABLISHED)
                    {
                        assertEquals(line.get("rtt"), g(diag.tcpiRtt() / 1000.0) + "/" + g(diag.tcpiRttvar() / 1000.0), key);
                        assertEquals(line.get("rto"), g(diag.tcpiRto() / 1000.0), key);
                        assertEquals(line.get("minrtt"), g(diag.tcpiMinRtt() / 1000.0), key);
                        assertEquals(line.get("delivery_rate"), nonZero(diag.tcpiDeliveryRate() * 8) == null
                            ? null : diag.tcpiDeliveryRate() * 8 + "bps", key);
                    }
                }
                n++;
            }
        }
        assertEquals(ss.size(), n, "every socket ss printed is in the dumps, and no more");
        assertEquals(7, n, "tcp4: listener, connection; tcp6: listener, 2 connections; udp4 and udp6: one each");
    }

    private static String shutdownArrows(final int shutdown)
    {
        return (((shutdown & 1) != 0) ? "-" : "<") + "-" + (((shutdown & 2) != 0) ? "-" : ">");
    }

    private static String nonZero(final long value)
    {
        return value == 0 ? null : Long.toString(value);
    }

    /**
     * C's {@code %g} for the magnitudes ss prints: 6 significant digits, trailing zeros dropped.
     */
    private static String g(final double value)
    {
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /**
     * ss lines by "local peer": state, recvq, sendq, then each "key:value" token of the line and of
     * the indented line after it; a bare token ("bbr", "&lt;-&gt;") maps to ""; "send", "pacing_rate"
     * and "delivery_rate" take the next token as their value.
     */
    private static Map<String, Map<String, String>> ssLines(final String fixture)
    {
        final Map<String, Map<String, String>> out = new HashMap<>();
        Map<String, String> current = null;
        for (final String line : Fixtures.text(fixture).split("\n"))
        {
            if (line.startsWith("State") || line.isBlank())
            {
                continue;
            }
            final String[] tokens = line.trim().split("\\s+");
            int i = 0;
            if (!line.startsWith("\t"))
            {
                current = new HashMap<>();
                current.put("state", tokens[0]);
                current.put("recvq", tokens[1]);
                current.put("sendq", tokens[2]);
                out.put(tokens[3] + " " + tokens[4], current);
                i = 5;
            }
            for (; i < tokens.length; i++)
            {
                final String t = tokens[i];
                if ((t.equals("send") || t.equals("pacing_rate") || t.equals("delivery_rate")) && i + 1 < tokens.length)
                {
                    current.put(t, tokens[++i]);
                    continue;
                }
                final int colon = t.indexOf(':');
                current.put(colon > 0 ? t.substring(0, colon) : t, colon > 0 ? t.substring(colon + 1) : "");
            }
        }
        return out;
    }

    @Test
    void tcpInfoFieldsBeyondAShortStructReadAsUnknown()
    {
        // an older kernel's tcp_info: cut INET_DIAG_INFO to 104 bytes (kernel 3.x, up to total_retrans)
        final byte[] bytes = Fixtures.bytes("diag/tcp4-destroy.hex");
        final ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        assertTrue(diag.wrap(buf, 0, bytes.length));
        final int infoAt = 16 + 72 + 8;  // INET_DIAG_PROTOCOL (5 bytes, padded to 8) comes first
        assertEquals(284, buf.getShort(infoAt) & 0xFFFF);
        assertEquals(INET_DIAG_INFO, buf.getShort(infoAt + 2));
        buf.putShort(infoAt, (short)(4 + 104));
        buf.putInt(0, infoAt + 4 + 104);
        assertTrue(diag.wrap(buf, 0, infoAt + 4 + 104), diag::error);
        assertEquals(104, diag.tcpInfoLength());
        assertEquals(TCP_CLOSE, diag.tcpiState());
        assertTrue(diag.tcpiRtt() >= 0);
        assertEquals(0, diag.tcpiTotalRetrans(), "ends at byte 104: still inside");
        assertEquals(-1, diag.tcpiBytesAcked(), "starts at byte 120");
        assertEquals(-1, diag.tcpiDeliveryRate());
        buf.putShort(infoAt, (short)(4 + 1));
        buf.putInt(0, infoAt + 4 + 1);
        assertTrue(diag.wrap(buf, 0, infoAt + 4 + 1));
        assertEquals(TCP_CLOSE, diag.tcpiState(), "one byte: just tcpi_state");
        assertEquals(-1, diag.tcpiRetransmits());
        assertEquals(-1, diag.tcpiRtt());
    }

    @Test
    void stateNames()
    {
        final String[] names = {
            "UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "UNCONN", "CLOSE-WAIT",
            "LAST-ACK", "LISTEN", "CLOSING", "NEW-SYN-RECV", "BOUND-INACTIVE",
        };
        for (int i = 0; i < names.length; i++)
        {
            assertEquals(names[i], TcpStates.name(i));
        }
        assertEquals("14", TcpStates.name(14));
        assertEquals(1 << TCP_LISTEN, TcpStates.bit(TCP_LISTEN));
        assertEquals("[::]:22", SsFormat.address(AF_INET6, "::", 22, true), "v6only: not a wildcard for IPv4");
    }

    @Test
    void refusesOtherSockDiagFamilies()
    {
        final byte[] bytes = Fixtures.bytes("diag/udp4-unconn.hex");
        bytes[16] = 1;  // AF_UNIX: a unix_diag_msg would follow, not an inet_diag_msg
        assertFalse(diag.wrap(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0, bytes.length));
        assertEquals(InetDiagDecoder.ERR_NOT_INET, diag.error());
        assertEquals(16, diag.errorOffset());
        assertNull(diag.src());
        assertEquals(0, diag.cookie());
        assertEquals(-1, diag.shutdown());
    }
}
