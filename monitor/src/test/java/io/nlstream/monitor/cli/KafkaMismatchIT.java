package io.nlstream.monitor.cli;

import io.nlstream.monitor.journal.TestJournal;
import io.nlstream.monitor.testing.KafkaBroker;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client and a listener of different protocols (issue 11, item 5): before, Kafka's client retried for ever and
 * {@code forward} said only "Timed out waiting for a node assignment". Now the forwarder probes what listens at the
 * bootstrap servers once the first request fails, and {@code forward} ends with exit 1 naming the mismatch.
 */
class KafkaMismatchIT
{
    @TempDir
    Path tmp;

    private Path journalOfOneEvent()
    {
        return TestJournal.oneEvent(tmp.resolve("journal"));
    }

    /** {@code kafka.client.security.protocol=SSL} against a real broker's plaintext listener. */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aTlsClientAgainstAPlaintextBrokerEndsForwardNamingIt() throws Exception
    {
        final Path journal = journalOfOneEvent();
        final Path config = Files.writeString(tmp.resolve("ssl.properties"), "kafka.client.security.protocol = SSL\n");
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             MonitorProcess forward = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("work")), "forward", "--config",
                 config.toString(), "--journal", journal.toString(), "--kafka", broker.bootstrap(), "--follow"))
        {
            assertEquals(Main.EXIT_FAILURE, forward.awaitExit(90_000), forward::toString);
            final String err = forward.stderr();
            assertTrue(err.contains(broker.bootstrap() + " is a plaintext Kafka listener") && err.contains("security.protocol is SSL")
                && err.contains("not retried"), err);
        }
    }

    /** A plaintext client against a TLS listener (a JDK TLS server with a self-signed key made for the test). */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPlaintextClientAgainstATlsListenerEndsForwardNamingIt() throws Exception
    {
        final Path journal = journalOfOneEvent();
        final Path keystore = tmp.resolve("tls.p12");
        Netns.run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-keystore", keystore.toString(),
            "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
            "-dname", "CN=localhost", "-validity", "2");
        final KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore))
        {
            ks.load(in, "changeit".toCharArray());
        }
        final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        final SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket)tls.getServerSocketFactory().createServerSocket(0, 50,
            java.net.InetAddress.getLoopbackAddress()))
        {
            final Thread t = new Thread(() ->
            {
                while (!server.isClosed())
                {
                    try (SSLSocket c = (SSLSocket)server.accept())
                    {
                        c.startHandshake(); // fails on a plaintext request: the JDK answers with an alert and closes
                    }
                    catch (final IOException e)
                    {
                        // the expected failed handshake, or the end of the test
                    }
                }
            }, "tls-listener");
            t.setDaemon(true);
            t.start();
            final String servers = "127.0.0.1:" + server.getLocalPort();
            try (MonitorProcess forward = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("work")), "forward", "--journal",
                journal.toString(), "--kafka", servers, "--follow"))
            {
                assertEquals(Main.EXIT_FAILURE, forward.awaitExit(60_000), forward::toString);
                final String err = forward.stderr();
                assertTrue(err.contains(servers + " speaks TLS") || err.contains(servers + " closed the connection on a plaintext Kafka request"),
                    err);
                assertTrue(err.contains("not retried"), err);
            }
        }
    }
}
