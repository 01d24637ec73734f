package io.nlstream.monitor.read;

/**
 * Decides on the typed event whether a reader prints it; evaluated before anything is encoded.
 */
public interface EventFilter
{
    EventFilter ALL = event -> true;

    boolean test(EventView event);
}
