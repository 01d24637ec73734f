package io.nlstream.monitor.capture;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalWriter;
import io.nlstream.netlink.Epoll;
import io.nlstream.netlink.NetNamespace;
import io.nlstream.netlink.NetlinkSocket;
import io.nlstream.netlink.RealtimeClock;
import io.nlstream.netlink.Wakeup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * One source (rtnetlink, conntrack or sock_diag) of many namespaces on one thread: a {@link CaptureAgent} per
 * namespace, each with its own socket, dumps, gaps and resyncs, all served through one epoll. Threads do not grow
 * with the number of namespaces. Namespaces come and go by {@link #watch} and {@link #unwatch} from another thread
 * (the {@link NamespaceWatcher}); the sockets are opened and closed here, on the capture thread, which enters each
 * namespace only to open its socket.
 *
 * <p>Each wake-up reads every ready socket up to {@value #BUDGET} datagrams before the next (epoll is
 * level-triggered: one left with datagrams is ready again at once), so one namespace's storm does not starve the
 * others, and runs every namespace's timers (counters, periodic and repair dumps), which cost no system call
 * unless one is due.
 */
public final class NamespacesCaptureAgent implements Agent, NamespaceWatcher.Listener
{
    private static final Logger LOG = Logger.getLogger(NamespacesCaptureAgent.class.getName());
    /** Datagrams read from one ready socket before the next gets its turn. */
    static final int BUDGET = 64;
    /**
     * The longest wait on the sockets when no timer falls due sooner. A namespace the watcher found or ended, and a
     * stop, end the wait at once (through {@link #wakeup}): on an idle host the thread wakes for its timers only.
     */
    static final int WAIT_MILLIS = 1_000;
    /** The epoll data of {@link #wakeup}: no slot has it. */
    private static final long WAKE = Long.MAX_VALUE;
    private static final int CHANGES_PER_TURN = 8;

    /** A namespace to start or stop capturing; {@code path} null: the process's own. */
    private record Change(long inode, Path path, int rcvbuf, io.nlstream.monitor.journal.ContainerIdentity container, boolean add,
        boolean ended)
    {
    }

    private final CaptureSpec spec;
    private final Journal journal;
    private final NamespaceActivity activity;
    private final int waitMillis;
    /** One for every socket this thread reads: each datagram is handled before the next is received. */
    private final java.nio.ByteBuffer receiveBuffer = java.nio.ByteBuffer.allocateDirect(NetlinkSocket.DEFAULT_RECEIVE_BUFFER)
        .order(java.nio.ByteOrder.nativeOrder());
    private final ConcurrentLinkedQueue<Change> changes = new ConcurrentLinkedQueue<>();
    /** The agents, for metrics and readiness on other threads. */
    private final List<CaptureAgent> agents = new CopyOnWriteArrayList<>();
    private CaptureAgent[] bySlot = new CaptureAgent[16];
    private long[] inodeBySlot = new long[16];
    private int slots;
    private Epoll epoll;
    /** Signalled by other threads when there is a change to apply or the thread is to stop; null before onStart. */
    private volatile Wakeup wakeup;
    private JournalWriter writer;
    private RealtimeClock clock;
    private volatile boolean settled;
    private boolean startLogged;
    private java.util.function.LongConsumer openFailed = inode ->
    {};

    public NamespacesCaptureAgent(final CaptureSpec spec, final Journal journal)
    {
        this(spec, journal, new NamespaceActivity());
    }

    /** @param activity shared by the sources' agents: an event in a namespace on one brings the others' dumps back */
    public NamespacesCaptureAgent(final CaptureSpec spec, final Journal journal, final NamespaceActivity activity)
    {
        this(spec, journal, activity, WAIT_MILLIS);
    }

    /** @param waitMillis the longest wait on the sockets when no timer falls due sooner ({@value #WAIT_MILLIS}) */
    NamespacesCaptureAgent(final CaptureSpec spec, final Journal journal, final NamespaceActivity activity, final int waitMillis)
    {
        this.spec = spec;
        this.journal = journal;
        this.activity = activity;
        this.waitMillis = waitMillis;
    }

    /**
     * Told (on the capture thread) of a namespace that could not be opened: the process whose /proc path named it
     * exited (the {@code ip netns add} that made it, before its mount), or it ended meanwhile.
     */
    public NamespacesCaptureAgent onOpenFailed(final java.util.function.LongConsumer openFailed)
    {
        this.openFailed = openFailed;
        return this;
    }

    @Override
    public String roleName()
    {
        return "capture-" + spec.name();
    }

    /** Starts capturing the namespace {@code inode} at {@code path} (null: this process's). Any thread. */
    @Override
    public void watch(final long inode, final Path path, final int rcvbuf, final io.nlstream.monitor.journal.ContainerIdentity container)
    {
        settled = false;
        changes.add(new Change(inode, path, rcvbuf, container, true, false));
        wake();
    }

    /** Stops capturing namespace {@code inode}; {@code ended}: it is gone, and its objects end for readers. Any thread. */
    @Override
    public void unwatch(final long inode, final boolean ended)
    {
        changes.add(new Change(inode, null, 0, null, false, ended));
        wake();
    }

    /** Ends the capture thread's wait (a change to apply, a stop). Any thread. */
    @Override
    public void wake()
    {
        final Wakeup w = wakeup;
        if (w != null)
        {
            w.signal();
        }
    }

    @Override
    public void onStart()
    {
        writer = journal.writer();
        clock = new RealtimeClock();
        epoll = new Epoll(64);
        final Wakeup w = new Wakeup();
        epoll.add(w.fd(), WAKE);
        wakeup = w; // changes queued before this are applied by the first doWork
    }

    @Override
    public int doWork()
    {
        int work = applyChanges();
        final long now = System.nanoTime();
        long due = now + waitMillis * 1_000_000L;
        for (int i = 0; i < slots; i++)
        {
            if (bySlot[i] != null)
            {
                due = Math.min(due, bySlot[i].timers(now));
            }
        }
        // until a socket is readable or the next timer falls due (a dump, the counters: each namespace's time)
        final int ready = epoll.await(work > 0 ? 0 : (int)Math.max(0, Math.min(waitMillis, (due - now + 999_999) / 1_000_000)));
        for (int r = 0; r < ready; r++)
        {
            final long data = epoll.data(r);
            if (data == WAKE)
            {
                wakeup.clear(); // what it was signalled for is applied by the next doWork, straight after this one
                continue;
            }
            final CaptureAgent agent = bySlot[(int)data];
            if (agent == null)
            {
                continue;
            }
            for (int n = 0; n < BUDGET && agent.receive() > 0; n++)
            {
                work++;
            }
        }
        return work;
    }

    private int applyChanges()
    {
        int applied = 0;
        Change c;
        // a few at a time: opening one (entering it, finding its container, its first dumps) takes milliseconds, and
        // the sockets already open are read in between
        while (applied < CHANGES_PER_TURN && (c = changes.poll()) != null)
        {
            applied++;
            if (c.add())
            {
                open(c);
            }
            else
            {
                close(c.inode(), c.ended());
            }
        }
        if (applied == 0 && !settled && changes.isEmpty())
        {
            settled = true;
        }
        if (!startLogged && settled && dumpsComplete())
        {
            startLogged = true;
            LOG.info(() -> "capture " + spec.name() + ": initial dumps of " + agents.size() + " namespaces complete");
        }
        return applied;
    }

    private void open(final Change c)
    {
        if (slotOf(c.inode()) >= 0)
        {
            return;
        }
        final CaptureAgent agent = new CaptureAgent(spec, () -> NetlinkSocket.open(spec.protocol(), receiveBuffer), c.path(), c.rcvbuf(),
            c.container());
        try
        {
            if (c.path() == null)
            {
                agent.openShared(writer, clock, activity);
            }
            else
            {
                NetNamespace.within(c.path(), () ->
                {
                    agent.openShared(writer, clock, activity);
                    return null;
                });
            }
        }
        catch (final RuntimeException e)
        {
            // gone between discovery and now, or not enterable: the watcher tries again if it is still there
            LOG.log(c.path() != null && c.path().startsWith("/proc/") ? java.util.logging.Level.FINE : java.util.logging.Level.WARNING,
                () -> "capture " + spec.name() + ": cannot capture namespace " + c.inode() + " (" + c.path() + "): " + e.getMessage()
                    + "; the next scan looks for it again");
            agent.closeShared(false);
            openFailed.accept(c.inode());
            return;
        }
        int slot = -1;
        for (int i = 0; i < slots; i++)
        {
            if (bySlot[i] == null)
            {
                slot = i;
                break;
            }
        }
        if (slot < 0)
        {
            if (slots == bySlot.length)
            {
                bySlot = java.util.Arrays.copyOf(bySlot, slots * 2);
                inodeBySlot = java.util.Arrays.copyOf(inodeBySlot, slots * 2);
            }
            slot = slots++;
        }
        bySlot[slot] = agent;
        inodeBySlot[slot] = c.inode();
        epoll.add(agent.fd(), slot);
        agents.add(agent);
    }

    private void close(final long inode, final boolean ended)
    {
        final int slot = slotOf(inode);
        if (slot < 0)
        {
            return;
        }
        final CaptureAgent agent = bySlot[slot];
        epoll.remove(agent.fd());
        agent.closeShared(ended);
        bySlot[slot] = null;
        inodeBySlot[slot] = 0;
        agents.remove(agent);
        if (ended)
        {
            activity.forget(inode);
        }
    }

    private int slotOf(final long inode)
    {
        for (int i = 0; i < slots; i++)
        {
            if (bySlot[i] != null && inodeBySlot[i] == inode)
            {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void onClose()
    {
        for (int i = 0; i < slots; i++)
        {
            if (bySlot[i] != null)
            {
                bySlot[i].closeShared(false);
                bySlot[i] = null;
            }
        }
        agents.clear();
        if (epoll != null)
        {
            epoll.close();
        }
        final Wakeup w = wakeup;
        if (w != null)
        {
            w.close(); // a signal from now on does nothing
        }
        if (writer != null)
        {
            writer.close();
        }
        LOG.info(() -> "capture " + spec.name() + " stopped");
    }

    /** The namespaces' agents now (for metrics and readiness). */
    public List<CaptureAgent> agents()
    {
        return Collections.unmodifiableList(new ArrayList<>(agents));
    }

    /** Whether every namespace asked for is open and has its start-up dumps done. */
    public boolean dumpsComplete()
    {
        if (!settled)
        {
            return false;
        }
        for (final CaptureAgent a : agents)
        {
            if (!a.dumpsComplete())
            {
                return false;
            }
        }
        return true;
    }

    public CaptureSpec spec()
    {
        return spec;
    }
}
