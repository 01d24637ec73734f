package io.nlstream.monitor.export;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pcap layout byte for byte: file header, record header, LINKTYPE_NETLINK's 16-byte header, the message. */
class PcapWriterTest
{
    private static final byte[] MESSAGE = {20, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0x11, (byte)0xa4, 0x70, (byte)0x80, 0, 0, 0, 0};

    @Test
    void fileHeaderSaysNanosecondsAndNetlink() throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PcapWriter(out).close();
        final ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(24, b.remaining());
        assertEquals(0xa1b23c4d, b.getInt(0));
        assertEquals(2, b.getShort(4));
        assertEquals(4, b.getShort(6));
        assertEquals(0, b.getInt(8));
        assertEquals(0, b.getInt(12));
        assertEquals(262_144, b.getInt(16));
        assertEquals(253, b.getInt(20));
    }

    @Test
    void recordCarriesTimeCookedHeaderAndMessage() throws IOException
    {
        for (final boolean direct : new boolean[] {false, true})
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteBuffer buf = direct ? ByteBuffer.allocateDirect(64) : ByteBuffer.allocate(64);
            buf.position(7);
            buf.put(MESSAGE);
            try (PcapWriter pcap = new PcapWriter(out))
            {
                pcap.write(1_796_120_912_470_538_006L, PcapWriter.PACKET_OUTGOING, 12, buf, 7, MESSAGE.length);
                assertEquals(1, pcap.packets());
            }
            final ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(24 + 16 + 16 + MESSAGE.length, b.remaining());
            assertEquals(1_796_120_912, b.getInt(24));
            assertEquals(470_538_006, b.getInt(28));
            assertEquals(16 + MESSAGE.length, b.getInt(32)); // captured
            assertEquals(16 + MESSAGE.length, b.getInt(36)); // on the wire
            b.order(ByteOrder.BIG_ENDIAN);
            assertEquals(4, b.getShort(40)); // sent by us
            assertEquals(824, b.getShort(42)); // ARPHRD_NETLINK
            assertEquals(0, b.getShort(44));
            assertEquals(0L, b.getLong(46));
            assertEquals(12, b.getShort(54)); // NETLINK_NETFILTER
            final byte[] message = new byte[MESSAGE.length];
            b.get(56, message);
            assertArrayEquals(MESSAGE, message);
        }
    }

    @Test
    void timeBeforeTheEpochAndLongMessages() throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int length = PcapWriter.SNAPLEN + 100;
        try (PcapWriter pcap = new PcapWriter(out))
        {
            pcap.write(-1L, PcapWriter.PACKET_HOST, 0, ByteBuffer.allocate(length), 0, length);
        }
        final ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-1, b.getInt(24)); // one ns before 1970: second -1, 999 999 999 ns
        assertEquals(999_999_999, b.getInt(28));
        assertEquals(PcapWriter.SNAPLEN, b.getInt(32)); // cut at the snap length, as the header says
        assertEquals(16 + length, b.getInt(36));
        assertEquals(24 + 16 + PcapWriter.SNAPLEN, b.remaining());
    }
}
