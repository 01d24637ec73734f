package io.nlstream.monitor.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A real single-node Apache Kafka broker (KRaft) in a separate process, started as {@code bin/kafka-local
 * --foreground} on two free loopback ports, with its data, config and log ({@code server.log}) in a directory
 * the test chooses. {@link #kill()} makes an outage, {@link #restart()} ends it with the same ports and data.
 * Deletes nothing: the directory belongs to the test.
 */
public final class KafkaBroker implements AutoCloseable
{
    /** The first start on a machine also resolves the server's jars with Maven (bin/kafka-local). */
    private static final long START_TIMEOUT_MILLIS = 240_000;
    private static final long STOP_TIMEOUT_MILLIS = 60_000;
    private static final int LOG_TAIL_LINES = 40;

    static
    {
        // The clients in the test JVM log every reconnect attempt while a test keeps the broker down.
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    }

    private final Path script;
    private final Path dir;
    private final Path log;
    private final int port;
    private final int controllerPort;
    private final Thread killOnExit = new Thread(this::killQuietly, "kafka-broker-kill-on-exit");
    private Process process;
    private long lastStartMillis;

    private KafkaBroker(final Path script, final Path dir, final int port, final int controllerPort)
    {
        this.script = script;
        this.dir = dir;
        this.log = dir.resolve("server.log");
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker on free ports with its files in {@code dir} (created if missing) and waits until it answers. */
    public static KafkaBroker start(final Path dir) throws IOException, InterruptedException
    {
        Files.createDirectories(dir);
        final int[] ports = freeLoopbackPorts(2);
        final KafkaBroker broker = new KafkaBroker(
            projectRoot().resolve("bin").resolve("kafka-local"), dir.toAbsolutePath(), ports[0], ports[1]);
        Runtime.getRuntime().addShutdownHook(broker.killOnExit);
        try
        {
            broker.launch();
        }
        catch (final IOException | InterruptedException | RuntimeException e)
        {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrap()
    {
        return "127.0.0.1:" + port;
    }

    /**
     * Every committed record of the event topics {@code PREFIX.*} ({@code PREFIX.checkpoints}, positions, left out),
     * from the start, until {@code expected} have come and three polls in a row brought nothing (or a minute passed).
     */
    public List<ConsumerRecord<byte[], byte[]>> consumeAll(final String prefix, final int expected)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        final ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, bytes, bytes))
        {
            consumer.subscribe(Pattern.compile(Pattern.quote(prefix) + "\\..*"));
            final long deadline = System.currentTimeMillis() + 60_000;
            int quietPolls = 0;
            while (System.currentTimeMillis() < deadline && (out.size() < expected || quietPolls < 3))
            {
                int n = 0;
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)))
                {
                    if (!r.topic().equals(prefix + ".checkpoints"))
                    {
                        out.add(r);
                        n++;
                    }
                }
                quietPolls = n == 0 ? quietPolls + 1 : 0;
            }
        }
        return out;
    }

    public int port()
    {
        return port;
    }

    public Path dir()
    {
        return dir;
    }

    public boolean isAlive()
    {
        return process != null && process.isAlive();
    }

    /** How long the last start or restart took until the broker answered a metadata request. */
    public long lastStartMillis()
    {
        return lastStartMillis;
    }

    /** SIGTERM (a controlled shutdown) and wait for the exit; SIGKILL and fail if it takes too long. */
    public void stop() throws InterruptedException
    {
        if (!isAlive())
        {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
        {
            kill();
            throw new IllegalStateException("kafka broker did not exit within " + STOP_TIMEOUT_MILLIS +
                " ms of SIGTERM, killed: " + describe() + logTail());
        }
    }

    /** SIGKILL: the broker vanishes as in a crash or a lost machine; its data stays. */
    public void kill() throws InterruptedException
    {
        if (process == null)
        {
            return;
        }
        // before Kafka runs, the script may be resolving jars with Maven
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
    }

    /** Stops the broker if it runs, then starts it again on the same ports and directory; waits until it answers. */
    public void restart() throws IOException, InterruptedException
    {
        stop();
        launch();
    }

    /** Kills the broker if it still runs. */
    @Override
    public void close()
    {
        killQuietly();
        try
        {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // the hook is running or about to: it does the same
        }
    }

    @Override
    public String toString()
    {
        return describe();
    }

    private void launch() throws IOException, InterruptedException
    {
        final long started = System.nanoTime();
        Files.writeString(log, "---- KafkaBroker: bin/kafka-local --foreground on " + bootstrap() + "\n",
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = new ProcessBuilder(script.toString(),
            "--port", Integer.toString(port),
            "--controller-port", Integer.toString(controllerPort),
            "--dir", dir.toString(),
            "--foreground")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        awaitReady();
        lastStartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** Ready when a metadata request through the client's own protocol lists this broker. */
    private void awaitReady() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        try (Admin admin = Admin.create(Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
            AdminClientConfig.CLIENT_ID_CONFIG, "kafka-broker-harness",
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200)))
        {
            Exception lastError = null;
            while (true)
            {
                if (!process.isAlive())
                {
                    throw new IllegalStateException("kafka broker exited with " + process.exitValue() +
                        " before it was ready: " + describe() + logTail());
                }
                try
                {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000))
                        .nodes().get(5, TimeUnit.SECONDS).isEmpty())
                    {
                        return;
                    }
                }
                catch (final ExecutionException | TimeoutException notYet)
                {
                    // not listening yet, or still starting: ask again
                    lastError = notYet;
                }
                if (System.nanoTime() - deadline > 0)
                {
                    kill();
                    throw new IllegalStateException("kafka broker not ready within " + START_TIMEOUT_MILLIS +
                        " ms, killed: " + describe() + " lastError=" + lastError + logTail());
                }
                Thread.sleep(100);
            }
        }
    }

    private void killQuietly()
    {
        try
        {
            kill();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private String describe()
    {
        return "bootstrap=" + bootstrap() + " controllerPort=" + controllerPort + " dir=" + dir +
            (process == null ? "" : " pid=" + process.pid());
    }

    private String logTail()
    {
        try
        {
            final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\nlast lines of " + log + ":\n" +
                String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        }
        catch (final IOException e)
        {
            return "\n(" + log + " unreadable: " + e + ")";
        }
    }

    /** The nearest directory at or above the working directory with bin/kafka-local (surefire runs in monitor/). */
    static Path projectRoot()
    {
        final Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent())
        {
            if (Files.isExecutable(p.resolve("bin").resolve("kafka-local")))
            {
                return p;
            }
        }
        throw new IllegalStateException("no bin/kafka-local at or above the working directory " + cwd);
    }

    /** Ports free now; all held open together while chosen, so they differ. Another process may still take one. */
    private static int[] freeLoopbackPorts(final int count)
    {
        final ServerSocket[] sockets = new ServerSocket[count];
        try
        {
            final int[] ports = new int[count];
            for (int i = 0; i < count; i++)
            {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        finally
        {
            for (final ServerSocket s : sockets)
            {
                if (s != null)
                {
                    try
                    {
                        s.close();
                    }
                    catch (final IOException ignored)
                    {
                        // a socket that would not close still tells us its port
                    }
                }
            }
        }
    }
}
