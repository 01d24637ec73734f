package io.nlstream.netlink.diag;

import io.nlstream.netlink.Bytes;
import io.nlstream.netlink.Netlink;

import java.nio.ByteBuffer;

import static io.nlstream.netlink.diag.InetDiag.*;

/**
 * Writes a dump request for a NETLINK_SOCK_DIAG socket: every socket of one family and protocol in
 * the chosen states, with the extensions asked for in idiag_ext. The replies are SOCK_DIAG_BY_FAMILY
 * messages for {@link InetDiagDecoder}, ended by NLMSG_DONE.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      nlmsg_len = 72                           |
 *  +-------------------------------+-------------------------------+
 *  |  nlmsg_type SOCK_DIAG_BY_FAMILY | NLM_F_REQUEST | NLM_F_DUMP  |
 *  +-------------------------------+-------------------------------+
 *  |                      nlmsg_seq                                |
 *  +---------------------------------------------------------------+
 *  |                      nlmsg_pid = 0 (the kernel)               |
 *  +---------------+---------------+---------------+---------------+
 *  | sdiag_family  |sdiag_protocol |   idiag_ext   |      pad      |  struct inet_diag_req_v2
 *  +---------------+---------------+---------------+---------------+
 *  |                 idiag_states (bit 1 << TCP_*)                 |
 *  +---------------------------------------------------------------+
 *  |      struct inet_diag_sockid, all zero: no filter (48 bytes)  |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Written in host order whatever the buffer's order; the buffer's position and limit are not touched.
 */
public final class InetDiagRequest
{
    /** nlmsghdr + struct inet_diag_req_v2. */
    public static final int LENGTH = Netlink.NLMSG_HDRLEN + INET_DIAG_REQ_V2_LEN;

    private InetDiagRequest()
    {
    }

    /**
     * Writes the request at index 0 of {@code buf}.
     *
     * @param family   AF_INET or AF_INET6 (an AF_INET6 dump includes IPv4-mapped sockets, not AF_INET ones)
     * @param protocol IPPROTO_TCP, IPPROTO_UDP, ...
     * @param ext      idiag_ext: {@code INET_DIAG_EXT_*} bits, e.g. INFO | CONG
     * @param states   idiag_states: {@link TcpStates#bit(int)} of each state, or {@link InetDiag#ALL_STATES}
     * @return the length written, {@link #LENGTH}
     * @throws IndexOutOfBoundsException when the buffer's capacity is less than {@link #LENGTH}: a
     *                                   programming error, not bad input
     */
    public static int write(
        final ByteBuffer buf, final int seq, final int family, final int protocol, final int ext, final int states)
    {
        if (buf.capacity() < LENGTH)
        {
            throw new IndexOutOfBoundsException("index=0 length=" + LENGTH + " capacity=" + buf.capacity());
        }
        for (int i = 0; i < LENGTH; i++)
        {
            buf.put(i, (byte)0);
        }
        putI32(buf, Netlink.NLMSG_LENGTH_OFFSET, LENGTH);
        putU16(buf, Netlink.NLMSG_TYPE_OFFSET, SockDiag.SOCK_DIAG_BY_FAMILY);
        putU16(buf, Netlink.NLMSG_FLAGS_OFFSET, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
        putI32(buf, Netlink.NLMSG_SEQ_OFFSET, seq);
        final int req = Netlink.NLMSG_HDRLEN;
        buf.put(req + REQ_FAMILY_OFFSET, (byte)family);
        buf.put(req + REQ_PROTOCOL_OFFSET, (byte)protocol);
        buf.put(req + REQ_EXT_OFFSET, (byte)ext);
        putI32(buf, req + REQ_STATES_OFFSET, states);
        return LENGTH;
    }

    private static void putU16(final ByteBuffer buf, final int index, final int value)
    {
        final short v = (short)value;
        buf.putShort(index, buf.order() == Bytes.HOST_ORDER ? v : Short.reverseBytes(v));
    }

    private static void putI32(final ByteBuffer buf, final int index, final int value)
    {
        buf.putInt(index, buf.order() == Bytes.HOST_ORDER ? value : Integer.reverseBytes(value));
    }
}
