package io.nlstream.monitor.cli;

import io.nlstream.monitor.journal.TestJournal;
import io.nlstream.monitor.testing.MonitorProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code forward} without {@code --follow} does not wait forever for a broker that is not there (issue 11): after
 * {@code --kafka-give-up} it exits 1 naming the servers, the bound and the last error; the events wait in the
 * journal. The "broker" is a loopback port nothing listens on (taken from the kernel and closed again).
 */
class ForwardGiveUpIT
{
    @TempDir
    Path tmp;

    private Path journalOfOneEvent(final String name)
    {
        return TestJournal.oneEvent(tmp.resolve(name));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void forwardGivesUpOnAnAbsentBroker() throws Exception
    {
        final Path journal = journalOfOneEvent("journal");
        final int port;
        try (ServerSocket free = new ServerSocket(0))
        {
            port = free.getLocalPort();
        }
        final String servers = "127.0.0.1:" + port;
        try (MonitorProcess forward = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("work")), "forward", "--journal",
            journal.toString(), "--kafka", servers, "--kafka-give-up", "2s"))
        {
            assertEquals(Main.EXIT_FAILURE, forward.awaitExit(60_000), forward::toString);
            final String err = forward.stderr();
            assertTrue(err.contains("Kafka at " + servers + " unreachable or silent for 2 s (--kafka-give-up)"), err);
            assertTrue(err.contains("last error: ") && err.contains("no answer from the brokers"), err);
            assertTrue(err.contains("Kafka unavailable"), "the outage is logged: " + err);
        }
    }

    /**
     * A client configuration Kafka's client refuses (SASL without a JAAS entry) is not retried by forward, even
     * with --follow: exit 1 at once with the client's reason.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aClientConfigurationKafkaRefusesEndsForwardAtOnce() throws Exception
    {
        final Path journal = journalOfOneEvent("journal3");
        final Path config = Files.writeString(tmp.resolve("sasl.properties"),
            "kafka.client.security.protocol = SASL_PLAINTEXT\nkafka.client.sasl.mechanism = PLAIN\n");
        try (MonitorProcess forward = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("work3")), "forward", "--config",
            config.toString(), "--journal", journal.toString(), "--kafka", "127.0.0.1:1", "--follow"))
        {
            assertEquals(Main.EXIT_FAILURE, forward.awaitExit(30_000), forward::toString);
            final String err = forward.stderr();
            assertTrue(err.contains("the Kafka client cannot be made from its configuration") && err.contains("JAAS"), err);
            assertTrue(err.contains("not retried"), err);
        }
    }

    /**
     * An endpoint that is not Kafka (an HTTP server answering every request with a 400; its first four bytes,
     * "HTTP", read as a Kafka size are 1.2 GB) costs bounded memory (the forward JVM has -Xmx256m: an
     * OutOfMemoryError would end it with 3) and ends forward with 1 within its bound and a connection attempt.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void anEndpointThatIsNotKafkaEndsForwardNotTheHeap() throws Exception
    {
        final Path journal = journalOfOneEvent("journal2");
        try (ServerSocket http = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()))
        {
            final Thread server = new Thread(() ->
            {
                while (!http.isClosed())
                {
                    try (java.net.Socket c = http.accept())
                    {
                        c.getInputStream().read(new byte[4096]);
                        c.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    }
                    catch (final java.io.IOException e)
                    {
                        // closed at the end of the test, or a client gone
                    }
                }
            }, "not-kafka");
            server.setDaemon(true);
            server.start();
            final String servers = "127.0.0.1:" + http.getLocalPort();
            try (MonitorProcess forward = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("work2")), "forward", "--journal",
                journal.toString(), "--kafka", servers, "--kafka-give-up", "2s"))
            {
                assertEquals(Main.EXIT_FAILURE, forward.awaitExit(60_000), forward::toString);
                // ended by the give-up bound, or sooner by the probe after the first failed request: either names what listens
                assertTrue(forward.stderr().contains("Kafka at " + servers + " unreachable or silent for 2 s")
                    || forward.stderr().contains("does not match the client"), forward::toString);
                assertTrue(forward.stderr().contains(servers + " is an HTTP server, not Kafka"), "what listens there is named: " + forward);
            }
        }
    }
}
