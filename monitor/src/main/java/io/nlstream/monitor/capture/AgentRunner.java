package io.nlstream.monitor.capture;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an agent on its own thread until {@link #stop()}. A failure stops the agent and is kept for the
 * owner to report ({@link #failure()}); the process decides whether to exit.
 */
public final class AgentRunner implements Runnable
{
    private final Agent agent;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Runnable onFailure;
    private volatile boolean running = true;

    public AgentRunner(final Agent agent, final Runnable onFailure)
    {
        this.agent = agent;
        this.onFailure = onFailure;
        this.thread = new Thread(this, "nlstream-" + agent.roleName());
    }

    public AgentRunner start()
    {
        thread.start();
        return this;
    }

    /** Waits until onStart has finished (or failed); returns false on timeout. */
    public boolean awaitStarted(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return started.await(timeout, unit);
    }

    @Override
    public void run()
    {
        try
        {
            try
            {
                agent.onStart();
            }
            finally
            {
                started.countDown();
            }
            while (running)
            {
                agent.doWork();
            }
        }
        catch (final Throwable t)
        {
            failure.set(t);
            running = false;
            onFailure.run();
        }
        finally
        {
            try
            {
                agent.onClose();
            }
            catch (final Throwable t)
            {
                failure.compareAndSet(null, t);
            }
        }
    }

    public void stop()
    {
        running = false;
        // an agent parked until its next round of work (the namespace watcher's next scan) sees it at once
        java.util.concurrent.locks.LockSupport.unpark(thread);
        agent.wake();
    }

    public boolean join(final long millis) throws InterruptedException
    {
        thread.join(millis);
        return !thread.isAlive();
    }

    /** Whether the agent's thread is running (false before start, after a failure and after stop). */
    public boolean alive()
    {
        return thread.isAlive();
    }

    public Throwable failure()
    {
        return failure.get();
    }

    public Agent agent()
    {
        return agent;
    }
}
