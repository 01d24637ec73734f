package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.netlink.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: {@code run --http} serves /readyz once the initial dumps are in, /healthz while capture
 * runs, and /metrics in the Prometheus text format, checked with the Prometheus Python client's own parser
 * (Debian's python3-prometheus-client, which bin/test installs): the rtnl message counter rises as links are made.
 */
@org.junit.jupiter.api.Tag("kernel")
class MetricsKernelIT
{
    /** Debian's python3: its package's prometheus_client, not a python3 a PATH (pyenv) puts first. */
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    /** One line per sample: name, labels as k=v sorted and joined by ',', value; tab-separated. */
    private static final String PARSE = String.join("\n",
        "import sys",
        "from prometheus_client.parser import text_string_to_metric_families",
        "for family in text_string_to_metric_families(sys.stdin.read()):",
        "    for s in family.samples:",
        "        labels = ','.join(k + '=' + v for k, v in sorted(s.labels.items()))",
        "        print(s.name + '\\t' + labels + '\\t' + repr(float(s.value)))");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void servesReadinessHealthAndMetricsThatFollowCapture() throws Exception
    {
        final int port = freeLoopbackPort();
        final String base = "http://127.0.0.1:" + port;
        try (Netns ns = Netns.create("http");
             MonitorProcess run = MonitorProcess.startInHost(tmp, "run", "--journal", tmp.resolve("journal").toString(),
                 "--netns", ns.name(), "--capture", "rtnl", "--stdout", "none", "--http", "127.0.0.1:" + port))
        {
            awaitStatus(run, base + "/readyz", 200, 30_000);
            assertEquals("ok\n", get(base + "/healthz").body(), run::toString);
            assertEquals(404, get(base + "/nothing").statusCode());

            final List<String[]> samples = scrape(base);
            // the label is the namespace's inode, as events name it
            final String netns = Long.toString(inode(ns));
            final double before = value(samples, "nlstream_capture_messages_total", "netns=" + netns + ",source=rtnl");
            assertTrue(before > 0, "the initial dumps' replies are messages: " + samples.size() + " samples");
            assertTrue(value(samples, "nlstream_capture_dumps_total", "netns=" + netns + ",source=rtnl") >= 1);
            assertTrue(value(samples, "nlstream_journal_appends_total", "netns=" + netns + ",source=rtnl") >= before);
            assertEquals(0.0, value(samples, "nlstream_capture_overruns_total", "netns=" + netns + ",source=rtnl"));
            assertTrue(value(samples, "nlstream_journal_disk_free_bytes", "") > 0);
            assertTrue(samples.stream().anyMatch(s -> s[0].startsWith("jvm_")), "JVM metrics");

            for (int i = 0; i < 3; i++)
            {
                ns.ip("link", "add", "mv" + i, "type", "veth", "peer", "name", "mp" + i);
            }
            final double[] after = {before};
            Await.until("messages_total to grow after links were made", Duration.ofSeconds(20), () ->
            {
                after[0] = value(scrape(base), "nlstream_capture_messages_total", "netns=" + netns + ",source=rtnl");
                return after[0] > before;
            }, () -> "messages_total " + before + " -> " + after[0]);
            assertEquals(200, get(base + "/healthz").statusCode());
            assertEquals(0, run.terminate(20_000), run::toString);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anAddressInUseEndsTheRunBeforeCapture() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Netns ns = Netns.create("http");
             MonitorProcess run = MonitorProcess.startInHost(tmp, "run", "--journal", tmp.resolve("journal").toString(),
                 "--netns", ns.name(), "--capture", "rtnl", "--stdout", "none", "--http", "127.0.0.1:" + taken.getLocalPort()))
        {
            assertEquals(1, run.awaitExit(30_000), run::toString);
            assertTrue(run.stderr().contains("cannot serve HTTP on 127.0.0.1:" + taken.getLocalPort() + " (--http)"), run::toString);
            assertFalse(run.stderr().contains("capture rtnl: netlink protocol"), "nothing was captured: " + run);
        }
    }

    private static long inode(final Netns ns) throws IOException
    {
        return (Long)Files.getAttribute(Path.of("/run/netns", ns.name()), "unix:ino");
    }

    private HttpResponse<String> get(final String url) throws IOException, InterruptedException
    {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(final MonitorProcess run, final String url, final int status, final long timeoutMillis)
    {
        final String[] last = {"no answer"};
        Await.until(url + " to answer " + status, Duration.ofMillis(timeoutMillis), () ->
        {
            assertTrue(run.isAlive(), run::toString);
            try
            {
                final HttpResponse<String> response = get(url);
                last[0] = response.statusCode() + " " + response.body().strip();
                return response.statusCode() == status;
            }
            catch (final IOException e)
            {
                last[0] = e.toString();
                return false;
            }
        }, () -> last[0] + "; " + run);
    }

    /** GET /metrics, parsed by the Prometheus Python client: {name, labels, value} per sample. */
    private List<String[]> scrape(final String base) throws Exception
    {
        final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
            .header("Accept", "text/plain").timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        final Path body = Files.writeString(tmp.resolve("metrics.txt"), response.body());
        final Process python = new ProcessBuilder(PYTHON, "-c", PARSE).redirectInput(body.toFile())
            .redirectError(tmp.resolve("parse.stderr").toFile()).start();
        final String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(20, TimeUnit.SECONDS), "the parser did not finish");
        assertEquals(0, python.exitValue(), () -> "prometheus_client could not parse /metrics: "
            + read(tmp.resolve("parse.stderr")) + "\n" + response.body());
        final List<String[]> samples = new ArrayList<>();
        for (final String line : out.split("\n"))
        {
            if (!line.isEmpty())
            {
                samples.add(line.split("\t", -1));
            }
        }
        return samples;
    }

    private static double value(final List<String[]> samples, final String name, final String labels)
    {
        for (final String[] s : samples)
        {
            if (s[0].equals(name) && s[1].equals(labels))
            {
                return Double.parseDouble(s[2]);
            }
        }
        throw new AssertionError("no sample " + name + "{" + labels + "} among " + samples.size() + " samples");
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException e)
        {
            return e.toString();
        }
    }

    /** A port free now (another process may still take it before the monitor binds it). */
    private static int freeLoopbackPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
