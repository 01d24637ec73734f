package io.nlstream.monitor.attribution;

import io.nlstream.monitor.capture.Agent;
import io.nlstream.monitor.journal.AnnotationRecord;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalWriter;
import io.nlstream.monitor.read.EventView;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.RealtimeClock;
import io.nlstream.netlink.diag.InetDiagDecoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Attributes sockets to processes off the capture path: tails the journal, collects the inodes of
 * sockets it has not attributed yet, walks /proc once for the batch (at most every
 * {@code minScanIntervalNanos}), and journals one SOCKET_OWNER annotation per inode (pid 0 when no
 * process holds it any more). Readers join the annotation to the socket by inode.
 */
public final class AttributionAgent implements Agent
{
    private static final Logger LOG = Logger.getLogger(AttributionAgent.class.getName());

    private static final int MAX_REMEMBERED = 1 << 20;

    private final Journal journal;
    private final ProcScanner scanner;
    private final long minScanIntervalNanos;
    /** inode -> netns of sockets waiting for a walk. */
    private final Map<Long, Long> pending = new LinkedHashMap<>();
    private final Set<Long> attributed = new HashSet<>();
    private final Map<Long, Long> inodeByCookie = new HashMap<>();
    private final ByteBuffer record = ByteBuffer.allocateDirect(AnnotationRecord.SOCKET_OWNER_LENGTH).order(ByteOrder.nativeOrder());
    private ReadPipeline reader;
    private final ReadPipeline.Consumer none = event ->
    {};
    private JournalWriter writer;
    private RealtimeClock clock;
    private long lastScanNanos;
    private long annotations;
    private long scanNanosTotal;

    public AttributionAgent(final Journal journal, final ProcScanner scanner, final long minScanIntervalNanos)
    {
        this.journal = journal;
        this.scanner = scanner;
        this.minScanIntervalNanos = minScanIntervalNanos;
    }

    @Override
    public String roleName()
    {
        return "attribution";
    }

    @Override
    public void onStart()
    {
        // from the journal's end now: capture has not started yet, so every socket it records is seen
        reader = ReadPipeline.from(journal)
            .kinds(EnumSet.of(Kind.SOCK))
            .fromEnd()
            .decodeOnly()
            .observer(this::onEntry)
            .problems((index, reason) -> LOG.fine(() -> "journal index " + index + ": " + reason))
            .build();
        writer = journal.writer();
        clock = new RealtimeClock();
        lastScanNanos = System.nanoTime() - minScanIntervalNanos;
    }

    private static final long IDLE_PARK_MIN_NANOS = 20_000_000L;
    private static final long IDLE_PARK_MAX_NANOS = 500_000_000L;
    /** The longest sleep once idle (an append wakes it sooner). */
    private static final long DOZE_NANOS = 10_000_000_000L;
    private long idleParkNanos = IDLE_PARK_MIN_NANOS / 2;

    @Override
    public int doWork()
    {
        int work = reader.poll(4096, none);
        if (!pending.isEmpty() && System.nanoTime() - lastScanNanos >= minScanIntervalNanos)
        {
            attributePending();
            work++;
        }
        if (work == 0)
        {
            // every wake is a context switch, dear on a VM (the empty poll itself is ~0.1 µs once compiled): an idle
            // host backs off to 2 a second, then sleeps until the journal's next append; a new entry brings it back to
            // 50 (a socket found by a dump, which may have been open for the dumps' interval already, is looked for
            // within 0.5 s, most still there then)
            if (pending.isEmpty() && idleParkNanos >= IDLE_PARK_MAX_NANOS)
            {
                return journal.bell().doze(DOZE_NANOS, () -> reader.poll(4096, none));
            }
            idleParkNanos = pending.isEmpty() ? Math.min(IDLE_PARK_MAX_NANOS, idleParkNanos * 2) : 5_000_000L;
            LockSupport.parkNanos(idleParkNanos);
        }
        else
        {
            idleParkNanos = IDLE_PARK_MIN_NANOS / 2;
        }
        return work;
    }

    private void onEntry(final JournalEntry entry, final EventView event)
    {
        if (event == null || event.kind() != Kind.SOCK)
        {
            return;
        }
        final int origin = entry.origin();
        final InetDiagDecoder diag = event.sock().decoder();
        if (origin == CaptureHeader.ORIGIN_EVENT)
        {
            // a destroy notification comes after the socket lost its file, so it says inode 0: find the
            // inode by the socket's cookie; it may be reused by a future socket
            final Long inode = inodeByCookie.remove(diag.cookie());
            if (inode != null)
            {
                attributed.remove(inode);
                pending.remove(inode);
            }
            return;
        }
        final long inode = diag.inode();
        if (inode == 0)
        {
            return; // TIME-WAIT and other orphaned sockets belong to no process
        }
        if (!attributed.contains(inode))
        {
            inodeByCookie.put(diag.cookie(), inode);
            if (attributed.size() > MAX_REMEMBERED)
            {
                // sockets whose destroy we missed would otherwise pile up; re-attributing costs one walk
                attributed.clear();
                inodeByCookie.clear();
            }
            pending.putIfAbsent(inode, event.netns());
        }
    }

    private void attributePending()
    {
        final Map<Long, ProcScanner.Owner> owners = scanner.scan();
        lastScanNanos = System.nanoTime();
        scanNanosTotal += scanner.lastWalkNanos();
        final long wall = clock.nanos();
        for (final Map.Entry<Long, Long> p : pending.entrySet())
        {
            final ProcScanner.Owner owner = owners.get(p.getKey());
            final int length = AnnotationRecord.writeSocketOwner(record, p.getKey(), owner == null ? 0 : owner.pid,
                owner == null ? "" : owner.comm);
            writer.append(CaptureHeader.ORIGIN_ANNOTATION, Netlink.NETLINK_SOCK_DIAG, 0, wall, System.nanoTime(), p.getValue(), -1, 0,
                record, 0, length);
            attributed.add(p.getKey());
            annotations++;
        }
        LOG.fine(() -> "attributed " + pending.size() + " sockets in one /proc walk of " + scanner.lastWalkNanos() / 1000 + " us");
        pending.clear();
    }

    @Override
    public void onClose()
    {
        if (reader != null)
        {
            reader.close();
        }
        if (writer != null)
        {
            writer.close();
        }
        LOG.info(() -> "attribution stopped: " + annotations + " sockets attributed in " + scanner.walks() + " /proc walks ("
            + (scanner.walks() == 0 ? 0 : scanNanosTotal / scanner.walks() / 1000) + " us per walk, "
            + (annotations == 0 ? 0 : scanNanosTotal / annotations / 1000) + " us per socket)");
    }
}
