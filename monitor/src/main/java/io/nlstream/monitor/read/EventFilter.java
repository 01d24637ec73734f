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

    /** Whether {@link #flowCanPass} ever says false (some filter on what a flow keeps). */
    default boolean judgesFlows()
    {
        return false;
    }
}
