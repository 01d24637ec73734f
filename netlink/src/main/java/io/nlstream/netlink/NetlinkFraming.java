package io.nlstream.netlink;

import java.nio.ByteBuffer;

import static io.nlstream.netlink.Netlink.NLMSG_FLAGS_OFFSET;
import static io.nlstream.netlink.Netlink.NLMSG_HDRLEN;
import static io.nlstream.netlink.Netlink.NLMSG_LENGTH_OFFSET;
import static io.nlstream.netlink.Netlink.NLMSG_PID_OFFSET;
import static io.nlstream.netlink.Netlink.NLMSG_SEQ_OFFSET;
import static io.nlstream.netlink.Netlink.NLMSG_TYPE_OFFSET;

/**
 * Framing of a stream of netlink messages, with the guarantees of libmnl's {@code mnl_nlmsg_ok}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                      nlmsg_len (u32)                          |  header + payload, unpadded
 *  +-------------------------------+-------------------------------+
 *  |       nlmsg_type (u16)        |       nlmsg_flags (u16)       |
 *  +-------------------------------+-------------------------------+
 *  |                      nlmsg_seq (u32)                          |
 *  +---------------------------------------------------------------+
 *  |                      nlmsg_pid (u32)                          |  sender port id, 0 = kernel
 *  +---------------------------------------------------------------+
 *  |                 payload (nlmsg_len - 16 bytes)                |
 *  |                 ... padding to NLMSG_ALIGNTO (4)              |
 *  +---------------------------------------------------------------+
 *  |                 next struct nlmsghdr ...                      |
 * </pre>
 *
 * All fields are in host byte order. A datagram holds one or more messages; the next one starts at
 * {@link #nextOffset(int, int, int)}.
 *
 * <pre>{@code
 * for (int off = start; off < end; ) {
 *     final int len = NetlinkFraming.check(buf, off, end - off);
 *     if (len < 0) { invalid(NetlinkFraming.describe(len)); break; }
 *     handle(buf, off, len);
 *     off = NetlinkFraming.nextOffset(off, len, end);
 * }
 * }</pre>
 */
public final class NetlinkFraming
{
    /** Fewer than {@link Netlink#NLMSG_HDRLEN} bytes remain. */
    public static final int ERR_SHORT_HEADER = -1;
    /** {@code nlmsg_len} is smaller than the header it is part of. */
    public static final int ERR_LENGTH_TOO_SMALL = -2;
    /** {@code nlmsg_len} claims more bytes than remain. */
    public static final int ERR_LENGTH_PAST_END = -3;

    public static final String SHORT_HEADER = "remaining bytes shorter than a netlink header";
    public static final String LENGTH_TOO_SMALL = "nlmsg_len shorter than a netlink header";
    public static final String LENGTH_PAST_END = "nlmsg_len past end of buffer";

    private NetlinkFraming()
    {
    }

    /**
     * Validates the {@code struct nlmsghdr} at {@code offset}.
     *
     * @param remaining bytes from {@code offset} to the end of the datagram; never trusted beyond
     *                  {@code buf.limit()}.
     * @return {@code nlmsg_len} (unpadded, at least {@link Netlink#NLMSG_HDRLEN}) or a negative
     * {@code ERR_*} code.
     */
    public static int check(final ByteBuffer buf, final int offset, final int remaining)
    {
        if (offset < 0 || offset > buf.limit())
        {
            return ERR_SHORT_HEADER;
        }
        final int available = Math.min(remaining, buf.limit() - offset);
        if (available < NLMSG_HDRLEN)
        {
            return ERR_SHORT_HEADER;
        }
        // u32 on the wire: a value with the top bit set is huge, not negative.
        final int len = Bytes.i32(buf, offset + NLMSG_LENGTH_OFFSET);
        if (Integer.compareUnsigned(len, NLMSG_HDRLEN) < 0)
        {
            return ERR_LENGTH_TOO_SMALL;
        }
        if (Integer.compareUnsigned(len, available) > 0)
        {
            return ERR_LENGTH_PAST_END;
        }
        return len;
    }

    /**
     * @return one of the constant descriptions above, {@code "ok"} for a length.
     */
    public static String describe(final int code)
    {
        switch (code)
        {
            case ERR_SHORT_HEADER:
                return SHORT_HEADER;
            case ERR_LENGTH_TOO_SMALL:
                return LENGTH_TOO_SMALL;
            case ERR_LENGTH_PAST_END:
                return LENGTH_PAST_END;
            default:
                return code >= 0 ? "ok" : "unknown framing code";
        }
    }

    /**
     * Where the message after one of {@code length} bytes at {@code offset} starts. The last message of
     * a datagram may lack its padding, hence the clamp to {@code end}.
     */
    public static int nextOffset(final int offset, final int length, final int end)
    {
        final long next = offset + ((length + (long)Netlink.NLMSG_ALIGNTO - 1) & -Netlink.NLMSG_ALIGNTO);
        return next > end ? end : (int)next;
    }

    public static int length(final ByteBuffer buf, final int offset)
    {
        return Bytes.i32(buf, offset + NLMSG_LENGTH_OFFSET);
    }

    public static int type(final ByteBuffer buf, final int offset)
    {
        return Bytes.u16(buf, offset + NLMSG_TYPE_OFFSET);
    }

    public static int flags(final ByteBuffer buf, final int offset)
    {
        return Bytes.u16(buf, offset + NLMSG_FLAGS_OFFSET);
    }

    public static int seq(final ByteBuffer buf, final int offset)
    {
        return Bytes.i32(buf, offset + NLMSG_SEQ_OFFSET);
    }

    public static int pid(final ByteBuffer buf, final int offset)
    {
        return Bytes.i32(buf, offset + NLMSG_PID_OFFSET);
    }
}
