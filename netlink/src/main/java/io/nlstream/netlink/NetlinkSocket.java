package io.nlstream.netlink;

import io.nlstream.netlink.internal.LibC;
import io.nlstream.netlink.internal.Native;
import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One netlink socket, opened with libmnl, with a pre-allocated direct receive buffer and a pre-built
 * {@code struct msghdr} so that {@link #receive()} allocates nothing.
 *
 * <pre>
 * struct msghdr (x86_64, 56 bytes)           struct sockaddr_nl (12 bytes)
 *   0  void   *msg_name    -> sockaddr_nl       0  u16 nl_family
 *   8  u32     msg_namelen                      2  u16 nl_pad
 *  16  iovec  *msg_iov     -> iovec             4  u32 nl_pid     (0 = the kernel)
 *  24  size_t  msg_iovlen                       8  u32 nl_groups  (mask of the multicast group)
 *  32  void   *msg_control
 *  40  size_t  msg_controllen
 *  48  int     msg_flags   (MSG_TRUNC when the datagram did not fit)
 * </pre>
 *
 * Not thread safe: one socket belongs to one capture thread.
 */
public final class NetlinkSocket implements AutoCloseable
{
    public static final int DEFAULT_RECEIVE_BUFFER = 64 * 1024;

    private static final int MSGHDR_OFFSET = 0;
    private static final int IOVEC_OFFSET = 64;
    private static final int SOCKADDR_OFFSET = 96;
    private static final int SCRATCH_OFFSET = 128;
    private static final int CONTROL_BLOCK_SIZE = 192;

    private final Native nat;
    private final int protocol;
    private final Pointer nl;
    private final int fd;
    private final ByteBuffer rxBuffer;
    private final Pointer rxPointer;
    private final ByteBuffer control;
    private final Pointer controlPointer;
    private final ByteBuffer txBuffer;
    private final Pointer txPointer;
    private int portId;
    private int lastGroupMask;
    private int lastSenderPid;
    private int lastMsgFlags;
    private boolean closed;

    private NetlinkSocket(final Native nat, final int protocol, final Pointer nl, final ByteBuffer rxBuffer)
    {
        this.nat = nat;
        this.protocol = protocol;
        this.nl = nl;
        this.fd = nat.mnl.mnl_socket_get_fd(nl);
        final int receiveBufferSize = rxBuffer.capacity();
        this.rxBuffer = rxBuffer;
        this.rxPointer = Pointer.wrap(nat.runtime, rxBuffer);
        this.control = ByteBuffer.allocateDirect(CONTROL_BLOCK_SIZE).order(ByteOrder.nativeOrder());
        this.controlPointer = Pointer.wrap(nat.runtime, control);
        this.txBuffer = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
        this.txPointer = Pointer.wrap(nat.runtime, txBuffer);

        final long base = controlPointer.address();
        control.putLong(MSGHDR_OFFSET, base + SOCKADDR_OFFSET);
        control.putLong(MSGHDR_OFFSET + 16, base + IOVEC_OFFSET);
        control.putLong(MSGHDR_OFFSET + 24, 1);
        control.putLong(MSGHDR_OFFSET + 32, 0);
        control.putLong(MSGHDR_OFFSET + 40, 0);
        control.putLong(IOVEC_OFFSET, rxPointer.address());
        control.putLong(IOVEC_OFFSET + 8, receiveBufferSize);
    }

    /**
     * Opens a netlink socket of the given protocol ({@link Netlink#NETLINK_ROUTE}, ...).
     */
    public static NetlinkSocket open(final int protocol)
    {
        return open(protocol, DEFAULT_RECEIVE_BUFFER);
    }

    public static NetlinkSocket open(final int protocol, final int receiveBufferSize)
    {
        return open(protocol, ByteBuffer.allocateDirect(receiveBufferSize).order(ByteOrder.nativeOrder()));
    }

    /**
     * Opens a socket that receives into {@code receiveBuffer} (direct, native order), which sockets read by one
     * thread may share: a datagram is handled before the next is received (600 sockets of 200 namespaces on three
     * threads need three buffers, not 600).
     */
    public static NetlinkSocket open(final int protocol, final ByteBuffer receiveBuffer)
    {
        if (!receiveBuffer.isDirect())
        {
            throw new IllegalArgumentException("a receive buffer must be direct");
        }
        final Native nat = Native.get();
        final Pointer nl = nat.mnl.mnl_socket_open(protocol);
        if (nl == null || nl.address() == 0)
        {
            final int errno = nat.runtime.getLastError();
            throw new NetlinkException("mnl_socket_open protocol=" + protocol + " failed: " + nat.libc.strerror(errno), errno);
        }
        return new NetlinkSocket(nat, protocol, nl, receiveBuffer.order(ByteOrder.nativeOrder()));
    }

    /**
     * Binds with no groups and a kernel-chosen port id. Groups are joined afterwards with
     * {@link #addMembership(int)}, because bind(2) resets the first 32 memberships.
     */
    public NetlinkSocket bind()
    {
        if (nat.mnl.mnl_socket_bind(nl, 0, 0) < 0)
        {
            throw fail("mnl_socket_bind");
        }
        portId = nat.mnl.mnl_socket_get_portid(nl);
        return this;
    }

    /**
     * Connects the socket to the kernel (port id 0): the kernel then refuses (ECONNREFUSED) any unicast to this
     * socket from another socket, so a process in the watched namespace cannot fill its queue; the kernel's
     * multicast notifications and its replies to our requests arrive as before. After {@link #bind()}.
     */
    public NetlinkSocket connectToKernel()
    {
        // struct sockaddr_nl: u16 nl_family, u16 pad, u32 nl_pid (0: the kernel), u32 nl_groups (0)
        control.putShort(SCRATCH_OFFSET, (short)Netlink.AF_NETLINK);
        control.putShort(SCRATCH_OFFSET + 2, (short)0);
        control.putInt(SCRATCH_OFFSET + 4, 0);
        control.putInt(SCRATCH_OFFSET + 8, 0);
        if (nat.libc.connect(fd, scratch(), 12) < 0)
        {
            throw fail("connect to the kernel (port 0)");
        }
        return this;
    }

    public NetlinkSocket addMembership(final int group)
    {
        control.putInt(SCRATCH_OFFSET, group);
        if (nat.mnl.mnl_socket_setsockopt(nl, Netlink.NETLINK_ADD_MEMBERSHIP, scratch(), 4) < 0)
        {
            final NetlinkException e = fail("NETLINK_ADD_MEMBERSHIP group=" + group);
            if (e.errno() == LibC.EPERM)
            {
                throw new NetlinkException(e.getMessage() + ": listening to this group needs CAP_NET_ADMIN", LibC.EPERM);
            }
            throw e;
        }
        return this;
    }

    /**
     * Sets a netlink-level int option such as {@link Netlink#NETLINK_NO_ENOBUFS}.
     */
    public NetlinkSocket setNetlinkOption(final int option, final int value)
    {
        control.putInt(SCRATCH_OFFSET, value);
        if (nat.mnl.mnl_socket_setsockopt(nl, option, scratch(), 4) < 0)
        {
            throw fail("setsockopt SOL_NETLINK option=" + option + " value=" + value);
        }
        return this;
    }

    /**
     * Asks for a receive buffer of {@code bytes}, beyond rmem_max when the process has CAP_NET_ADMIN
     * (SO_RCVBUFFORCE), else as much as SO_RCVBUF allows. Returns what the kernel granted.
     */
    public int setReceiveBufferSize(final int bytes)
    {
        control.putInt(SCRATCH_OFFSET, bytes);
        if (nat.libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, scratch(), 4) < 0)
        {
            control.putInt(SCRATCH_OFFSET, bytes);
            if (nat.libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, scratch(), 4) < 0)
            {
                throw fail("setsockopt SO_RCVBUF bytes=" + bytes);
            }
        }
        return receiveBufferSize();
    }

    /** The receive buffer the kernel accounts for this socket (twice what was asked, see socket(7)). */
    public int receiveBufferSize()
    {
        control.putInt(SCRATCH_OFFSET, 0);
        control.putInt(SCRATCH_OFFSET + 8, 4);
        final Pointer len = Pointer.wrap(nat.runtime, controlPointer.address() + SCRATCH_OFFSET + 8);
        if (nat.libc.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, scratch(), len) < 0)
        {
            throw fail("getsockopt SO_RCVBUF");
        }
        return control.getInt(SCRATCH_OFFSET);
    }

    /**
     * Makes {@link #receive()} return {@code -EAGAIN} after waiting this long, so that the owning thread
     * can notice shutdown without a busy loop.
     */
    public NetlinkSocket setReceiveTimeout(final long millis)
    {
        control.putLong(SCRATCH_OFFSET, millis / 1000);
        control.putLong(SCRATCH_OFFSET + 8, (millis % 1000) * 1000);
        if (nat.libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, scratch(), 16) < 0)
        {
            throw fail("setsockopt SO_RCVTIMEO millis=" + millis);
        }
        return this;
    }

    /**
     * Receives one datagram into {@link #receiveBuffer()}.
     *
     * @return the number of bytes received, or a negative errno ({@code -ENOBUFS} on overrun,
     * {@code -EAGAIN} on timeout, {@code -EINTR})
     */
    public int receive()
    {
        return receive(0);
    }

    /**
     * Receives without waiting: {@code -EAGAIN} when nothing is queued. Capture uses it to learn that its
     * queue ran empty, which is when the kernel stops dropping notifications to a congested socket.
     */
    public int receiveNow()
    {
        return receive(LibC.MSG_DONTWAIT);
    }

    private int receive(final int flags)
    {
        control.putInt(MSGHDR_OFFSET + 8, 12);
        control.putLong(MSGHDR_OFFSET + 40, 0);
        control.putInt(MSGHDR_OFFSET + 48, 0);
        final long n = nat.libc.recvmsg(fd, controlPointer, flags);
        if (n < 0)
        {
            return -nat.runtime.getLastError();
        }
        lastSenderPid = control.getInt(SOCKADDR_OFFSET + 4);
        lastGroupMask = control.getInt(SOCKADDR_OFFSET + 8);
        lastMsgFlags = control.getInt(MSGHDR_OFFSET + 48);
        return (int)n;
    }

    /** Multicast group of the last datagram (1-based), or 0 when it was unicast (a dump reply). */
    public int lastGroup()
    {
        return lastGroupMask == 0 ? 0 : Integer.numberOfTrailingZeros(lastGroupMask) + 1;
    }

    /** Port id of the last datagram's sender: 0 for the kernel. */
    public int lastSenderPid()
    {
        return lastSenderPid;
    }

    /** Whether the last datagram was larger than the receive buffer and got cut. */
    public boolean lastTruncated()
    {
        return (lastMsgFlags & LibC.MSG_TRUNC) != 0;
    }

    /**
     * Sends {@code length} bytes written at the start of {@link #sendBuffer()}.
     */
    public void send(final int length)
    {
        final long n = nat.mnl.mnl_socket_sendto(nl, txPointer, length);
        if (n < 0)
        {
            throw fail("mnl_socket_sendto length=" + length);
        }
    }

    /** A 4 KiB direct buffer to build requests in; see {@link #send(int)}. */
    public ByteBuffer sendBuffer()
    {
        return txBuffer;
    }

    public ByteBuffer receiveBuffer()
    {
        return rxBuffer;
    }

    public int portId()
    {
        return portId;
    }

    public int fd()
    {
        return fd;
    }

    public int protocol()
    {
        return protocol;
    }

    public String strerror(final int errno)
    {
        return nat.libc.strerror(errno);
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            nat.mnl.mnl_socket_close(nl);
        }
    }

    private Pointer scratch()
    {
        return Pointer.wrap(nat.runtime, controlPointer.address() + SCRATCH_OFFSET);
    }

    private NetlinkException fail(final String what)
    {
        final int errno = nat.runtime.getLastError();
        return new NetlinkException(
            what + " failed on netlink protocol=" + protocol + " fd=" + fd + ": " + nat.libc.strerror(errno) + " (errno=" + errno + ")",
            errno);
    }
}
