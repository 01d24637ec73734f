package io.nlstream.netlink.diag;

import io.nlstream.netlink.Bytes;
import io.nlstream.netlink.InetAddresses;
import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Nest;
import io.nlstream.netlink.Netlink;

import java.nio.ByteBuffer;

import static io.nlstream.netlink.diag.InetDiag.*;
import static io.nlstream.netlink.diag.SockDiag.SOCK_DIAG_BY_FAMILY;

/**
 * Flyweight over a SOCK_DIAG_BY_FAMILY message of the inet families: a reply to an
 * {@link InetDiagRequest} dump, or a destroy notification from an {@code SKNLGRP_*_DESTROY} group.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   struct nlmsghdr (16 bytes), nlmsg_type SOCK_DIAG_BY_FAMILY  |
 *  +---------------+---------------+---------------+---------------+
 *  | idiag_family  |  idiag_state  |  idiag_timer  | idiag_retrans |  struct inet_diag_msg
 *  +---------------+---------------+---------------+---------------+
 *  |     idiag_sport (be16)        |      idiag_dport (be16)       |  struct inet_diag_sockid
 *  +-------------------------------+-------------------------------+
 *  |     idiag_src[4]: 4 (inet, first word) or 16 (inet6) bytes    |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |     idiag_dst[4]                                              |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |     idiag_if (u32)                                            |
 *  +---------------------------------------------------------------+
 *  |     idiag_cookie[0] (u32)     |     idiag_cookie[1] (u32)     |
 *  +---------------------------------------------------------------+
 *  |  idiag_expires (ms) | idiag_rqueue | idiag_wqueue | idiag_uid |  u32 each
 *  |  idiag_inode                                                  |
 *  +---------------------------------------------------------------+
 *  |  INET_DIAG_* attributes to nlmsg_len:                         |
 *  |    INET_DIAG_INFO struct tcp_info (as long as the kernel's)   |
 *  |    INET_DIAG_CONG string   INET_DIAG_SHUTDOWN, PROTOCOL, TOS, |
 *  |    TCLASS, SKV6ONLY u8     INET_DIAG_MARK, CLASS_ID u32       |
 *  |    INET_DIAG_CGROUP_ID u64 INET_DIAG_MEMINFO 16 bytes         |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The same message type carries every sock_diag family (unix, netlink, packet sockets reply with other
 * structs), so wrap refuses a family other than AF_INET and AF_INET6. Validation as in the rtnetlink
 * decoders: framing, the inet_diag_msg size, the exact size of every fixed-size attribute named above
 * (INET_DIAG_SOCKOPT 2 bytes), NUL-terminated INET_DIAG_CONG, and nests for INET_DIAG_ULP_INFO and
 * INET_DIAG_SK_BPF_STORAGES; unknown attributes are skipped, the last of a repeated one wins, and a
 * bad message leaves every getter answering absent.
 * <p>
 * INET_DIAG_INFO has no fixed size: struct tcp_info has grown with every few kernels (280 bytes on
 * 6.18, 104 before 3.15). The {@code tcpi*()} getters read a field only when it lies wholly inside the
 * attribute and return -1 otherwise, so a message from an older kernel reads as "field unknown".
 * For a TCP socket INET_DIAG_INFO is struct tcp_info; for MPTCP and SCTP dumps it is their own
 * struct, so read these getters only for TCP ({@link #protocol()}, or the protocol that was dumped).
 * <p>
 * Reusable and allocation-free except for the String getters. Not thread safe.
 */
public final class InetDiagDecoder extends MessageDecoder
{
    public static final String ERR_NOT_SOCK_DIAG = "not a SOCK_DIAG_BY_FAMILY message";
    public static final String ERR_SHORT_INET_DIAG_MSG = "message shorter than struct inet_diag_msg";
    public static final String ERR_NOT_INET = "idiag_family is neither AF_INET nor AF_INET6";
    public static final String ERR_MEMINFO_LENGTH = InetDiagPolicies.ERR_MEMINFO_LENGTH;
    public static final String ERR_SOCKOPT_LENGTH = InetDiagPolicies.ERR_SOCKOPT_LENGTH;

    private static final int MSG = Netlink.NLMSG_HDRLEN;
    private static final int ID = MSG + MSG_ID_OFFSET;
    private static final int ATTRIBUTES_OFFSET = Netlink.NLMSG_HDRLEN + Netlink.nlmsgAlign(INET_DIAG_MSG_LEN);

    private final InetDiagWalk walk = new InetDiagWalk();
    // payload offsets by INET_DIAG_* type, -1 when absent
    private final Nest nest = Nest.of(InetDiagPolicies.TOP);
    private final int[] attributes = nest.at;

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed inet_diag message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        final int len = open(buf, offset, length, SOCK_DIAG_BY_FAMILY, SOCK_DIAG_BY_FAMILY, ERR_NOT_SOCK_DIAG,
            INET_DIAG_MSG_LEN, ERR_SHORT_INET_DIAG_MSG, nest);
        if (len < 0)
        {
            return false;
        }
        final int family = Bytes.u8(buf, offset + MSG + MSG_FAMILY_OFFSET);
        if (family != AF_INET && family != AF_INET6)
        {
            nest.clear();
            return recordError(ERR_NOT_INET, offset + MSG);
        }
        final int start = offset + ATTRIBUTES_OFFSET;
        return accept(walk, walk.TOP(buf, start, offset + len - start, nest));
    }

    // struct inet_diag_msg; 0 (or null) when the last wrap failed

    public int family()
    {
        return fixedU8(MSG_FAMILY_OFFSET);
    }

    /**
     * @return idiag_state ({@code TCP_*}); see {@link TcpStates#name(int)}.
     */
    public int state()
    {
        return fixedU8(MSG_STATE_OFFSET);
    }

    public int sport()
    {
        return valid ? Bytes.u16be(buf, offset + ID + ID_SPORT_OFFSET) : 0;
    }

    public int dport()
    {
        return valid ? Bytes.u16be(buf, offset + ID + ID_DPORT_OFFSET) : 0;
    }

    /**
     * @return the local address: 4 bytes for AF_INET, all 16 for AF_INET6, as inet_ntop writes it
     * ({@code ::ffff:10.88.0.1} for an IPv4 peer of a dual-stack socket); null after a failed wrap.
     */
    public String src()
    {
        return address(ID_SRC_OFFSET);
    }

    /**
     * @return the remote address, as {@link #src()}; the unspecified address for a listener or an
     * unconnected UDP socket.
     */
    public String dst()
    {
        return address(ID_DST_OFFSET);
    }

    /**
     * @return where idiag_src starts in the buffer ({@link #addressLength()} bytes, network order); -1 when
     * not valid.
     */
    public int srcOffset()
    {
        return valid ? offset + ID + ID_SRC_OFFSET : -1;
    }

    /**
     * @return where idiag_dst starts in the buffer, as {@link #srcOffset()}.
     */
    public int dstOffset()
    {
        return valid ? offset + ID + ID_DST_OFFSET : -1;
    }

    /**
     * @return 4 for AF_INET, 16 for AF_INET6: how many bytes of the address fields are the address.
     */
    public int addressLength()
    {
        return family() == AF_INET ? 4 : 16;
    }

    private String address(final int field)
    {
        if (!valid)
        {
            return null;
        }
        return InetAddresses.format(buf, offset + ID + field, family() == AF_INET ? 4 : 16);
    }

    /**
     * @return idiag_if, the interface a socket is bound to (SO_BINDTODEVICE or a link-local scope), or 0.
     */
    public int ifindex()
    {
        return valid ? Bytes.i32(buf, offset + ID + ID_IF_OFFSET) : 0;
    }

    /**
     * @return the socket cookie, idiag_cookie[1] &lt;&lt; 32 | idiag_cookie[0]: what ss prints as
     * {@code sk:} in hex, and what a request names to select one socket.
     */
    public long cookie()
    {
        if (!valid)
        {
            return 0;
        }
        final int at = offset + ID + ID_COOKIE_OFFSET;
        return Integer.toUnsignedLong(Bytes.i32(buf, at)) | (long)Bytes.i32(buf, at + 4) << 32;
    }

    /**
     * @return idiag_rqueue: bytes received and not read (ss "Recv-Q"); for a listener, the connections
     * waiting in accept.
     */
    public long rqueue()
    {
        return Integer.toUnsignedLong(fixedS32(MSG_RQUEUE_OFFSET));
    }

    /**
     * @return idiag_wqueue: bytes sent and not acknowledged (ss "Send-Q"); for a listener, its backlog.
     */
    public long wqueue()
    {
        return Integer.toUnsignedLong(fixedS32(MSG_WQUEUE_OFFSET));
    }

    public long uid()
    {
        return Integer.toUnsignedLong(fixedS32(MSG_UID_OFFSET));
    }

    /**
     * @return idiag_inode, the socket's inode (ss "ino:"), 0 once the socket has no file.
     */
    public long inode()
    {
        return Integer.toUnsignedLong(fixedS32(MSG_INODE_OFFSET));
    }

    // attributes

    /**
     * @return INET_DIAG_PROTOCOL ({@code IPPROTO_*}), which the kernel puts in destroy notifications,
     * or -1.
     */
    public int protocol()
    {
        return u8(attributes[INET_DIAG_PROTOCOL]);
    }

    /**
     * @return INET_DIAG_SHUTDOWN, bit 0 receive and bit 1 send shut down (ss prints {@code <->}), or -1.
     */
    public int shutdown()
    {
        return u8(attributes[INET_DIAG_SHUTDOWN]);
    }

    /**
     * @return INET_DIAG_TOS, or -1.
     */
    public int tos()
    {
        return u8(attributes[INET_DIAG_TOS]);
    }

    /**
     * @return INET_DIAG_TCLASS (IPv6 sockets), or -1.
     */
    public int tclass()
    {
        return u8(attributes[INET_DIAG_TCLASS]);
    }

    /**
     * @return INET_DIAG_SKV6ONLY (IPv6 sockets: 1 when IPV6_V6ONLY is set), or -1.
     */
    public int v6only()
    {
        return u8(attributes[INET_DIAG_SKV6ONLY]);
    }

    /**
     * @return INET_DIAG_MARK (SO_MARK; the kernel sends it to CAP_NET_ADMIN readers), or -1.
     */
    public long mark()
    {
        return u32(attributes[INET_DIAG_MARK]);
    }

    /**
     * @return INET_DIAG_CLASS_ID (net_cls class id or priority), or -1.
     */
    public long classId()
    {
        return u32(attributes[INET_DIAG_CLASS_ID]);
    }

    /**
     * @return INET_DIAG_CGROUP_ID, the cgroup v2 id of the socket's creator (1 is the root), or 0.
     */
    public long cgroupId()
    {
        final int cgroupId = attributes[INET_DIAG_CGROUP_ID];
        return cgroupId >= 0 ? Bytes.i64(buf, cgroupId) : 0;
    }

    /**
     * @return INET_DIAG_CONG, the congestion control ("cubic", "bbr"), or null.
     */
    public String congestion()
    {
        return string(attributes[INET_DIAG_CONG]);
    }

    public boolean hasTcpInfo()
    {
        return attributes[INET_DIAG_INFO] >= 0;
    }

    /**
     * @return the length of INET_DIAG_INFO's payload (sizeof(struct tcp_info) on the sending
     * kernel), or 0.
     */
    public int tcpInfoLength()
    {
        return length(attributes[INET_DIAG_INFO]);
    }

    /**
     * @return tcpi_state (the same TCP_* as idiag_state), or -1.
     */
    public int tcpiState()
    {
        return (int)tcpi(TCPI_STATE_OFFSET, 1);
    }

    /**
     * @return tcpi_retransmits: retransmissions of the current segment, or -1.
     */
    public int tcpiRetransmits()
    {
        return (int)tcpi(TCPI_RETRANSMITS_OFFSET, 1);
    }

    /**
     * @return tcpi_rto in microseconds, or -1.
     */
    public long tcpiRto()
    {
        return tcpi(TCPI_RTO_OFFSET, 4);
    }

    /**
     * @return tcpi_lost: segments thought lost, or -1.
     */
    public long tcpiLost()
    {
        return tcpi(TCPI_LOST_OFFSET, 4);
    }

    /**
     * @return tcpi_rtt, the smoothed round-trip time in microseconds (ss prints ms: {@code rtt:0.039}),
     * or -1.
     */
    public long tcpiRtt()
    {
        return tcpi(TCPI_RTT_OFFSET, 4);
    }

    /**
     * @return tcpi_rttvar in microseconds, or -1.
     */
    public long tcpiRttvar()
    {
        return tcpi(TCPI_RTTVAR_OFFSET, 4);
    }

    /**
     * @return tcpi_snd_cwnd in segments, or -1.
     */
    public long tcpiSndCwnd()
    {
        return tcpi(TCPI_SND_CWND_OFFSET, 4);
    }

    /**
     * @return tcpi_total_retrans, or -1.
     */
    public long tcpiTotalRetrans()
    {
        return tcpi(TCPI_TOTAL_RETRANS_OFFSET, 4);
    }

    /**
     * @return tcpi_bytes_acked (kernel 4.1+), or -1.
     */
    public long tcpiBytesAcked()
    {
        return tcpi(TCPI_BYTES_ACKED_OFFSET, 8);
    }

    /**
     * @return tcpi_bytes_received (kernel 4.1+), or -1.
     */
    public long tcpiBytesReceived()
    {
        return tcpi(TCPI_BYTES_RECEIVED_OFFSET, 8);
    }

    /**
     * @return tcpi_min_rtt in microseconds (kernel 4.6+), or -1.
     */
    public long tcpiMinRtt()
    {
        return tcpi(TCPI_MIN_RTT_OFFSET, 4);
    }

    /**
     * @return tcpi_delivery_rate in bytes a second (kernel 4.9+; ss prints bits), or -1.
     */
    public long tcpiDeliveryRate()
    {
        return tcpi(TCPI_DELIVERY_RATE_OFFSET, 8);
    }

    /**
     * @return tcpi_bytes_sent (kernel 4.19+), or -1.
     */
    public long tcpiBytesSent()
    {
        return tcpi(TCPI_BYTES_SENT_OFFSET, 8);
    }

    /**
     * @return the unsigned field of {@code size} bytes at {@code field} in tcp_info, or -1 when the
     * attribute is absent or too short to hold it.
     */
    private long tcpi(final int field, final int size)
    {
        final int info = attributes[INET_DIAG_INFO];
        if (info < 0 || field + size > Nest.length(buf, info))
        {
            return -1;
        }
        switch (size)
        {
            case 1:
                return Bytes.u8(buf, info + field);
            case 4:
                return Integer.toUnsignedLong(Bytes.i32(buf, info + field));
            default:
                return Bytes.i64(buf, info + field);
        }
    }
}
