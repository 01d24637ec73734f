package io.nlstream.monitor.capture;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The figures a dump round is passed over on: sockstat and sockstat6 as this kernel (6.18) prints them (read with
 * {@code cat /proc/net/sockstat /proc/net/sockstat6} on the project VM), memory and alloc left out.
 */
class SocketCountsTest
{
    private static final String HOST = """
        sockets: used 8
        TCP: inuse 1 orphan 0 tw 0 alloc 1 mem 44
        UDP: inuse 0 mem 0
        UDPLITE: inuse 0
        RAW: inuse 0
        FRAG: inuse 0 memory 0
        TCP6: inuse 0
        UDP6: inuse 0
        UDPLITE6: inuse 0
        RAW6: inuse 0
        FRAG6: inuse 0 memory 0
        """;

    @Test
    void inUseAndTimeWaitOfTheDumpedProtocols()
    {
        assertEquals("TCP:1/0 UDP:0/- TCP6:0/- UDP6:0/- ", SocketCounts.counts(HOST));
        // buffers and the host-wide alloc move without a socket made here: the same counts
        assertEquals(SocketCounts.counts(HOST), SocketCounts.counts(HOST.replace("alloc 1 mem 44", "alloc 9 mem 3000")
            .replace("UDP: inuse 0 mem 0", "UDP: inuse 0 mem 7").replace("sockets: used 8", "sockets: used 12")));
        // a listener, a UDP socket, a TIME-WAIT, an IPv6 one: each moves them
        for (final String[] change : new String[][] {{"TCP: inuse 1", "TCP: inuse 2"}, {"UDP: inuse 0", "UDP: inuse 1"},
            {"tw 0", "tw 1"}, {"TCP6: inuse 0", "TCP6: inuse 1"}, {"UDP6: inuse 0", "UDP6: inuse 1"}})
        {
            assertNotEquals(SocketCounts.counts(HOST), SocketCounts.counts(HOST.replace(change[0], change[1])), change[1]);
        }
        // UDPLITE and RAW are not dumped, nor told apart from UDP and TCP by a prefix match
        assertEquals(SocketCounts.counts(HOST), SocketCounts.counts(HOST.replace("UDPLITE: inuse 0", "UDPLITE: inuse 3")
            .replace("RAW6: inuse 0", "RAW6: inuse 2")));
    }

    @Test
    void aMissingLineIsNoCounts()
    {
        assertNull(SocketCounts.counts(HOST.replace("UDP6: inuse 0\n", "")));
        assertNull(SocketCounts.counts(""));
    }
}
