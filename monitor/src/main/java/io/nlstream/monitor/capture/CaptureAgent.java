package io.nlstream.monitor.capture;

import io.nlstream.monitor.journal.AnnotationRecord;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.GapRecord;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalWriter;
import io.nlstream.netlink.NetNamespace;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;
import io.nlstream.netlink.NetlinkSocket;
import io.nlstream.netlink.RealtimeClock;
import io.nlstream.netlink.internal.LibC;
import io.nlstream.netlink.rtnl.Rtnetlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Capture is recording: receive a datagram, check the netlink framing, append each message with a capture
 * header to the journal. Nothing else happens here: no decoding, no /proc, no allocation in steady state.
 *
 * <p>Dumps are sent one at a time (the kernel allows one per socket) after the groups are joined. An
 * overrun (ENOBUFS) is journalled as a gap and every dump of the socket is queued again as a resync.
 */
public final class CaptureAgent implements Agent
{
    private static final Logger LOG = Logger.getLogger(CaptureAgent.class.getName());
    private static final int RECEIVE_TIMEOUT_MILLIS = 100;
    private static final long COUNTERS_INTERVAL_NANOS = 10_000_000_000L;

    private final CaptureSpec spec;
    private final Supplier<NetlinkSocket> socketFactory;
    private final Journal journal;
    private final Path netnsPath;
    private long netns;
    private static final int IFF_UP = 1;
    private static final long SILENT_REDUMP_QUIET_NANOS = 200_000_000L;
    private static final long SILENT_REDUMP_MAX_DELAY_NANOS = 2_000_000_000L;

    private final int requestedRcvbuf;
    /** Alone on its thread (waits in recvmsg), or one of many a {@link NamespacesCaptureAgent} serves. */
    private final boolean blocking;
    /** The namespace's container as whoever offered it found it; null: found here, when the socket opens. */
    private final io.nlstream.monitor.journal.ContainerIdentity container;
    /** Served with others: the counters' sum last journalled (none journalled while it stays the same). */
    private long countersJournalled = -1;
    private final CaptureCounters counters = new CaptureCounters();
    private final ArrayDeque<DumpRequest> pendingDumps = new ArrayDeque<>();
    private final ByteBuffer gap = ByteBuffer.allocateDirect(GapRecord.LENGTH).order(ByteOrder.nativeOrder());
    private final ByteBuffer counterRecord = ByteBuffer.allocateDirect(AnnotationRecord.CAPTURE_COUNTERS_LENGTH).order(ByteOrder.nativeOrder());
    private long nextCountersNanos;
    private JournalWriter writer;
    private RealtimeClock clock;
    private NetlinkSocket socket;
    private int portId;
    private int nextSeq = (int)(System.nanoTime() & 0x3fffffff) | 1;
    private DumpRequest dumpInFlight;
    /** Messages the dump in flight returned so far. */
    private int dumpMessages;
    /**
     * Served with others: dumps that found nothing the last time, with no event on the socket since (a repeat that
     * finds nothing again is not journalled).
     */
    private final java.util.Set<DumpRequest> emptyLastTime = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** The length of the dump request in the send buffer whose DUMP_BEGIN waits for the first reply, or -1. */
    private int deferredBegin = -1;
    private long deferredBeginWall;
    private long deferredBeginMono;
    /** Served with others: the namespaces' shared record of events, null alone. */
    private NamespaceActivity activity;
    private long lastTouchNanos = Long.MIN_VALUE / 2;
    private long lastRedumpNanos = Long.MIN_VALUE;
    private long redumpFactor = 1;
    /** A socket source's namespace counts when it was last dumped ({@link SocketCounts}), or null. */
    private String countsAtLastDump;
    /** Periodic rounds passed over since the last dump. */
    private int roundsPassed;
    /** System.nanoTime() of the last event on this socket (a socket destroyed, for sock_diag). */
    private long lastEventNanos = Long.MIN_VALUE;
    /** A quiet namespace's periodic dumps are at most this many intervals apart (5 s: 80 s). */
    static final long IDLE_REDUMP_FACTOR = 16;
    private int dumpSeq;
    private int dumpFlags;
    private boolean resyncQueued;
    private long diskGapsSeen;
    /**
     * Whether the receive queue ran empty since the last overrun. The kernel marks a socket congested when
     * it drops a notification, reports ENOBUFS once, and drops every later notification until the queue is
     * empty again, without another report. A resync dump started before then can miss objects whose
     * notifications are dropped while it runs, so it waits for the queue to run empty.
     */
    private boolean drainedSinceOverrun = true;
    private long nextRedumpNanos = Long.MAX_VALUE;
    /** When to dump routes and neighbours again after silent removals (debounced), or never. */
    private long silentRedumpAtNanos = Long.MAX_VALUE;
    /** rtnetlink only: whether events are looked at for removals the kernel does not announce. */
    private final boolean watchSilentRemovals;
    private long firstSilentRemovalNanos = Long.MAX_VALUE;
    private boolean warnedMalformed;
    private volatile boolean startDumpsDone;
    private volatile int grantedRcvbuf;

    public CaptureAgent(
        final CaptureSpec spec,
        final Supplier<NetlinkSocket> socketFactory,
        final Journal journal,
        final Path netnsPath,
        final int requestedRcvbuf)
    {
        this.spec = spec;
        this.watchSilentRemovals = !spec.afterSilentRemovals().isEmpty();
        this.socketFactory = socketFactory;
        this.journal = journal;
        this.netnsPath = netnsPath;
        this.requestedRcvbuf = requestedRcvbuf;
        this.blocking = true;
        this.container = null;
    }

    /**
     * One namespace's socket of a source that {@link NamespacesCaptureAgent} serves with others on one thread: it
     * shares that thread's journal writer, never blocks in {@link #doWork()}, and journals its counters only when
     * they changed.
     */
    CaptureAgent(final CaptureSpec spec, final Supplier<NetlinkSocket> socketFactory, final Path netnsPath, final int requestedRcvbuf,
        final io.nlstream.monitor.journal.ContainerIdentity container)
    {
        this.container = container;
        this.spec = spec;
        this.watchSilentRemovals = !spec.afterSilentRemovals().isEmpty();
        this.socketFactory = socketFactory;
        this.journal = null;
        this.netnsPath = netnsPath;
        this.requestedRcvbuf = requestedRcvbuf;
        this.blocking = false;
    }

    @Override
    public String roleName()
    {
        return "capture-" + spec.name();
    }

    @Override
    public void onStart()
    {
        // a Chronicle appender belongs to the thread that uses it, so it is made here, on the capture thread
        writer = journal.writer();
        clock = new RealtimeClock();
        if (netnsPath != null)
        {
            NetNamespace.enterOnThisThread(netnsPath);
        }
        open();
    }

    /**
     * Opens the socket in the namespace the calling thread is in (entered by the caller), writing to the serving
     * thread's {@code writer}.
     */
    void openShared(final JournalWriter writer, final RealtimeClock clock, final NamespaceActivity activity)
    {
        this.writer = writer;
        this.clock = clock;
        this.activity = activity;
        open();
    }

    private void open()
    {
        netns = NetnsIdentity.current();
        journalNetnsName();
        if (container == null)
        {
            NetnsAnnotations.journalContainer(writer, spec.protocol(), clock.nanos(), netns);
        }
        else
        {
            NetnsAnnotations.journalContainer(writer, spec.protocol(), clock.nanos(), netns, container);
        }
        socket = socketFactory.get();
        socket.bind();
        // only the kernel may unicast to a capture socket: no process in the namespace can flood its queue
        socket.connectToKernel();
        portId = socket.portId();
        grantedRcvbuf = socket.setReceiveBufferSize(requestedRcvbuf);
        if (grantedRcvbuf < 2L * requestedRcvbuf)
        {
            // the kernel reports twice what it grants (socket(7)); SO_RCVBUFFORCE, which goes past rmem_max, needs CAP_NET_ADMIN
            LOG.warning(() -> "capture " + spec.name() + ": receive buffer " + grantedRcvbuf / 2 + " bytes, not the " + requestedRcvbuf
                + " asked (--rcvbuf): without CAP_NET_ADMIN the kernel caps it at net.core.rmem_max; a burst that overflows it"
                + " is lost from the stream (a gap, then a resync dump)");
        }
        // bind(2) resets the first 32 memberships, so groups are joined after it
        for (final int group : spec.groups())
        {
            socket.addMembership(group);
        }
        if (blocking)
        {
            socket.setReceiveTimeout(RECEIVE_TIMEOUT_MILLIS);
        }
        pendingDumps.addAll(spec.dumps());
        if (spec.redumpIntervalNanos() > 0)
        {
            // a serving thread's namespaces dump at times spread over the interval, not all at once
            final long offset = blocking ? 0 : (long)(java.util.concurrent.ThreadLocalRandom.current().nextDouble() * spec.redumpIntervalNanos());
            nextRedumpNanos = System.nanoTime() + spec.redumpIntervalNanos() + offset;
        }
        nextCountersNanos = blocking ? 0 : nextCountersTime(System.nanoTime());
        final java.util.logging.Level level = blocking ? java.util.logging.Level.INFO : java.util.logging.Level.FINE;
        LOG.log(level, () -> "capture " + spec.name() + ": netlink protocol " + spec.protocol() + " port " + portId
            + ", receive buffer " + grantedRcvbuf + " bytes, netns " + netns);
    }

    /** The socket's descriptor, for the serving thread's epoll (valid after it is opened). */
    int fd()
    {
        return socket.fd();
    }

    @Override
    public int doWork()
    {
        // one clock read for both timers (the message timestamps are read after recvmsg)
        timers(System.nanoTime());
        return receive();
    }

    /**
     * What is due at {@code now}: the counters' record, the periodic and repair dumps. No system call unless one is due.
     *
     * @return when something falls due next (System.nanoTime), for a serving thread's wait; a dump's reply or a
     * blocked dump waits on the socket, not on a time
     */
    long timers(final long now)
    {
        if (now >= nextCountersNanos)
        {
            journalCounters();
        }
        if (dumpInFlight == null)
        {
            if (pendingDumps.isEmpty() && now >= nextRedumpNanos)
            {
                if (!unchangedSinceLastDump())
                {
                    pendingDumps.addAll(spec.dumps());
                }
                nextRedumpNanos = now + redumpInterval(now);
            }
            if (now >= silentRedumpAtNanos)
            {
                queueSilentRemovalDumps();
            }
            if (!pendingDumps.isEmpty() && (!resyncQueued || drainedSinceOverrun))
            {
                sendDump(pendingDumps.poll());
            }
        }
        return dumpInFlight != null || !pendingDumps.isEmpty() ? nextCountersNanos
            : Math.min(nextCountersNanos, Math.min(nextRedumpNanos, silentRedumpAtNanos));
    }

    /**
     * Served with others, a socket source's periodic dump round is passed over when nothing happened in the namespace
     * since the last round (no event on any source, no socket destroyed) and the kernel's socket counts there are what
     * they were at the last dump: no socket was made, so the dump would list what the last one did. One round in
     * {@value #IDLE_REDUMP_FACTOR} dumps anyway (a socket's state can change without an event where conntrack is off).
     * A namespace that cannot be entered or read is dumped.
     */
    private boolean unchangedSinceLastDump()
    {
        if (blocking || activity == null || spec.protocol() != io.nlstream.netlink.Netlink.NETLINK_SOCK_DIAG)
        {
            return false;
        }
        final boolean quiet = activity.last(netns) < lastRedumpNanos && lastEventNanos < lastRedumpNanos;
        final String counts = quiet && roundsPassed + 1 < IDLE_REDUMP_FACTOR ? SocketCounts.of(netnsPath) : null;
        if (counts != null && counts.equals(countsAtLastDump))
        {
            roundsPassed++;
            return true;
        }
        // dumped: the counts as they were just before it (read once for the round)
        countsAtLastDump = counts != null ? counts : SocketCounts.of(netnsPath);
        roundsPassed = 0;
        return false;
    }

    /**
     * The time to the next periodic dump: the interval, or, served with others, up to {@value #IDLE_REDUMP_FACTOR}
     * times it for a namespace where nothing happens: the last dumps all found nothing, and no source has had an
     * event there since (the kernel walks its whole socket table for each dump, whichever namespace asks: 200
     * idle namespaces dumped every 5 s cost a tenth of a core).
     */
    private long redumpInterval(final long now)
    {
        final long base = spec.redumpIntervalNanos();
        final boolean quiet = !blocking && activity != null && emptyLastTime.size() == spec.dumps().size()
            && activity.last(netns) < lastRedumpNanos;
        redumpFactor = quiet ? Math.min(IDLE_REDUMP_FACTOR, redumpFactor * 2) : 1;
        lastRedumpNanos = now;
        return base * redumpFactor;
    }

    /** Receives one datagram: waits briefly for it unless the agent is served with others (then 0 at once when none). */
    int receive()
    {
        // try without waiting first: an empty queue is news when a resync waits for it
        int n = socket.receiveNow();
        if (n == -LibC.EAGAIN)
        {
            drainedSinceOverrun = true;
            if (!blocking || resyncQueued && dumpInFlight == null)
            {
                return 0; // the resync dump can go now
            }
            n = socket.receive();
        }
        if (n < 0)
        {
            final int errno = -n;
            if (errno == LibC.ENOBUFS)
            {
                onOverrun(errno);
                return 1;
            }
            if (errno == LibC.EAGAIN || errno == LibC.EINTR)
            {
                return 0;
            }
            throw new IllegalStateException("recvmsg on netlink protocol " + spec.protocol() + " failed: "
                + socket.strerror(errno) + " (errno=" + errno + ")");
        }
        counters.datagrams++;
        if (socket.lastSenderPid() != 0)
        {
            counters.foreign++;
            return 1;
        }
        if (socket.lastTruncated())
        {
            counters.truncated++;
        }
        onDatagram(socket.receiveBuffer(), n, socket.lastGroup());
        return 1;
    }

    private void onDatagram(final ByteBuffer buffer, final int length, final int group)
    {
        final long wall = clock.nanos();
        final long mono = System.nanoTime();
        int offset = 0;
        while (offset < length)
        {
            final int messageLength = NetlinkFraming.check(buffer, offset, length - offset);
            if (messageLength < 0)
            {
                // framing is broken: nothing after this point can be trusted to start a message
                counters.malformed++;
                if (!warnedMalformed)
                {
                    warnedMalformed = true;
                    LOG.warning("capture " + spec.name() + ": malformed netlink datagram skipped at offset=" + offset
                        + " length=" + length + ": " + NetlinkFraming.describe(messageLength)
                        + " (further ones are only counted)");
                }
                return;
            }
            counters.messages++;
            final int type = NetlinkFraming.type(buffer, offset);
            final boolean dumpReply = dumpInFlight != null
                && NetlinkFraming.pid(buffer, offset) == portId
                && NetlinkFraming.seq(buffer, offset) == dumpSeq;
            if (dumpReply)
            {
                if ((NetlinkFraming.flags(buffer, offset) & Netlink.NLM_F_DUMP_INTR) != 0)
                {
                    dumpFlags |= CaptureHeader.FLAG_DUMP_INTR;
                }
                final boolean end = type == Netlink.NLMSG_DONE || type == Netlink.NLMSG_ERROR;
                final boolean emptyAgain = deferredBegin >= 0 && type == Netlink.NLMSG_DONE && dumpFlags == 0;
                if (deferredBegin >= 0 && !emptyAgain)
                {
                    append(CaptureHeader.ORIGIN_DUMP_BEGIN, dumpSeq, deferredBeginWall, deferredBeginMono, dumpFlags, socket.sendBuffer(), 0,
                        deferredBegin);
                }
                deferredBegin = -1;
                if (!emptyAgain)
                {
                    append(end ? CaptureHeader.ORIGIN_DUMP_END : CaptureHeader.ORIGIN_DUMP, dumpSeq, wall, mono, dumpFlags,
                        buffer, offset, messageLength);
                }
                if (!end)
                {
                    dumpMessages++;
                }
                else
                {
                    if (type == Netlink.NLMSG_DONE && dumpMessages == 0 && (dumpFlags & CaptureHeader.FLAG_DUMP_INTR) == 0)
                    {
                        emptyLastTime.add(dumpInFlight);
                    }
                    else
                    {
                        emptyLastTime.remove(dumpInFlight);
                    }
                    onDumpEnd(type);
                }
            }
            else
            {
                // something happened: the next dump is journalled, whatever it finds
                emptyLastTime.clear();
                lastEventNanos = mono;
                if (activity != null && mono - lastTouchNanos >= NamespaceActivity.TOUCH_INTERVAL_NANOS)
                {
                    lastTouchNanos = mono;
                    activity.touch(netns, mono);
                }
                append(CaptureHeader.ORIGIN_EVENT, group, wall, mono, 0, buffer, offset, messageLength);
                if (watchSilentRemovals && impliesSilentRemovals(type, buffer, offset, messageLength))
                {
                    onSilentRemovals(mono);
                }
            }
            offset = NetlinkFraming.nextOffset(offset, messageLength, length);
        }
    }

    /**
     * A link went down (IFF_UP among the changed flags, not among the flags: a link set down, or one registered
     * down) or away, an address went away, or a route replaced another: the kernel may have dropped routes and
     * neighbours without a notification each. Only the message type and two fixed-offset words are read; nothing is decoded.
     */
    private static boolean impliesSilentRemovals(final int type, final ByteBuffer buffer, final int offset, final int length)
    {
        if (type == Rtnetlink.RTM_DELLINK || type == Rtnetlink.RTM_DELADDR)
        {
            return true;
        }
        if (type == Rtnetlink.RTM_NEWROUTE)
        {
            // a replace announces the new route, not the end of the one it replaced (another device: another route)
            return (NetlinkFraming.flags(buffer, offset) & Netlink.NLM_F_REPLACE) != 0;
        }
        if (type != Rtnetlink.RTM_NEWLINK || length < Netlink.NLMSG_HDRLEN + Rtnetlink.IFINFOMSG_LEN)
        {
            return false;
        }
        // struct ifinfomsg: family, pad, type (u16), index (s32), flags (u32), change (u32)
        final int flags = buffer.getInt(offset + Netlink.NLMSG_HDRLEN + 8);
        final int change = buffer.getInt(offset + Netlink.NLMSG_HDRLEN + 12);
        return (change & IFF_UP) != 0 && (flags & IFF_UP) == 0;
    }

    /**
     * Dumps routes and neighbours again once such messages stop coming for {@value #SILENT_REDUMP_QUIET_NANOS}
     * ns (a link going down brings several), and at most {@value #SILENT_REDUMP_MAX_DELAY_NANOS} ns after the
     * first: readers end what the dump lacks, as after a resync.
     */
    private void onSilentRemovals(final long mono)
    {
        if (firstSilentRemovalNanos == Long.MAX_VALUE)
        {
            firstSilentRemovalNanos = mono;
        }
        silentRedumpAtNanos = Math.min(mono + SILENT_REDUMP_QUIET_NANOS, firstSilentRemovalNanos + SILENT_REDUMP_MAX_DELAY_NANOS);
    }

    private void queueSilentRemovalDumps()
    {
        silentRedumpAtNanos = Long.MAX_VALUE;
        firstSilentRemovalNanos = Long.MAX_VALUE;
        for (final DumpRequest request : spec.afterSilentRemovals())
        {
            if (!pendingDumps.contains(request))
            {
                pendingDumps.add(request);
            }
        }
        // marked as repairs, like the dumps after an overrun
        resyncQueued = true;
    }

    private void onDumpEnd(final int type)
    {
        final DumpRequest done = dumpInFlight;
        dumpInFlight = null;
        if ((dumpFlags & CaptureHeader.FLAG_DUMP_INTR) != 0)
        {
            // the kernel's view changed under the dump: it is not a consistent snapshot, ask again
            counters.dumpsInterrupted++;
            pendingDumps.addFirst(done);
        }
        else if (type == Netlink.NLMSG_ERROR)
        {
            LOG.warning("capture " + spec.name() + ": dump of " + done + " ended with an error message; see the journal");
        }
        if (pendingDumps.isEmpty())
        {
            resyncQueued = false;
            if (!startDumpsDone)
            {
                startDumpsDone = true;
                LOG.log(blocking ? java.util.logging.Level.INFO : java.util.logging.Level.FINE,
                    () -> "capture " + spec.name() + (blocking ? "" : " of namespace " + netns) + ": initial dumps complete");
            }
        }
    }

    private void sendDump(final DumpRequest request)
    {
        final ByteBuffer tx = socket.sendBuffer();
        dumpSeq = nextSeq++;
        dumpFlags = resyncQueued ? CaptureHeader.FLAG_RESYNC : 0;
        final int length = request.encode(tx, dumpSeq, portId);
        dumpMessages = 0;
        if (!blocking && dumpFlags == 0 && emptyLastTime.contains(request))
        {
            // found nothing last time, and no event since: journalled only if it finds something now (an idle pod's
            // periodic socket dumps cost the journal nothing; readers' state of that scope is empty either way)
            deferredBegin = length;
            deferredBeginWall = clock.nanos();
            deferredBeginMono = System.nanoTime();
        }
        else
        {
            append(CaptureHeader.ORIGIN_DUMP_BEGIN, dumpSeq, clock.nanos(), System.nanoTime(), dumpFlags, tx, 0, length);
        }
        socket.send(length);
        dumpInFlight = request;
        counters.dumps++;
    }

    private void onOverrun(final int errno)
    {
        counters.overruns++;
        drainedSinceOverrun = false;
        gap.putLong(GapRecord.OVERRUNS_OFFSET, counters.overruns);
        gap.putInt(GapRecord.ERRNO_OFFSET, errno);
        gap.putInt(GapRecord.ERRNO_OFFSET + 4, 0);
        append(CaptureHeader.ORIGIN_GAP, 0, clock.nanos(), System.nanoTime(), 0, gap, 0, GapRecord.LENGTH);
        queueResync();
    }

    /**
     * Events were lost (an overrun, or entries not written on a full disk): the next dumps are authoritative for
     * every object of this socket. A dump already under way does not count: what changed behind it, and was lost,
     * is in neither; so dump again after it.
     */
    private void queueResync()
    {
        resyncQueued = true;
        for (final DumpRequest request : spec.dumps())
        {
            if (!pendingDumps.contains(request))
            {
                pendingDumps.add(request);
            }
        }
    }

    private void append(
        final int origin,
        final int group,
        final long wall,
        final long mono,
        final int flags,
        final ByteBuffer buffer,
        final int offset,
        final int length)
    {
        writer.append(origin, spec.protocol(), group, wall, mono, netns, -1, flags, buffer, offset, length);
        counters.appends++;
        if (writer.diskGaps() != diskGapsSeen)
        {
            // the journal's filesystem was full for a while: what was not written is a loss, as after an overrun
            diskGapsSeen = writer.diskGaps();
            queueResync();
        }
    }

    /** Readers print the namespace by the name it had when captured ({@code blue}), not only its inode. */
    private void journalNetnsName()
    {
        // a file name under /run/netns: 1 to NAME_MAX (255) bytes, as the record holds
        final String name = NetnsIdentity.name(netnsPath, netns);
        if (name == null)
        {
            return;
        }
        final ByteBuffer record = ByteBuffer.allocateDirect(AnnotationRecord.NETNS_NAME_OFFSET + AnnotationRecord.NETNS_NAME_MAX)
            .order(ByteOrder.nativeOrder());
        final int length = AnnotationRecord.writeNetnsName(record, netns, name);
        writer.append(CaptureHeader.ORIGIN_ANNOTATION, spec.protocol(), 0, clock.nanos(), System.nanoTime(), netns, -1, 0,
            record, 0, length);
        LOG.fine(() -> "capture " + spec.name() + ": namespace " + netns + " is " + name);
    }

    /**
     * When the counters are next due: alone, the interval from now; served with others, the next multiple of the
     * interval on the monotonic clock, the same instant for every namespace of a thread (one wake for all of them).
     */
    private long nextCountersTime(final long now)
    {
        return blocking ? now + COUNTERS_INTERVAL_NANOS : Math.floorDiv(now, COUNTERS_INTERVAL_NANOS) * COUNTERS_INTERVAL_NANOS + COUNTERS_INTERVAL_NANOS;
    }

    /** The counters go to the journal too, so that stats can tell from the journal alone what capture saw. */
    private void journalCounters()
    {
        nextCountersNanos = nextCountersTime(System.nanoTime());
        if (!blocking)
        {
            // one of many namespaces: an idle one costs the journal nothing
            final long datagrams = counters.datagrams + counters.dumps + counters.overruns;
            if (datagrams == countersJournalled)
            {
                return;
            }
            countersJournalled = datagrams;
        }
        final int length = counters.write(counterRecord);
        writer.append(CaptureHeader.ORIGIN_ANNOTATION, spec.protocol(), 0, clock.nanos(), System.nanoTime(), netns, -1, 0,
            counterRecord, 0, length);
    }

    /**
     * Closes the socket of one of a serving thread's namespaces: its last counters, then, when the namespace ended
     * ({@code ended}), the record that ends its objects of this source for readers.
     */
    void closeShared(final boolean ended)
    {
        if (socket == null)
        {
            return;
        }
        countersJournalled = -1;
        journalCounters();
        socket.close();
        socket = null;
        if (ended)
        {
            final ByteBuffer record = ByteBuffer.allocateDirect(AnnotationRecord.NETNS_GONE_LENGTH).order(ByteOrder.nativeOrder());
            final int length = AnnotationRecord.writeNetnsGone(record, netns);
            writer.append(CaptureHeader.ORIGIN_ANNOTATION, spec.protocol(), 0, clock.nanos(), System.nanoTime(), netns, -1, 0,
                record, 0, length);
        }
        LOG.fine(() -> "capture " + spec.name() + " of namespace " + netns + " closed" + (ended ? " (the namespace ended)" : "") + ": " + counters);
    }

    @Override
    public void onClose()
    {
        if (writer != null && socket != null)
        {
            journalCounters();
        }
        if (socket != null)
        {
            socket.close();
        }
        if (writer != null)
        {
            writer.close();
        }
        LOG.info(() -> "capture " + spec.name() + " stopped: " + counters);
    }

    public CaptureCounters counters()
    {
        return counters;
    }

    /** True once the start-up dumps (and any resync since) have all completed. */
    public boolean dumpsComplete()
    {
        return startDumpsDone;
    }

    public int grantedRcvbuf()
    {
        return grantedRcvbuf;
    }

    /** The namespace captured (valid after onStart). */
    public long netns()
    {
        return netns;
    }

    public CaptureSpec spec()
    {
        return spec;
    }
}
