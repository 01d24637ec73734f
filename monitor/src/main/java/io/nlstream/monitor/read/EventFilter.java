package io.nlstream.monitor.read;

/**
 * Decides on the typed event whether a reader prints it; evaluated before anything is encoded.
 */
public interface EventFilter
{
    EventFilter ALL = event -> true;

    boolean test(EventView event);

    /**
     * False when no event of this flow can pass, whatever its op or owner: decided by what a flow keeps for
     * its life (namespace, protocol, the two tuples' addresses and ports). A reader need not track such a
     * flow's state at all. A conn event only.
     */
    default boolean flowCanPass(EventView conn)
    {
        return true;
    }

    /**
     * As {@link #flowCanPass(EventView)}, for a flow in namespace {@code netns} of which only the tuples are
     * decoded ({@link io.nlstream.netlink.conntrack.CtDecoder#wrapTuples}): what the reader decides before it
     * decodes the rest.
     */
    default boolean flowCanPass(long netns, io.nlstream.netlink.conntrack.CtDecoder flow)
    {
        return true;
    }

    /** Whether {@link #flowCanPass} ever says false (some filter on what a flow keeps). */
    default boolean judgesFlows()
    {
        return false;
    }
}
