package io.nlstream.monitor.capture;

import io.nlstream.monitor.journal.AnnotationRecord;

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

    /** Writes a CAPTURE_COUNTERS annotation record at offset 0; returns its length. */
    public int write(final java.nio.ByteBuffer buffer)
    {
        buffer.putShort(AnnotationRecord.TYPE_OFFSET, (short)AnnotationRecord.TYPE_CAPTURE_COUNTERS);
        buffer.putShort(AnnotationRecord.TYPE_OFFSET + 2, (short)0);
        buffer.putInt(AnnotationRecord.COUNTERS_COUNT_OFFSET, AnnotationRecord.COUNTER_NAMES.length);
        final long[] values = {datagrams, messages, malformed, truncated, foreign, overruns, dumps, dumpsInterrupted, appends};
        for (int i = 0; i < values.length; i++)
        {
            buffer.putLong(AnnotationRecord.COUNTERS_OFFSET + 8 * i, values[i]);
        }
        return AnnotationRecord.CAPTURE_COUNTERS_LENGTH;
    }

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
