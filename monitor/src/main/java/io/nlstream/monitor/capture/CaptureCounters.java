package io.nlstream.monitor.capture;

import io.nlstream.monitor.journal.AnnotationRecord;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters of one capture socket. Written only by its capture thread (plain increments, no fences on the
 * hot path); read by others for stats and /metrics, where a slightly stale value is fine. The getters read
 * opaque: never a torn or hoisted value on another thread, and nothing added to the writer's side.
 */
public final class CaptureCounters
{
    private static final VarHandle DATAGRAMS = field("datagrams");
    private static final VarHandle MESSAGES = field("messages");
    private static final VarHandle MALFORMED = field("malformed");
    private static final VarHandle TRUNCATED = field("truncated");
    private static final VarHandle FOREIGN = field("foreign");
    private static final VarHandle OVERRUNS = field("overruns");
    private static final VarHandle DUMPS = field("dumps");
    private static final VarHandle DUMPS_INTERRUPTED = field("dumpsInterrupted");
    private static final VarHandle APPENDS = field("appends");

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
        return (long)DATAGRAMS.getOpaque(this);
    }

    public long messages()
    {
        return (long)MESSAGES.getOpaque(this);
    }

    public long malformed()
    {
        return (long)MALFORMED.getOpaque(this);
    }

    public long truncated()
    {
        return (long)TRUNCATED.getOpaque(this);
    }

    public long foreign()
    {
        return (long)FOREIGN.getOpaque(this);
    }

    public long overruns()
    {
        return (long)OVERRUNS.getOpaque(this);
    }

    public long dumps()
    {
        return (long)DUMPS.getOpaque(this);
    }

    public long dumpsInterrupted()
    {
        return (long)DUMPS_INTERRUPTED.getOpaque(this);
    }

    public long appends()
    {
        return (long)APPENDS.getOpaque(this);
    }

    private static VarHandle field(final String name)
    {
        try
        {
            return MethodHandles.lookup().findVarHandle(CaptureCounters.class, name, long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public String toString()
    {
        return "datagrams=" + datagrams + " messages=" + messages + " appends=" + appends + " malformed=" + malformed
            + " truncated=" + truncated + " foreign=" + foreign + " overruns=" + overruns + " dumps=" + dumps
            + " dumps_interrupted=" + dumpsInterrupted;
    }
}
