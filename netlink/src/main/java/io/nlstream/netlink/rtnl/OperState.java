package io.nlstream.netlink.rtnl;

/**
 * IFLA_OPERSTATE (RFC 2863 states, {@code IF_OPER_*} in {@code linux/if.h}) as iproute2 prints it.
 */
public final class OperState
{
    private static final String[] NAMES = {
        "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP",
    };

    private OperState()
    {
    }

    /**
     * @return the name, or the number in decimal for a state this code does not know (iproute2 then
     * prints {@code "operstate_index"} instead).
     */
    public static String name(final int operstate)
    {
        return operstate >= 0 && operstate < NAMES.length ? NAMES[operstate] : Integer.toString(operstate);
    }
}
