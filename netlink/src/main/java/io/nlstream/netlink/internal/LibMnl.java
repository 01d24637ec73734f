package io.nlstream.netlink.internal;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;

/**
 * The part of libmnl (Debian package libmnl0) that nlstream calls, bound with jnr-ffi.
 * Receiving goes through {@link LibC#recvmsg} instead, because capture needs the sender address
 * (multicast group, kernel port id) that {@code mnl_socket_recvfrom} hides.
 */
public interface LibMnl
{
    Pointer mnl_socket_open(int bus);

    int mnl_socket_bind(Pointer nl, int groups, int pid);

    @IgnoreError
    int mnl_socket_get_portid(Pointer nl);

    @IgnoreError
    int mnl_socket_get_fd(Pointer nl);

    int mnl_socket_setsockopt(Pointer nl, int type, Pointer buf, int len);

    long mnl_socket_sendto(Pointer nl, Pointer buf, long len);

    int mnl_socket_close(Pointer nl);
}
