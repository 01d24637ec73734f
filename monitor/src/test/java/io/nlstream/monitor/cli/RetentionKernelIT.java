package io.nlstream.monitor.cli;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.HourlyJournal;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.sinks.Timestamps;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: a real {@code run} on a journal that holds five hourly files from three days ago (as a sidecar
 * restarted on its hostPath volume finds them), capturing a test namespace into a new file. Retention is off, then
 * SIGHUP turns it on ({@code retention.time = 1h}, issue 13 items 4 and 5): the four oldest files go at once, logged
 * one by one; the last old one stays (the state kept needs it: its namespace is never dumped again, so no snapshot
 * after it is a base without it) and so does the file being written. Readers in another process answer from the
 * base, say an instant before it is no longer held, and /metrics counts the deletions.
 */
@org.junit.jupiter.api.Tag("kernel")
class RetentionKernelIT
{
    private static final long HOUR_MS = HourlyJournal.HOUR_MS;

    @TempDir
    Path tmp;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sighupTurnsRetentionOnAndTheOldestFilesGoWhileRunWrites() throws Exception
    {
        final Path journal = tmp.resolve("journal");
        final long startMs = (System.currentTimeMillis() - TimeUnit.DAYS.toMillis(3)) / HOUR_MS * HOUR_MS;
        HourlyJournal.write(journal, new SetTimeProvider(Instant.ofEpochMilli(startMs)), startMs, 0, 5, false, -1);
        final Path config = tmp.resolve("nlstream.properties");
        Files.write(config, List.of("log.level = info"));
        final int port = freeLoopbackPort();
        final Path work = Files.createDirectories(tmp.resolve("run"));
        try (Netns ns = Netns.create("ret");
             MonitorProcess run = MonitorProcess.startInHost(work, "run", "--journal", journal.toString(), "--config", config.toString(),
                 "--netns", ns.name(), "--capture", "rtnl", "--stdout", "none", "--http", "127.0.0.1:" + port))
        {
            run.awaitLog("capture rtnl: initial dumps complete", 30_000);
            final String current = Journal.cycleFileName(RollCycles.FAST_HOURLY, (int)(System.currentTimeMillis() / HOUR_MS));
            final List<String> all = new ArrayList<>(files(startMs, 0, 5));
            all.add(current);
            assertEquals(all, cycleFiles(journal), "no retention configured: nothing goes");
            assertEquals("0", metric(port, "nlstream_retention_deleted_files_total"));

            Files.write(config, List.of("log.level = info", "retention.time = 1h"));
            assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(run.pid())).inheritIO().start().waitFor());
            run.awaitLog("SIGHUP: settings reloaded; retention.time applies now", 20_000);
            run.awaitLog("retention: deleted journal file " + files(startMs, 3, 4).get(0), 20_000);
            for (final String gone : files(startMs, 0, 4))
            {
                assertTrue(run.stderr().contains("retention: deleted journal file " + gone + " ("), run::toString);
            }
            assertTrue(run.stderr().contains("older than PT1H (retention.time)"), run::toString);
            final List<String> kept = new ArrayList<>(files(startMs, 4, 5));
            kept.add(current);
            assertEquals(kept, cycleFiles(journal));
            assertEquals("4", metric(port, "nlstream_retention_deleted_files_total"));
            assertTrue(Double.parseDouble(metric(port, "nlstream_journal_bytes")) > 0);

            // a reader in another process, while run writes: the state from the base, then what run captured
            final String[] state = cli("state", "--journal", journal.toString(), "--kind", "link", "--format", "json");
            assertEquals("0", state[0], state[2]);
            assertTrue(state[1].contains("\"ifname\":\"v4\"") && state[1].contains("\"ifname\":\"lo\""), state[1]);
            final String[] stats = cli("stats", "--journal", journal.toString());
            assertEquals("0", stats[0], stats[2]);
            final String oldest = stats[1].replaceAll("(?s).*\noldest_kept (\\S+)\n.*", "$1");
            assertTrue(Instant.parse(oldest).isAfter(Instant.ofEpochMilli(startMs + 4 * HOUR_MS)), stats[1]);
            assertTrue(stats[1].matches("(?s).*\ndisk_bytes [1-9][0-9]*\n.*"), stats[1]);
            final String before = Timestamps.rfc3339((startMs + 2 * HOUR_MS) * 1_000_000L);
            final String[] gone = cli("state", "--journal", journal.toString(), "--at", before);
            assertEquals("0", gone[0], gone[2]);
            assertTrue(gone[2].contains("the state at " + before + " is no longer held"), gone[2]);

            assertTrue(run.isAlive(), run::toString);
            assertEquals(0, run.terminate(20_000), run::toString);
        }
    }

    private static List<String> files(final long startMs, final int from, final int to)
    {
        final List<String> out = new ArrayList<>();
        for (int h = from; h < to; h++)
        {
            out.add(Journal.cycleFileName(RollCycles.FAST_HOURLY, (int)((startMs + h * HOUR_MS) / HOUR_MS)));
        }
        return out;
    }

    private static List<String> cycleFiles(final Path dir) throws IOException
    {
        final List<String> files = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*.cq4"))
        {
            list.forEach(f -> files.add(f.getFileName().toString()));
        }
        files.sort(null);
        return files;
    }

    /** A sample's value, as /metrics writes it (no labels). */
    private String metric(final int port, final String name) throws Exception
    {
        final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .header("Accept", "text/plain").timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        for (final String line : response.body().split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return line.substring(name.length() + 1).trim().replaceAll("\\.0$", "");
            }
        }
        throw new AssertionError(name + " not in\n" + response.body());
    }

    private static String[] cli(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private static int freeLoopbackPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
