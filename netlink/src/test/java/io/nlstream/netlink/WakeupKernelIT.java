package io.nlstream.netlink;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The eventfd that ends a serving thread's wait: a signal from another thread ends an epoll wait of minutes at once,
 * stays until cleared (epoll is level-triggered), and a signal after close does nothing.
 */
@Tag("kernel")
class WakeupKernelIT
{
    private static final long DATA = 7L;

    @Test
    void aSignalFromAnotherThreadEndsTheWaitAndStaysUntilCleared() throws Exception
    {
        try (Epoll epoll = new Epoll(4); Wakeup wakeup = new Wakeup())
        {
            epoll.add(wakeup.fd(), DATA);
            assertEquals(0, epoll.await(0), "nothing signalled yet");

            final CountDownLatch waiting = new CountDownLatch(1);
            final Thread signaller = new Thread(() ->
            {
                try
                {
                    waiting.await();
                    Thread.sleep(50); // most likely inside epoll_wait by now; if not, the wait sees the signal at once
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
                wakeup.signal();
            });
            signaller.start();
            waiting.countDown();
            final long start = System.nanoTime();
            final int ready = epoll.await(120_000);
            final long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            signaller.join();
            assertEquals(1, ready, "the signal ends the wait");
            assertEquals(DATA, epoll.data(0));
            assertTrue(waitedMillis < 60_000, "woken by the signal, not the timeout: " + waitedMillis + " ms");

            assertEquals(1, epoll.await(0), "still ready until cleared");
            wakeup.signal();
            assertEquals(2, wakeup.clear(), "both signals taken at once");
            assertEquals(0, epoll.await(0), "cleared");
            assertEquals(0, wakeup.clear(), "clearing nothing is not an error");

            wakeup.close();
            wakeup.signal(); // after close: nothing, no exception
        }
    }
}
