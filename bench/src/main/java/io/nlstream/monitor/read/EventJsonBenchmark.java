package io.nlstream.monitor.read;

import io.nlstream.bench.ChronicleBenchmark;
import io.nlstream.bench.Fixtures;
import io.nlstream.bench.TempDirs;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;
import io.nlstream.monitor.journal.JournalWriter;
import io.nlstream.netlink.Netlink;
import io.nlstream.sinks.JsonFieldWriter;
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
 * The read side per journal entry, as every reader does it: {@link EventReader#decode} (the decoder
 * flyweight wrapped over the entry's message, the typed view set) and the event written as JSON by
 * {@link JsonFieldWriter} into a reused buffer, Community ID included (issue 9's target: at most 500 ns and
 * one allocation for a conn event, {@code -prof gc}). {@link #decode} alone shows how the cost splits.
 * <p>
 * The entry is a captured fixture appended to a temporary journal and read back once with
 * {@link JournalReader} in setup, so it is laid out exactly as a reader sees it; the journal is deleted as soon
 * as the entry is read (the entry holds a copy). Lives in the read package to reach its package-private reader.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EventJsonBenchmark extends ChronicleBenchmark
{
    /** Conntrack fixtures (fixtures/conntrack/) and two rtnetlink ones. */
    @Param({"conntrack/tcp4-dnat-new", "conntrack/tcp4-dnat-destroy", "conntrack/udp4-new", "conntrack/icmp4-echo-new",
        "conntrack/tcp6-new", "veth-newlink", "ipv4-newaddr"})
    public String fixture;

    private final EventReader reader = new EventReader();
    private final JsonFieldWriter json = new JsonFieldWriter();
    private final JournalEntry entry = new JournalEntry();

    @Setup
    public void setUp()
    {
        final ByteBuffer message = Fixtures.direct(fixture);
        final int protocol = fixture.startsWith("conntrack/") ? Netlink.NETLINK_NETFILTER : Netlink.NETLINK_ROUTE;
        final Path dir = TempDirs.create("nlstream-bench-json-");
        try (Journal journal = Journal.openForWriting(dir, "FAST_HOURLY"))
        {
            try (JournalWriter writer = journal.writer())
            {
                writer.append(CaptureHeader.ORIGIN_EVENT, protocol, 0, 1_700_000_000_123_456_789L, 1L, 4026531840L, -1, 0,
                    message, 0, message.capacity());
            }
            try (JournalReader r = journal.reader())
            {
                if (!r.toStart().next(entry))
                {
                    throw new IllegalStateException("fixture=" + fixture + ": the entry just appended to " + dir + " does not read back");
                }
            }
        }
        finally
        {
            TempDirs.delete(dir);
        }
        if (reader.decode(entry) == null)
        {
            throw new IllegalStateException("fixture=" + fixture + " gives no event (malformed=" + reader.malformed() + ")");
        }
    }

    @Benchmark
    public int decodeToJson()
    {
        json.reset();
        reader.decode(entry).write(json);
        return json.length();
    }

    @Benchmark
    public EventView decode()
    {
        return reader.decode(entry);
    }
}
