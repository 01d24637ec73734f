package io.nlstream.sinks.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tells what listens at a bootstrap server when the Kafka client only says it timed out: the client hides a
 * protocol mismatch behind retries ("Timed out waiting for a node assignment"). One plain TCP connection per
 * server, one Kafka ApiVersions request (v0) in plaintext, the first bytes of the answer read:
 * <ul>
 * <li>a Kafka response (a length, then our correlation id): a plaintext Kafka listener;</li>
 * <li>a TLS record (0x15 alert or 0x16 handshake, version 3.x): a TLS listener, which answers a plaintext request
 *     with an alert;</li>
 * <li>{@code HTTP/}: an HTTP server, not Kafka;</li>
 * <li>the connection closed without an answer: a listener that wanted something else first (TLS or SASL);</li>
 * <li>no answer at all: something that waits (not a Kafka listener, which answers ApiVersions at once).</li>
 * </ul>
 * Compared with the client's {@code security.protocol}, that names the mismatch. Bounded: a few bytes read, a
 * timeout on connect and read; never more than one connection at a time.
 */
public final class KafkaEndpointProbe
{
    /** What answered at one server. */
    public enum Answer
    {
        KAFKA_PLAINTEXT, TLS, HTTP, CLOSED, SILENT, UNREACHABLE, OTHER
    }

    private static final int API_VERSIONS = 18;
    private static final int CORRELATION_ID = 0x4e4c5350; // "NLSP"
    private static final byte[] CLIENT_ID = "nlstream-probe".getBytes(StandardCharsets.US_ASCII);

    private KafkaEndpointProbe()
    {
    }

    /** Probes one {@code host:port} (IPv6 in brackets). */
    public static Answer probe(final String hostPort, final int timeoutMillis)
    {
        final int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final int port = Integer.parseInt(hostPort.substring(colon + 1));
        try (Socket s = new Socket())
        {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            final OutputStream out = s.getOutputStream();
            out.write(apiVersionsRequest());
            out.flush();
            final InputStream in = s.getInputStream();
            final byte[] head = new byte[8];
            int n = 0;
            try
            {
                while (n < head.length)
                {
                    final int r = in.read(head, n, head.length - n);
                    if (r < 0)
                    {
                        break;
                    }
                    n += r;
                }
            }
            catch (final SocketTimeoutException e)
            {
                if (n == 0)
                {
                    return Answer.SILENT;
                }
            }
            catch (final IOException e)
            {
                // reset by the peer: closed on us
                if (n == 0)
                {
                    return Answer.CLOSED;
                }
            }
            return classify(head, n);
        }
        catch (final IOException | RuntimeException e)
        {
            return Answer.UNREACHABLE;
        }
    }

    /** What the first {@code n} bytes of an answer to a plaintext ApiVersions request say. */
    static Answer classify(final byte[] head, final int n)
    {
        if (n == 0)
        {
            return Answer.CLOSED;
        }
        if (n >= 3 && (head[0] == 0x15 || head[0] == 0x16) && head[1] == 0x03 && (head[2] & 0xff) <= 0x04)
        {
            return Answer.TLS;
        }
        if (n >= 5 && new String(head, 0, 5, StandardCharsets.US_ASCII).equals("HTTP/"))
        {
            return Answer.HTTP;
        }
        if (n >= 8 && ByteBuffer.wrap(head).getInt(4) == CORRELATION_ID)
        {
            return Answer.KAFKA_PLAINTEXT;
        }
        return Answer.OTHER;
    }

    private static byte[] apiVersionsRequest()
    {
        final ByteBuffer b = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + CLIENT_ID.length);
        b.putInt(b.capacity() - 4).putShort((short)API_VERSIONS).putShort((short)0).putInt(CORRELATION_ID)
            .putShort((short)CLIENT_ID.length).put(CLIENT_ID);
        return b.array();
    }

    /**
     * Probes each server of {@code bootstrap} and says what does not match the client's {@code securityProtocol}
     * (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), or null when nothing found explains a failure (a plaintext Kafka
     * listener for a plaintext client, servers unreachable: the client's own message says that).
     */
    public static String mismatch(final String bootstrap, final String securityProtocol, final int timeoutMillis)
    {
        final String protocol = securityProtocol == null ? "PLAINTEXT" : securityProtocol.toUpperCase(Locale.ROOT);
        final boolean tls = protocol.endsWith("SSL");
        final boolean sasl = protocol.startsWith("SASL");
        final List<String> found = new ArrayList<>();
        for (final String server : bootstrap.split(","))
        {
            final String hostPort = server.trim();
            if (hostPort.isEmpty())
            {
                continue;
            }
            final Answer a = probe(hostPort, timeoutMillis);
            switch (a)
            {
                case HTTP:
                    found.add(hostPort + " is an HTTP server, not Kafka");
                    break;
                case TLS:
                    if (!tls)
                    {
                        found.add(hostPort + " speaks TLS (it answered a plaintext Kafka request with a TLS alert), but the client's"
                            + " security.protocol is " + protocol + ": set kafka.client.security.protocol=SSL (or SASL_SSL)");
                    }
                    break;
                case KAFKA_PLAINTEXT:
                    // (a SASL_PLAINTEXT listener answers ApiVersions before authentication too: no conclusion for SASL)
                    if (tls)
                    {
                        found.add(hostPort + " is a plaintext Kafka listener (it answered a plaintext request), but the client's"
                            + " security.protocol is " + protocol + ": its TLS handshake cannot succeed there");
                    }
                    break;
                case CLOSED:
                    if (!tls && !sasl)
                    {
                        found.add(hostPort + " closed the connection on a plaintext Kafka request without an answer: a TLS or SASL"
                            + " listener does so, while the client's security.protocol is " + protocol);
                    }
                    break;
                case SILENT:
                    found.add(hostPort + " accepts connections but does not answer a Kafka request: not a Kafka listener");
                    break;
                case OTHER:
                    found.add(hostPort + " answered a Kafka request with something that is not Kafka");
                    break;
                default:
                    break;
            }
        }
        return found.isEmpty() ? null : String.join("; ", found);
    }
}
