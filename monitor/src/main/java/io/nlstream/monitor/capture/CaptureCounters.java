package io.nlstream.monitor.capture;

/**
 * Counters of one capture socket. Written only by its capture thread (plain increments, no fences on the
 * hot path); read by others for stats, where a slightly stale value is fine.
 */
public final class CaptureCounters
{
    long datagrams;
    long messages;
    long malformed;
    long truncated;
    long foreign;
    long overruns;
    long dumps;
    long dumpsInterrupted;
    long appends;

    public long datagrams()
    {
        return datagrams;
    }

    public long messages()
    {
        return messages;
    }

    public long malformed()
    {
        return malformed;
    }

    public long truncated()
    {
        return truncated;
    }

    public long foreign()
    {
        return foreign;
    }

    public long overruns()
    {
        return overruns;
    }

    public long dumps()
    {
        return dumps;
    }

    public long dumpsInterrupted()
    {
        return dumpsInterrupted;
    }

    public long appends()
    {
        return appends;
    }

    @Override
    public String toString()
    {
        return "datagrams=" + datagrams + " messages=" + messages + " appends=" + appends + " malformed=" + malformed
            + " truncated=" + truncated + " foreign=" + foreign + " overruns=" + overruns + " dumps=" + dumps
            + " dumps_interrupted=" + dumpsInterrupted;
    }
}
