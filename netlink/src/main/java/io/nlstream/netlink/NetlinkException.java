package io.nlstream.netlink;

/**
 * A netlink socket operation failed; the message names the operation, the socket and errno.
 */
public final class NetlinkException extends RuntimeException
{
    private final int errno;

    public NetlinkException(final String message, final int errno)
    {
        super(message);
        this.errno = errno;
    }

    public int errno()
    {
        return errno;
    }
}
