package io.nlstream.netlink.diag;

/**
 * idiag_state ({@code TCP_*} of {@code include/net/tcp_states.h}) as {@code ss} prints it in its
 * State column ({@code sstate_name} in iproute2's {@code misc/ss.c}). TCP_CLOSE is "UNCONN", which is
 * also what an unconnected UDP socket shows; a connected UDP socket is TCP_ESTABLISHED, "ESTAB".
 */
public final class TcpStates
{
    private static final String[] NAMES = {
        "UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "UNCONN",
        "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
        // the kernel reports request sockets as TCP_SYN_RECV, so ss never shows this one
        "NEW-SYN-RECV",
        "BOUND-INACTIVE",
    };

    private TcpStates()
    {
    }

    /**
     * @return the name, or the number in decimal for a state this code does not know.
     */
    public static String name(final int state)
    {
        return state >= 0 && state < NAMES.length ? NAMES[state] : Integer.toString(state);
    }

    /**
     * @return the idiag_states bit that selects {@code state} in a request.
     */
    public static int bit(final int state)
    {
        return 1 << state;
    }
}
