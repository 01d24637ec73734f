package io.nlstream.netlink.diag;

/**
 * Socket addresses as {@code ss -n} prints them in its Local and Peer columns ({@code
 * inet_addr_print} in iproute2's {@code misc/ss.c}): {@code 10.88.0.1:8080}, {@code 0.0.0.0:*},
 * IPv6 in brackets ({@code [fd00:88::1]:8081}, {@code [::ffff:10.88.0.1]:8081}), and the IPv6
 * unspecified address of a socket that also takes IPv4 (v6only 0) as {@code *}. Port 0 is {@code *}.
 * ss appends {@code %ifname} to a socket bound to an interface; that needs a name lookup and is left out.
 */
public final class SsFormat
{
    private SsFormat()
    {
    }

    /**
     * @param family  idiag_family
     * @param address {@link InetDiagDecoder#src()} or {@link InetDiagDecoder#dst()}
     * @param port    sport or dport
     * @param v6only  INET_DIAG_SKV6ONLY, false when absent (as ss reads it)
     */
    public static String address(final int family, final String address, final int port, final boolean v6only)
    {
        final String host;
        if (family == InetDiag.AF_INET)
        {
            host = address;
        }
        else if (!v6only && "::".equals(address))
        {
            host = "*";
        }
        else
        {
            host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        }
        return host + ":" + (port == 0 ? "*" : Integer.toString(port));
    }

    /**
     * @return the local address of the decoded socket, as ss prints it.
     */
    public static String local(final InetDiagDecoder diag)
    {
        return address(diag.family(), diag.src(), diag.sport(), diag.v6only() == 1);
    }

    /**
     * @return the peer address of the decoded socket, as ss prints it.
     */
    public static String peer(final InetDiagDecoder diag)
    {
        return address(diag.family(), diag.dst(), diag.dport(), diag.v6only() == 1);
    }
}
