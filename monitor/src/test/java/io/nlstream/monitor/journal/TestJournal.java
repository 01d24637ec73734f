package io.nlstream.monitor.journal;

import io.nlstream.netlink.Netlink;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: writes a synthetic journal the way capture does (one netlink message per entry, dumps
 * bracketed by DUMP_BEGIN with the request and DUMP_END with NLMSG_DONE), and reads one back as copies.
 * The wall clock is whatever the test says; the monotonic clock follows it.
 */
public final class TestJournal implements AutoCloseable
{
    public static final long NETNS_A = 4026531840L;
    public static final long NETNS_B = 4026532712L;
    public static final String ROLL_CYCLE = "FAST_DAILY";

    private final Journal journal;
    private final JournalWriter writer;
    private long wallNanos = 1_795_000_000_000_000_000L;

    private TestJournal(final Path dir)
    {
        journal = Journal.openForWriting(dir, ROLL_CYCLE);
        writer = journal.writer();
    }

    private TestJournal(final Path dir, final String rollCycle, final net.openhft.chronicle.core.time.TimeProvider clock)
    {
        journal = Journal.openForWriting(dir, rollCycle, clock);
        writer = journal.writer();
    }

    /** A journal whose cycle files follow {@code clock} (Chronicle's file time, not the entries' wall clock). */
    public static TestJournal create(final Path dir, final String rollCycle, final net.openhft.chronicle.core.time.TimeProvider clock)
    {
        return new TestJournal(dir, rollCycle, clock);
    }

    public static TestJournal create(final Path dir)
    {
        return new TestJournal(dir);
    }

    /** A journal at {@code dir} holding one link event (lo), for tests of readers that only need something to send. */
    public static Path oneEvent(final Path dir)
    {
        try (TestJournal j = create(dir))
        {
            j.at(1_764_000_000_000_000_000L).event(NETNS_A, RtnlMessages.newLink(1, "lo", 65536));
        }
        return dir;
    }

    /** Sets the wall clock of the entries appended next. */
    public TestJournal at(final long wallNanos)
    {
        this.wallNanos = wallNanos;
        return this;
    }

    public long wallNanos()
    {
        return wallNanos;
    }

    /** Appends one entry; the clock advances by 1 µs afterwards. Returns the entry's index. */
    public long append(final int origin, final int group, final long netns, final int flags, final byte[] payload)
    {
        final ByteBuffer source = ByteBuffer.wrap(payload);
        writer.append(origin, Netlink.NETLINK_ROUTE, group, wallNanos, wallNanos / 2, netns, -1, flags, source, 0, payload.length);
        wallNanos += 1_000;
        return writer.lastIndex();
    }

    public long event(final long netns, final byte[] message)
    {
        return append(CaptureHeader.ORIGIN_EVENT, 1, netns, 0, message);
    }

    /** A dump of {@code requestType} with id {@code dumpId}: begin, the messages, NLMSG_DONE. */
    public long dump(final long netns, final int requestType, final int dumpId, final int flags, final byte[]... messages)
    {
        dumpBegin(netns, requestType, dumpId, flags);
        for (final byte[] m : messages)
        {
            dumpMessage(netns, dumpId, flags, m);
        }
        return dumpEnd(netns, dumpId, flags, RtnlMessages.done(dumpId));
    }

    public long dumpBegin(final long netns, final int requestType, final int dumpId, final int flags)
    {
        return append(CaptureHeader.ORIGIN_DUMP_BEGIN, dumpId, netns, flags, RtnlMessages.dumpRequest(requestType, dumpId));
    }

    public long dumpMessage(final long netns, final int dumpId, final int flags, final byte[] message)
    {
        return append(CaptureHeader.ORIGIN_DUMP, dumpId, netns, flags, message);
    }

    public long dumpEnd(final long netns, final int dumpId, final int flags, final byte[] message)
    {
        return append(CaptureHeader.ORIGIN_DUMP_END, dumpId, netns, flags, message);
    }

    public long gap(final long netns, final long overruns)
    {
        return append(CaptureHeader.ORIGIN_GAP, 0, netns, 0, RtnlMessages.gapRecord(overruns, RtnlMessages.ENOBUFS));
    }

    /** Appends bytes that are not a capture entry, as a damaged or foreign journal would hold. */
    public long raw(final byte[] bytes)
    {
        try (ExcerptAppender appender = journal.queue().createAppender())
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().write(bytes);
            }
            return appender.lastIndexAppended();
        }
    }

    /** The journal, open for writing, for tests that act on it as run's agents do (retention). */
    public Journal journal()
    {
        return journal;
    }

    public JournalWriter writer()
    {
        return writer;
    }

    @Override
    public void close()
    {
        writer.close();
        journal.close();
    }

    /** An entry read back, copied out of the reader's reused buffer. */
    public record Copy(long index, int version, int origin, int protocol, int group, long wallNanos, long monoNanos,
        long netns, int nsid, int flags, byte[] payload)
    {
        public static Copy of(final JournalEntry e)
        {
            final byte[] payload = new byte[e.payloadLength()];
            e.buffer().get(e.payloadOffset(), payload);
            return new Copy(e.index(), e.version(), e.origin(), e.protocol(), e.group(), e.wallNanos(), e.monoNanos(),
                e.netns(), e.nsid(), e.flags(), payload);
        }

        /** The header fields alone, comparable with equals (a record compares arrays by identity). */
        public Copy withoutPayload()
        {
            return new Copy(index, version, origin, protocol, group, wallNanos, monoNanos, netns, nsid, flags, null);
        }
    }

    /** Every readable entry of the journal at {@code dir}, from its start. */
    public static List<Copy> readAll(final Path dir)
    {
        final List<Copy> out = new ArrayList<>();
        try (Journal journal = Journal.openForReading(dir); JournalReader reader = journal.reader().toStart())
        {
            final JournalEntry entry = new JournalEntry();
            while (reader.next(entry))
            {
                out.add(Copy.of(entry));
            }
        }
        return out;
    }

    /** {@code payload} as a message buffer in host order, for the decoders. */
    public static ByteBuffer hostOrder(final byte[] payload)
    {
        return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
    }
}
