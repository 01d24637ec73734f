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
        for (final String format : new String[] {"json", "kv"})
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

    /**
     * The other shapes, once warm: a list of objects with an absent field (text gathers it in its
     * StringBuilder and quotes it), a list of texts, strings that need escapes, IPv6, a MAC.
     */
    @Test
    void listsOfObjectsAndEscapesAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final java.nio.ByteBuffer message = java.nio.ByteBuffer.allocateDirect(64);
        message.put(0, new byte[] {0x20, 0x01, 0x0d, (byte)0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        message.put(16, new byte[] {10, 0, 0, 1, 2, 0, 0, 0, 0x0b, 0});
        message.put(32, "my \"eth\"\t0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        final Name route = Name.of("route");
        final Name dst = Name.of("dst");
        final Name nexthops = Name.of("nexthops");
        final Name gateway = Name.of("gateway");
        final Name oif = Name.of("oif");
        final Name weight = Name.of("weight");
        final Name flags = Name.of("flags");
        final Name lladdr = Name.of("lladdr");
        final Name ifalias = Name.of("ifalias");
        final String comment = "a \"quoted\" alias";
        for (final String format : new String[] {"json", "kv"})
        {
            final ByteFieldWriter w = ByteFieldWriter.forFormat(format);
            final Runnable event = () ->
            {
                w.reset();
                w.beginEvent(1, 1_790_000_000_000_000_000L, route, null, 7);
                w.cidr(dst, message, 0, 16, 64);
                w.beginList(nexthops);
                for (int hop = 0; hop < 3; hop++)
                {
                    w.beginListObject();
                    if (hop == 1)
                    {
                        w.absent(gateway);
                    }
                    else
                    {
                        w.address(gateway, message, 16, 4);
                    }
                    w.field(oif, hop + 2);
                    w.field(weight, 1);
                    w.endListObject();
                }
                w.endList();
                w.beginList(flags);
                w.element(comment);
                w.element(flags);
                w.endList();
                w.mac(lladdr, message, 20, 6);
                w.string(ifalias, message, 32, 16);
                w.field(ifalias, comment);
                w.endEvent();
            };
            for (int i = 0; i < WARM_UP; i++)
            {
                event.run();
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < EVENTS; i++)
            {
                event.run();
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            System.out.printf("%s route with nexthops: %d bytes allocated in %d events%n", format, allocated, EVENTS);
            assertTrue(allocated < SLACK_BYTES, format + ": " + allocated + " bytes allocated in " + EVENTS + " events");
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
