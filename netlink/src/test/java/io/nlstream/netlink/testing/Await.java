package io.nlstream.netlink.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it: every few milliseconds at first, backing off to {@link #MAX_INTERVAL_MS}, so a
 * test goes on as soon as what it waits for holds and fails, naming it, when it never does. For tests that wait for
 * something another process or thread does (a line on a process's stdout, an event in a journal, a dump round); a
 * fixed sleep there is either too short on a slow machine or wasted time on a fast one.
 *
 * <p>What the condition throws ends the wait at once: an {@link AssertionError} or another unchecked exception as it
 * is (a condition may fail fast, say when the process it watches has exited), a checked one inside an
 * {@link AssertionError} that names what was awaited.
 */
public final class Await
{
    static final long FIRST_INTERVAL_MS = 5;
    static final long MAX_INTERVAL_MS = 100;

    /** A condition that may throw (reading a file, running a command). */
    @FunctionalInterface
    public interface Condition
    {
        boolean holds() throws Exception;
    }

    /** A value once there is one: empty until then. */
    @FunctionalInterface
    public interface Probe<T>
    {
        Optional<T> get() throws Exception;
    }

    private Await()
    {
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout} with an error that names {@code what}. */
    public static void until(final String what, final Duration timeout, final Condition condition)
    {
        until(what, timeout, condition, null);
    }

    /**
     * As {@link #until(String, Duration, Condition)}, the failure also saying what {@code lastState} returns then
     * (called only on failure: stdout, a listing).
     */
    public static void until(final String what, final Duration timeout, final Condition condition, final Supplier<?> lastState)
    {
        value(what, timeout, () -> condition.holds() ? Optional.of(Boolean.TRUE) : Optional.empty(), lastState);
    }

    /** Polls {@code probe} until it returns a value and returns that; fails after {@code timeout} naming {@code what}. */
    public static <T> T value(final String what, final Duration timeout, final Probe<T> probe)
    {
        return value(what, timeout, probe, null);
    }

    /** As {@link #value(String, Duration, Probe)}, the failure also saying what {@code lastState} returns then. */
    public static <T> T value(final String what, final Duration timeout, final Probe<T> probe, final Supplier<?> lastState)
    {
        final long start = System.nanoTime();
        final long deadline = start + timeout.toNanos();
        long interval = FIRST_INTERVAL_MS;
        while (true)
        {
            final Optional<T> value = probe(what, probe);
            if (value.isPresent())
            {
                return value.get();
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                throw new AssertionError("waited " + millis(System.nanoTime() - start) + " ms (timeout " + timeout.toMillis()
                    + " ms) for " + what + describe(lastState));
            }
            try
            {
                // (the probe is tried once more at the deadline)
                Thread.sleep(Math.min(interval, Math.max(1, millis(left))));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            interval = Math.min(interval * 2, MAX_INTERVAL_MS);
        }
    }

    private static <T> Optional<T> probe(final String what, final Probe<T> probe)
    {
        try
        {
            return probe.get();
        }
        catch (final RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Exception e)
        {
            throw new AssertionError("while waiting for " + what + ": " + e, e);
        }
    }

    private static String describe(final Supplier<?> lastState)
    {
        if (lastState == null)
        {
            return "";
        }
        try
        {
            return "; last seen: " + lastState.get();
        }
        catch (final RuntimeException e)
        {
            return "; (what was last seen could not be described: " + e + ")";
        }
    }

    private static long millis(final long nanos)
    {
        return nanos / 1_000_000L;
    }
}
