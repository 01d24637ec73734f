package io.nlstream.bench;

import io.nlstream.monitor.events.EventDecoder;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import io.nlstream.monitor.journal.JournalWriter;
import io.nlstream.netlink.Netlink;
import io.nlstream.sinks.Event;
import io.nlstream.sinks.JsonEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The read side, per journal entry: {@link EventDecoder#decode} (decoder wrap, every field of the
 * event model, names of flags and states, address text) and then {@link JsonEncoder} into a reused
 * StringBuilder, as the stdout sink, replay and the Kafka forwarder do. {@link #decode} alone shows how
 * the cost splits. Unlike the decoders' benchmarks this allocates (the Event, its map, boxed numbers,
 * strings); {@code -prof gc} reports how much per entry.
 * <p>
 * The entry is a captured fixture appended to a temporary journal and read back once with
 * {@link JournalReader} in setup, so it is laid out exactly as a reader sees it; the journal is deleted
 * as soon as the entry is read (the entry holds a copy).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EventDecodeBenchmark extends ChronicleBenchmark
{
    /** veth-newlink: 1872 bytes, 17 fields; ipv4-newaddr and ipv6-newaddr: one address each. */
    @Param({"veth-newlink", "ipv4-newaddr", "ipv6-newaddr"})
    public String fixture;

    private final EventDecoder decoder = new EventDecoder();
    private final JsonEncoder json = new JsonEncoder();
    private final StringBuilder line = new StringBuilder(1024);
    private final JournalEntry entry = new JournalEntry();

    @Setup
    public void setUp()
    {
        final ByteBuffer message = Fixtures.direct(fixture);
        final Path dir = TempDirs.create("nlstream-bench-events-");
        try (Journal journal = Journal.openForWriting(dir, "FAST_HOURLY"))
        {
            try (JournalWriter writer = journal.writer())
            {
                // the decoder reads neither the group nor the nsid
                writer.append(CaptureHeader.ORIGIN_EVENT, Netlink.NETLINK_ROUTE, 0, 1_700_000_000_123_456_789L,
                    1L, 4026531840L, -1, 0, message, 0, message.capacity());
            }
            try (JournalReader reader = journal.reader())
            {
                if (!reader.toStart().next(entry))
                {
                    throw new IllegalStateException("fixture=" + fixture + ": the entry just appended to " + dir
                        + " does not read back (corrupt=" + reader.corrupt() + ")");
                }
            }
        }
        finally
        {
            TempDirs.delete(dir);
        }
        final Event event = decoder.decode(entry);
        if (event == null)
        {
            throw new IllegalStateException("fixture=" + fixture + " gives no event (malformed=" + decoder.malformed() + ")");
        }
    }

    @Benchmark
    public StringBuilder decodeToJson()
    {
        line.setLength(0);
        json.encode(decoder.decode(entry), line);
        return line;
    }

    @Benchmark
    public Event decode()
    {
        return decoder.decode(entry);
    }
}
