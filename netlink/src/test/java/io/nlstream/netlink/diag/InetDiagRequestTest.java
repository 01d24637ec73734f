package io.nlstream.netlink.diag;

import io.nlstream.netlink.Fixtures;
import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.nlstream.netlink.diag.InetDiag.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The request bytes against the ones capture_dfx.py sent to the kernel (fixtures/diag/README.md).
 */
class InetDiagRequestTest
{
    private static final int EXT = INET_DIAG_EXT_MEMINFO | INET_DIAG_EXT_INFO | INET_DIAG_EXT_VEGASINFO
        | INET_DIAG_EXT_CONG | INET_DIAG_EXT_TOS | INET_DIAG_EXT_TCLASS | INET_DIAG_EXT_SKMEMINFO;

    private static byte[] written(final ByteBuffer buf, final int seq, final int family, final int protocol)
    {
        final int len = InetDiagRequest.write(buf, seq, family, protocol, EXT, ALL_STATES);
        assertEquals(72, len);
        final byte[] out = new byte[len];
        buf.get(0, out);
        return out;
    }

    @Test
    void sameBytesAsTheCapturedRequests()
    {
        assertEquals(0x7F, EXT);
        for (final ByteBuffer buf : new ByteBuffer[] {
            ByteBuffer.allocate(100).order(ByteOrder.nativeOrder()),
            ByteBuffer.allocate(100),
            ByteBuffer.allocateDirect(72),
        })
        {
            assertArrayEquals(Fixtures.bytes("diag/request-tcp4.hex"), written(buf, 1, AF_INET, IPPROTO_TCP));
            assertArrayEquals(Fixtures.bytes("diag/request-udp6.hex"), written(buf, 4, AF_INET6, IPPROTO_UDP));
            assertEquals(0, buf.position());
        }
    }

    @Test
    void overwritesWhatWasThere()
    {
        final ByteBuffer buf = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 72; i++)
        {
            buf.put(i, (byte)0xAA);
        }
        InetDiagRequest.write(buf, 7, AF_INET, IPPROTO_TCP, INET_DIAG_EXT_INFO, TcpStates.bit(TCP_LISTEN));
        assertEquals(72, NetlinkFraming.check(buf, 0, 72));
        assertEquals(SockDiag.SOCK_DIAG_BY_FAMILY, NetlinkFraming.type(buf, 0));
        assertEquals(0x301, NetlinkFraming.flags(buf, 0));
        assertEquals(7, NetlinkFraming.seq(buf, 0));
        assertEquals(0, NetlinkFraming.pid(buf, 0));
        assertEquals(AF_INET, buf.get(16));
        assertEquals(IPPROTO_TCP, buf.get(17));
        assertEquals(2, buf.get(18));
        assertEquals(0, buf.get(19));
        assertEquals(1 << 10, buf.getInt(20));
        for (int i = 24; i < 72; i++)
        {
            assertEquals(0, buf.get(i), "inet_diag_sockid byte " + i);
        }
    }

    @Test
    void aBufferTooSmallIsAProgrammingError()
    {
        assertThrows(IndexOutOfBoundsException.class,
            () -> InetDiagRequest.write(ByteBuffer.allocate(71), 1, AF_INET, IPPROTO_TCP, 0, ALL_STATES));
    }
}
