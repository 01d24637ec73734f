package io.nlstream.monitor.capture;

import io.nlstream.monitor.testing.Netns;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A namespace's counts read from outside it (entering it on this thread and back): a listener made there moves them,
 * its end brings them back; a namespace that is gone has none.
 */
@Tag("kernel")
class SocketCountsKernelIT
{
    @Test
    void aListenerInTheNamespaceMovesItsCountsAndItsEndBringsThemBack() throws Exception
    {
        final Path path;
        try (Netns ns = Netns.create("sockcounts"))
        {
            path = Path.of("/run/netns", ns.name());
            ns.ip("link", "set", "lo", "up");
            final String before = SocketCounts.of(path);
            assertNotNull(before);
            assertEquals(before, SocketCounts.of(path), "nothing made: the same");
            final Process listener = new ProcessBuilder(ns.prefix("python3", "-c",
                "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); print('up', flush=True); sys.stdin.read()"))
                    .redirectErrorStream(true).start();
            try
            {
                assertEquals("up", new String(listener.getInputStream().readNBytes(2)));
                final String with = SocketCounts.of(path);
                assertNotEquals(before, with, "a listener moves them: " + with);
                // this thread is back home
                assertEquals(java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/ns/net")),
                    java.nio.file.Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")));
            }
            finally
            {
                listener.getOutputStream().close();
                listener.waitFor();
            }
            assertEquals(before, SocketCounts.of(path), "closed: as before");
        }
        assertNull(SocketCounts.of(path), "gone: none");
    }
}
