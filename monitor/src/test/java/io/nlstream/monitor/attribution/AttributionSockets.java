package io.nlstream.monitor.attribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Test helper: a real listening socket of this JVM and its inode, read from the kernel's own tables
 * ({@code /proc/self/net/tcp}, {@code tcp6}) rather than from the code under test.
 */
final class AttributionSockets
{
    private static final String TCP_LISTEN_HEX = "0A";

    private AttributionSockets()
    {
    }

    /** A listener on the loopback address, an ephemeral port; {@code ipv6}: whether the JVM made it AF_INET6. */
    record Listener(ServerSocket socket, int port, long inode, boolean ipv6) implements AutoCloseable
    {
        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }

    static Listener listen() throws IOException
    {
        final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final int port = socket.getLocalPort();
        for (final String table : List.of("tcp", "tcp6"))
        {
            final long inode = listenerInode(table, port);
            if (inode > 0)
            {
                return new Listener(socket, port, inode, "tcp6".equals(table));
            }
        }
        socket.close();
        throw new AssertionError("no listener on port " + port + " in /proc/self/net/tcp or tcp6");
    }

    /** The inode of the listening socket on {@code port} in /proc/self/net/{@code table}, or 0. */
    private static long listenerInode(final String table, final int port)
    {
        final String portHex = String.format(Locale.ROOT, ":%04X", port);
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/net", table), StandardCharsets.US_ASCII))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                final String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(portHex) && TCP_LISTEN_HEX.equals(f[3]))
                {
                    return Long.parseLong(f[9]);
                }
            }
            return 0;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** The socket inodes this process holds, from readlink of /proc/self/fd/*. */
    static Set<Long> socketInodesOfThisProcess()
    {
        final Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd")))
        {
            for (final Path fd : fds)
            {
                try
                {
                    final String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && target.endsWith("]"))
                    {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                }
                catch (final IOException e)
                {
                    // the directory stream's own fd, closed by the time it is read
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }
}
