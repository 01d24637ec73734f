package io.nlstream.monitor.cli;

import com.sun.net.httpserver.HttpExchange;
import io.nlstream.monitor.capture.AgentRunner;
import io.nlstream.monitor.capture.CaptureAgent;
import io.nlstream.monitor.capture.CaptureCounters;
import io.nlstream.monitor.capture.NamespaceWatcher;
import io.nlstream.monitor.capture.NamespacesCaptureAgent;
import io.nlstream.monitor.forward.ForwarderAgent;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * {@code run --http}: /metrics (Prometheus text format), /healthz and /readyz, served on the Prometheus client's
 * own daemon threads. Every value is read when scraped from counters capture already keeps (opaque reads): a
 * scrape adds nothing to a capture thread's work.
 */
final class HttpEndpoints implements AutoCloseable
{
    private final String address;
    private final Path journalDir;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private volatile List<AgentRunner> captures = List.of();
    private volatile NamespaceWatcher watcher;
    private volatile io.nlstream.monitor.journal.Journal journal;
    private volatile ForwarderAgent forwarder;
    private volatile io.nlstream.monitor.read.RetentionAgent retention;
    private HTTPServer server;

    HttpEndpoints(final String address, final Path journalDir)
    {
        this.address = address;
        this.journalDir = journalDir;
    }

    /** Binds and starts serving; an address in use (or not local) is an IOException naming it. */
    HttpEndpoints start() throws IOException
    {
        captureCounter("nlstream_capture_datagrams", "Datagrams received from the capture socket.", CaptureCounters::datagrams);
        captureCounter("nlstream_capture_messages", "Netlink messages received, events and dump replies.", CaptureCounters::messages);
        captureCounter("nlstream_capture_malformed", "Datagrams whose netlink framing was broken (skipped).", CaptureCounters::malformed);
        captureCounter("nlstream_capture_truncated", "Datagrams cut short by the receive buffer.", CaptureCounters::truncated);
        captureCounter("nlstream_capture_overruns", "Receive queue overruns (ENOBUFS): notifications lost, then a resync dump.",
            CaptureCounters::overruns);
        captureCounter("nlstream_capture_dumps", "Dumps requested from the kernel.", CaptureCounters::dumps);
        captureCounter("nlstream_journal_appends", "Entries appended to the journal by the capture socket.", CaptureCounters::appends);
        GaugeWithCallback.builder()
            .name("nlstream_netns_watched")
            .help("Network namespaces captured (with --netns all, those found and not yet ended).")
            .callback(cb -> cb.call(captureAgents().stream().mapToLong(CaptureAgent::netns).distinct().count()))
            .register(registry);
        GaugeWithCallback.builder()
            .name("nlstream_journal_disk_free_bytes")
            .help("Bytes usable on the journal's filesystem.")
            .callback(cb -> cb.call(diskFree()))
            .register(registry);
        GaugeWithCallback.builder()
            .name("nlstream_journal_bytes")
            .help("Bytes the journal directory takes on disk (cycle files, snapshots, metadata), as du counts them.")
            .callback(cb -> cb.call(io.nlstream.netlink.DiskUsage.tree(journalDir)))
            .register(registry);
        CounterWithCallback.builder()
            .name("nlstream_retention_deleted_files")
            .help("Journal cycle files retention deleted (--retention-time, --retention-size) since the start.")
            .callback(cb ->
            {
                final io.nlstream.monitor.read.RetentionAgent agent = retention;
                cb.call(agent == null ? 0 : agent.deletedFiles());
            })
            .register(registry);
        forwarderCounter("nlstream_forward_published", "Events handed to the Kafka producer.", ForwarderAgent::published);
        forwarderCounter("nlstream_forward_acknowledged", "Events Kafka acknowledged (or committed).", ForwarderAgent::acknowledged);
        forwarderCounter("nlstream_forward_skipped_entries", "Journal entries not forwarded because they could not be read.",
            ForwarderAgent::skipped);
        GaugeWithCallback.builder()
            .name("nlstream_forward_lag_entries")
            .help("Journal entries after the last one whose events Kafka acknowledged (0: caught up).")
            .callback(cb ->
            {
                final long lag = forwardLagEntries();
                if (lag >= 0)
                {
                    cb.call(lag);
                }
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name("nlstream_forward_lag_seconds")
            .help("Age of the oldest journal entry whose events Kafka has not yet acknowledged (0: caught up).")
            .callback(cb ->
            {
                final double lag = forwardLagSeconds();
                if (lag >= 0)
                {
                    cb.call(lag);
                }
            })
            .register(registry);
        JvmMetrics.builder().register(registry);

        final HTTPServer.Builder builder = HTTPServer.builder().registry(registry).defaultHandler(this::health);
        final int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        if (host.startsWith("["))
        {
            host = host.substring(1, host.length() - 1);
        }
        server = builder.hostname(host).port(Integer.parseInt(address.substring(colon + 1))).buildAndStart();
        return this;
    }

    /** Called once the capture threads are started: /metrics, /healthz and /readyz follow them from then on. */
    void captures(final List<AgentRunner> runners)
    {
        captures = List.copyOf(runners);
    }

    /** With --netns all: what finds the namespaces (/readyz waits for its first scan; their number is a gauge). */
    void watcher(final NamespaceWatcher watcher)
    {
        this.watcher = watcher;
    }

    void forwarder(final ForwarderAgent agent)
    {
        forwarder = agent;
    }

    void retention(final io.nlstream.monitor.read.RetentionAgent agent)
    {
        retention = agent;
    }

    private void captureCounter(final String name, final String help, final ToLongFunction<CaptureCounters> value)
    {
        CounterWithCallback.builder()
            .name(name)
            .help(help)
            .labelNames("source", "netns")
            .callback(cb ->
            {
                for (final CaptureAgent capture : captureAgents())
                {
                    cb.call(value.applyAsLong(capture.counters()), capture.spec().name(), Long.toString(capture.netns()));
                }
            })
            .register(registry);
    }

    private void forwarderCounter(final String name, final String help, final ToLongFunction<ForwarderAgent> value)
    {
        CounterWithCallback.builder()
            .name(name)
            .help(help)
            .callback(cb ->
            {
                final ForwarderAgent agent = forwarder;
                if (agent != null)
                {
                    cb.call(value.applyAsLong(agent));
                }
            })
            .register(registry);
    }

    /** The journal the forwarder reads, to measure its lag (the forwarder and journal are set together). */
    void journal(final io.nlstream.monitor.journal.Journal journal)
    {
        this.journal = journal;
    }

    /**
     * -1 when nothing is forwarded (no sample), 0 once the forwarder is caught up (entries that carry no event,
     * annotations and dump markers, are never acknowledged: reading them is all there is), else 1: measure.
     */
    private int lagToMeasure(final ForwarderAgent agent, final io.nlstream.monitor.journal.Journal j)
    {
        return agent == null || j == null ? -1 : agent.caughtUp() ? 0 : 1;
    }

    /** Entries after the last acknowledged one, or -1 when nothing is forwarded. */
    private long forwardLagEntries()
    {
        final ForwarderAgent agent = forwarder;
        final io.nlstream.monitor.journal.Journal j = journal;
        final int measure = lagToMeasure(agent, j);
        if (measure <= 0)
        {
            return measure;
        }
        final long last = j.lastIndex();
        final long acked = agent.acknowledgedIndex();
        if (last < 0)
        {
            return 0;
        }
        try
        {
            final net.openhft.chronicle.queue.impl.single.SingleChronicleQueue q =
                (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)j.queue();
            // [from, to): from the acknowledged one (or the first) to the last, which the count leaves out
            return acked < 0 ? q.countExcerpts(q.firstIndex(), last) + 1 : acked >= last ? 0 : q.countExcerpts(acked, last);
        }
        catch (final RuntimeException e)
        {
            return -1;
        }
    }

    /** Seconds since the capture of the first entry not yet acknowledged; 0 when there is none; -1 when nothing is forwarded. */
    private double forwardLagSeconds()
    {
        final ForwarderAgent agent = forwarder;
        final io.nlstream.monitor.journal.Journal j = journal;
        final int measure = lagToMeasure(agent, j);
        if (measure <= 0)
        {
            return measure;
        }
        final long acked = agent.acknowledgedIndex();
        try (io.nlstream.monitor.journal.JournalReader r = j.reader())
        {
            final io.nlstream.monitor.journal.JournalEntry e = new io.nlstream.monitor.journal.JournalEntry();
            if (acked < 0)
            {
                r.toStart();
            }
            else if (!r.moveToIndex(acked) || !r.next(e))
            {
                return 0;
            }
            if (!r.next(e))
            {
                return 0;
            }
            return Math.max(0, System.currentTimeMillis() / 1e3 - e.wallNanos() / 1e9);
        }
        catch (final RuntimeException e)
        {
            return -1;
        }
    }

    /** Each namespace's capture of each source, once started (one per thread, or many on one with --netns all). */
    private List<CaptureAgent> captureAgents()
    {
        final List<CaptureAgent> agents = new java.util.ArrayList<>();
        for (final AgentRunner runner : captures)
        {
            if (!started(runner))
            {
                continue;
            }
            if (runner.agent() instanceof NamespacesCaptureAgent)
            {
                agents.addAll(((NamespacesCaptureAgent)runner.agent()).agents());
            }
            else
            {
                agents.add((CaptureAgent)runner.agent());
            }
        }
        return agents;
    }

    /** The netns is known once onStart has run; the runner's latch makes it visible here. */
    private static boolean started(final AgentRunner runner)
    {
        try
        {
            return runner.awaitStarted(0, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private double diskFree()
    {
        try
        {
            return Files.getFileStore(journalDir).getUsableSpace();
        }
        catch (final IOException e)
        {
            return Double.NaN;
        }
    }

    /** Every path but /metrics: /healthz, /readyz, else 404. */
    private void health(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final String path = exchange.getRequestURI().getPath();
            final String problem;
            if ("/healthz".equals(path))
            {
                problem = unhealthy();
            }
            else if ("/readyz".equals(path))
            {
                problem = notReady();
            }
            else
            {
                respond(exchange, 404, "not found: /metrics, /healthz and /readyz are served");
                return;
            }
            respond(exchange, problem == null ? 200 : 503, problem == null ? "ok" : problem);
        }
    }

    /** Why the process is not healthy (a capture thread ended, the journal cannot be written), or null. */
    private String unhealthy()
    {
        final List<AgentRunner> runners = captures;
        if (runners.isEmpty())
        {
            return "capture not started";
        }
        for (final AgentRunner runner : runners)
        {
            if (!runner.alive())
            {
                final Throwable failure = runner.failure();
                return runner.agent().roleName() + " stopped" + (failure == null ? "" : ": " + failure.getMessage());
            }
        }
        if (!Files.isWritable(journalDir))
        {
            return "journal " + journalDir + " is not writable";
        }
        if (diskFree() <= 0)
        {
            return "no space left for the journal " + journalDir;
        }
        return null;
    }

    /** Which capture source has not yet completed its initial dumps, or null once all have. */
    private String notReady()
    {
        final List<AgentRunner> runners = captures;
        if (runners.isEmpty())
        {
            return "capture not started";
        }
        for (final AgentRunner runner : runners)
        {
            if (runner.agent() instanceof NamespacesCaptureAgent)
            {
                final NamespacesCaptureAgent capture = (NamespacesCaptureAgent)runner.agent();
                if (!capture.dumpsComplete())
                {
                    return "capture " + capture.spec().name() + ": initial dumps of every namespace not complete";
                }
                continue;
            }
            final CaptureAgent capture = (CaptureAgent)runner.agent();
            if (!capture.dumpsComplete())
            {
                return "capture " + capture.spec().name() + ": initial dumps not complete";
            }
        }
        final NamespaceWatcher w = watcher;
        if (w != null && !w.scanned())
        {
            return "looking for network namespaces";
        }
        return null;
    }

    private static void respond(final HttpExchange exchange, final int status, final String text) throws IOException
    {
        final byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if ("HEAD".equals(exchange.getRequestMethod()))
        {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }

    @Override
    public void close()
    {
        if (server != null)
        {
            server.close();
        }
    }
}
