package io.nlstream.monitor.capture;

/**
 * A unit of work run by one thread (Agrona's Agent shape): easy to drive from a test without threads.
 */
public interface Agent
{
    default void onStart()
    {
    }

    /** Does some work, blocking at most briefly; returns how much it did (0 when idle). */
    int doWork();

    default void onClose()
    {
    }

    /**
     * Ends a wait inside {@link #doWork} early (called by another thread, e.g. at a stop); an agent that waits on
     * something other than a park (an epoll) overrides it.
     */
    default void wake()
    {
    }

    String roleName();
}
