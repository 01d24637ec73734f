package io.nlstream.monitor.capture;

import io.nlstream.monitor.journal.ContainerIdentity;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.TestJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A capture thread serving namespaces waits until its next timer; what another thread hands it ends the wait at once.
 * Its longest wait is set to ten minutes here, so a test that passes within one did not wait for it.
 */
class NamespacesCaptureAgentTest
{
    private static final int TEN_MINUTES_MILLIS = 600_000;

    @TempDir
    Path tmp;

    @Test
    void aNamespaceHandedOverAndAStopEachEndTheWaitAtOnce() throws Exception
    {
        try (Journal journal = Journal.openForWriting(tmp.resolve("journal"), TestJournal.ROLL_CYCLE))
        {
            final CountDownLatch openFailed = new CountDownLatch(1);
            final AtomicLong failedInode = new AtomicLong();
            final NamespacesCaptureAgent agent = new NamespacesCaptureAgent(CaptureSpec.rtnetlink(TimeUnit.HOURS.toNanos(1)), journal,
                new NamespaceActivity(), TEN_MINUTES_MILLIS).onOpenFailed(inode ->
                {
                    failedInode.set(inode);
                    openFailed.countDown();
                });
            final AgentRunner runner = new AgentRunner(agent, () ->
            {}).start();
            try
            {
                assertTrue(runner.awaitStarted(1, TimeUnit.MINUTES));
                // no namespace, no timer: the thread is in (or about to enter) its ten-minute wait. A file that is not a
                // namespace: the thread tries to open it as soon as it is woken, fails, and says so
                final Path notANamespace = Files.writeString(tmp.resolve("not-a-namespace"), "");
                agent.watch(42L, notANamespace, 4096, ContainerIdentity.NONE);
                assertTrue(openFailed.await(1, TimeUnit.MINUTES), "the namespace handed over woke the capture thread");
                assertEquals(42L, failedInode.get());
            }
            finally
            {
                runner.stop();
                assertTrue(runner.join(TimeUnit.MINUTES.toMillis(1)), "the stop ended the wait");
            }
            assertNull(runner.failure());
        }
    }
}
