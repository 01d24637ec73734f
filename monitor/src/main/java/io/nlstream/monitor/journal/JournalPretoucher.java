package io.nlstream.monitor.journal;

import io.nlstream.netlink.internal.LibC;
import io.nlstream.netlink.internal.Native;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the journal's next pages faulted in ahead of its writers, so that an append does not pay for
 * the page fault of a fresh page (page-cache allocation and zeroing, the filesystem's block reservation
 * in {@code page_mkwrite}, a journal handle on ext4): that fault, once every few appends of a 1.4 KiB
 * link message, is what the tail of append latency was made of.
 * <p>
 * Writers {@link #note} where they stand after each append: the address of the write position inside
 * Chronicle's mapped chunk, and how many bytes of the chunk lie beyond it. A daemon thread calls
 * {@code madvise(MADV_POPULATE_WRITE)} on up to {@link #DEFAULT_AHEAD_BYTES} past that point, which
 * faults the pages into this process's page tables, writable, as a write would, without writing
 * anything: the journal's bytes cannot be changed by it, whatever the race with a writer. The address
 * is only a hint: if Chronicle has unmapped the chunk since, the kernel answers ENOMEM and nothing
 * happens; the next note brings the current chunk.
 * <p>
 * Needs Linux 5.14 or later; on an older kernel (EINVAL) it logs once and stops, and appends pay their
 * faults as before.
 */
public final class JournalPretoucher implements AutoCloseable
{
    private static final Logger LOG = Logger.getLogger(JournalPretoucher.class.getName());

    /** How far ahead of the write position pages are kept faulted in. */
    public static final long DEFAULT_AHEAD_BYTES = 8L << 20;
    /** The most faulted in by one madvise, so that a thread far behind checks the position again soon. */
    private static final long STEP_BYTES = 1L << 20;
    private static final long PAGE = 4096;
    // How long the thread sleeps between looks: the longest while writers are slow (an idle monitor's
    // few appends a second, or a storm's 50-100 MB/s, which uses 2.5-5 MiB of the 8 MiB runway in
    // 50 ms), the shortest while they ate more than a quarter of the runway since the last look (an
    // unpaced writer at hundreds of MB/s). Each wake costs tens of µs on a VM: about 20 a second idle.
    private static final long MIN_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    // While writers ate next to nothing of the runway (an idle host's dumps: a few KiB a second), the sleeps double
    // up to this; the first append after such a sleep began wakes the thread (one unpark per quiet spell), so a
    // burst finds it looking at 50 ms again. At 20 wakes a second an idle journal cost ~0.15 % of a core here.
    static final long DOZE_MAX_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long QUIET_BYTES_PER_LOOK = DEFAULT_AHEAD_BYTES / 64;

    private static final VarHandle ADDRESS;
    private static final VarHandle REMAINING;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            ADDRESS = lookup.findVarHandle(JournalPretoucher.class, "address", long.class);
            REMAINING = lookup.findVarHandle(JournalPretoucher.class, "remaining", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long aheadBytes;
    private final LibC libc;
    private final jnr.ffi.Runtime runtime;
    private final Thread thread;
    private volatile boolean running = true;

    // written by writers (opaque), read by the thread; address is written last
    @SuppressWarnings("unused")
    private long address;
    @SuppressWarnings("unused")
    private long remaining;
    /** Rung after every append: a sleep longer than {@link #MAX_PARK_NANOS} is a doze on it. */
    private final AppendBell bell;

    // the thread's own: the chunk end last seen, and how far pages are populated
    private long populatedTo;
    private long chunkEnd;

    /**
     * The first page the kernel could not fault in for writing (EFAULT: a write there would be a SIGBUS, the
     * filesystem is full), or 0. Writers stop short of it; cleared once that page faults in (space again).
     */
    private volatile long blockedAt;
    private volatile long blockedChunkEnd;
    private static final long BLOCKED_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    // counters, read by tests and the stats line
    private volatile long populatedBytes;
    private volatile long failures;

    JournalPretoucher(final String journalName, final long aheadBytes, final AppendBell bell)
    {
        this.aheadBytes = aheadBytes;
        this.bell = bell;
        final Native nat = Native.get();
        this.libc = nat.libc;
        this.runtime = nat.runtime;
        this.thread = new Thread(this::run, "nlstream-journal-pretouch-" + journalName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Where a writer now stands: {@code address} is its write position in the mapped chunk, and
     * {@code remaining} the bytes of the chunk after it. Two plain stores; called after every append.
     */
    void note(final long address, final long remaining)
    {
        REMAINING.setOpaque(this, remaining);
        ADDRESS.setRelease(this, address);
    }

    private void run()
    {
        long lastLook = 0;
        long quietPark = MAX_PARK_NANOS;
        while (running)
        {
            if (populateAhead())
            {
                continue;
            }
            final long at = (long)ADDRESS.getOpaque(this);
            final long eaten = at - lastLook;
            lastLook = at;
            // a new chunk (a jump either way) counts as fast: look again soon
            final boolean fast = eaten < 0 || eaten > aheadBytes / 4;
            quietPark = eaten >= 0 && eaten <= QUIET_BYTES_PER_LOOK ? Math.min(quietPark * 2, DOZE_MAX_NANOS) : MAX_PARK_NANOS;
            final long park = blockedAt != 0 ? BLOCKED_RETRY_NANOS : fast ? MIN_PARK_NANOS : quietPark;
            if (park <= MAX_PARK_NANOS)
            {
                LockSupport.parkNanos(park);
                continue;
            }
            // until the next append (the journal's bell): an append that slips past the bell's handshake leaves this
            // thread asleep for at most the doze, and appends fault their own pages meanwhile, as with no pre-toucher
            bell.doze(park, () -> (long)ADDRESS.getVolatile(this) != at ? 1 : 0);
            if ((long)ADDRESS.getVolatile(this) != at)
            {
                quietPark = MAX_PARK_NANOS / 2; // an append came: writers are back; the next sleep is the usual one
            }
        }
    }

    /** Whether the thread is in a sleep longer than its usual (writers quiet); the next append wakes it. */
    boolean dozing()
    {
        return bell.dozing(thread);
    }

    /**
     * @return whether it faulted pages in (and should look again at once)
     */
    private boolean populateAhead()
    {
        final long at = (long)ADDRESS.getAcquire(this);
        final long left = (long)REMAINING.getOpaque(this);
        if (at == 0 || left <= 0)
        {
            return false;
        }
        final long end = at + left;
        if (end != chunkEnd || populatedTo < (at & -PAGE) || populatedTo > end)
        {
            // another chunk, or the writer passed what was populated: start again at its position
            chunkEnd = end;
            populatedTo = at & -PAGE;
        }
        final long target = Math.min(end & -PAGE, (at & -PAGE) + aheadBytes);
        if (populatedTo >= target)
        {
            return false;
        }
        final long length = Math.min(STEP_BYTES, target - populatedTo);
        if (libc.madvise(populatedTo, length, LibC.MADV_POPULATE_WRITE) != 0)
        {
            final int errno = runtime.getLastError();
            failures++;
            if (errno == LibC.EINVAL)
            {
                LOG.log(Level.WARNING, "journal pretouch off: madvise(MADV_POPULATE_WRITE) is not supported by this"
                    + " kernel (Linux 5.14 or later has it); appends will fault their pages in themselves");
                running = false;
                return false;
            }
            if (errno == LibC.EFAULT)
            {
                // the page cannot be had for writing: the filesystem is full. Writers stop short of it; try again
                // from here until it can
                if (blockedAt == 0)
                {
                    blockedChunkEnd = end;
                    blockedAt = populatedTo;
                }
                return false;
            }
            // ENOMEM: the chunk was unmapped or moved; wait for the next note
            chunkEnd = 0;
            return false;
        }
        if (blockedAt != 0 && (populatedTo + length > blockedAt || end != blockedChunkEnd))
        {
            blockedAt = 0;
        }
        populatedTo += length;
        populatedBytes += length;
        return true;
    }

    /**
     * @return the write position a writer noted last, as an address in the mapped chunk (0 before any)
     */
    long notedAddress()
    {
        return (long)ADDRESS.getAcquire(this);
    }

    /** The address of the first page of the chunk that could not be faulted in for writing (a full disk), or 0. */
    long blockedAt()
    {
        return blockedAt;
    }

    /** The end of the chunk {@link #blockedAt} lies in. */
    long blockedChunkEnd()
    {
        return blockedChunkEnd;
    }

    /** The end of the mapped chunk the last noted write position lies in. */
    long notedChunkEnd()
    {
        return (long)ADDRESS.getAcquire(this) + (long)REMAINING.getOpaque(this);
    }

    /**
     * @return bytes faulted in ahead of writers so far
     */
    public long populatedBytes()
    {
        return populatedBytes;
    }

    public long failures()
    {
        return failures;
    }

    public boolean running()
    {
        return running && thread.isAlive();
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
