package io.nlstream.netlink.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Await returns once its condition holds, late or at once, and otherwise fails saying what it waited for and how long. */
class AwaitTest
{
    @Test
    void returnsOnceAConditionMetLateHolds()
    {
        final long start = System.nanoTime();
        final long at = start + 150_000_000L;
        final AtomicInteger polls = new AtomicInteger();
        Await.until("150 ms to pass", Duration.ofSeconds(10), () ->
        {
            polls.incrementAndGet();
            return System.nanoTime() >= at;
        });
        final long took = (System.nanoTime() - start) / 1_000_000L;
        assertTrue(took >= 150, "returned before the condition held: " + took + " ms");
        // backing off to 100 ms: at most that late, with slack for a slow machine
        assertTrue(took < 150 + Await.MAX_INTERVAL_MS + 2_000, "returned long after the condition held: " + took + " ms");
        assertTrue(polls.get() >= 3, "polled " + polls + " times");
    }

    @Test
    void aValueIsReturnedOnceThereIsOne()
    {
        final AtomicInteger polls = new AtomicInteger();
        assertEquals("third", Await.value("a third poll", Duration.ofSeconds(10),
            () -> polls.incrementAndGet() == 3 ? Optional.of("third") : Optional.empty()));
        assertEquals(3, polls.get());
    }

    @Test
    void aConditionNeverMetFailsNamingWhatWasAwaitedHowLongAndWhatWasLastSeen()
    {
        final AtomicInteger polls = new AtomicInteger();
        final long start = System.nanoTime();
        final AssertionError e = assertThrows(AssertionError.class, () -> Await.until("the moon to turn blue", Duration.ofMillis(300),
            () -> polls.incrementAndGet() < 0, () -> "polled " + polls.get() + " times"));
        final long took = (System.nanoTime() - start) / 1_000_000L;
        assertTrue(took >= 300, "gave up before the timeout: " + took + " ms");
        assertTrue(e.getMessage().matches("waited \\d+ ms \\(timeout 300 ms\\) for the moon to turn blue; last seen: polled \\d+ times"),
            e.getMessage());
        assertTrue(polls.get() >= 3, "polled " + polls + " times");
    }

    @Test
    void withoutALastStateTheMessageNamesWhatAndHowLong()
    {
        final AssertionError e = assertThrows(AssertionError.class, () -> Await.value("nothing", Duration.ZERO, Optional::empty));
        assertTrue(e.getMessage().matches("waited \\d+ ms \\(timeout 0 ms\\) for nothing"), e.getMessage());
    }

    @Test
    void aLastStateThatThrowsStillLeavesTheTimeoutsMessage()
    {
        final AssertionError e = assertThrows(AssertionError.class, () -> Await.until("x", Duration.ZERO, () -> false,
            () ->
            {
                throw new IllegalStateException("unreadable");
            }));
        assertTrue(e.getMessage().startsWith("waited ") && e.getMessage().contains("for x; (what was last seen could not be described: "
            + "java.lang.IllegalStateException: unreadable)"), e.getMessage());
    }

    @Test
    void whatTheConditionThrowsEndsTheWaitAtOnce()
    {
        final AtomicInteger polls = new AtomicInteger();
        final AssertionError failed = new AssertionError("the process exited");
        assertSame(failed, assertThrows(AssertionError.class, () -> Await.until("a line", Duration.ofSeconds(30), () ->
        {
            if (polls.incrementAndGet() == 2)
            {
                throw failed;
            }
            return false;
        })));
        assertEquals(2, polls.get());

        final IllegalStateException unchecked = new IllegalStateException("bug");
        assertSame(unchecked, assertThrows(IllegalStateException.class, () -> Await.until("y", Duration.ofSeconds(30), () ->
        {
            throw unchecked;
        })));

        final IOException checked = new IOException("no such file");
        final AssertionError wrapped = assertThrows(AssertionError.class, () -> Await.value("the file", Duration.ofSeconds(30), () ->
        {
            throw checked;
        }));
        assertSame(checked, wrapped.getCause());
        assertEquals("while waiting for the file: java.io.IOException: no such file", wrapped.getMessage());
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet()
    {
        Thread.currentThread().interrupt();
        try
        {
            final AssertionError e = assertThrows(AssertionError.class, () -> Await.until("z", Duration.ofSeconds(30), () -> false));
            assertEquals("interrupted while waiting for z", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        }
        finally
        {
            Thread.interrupted();
        }
    }
}
