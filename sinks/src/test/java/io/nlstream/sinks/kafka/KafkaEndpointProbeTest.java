package io.nlstream.sinks.kafka;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a bootstrap server's first answer to a plaintext ApiVersions request says, on the bytes real listeners send
 * (a TLS alert record as OpenSSL and the JDK send one, an HTTP status line, a Kafka response header), and against
 * loopback servers that answer so.
 */
class KafkaEndpointProbeTest
{
    private static byte[] b(final int... v)
    {
        final byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++)
        {
            out[i] = (byte)v[i];
        }
        return out;
    }

    @Test
    void firstBytesAreTold()
    {
        // TLS 1.2 alert record: type 21, version 3.3, length 2, fatal(2) unexpected_message(10)
        assertEquals(KafkaEndpointProbe.Answer.TLS, KafkaEndpointProbe.classify(b(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a, 0), 7));
        assertEquals(KafkaEndpointProbe.Answer.TLS, KafkaEndpointProbe.classify(b(0x16, 0x03, 0x01, 0x00, 0x40, 0, 0, 0), 8));
        assertEquals(KafkaEndpointProbe.Answer.HTTP, KafkaEndpointProbe.classify("HTTP/1.1".getBytes(), 8));
        // a Kafka response: int32 size, int32 correlation id (ours)
        assertEquals(KafkaEndpointProbe.Answer.KAFKA_PLAINTEXT, KafkaEndpointProbe.classify(b(0, 0, 1, 0x2c, 0x4e, 0x4c, 0x53, 0x50), 8));
        assertEquals(KafkaEndpointProbe.Answer.OTHER, KafkaEndpointProbe.classify(b(0, 0, 1, 0x2c, 0, 0, 0, 7), 8));
        assertEquals(KafkaEndpointProbe.Answer.CLOSED, KafkaEndpointProbe.classify(new byte[8], 0));
        assertEquals(KafkaEndpointProbe.Answer.OTHER, KafkaEndpointProbe.classify(b(0x15, 0x03), 2));
    }

    /** A server that reads the request and answers {@code reply} (null: closes without a word). */
    private static ServerSocket serving(final byte[] reply) throws IOException
    {
        final ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        final Thread t = new Thread(() ->
        {
            while (!server.isClosed())
            {
                try (Socket c = server.accept())
                {
                    final InputStream in = c.getInputStream();
                    in.read(new byte[64]);
                    if (reply != null)
                    {
                        c.getOutputStream().write(reply);
                    }
                }
                catch (final IOException e)
                {
                    // closed at the end
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void mismatchesAreNamedAgainstTheClientsProtocol() throws IOException
    {
        try (ServerSocket tls = serving(b(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a));
             ServerSocket kafka = serving(b(0, 0, 0, 6, 0x4e, 0x4c, 0x53, 0x50, 0, 0));
             ServerSocket closing = serving(null);
             ServerSocket http = serving("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes()))
        {
            final String t = "127.0.0.1:" + tls.getLocalPort();
            final String k = "127.0.0.1:" + kafka.getLocalPort();
            final String c = "127.0.0.1:" + closing.getLocalPort();
            final String h = "127.0.0.1:" + http.getLocalPort();
            final String plainToTls = KafkaEndpointProbe.mismatch(t, null, 2000);
            assertTrue(plainToTls != null && plainToTls.contains(t + " speaks TLS") && plainToTls.contains("security.protocol=SSL"), plainToTls);
            assertNull(KafkaEndpointProbe.mismatch(t, "SSL", 2000), "TLS for a TLS client is no mismatch");
            final String tlsToPlain = KafkaEndpointProbe.mismatch(k, "SSL", 2000);
            assertTrue(tlsToPlain != null && tlsToPlain.contains(k + " is a plaintext Kafka listener"), tlsToPlain);
            assertNull(KafkaEndpointProbe.mismatch(k, "PLAINTEXT", 2000));
            assertNull(KafkaEndpointProbe.mismatch(k, "SASL_PLAINTEXT", 2000), "a SASL listener answers ApiVersions too");
            assertTrue(KafkaEndpointProbe.mismatch(c, "PLAINTEXT", 2000).contains(c + " closed the connection"));
            assertTrue(KafkaEndpointProbe.mismatch(h + "," + k, null, 2000).contains(h + " is an HTTP server, not Kafka"));
        }
        try (ServerSocket free = new ServerSocket(0))
        {
            // nothing listens there once closed: unreachable is the client's own message, no mismatch
            final int port = free.getLocalPort();
            free.close();
            assertNull(KafkaEndpointProbe.mismatch("127.0.0.1:" + port, null, 1000));
        }
    }
}
