package io.nlstream.netlink.diag;

/**
 * Constants from {@code linux/sock_diag.h}: the message types and multicast groups of a
 * NETLINK_SOCK_DIAG socket, named as the kernel names them.
 */
public final class SockDiag
{
    // nlmsg_type
    /** Dump request, dump reply and destroy notification alike, for every sock_diag family. */
    public static final int SOCK_DIAG_BY_FAMILY = 20;
    public static final int SOCK_DESTROY = 21;

    /** struct sock_diag_req: u8 sdiag_family, u8 sdiag_protocol; the start of every family's request. */
    public static final int SOCK_DIAG_REQ_LEN = 2;

    // enum sknetlink_groups, for NETLINK_ADD_MEMBERSHIP (needs CAP_NET_ADMIN)
    public static final int SKNLGRP_NONE = 0;
    public static final int SKNLGRP_INET_TCP_DESTROY = 1;
    public static final int SKNLGRP_INET_UDP_DESTROY = 2;
    public static final int SKNLGRP_INET6_TCP_DESTROY = 3;
    public static final int SKNLGRP_INET6_UDP_DESTROY = 4;

    // struct inet_diag_meminfo and SK_MEMINFO_* (INET_DIAG_SKMEMINFO is an array of u32 in this order)
    public static final int SK_MEMINFO_RMEM_ALLOC = 0;
    public static final int SK_MEMINFO_RCVBUF = 1;
    public static final int SK_MEMINFO_WMEM_ALLOC = 2;
    public static final int SK_MEMINFO_SNDBUF = 3;
    public static final int SK_MEMINFO_FWD_ALLOC = 4;
    public static final int SK_MEMINFO_WMEM_QUEUED = 5;
    public static final int SK_MEMINFO_OPTMEM = 6;
    public static final int SK_MEMINFO_BACKLOG = 7;
    public static final int SK_MEMINFO_DROPS = 8;

    private SockDiag()
    {
    }
}
