package io.nlstream.monitor.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes netlink messages as a pcap file that Wireshark and tshark dissect: nanosecond timestamps, link type
 * LINKTYPE_NETLINK (253), each message after the 16-byte header that link type defines (as libpcap writes it for
 * an nlmon device):
 *
 * <pre>
 *   0      packet type      0 = to us (from the kernel), 4 = sent by us (a dump request)   big-endian
 *   2      ARPHRD_NETLINK   824                                                         big-endian
 *   4      address length   0
 *   6      address          8 zero bytes
 *   14     protocol         the netlink family (NETLINK_ROUTE 0, NETLINK_SOCK_DIAG 4, NETLINK_NETFILTER 12)  big-endian
 *   16     the netlink message, as the kernel sent it (host byte order)
 * </pre>
 * The file header and record headers are little-endian (the magic tells readers so). Not thread safe.
 */
public final class PcapWriter implements AutoCloseable
{
    /** pcap with nanosecond timestamps. */
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    public static final int LINKTYPE_NETLINK = 253;
    public static final int SNAPLEN = 262_144;
    public static final int PACKET_HOST = 0;
    public static final int PACKET_OUTGOING = 4;
    private static final int ARPHRD_NETLINK = 824;
    private static final int COOKED_LENGTH = 16;
    private static final int RECORD_HEADER = 16;

    private final OutputStream out;
    private final ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER + COOKED_LENGTH);
    private final byte[] copy = new byte[SNAPLEN];
    private long packets;

    /** Writes the file header to {@code out} (buffer it: every packet is a few writes). */
    public PcapWriter(final OutputStream out) throws IOException
    {
        this.out = out;
        final ByteBuffer file = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        file.putInt(MAGIC_NANOS).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(SNAPLEN).putInt(LINKTYPE_NETLINK);
        out.write(file.array());
    }

    /**
     * One packet: the message at {@code buf[offset, offset + length)}, captured at {@code wallNanos} (epoch ns).
     *
     * @param packetType {@link #PACKET_HOST} for what the kernel sent, {@link #PACKET_OUTGOING} for a request
     * @param protocol   the netlink family the message was read from
     */
    public void write(final long wallNanos, final int packetType, final int protocol, final ByteBuffer buf, final int offset,
        final int length) throws IOException
    {
        final int captured = Math.min(length, SNAPLEN - COOKED_LENGTH);
        header.clear();
        header.order(ByteOrder.LITTLE_ENDIAN)
            .putInt((int)Math.floorDiv(wallNanos, 1_000_000_000L))
            .putInt((int)Math.floorMod(wallNanos, 1_000_000_000L))
            .putInt(COOKED_LENGTH + captured)
            .putInt(COOKED_LENGTH + length);
        header.order(ByteOrder.BIG_ENDIAN)
            .putShort((short)packetType)
            .putShort((short)ARPHRD_NETLINK)
            .putShort((short)0)
            .putLong(0)
            .putShort((short)protocol);
        out.write(header.array(), 0, header.position());
        if (buf.hasArray())
        {
            out.write(buf.array(), buf.arrayOffset() + offset, captured);
        }
        else
        {
            buf.get(offset, copy, 0, captured);
            out.write(copy, 0, captured);
        }
        packets++;
    }

    public long packets()
    {
        return packets;
    }

    /** Flushes; the stream stays the caller's to close. */
    @Override
    public void close() throws IOException
    {
        out.flush();
    }
}
