package io.nlstream.monitor.capture;

import java.util.concurrent.ConcurrentHashMap;

/**
 * When each watched namespace last had an event on any source (rtnetlink, conntrack, sock_diag), shared by the
 * sources' capture threads: a namespace where nothing happens, whose socket dumps find nothing, is dumped less
 * and less often, and any event there brings its dumps back to their interval. Each source tells of a namespace
 * at most twice a second, so a storm costs this map nothing.
 */
public final class NamespaceActivity
{
    /** How often one source tells of one namespace's events. */
    static final long TOUCH_INTERVAL_NANOS = 500_000_000L;

    private final ConcurrentHashMap<Long, Long> last = new ConcurrentHashMap<>();

    void touch(final long netns, final long nowNanos)
    {
        last.put(netns, nowNanos);
    }

    /** System.nanoTime() of the namespace's last event told, or Long.MIN_VALUE. */
    long last(final long netns)
    {
        final Long t = last.get(netns);
        return t == null ? Long.MIN_VALUE : t;
    }

    void forget(final long netns)
    {
        last.remove(netns);
    }
}
