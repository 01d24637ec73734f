package io.nlstream.monitor.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * Wakes the threads of this process that follow the journal (the pre-toucher, the snapshot writer, attribution) when
 * one of its writers appends, so that a reader which has caught up can sleep until there is something to read instead
 * of looking a few times a second: on an idle host every wake is a context switch, a share of the sidecar's idle CPU.
 *
 * <p>A writer's cost is one plain read of a field that changes only when a reader starts or ends a doze: while
 * readers are busy (a storm) nobody dozes and no writer unparks anything. A reader {@link #doze}s only after a look
 * that found nothing, and looks once more after announcing itself, so an append made before the announcement is
 * read then; one made in the instant between the writer's look and the announcement is read when the doze ends
 * (bounded by its caller), never lost.
 */
public final class AppendBell
{
    private static final VarHandle DOZERS;

    static
    {
        try
        {
            DOZERS = MethodHandles.lookup().findVarHandle(AppendBell.class, "dozers", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How many readers doze now; read by every append. */
    @SuppressWarnings("unused")
    private int dozers;
    private final CopyOnWriteArraySet<Thread> sleeping = new CopyOnWriteArraySet<>();

    /** After an append (any writer thread): wakes the dozing readers, if any; they no longer doze when it returns. */
    void ring()
    {
        if ((int)DOZERS.getOpaque(this) != 0)
        {
            for (final Thread t : sleeping)
            {
                // whoever removes a dozer (a writer here, or the dozer at its end) counts it out, once
                if (sleeping.remove(t))
                {
                    DOZERS.getAndAdd(this, -1);
                    LockSupport.unpark(t);
                }
            }
        }
    }

    /** Whether {@code thread} dozes on this bell now (the next append ends it). */
    boolean dozing(final Thread thread)
    {
        return sleeping.contains(thread);
    }

    /**
     * Sleeps until the next append or {@code maxNanos}, unless {@code look} (called once after this reader announced
     * itself) finds work: the reader's own poll of the journal.
     *
     * @return what {@code look} returned: 0 when the reader slept
     */
    public int doze(final long maxNanos, final IntSupplier look)
    {
        final Thread self = Thread.currentThread();
        sleeping.add(self);
        DOZERS.getAndAdd(this, 1);
        try
        {
            final int work = look.getAsInt();
            if (work == 0)
            {
                LockSupport.parkNanos(this, maxNanos);
            }
            return work;
        }
        finally
        {
            if (sleeping.remove(self))
            {
                DOZERS.getAndAdd(this, -1);
            }
        }
    }
}
