package io.nlstream.sinks;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same conntrack event written a million times per format allocates nothing per event (its Community ID
 * hashed from the message each time, as the typed event will), measured with the thread's allocation
 * counter. Also prints the time per event, a rough figure: the end-to-end JMH benchmark is the real one.
 */
class FieldWriterAllocationTest
{
    private static final int WARM_UP = 300_000;
    private static final int EVENTS = 1_000_000;
    /** What the counter itself and a stray lazy initialisation may cost, for the whole run, not per event. */
    private static final long SLACK_BYTES = 16 * 1024;

    @Test
    void conntrackEventAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        for (final String format : new String[] {"json", "text"})
        {
            for (final boolean direct : new boolean[] {true, false})
            {
                final ByteFieldWriter writer = ByteFieldWriter.forFormat(format);
                final ConntrackFixture fixture = new ConntrackFixture(direct);
                run(writer, fixture, WARM_UP);

                final long before = threads.getCurrentThreadAllocatedBytes();
                final long start = System.nanoTime();
                final long bytes = run(writer, fixture, EVENTS);
                final long nanos = System.nanoTime() - start;
                final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

                System.out.printf("%s %s buffer: %d ns/event (%d bytes each), %d bytes allocated in %d events%n", format,
                    direct ? "direct" : "heap", nanos / EVENTS, bytes / EVENTS, allocated, EVENTS);
                assertTrue(allocated < SLACK_BYTES, format + ": " + allocated + " bytes allocated in " + EVENTS + " events");
            }
        }
    }

    private static long run(final ByteFieldWriter writer, final ConntrackFixture fixture, final int events)
    {
        long bytes = 0;
        for (int i = 0; i < events; i++)
        {
            writer.reset();
            fixture.write(writer);
            bytes += writer.length();
        }
        return bytes;
    }
}
