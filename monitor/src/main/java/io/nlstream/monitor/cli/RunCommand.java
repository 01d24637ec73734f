package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.attribution.AttributionAgent;
import io.nlstream.monitor.attribution.ProcScanner;
import io.nlstream.monitor.capture.AgentRunner;
import io.nlstream.monitor.capture.CaptureAgent;
import io.nlstream.monitor.capture.NamespaceWatcher;
import io.nlstream.monitor.capture.NamespacesCaptureAgent;
import io.nlstream.monitor.capture.CaptureSpec;
import io.nlstream.monitor.forward.Checkpoint;
import io.nlstream.monitor.forward.ForwarderAgent;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.SnapshotAgent;
import io.nlstream.netlink.NetNamespace;
import io.nlstream.netlink.NetlinkSocket;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * {@code run}: capture into the journal until SIGTERM or SIGINT, echoing events to stdout. One capture
 * thread per netlink socket (rtnetlink, conntrack, sock_diag), one attribution thread, one stdout thread.
 * Shutdown stops capture first, lets the readers drain what was journalled, closes the journal, exits 0.
 */
final class RunCommand
{
    private static final Logger LOG = Logger.getLogger(RunCommand.class.getName());
    private static final long ATTRIBUTION_MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final NlstreamConfig config;
    private final Supplier<NlstreamConfig> reread;
    /** The settings as the last SIGHUP read them: each change is reported once. */
    private NlstreamConfig lastRead;
    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch stop = new CountDownLatch(1);

    /** @param reread the settings again, from the same sources (SIGHUP: the --config files may have changed) */
    RunCommand(final NlstreamConfig config, final Supplier<NlstreamConfig> reread, final PrintStream out, final PrintStream err)
    {
        this.config = config;
        this.reread = reread;
        this.lastRead = config;
        this.out = out;
        this.err = err;
    }

    /**
     * Enters the namespace once, on a thread of its own, before anything is made: a wrong --netns is one message
     * (not one per capture thread) and leaves no journal directory behind. A path that does not exist is a usage
     * error; one that cannot be entered (not a namespace, no CAP_SYS_ADMIN) a failure.
     */
    private int checkNetns(final Path netnsPath) throws InterruptedException
    {
        if (!java.nio.file.Files.exists(netnsPath))
        {
            Logging.error(err, "Invalid value for --netns: " + netnsPath + " does not exist"
                + (netnsPath.startsWith("/run/netns") ? " (ip netns list shows the names there)" : ""));
            return Main.EXIT_USAGE;
        }
        final RuntimeException[] failure = new RuntimeException[1];
        final Thread probe = new Thread(() ->
        {
            try
            {
                NetNamespace.enterOnThisThread(netnsPath);
            }
            catch (final RuntimeException e)
            {
                failure[0] = e;
            }
        }, "netns-check");
        probe.start();
        probe.join();
        if (failure[0] != null)
        {
            Logging.error(err, failure[0].getMessage());
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    int call() throws InterruptedException
    {
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("HUP"), s -> reload());

        // one named namespace: its own threads, as always; several or all: one thread per source serves them
        final List<String> named = config.netnsList();
        final Path netnsPath = named.size() == 1 ? NetNamespace.resolve(named.get(0)) : null;
        final List<Path> several = new ArrayList<>();
        for (final String n : named.size() > 1 ? named : List.<String>of())
        {
            several.add(NetNamespace.resolve(n));
        }
        for (final Path p : netnsPath != null ? List.of(netnsPath) : several)
        {
            final int checked = checkNetns(p);
            if (checked != Main.EXIT_OK)
            {
                return checked;
            }
        }
        final int rcvbuf = (int)Math.min(Integer.MAX_VALUE, config.rcvbufBytes());
        try (Journal journal = Journal.openForWriting(config.journalDir(), config.rollCycle()).configuredHost(config.hostId()))
        {
            // recorded before anything is read or sent: every event id names it
            final io.nlstream.monitor.journal.JournalIdentity identity = journal.identity();
            LOG.info(() -> "journal " + journal.dir() + " (" + identity + ")" + (netnsPath != null ? ", namespace " + netnsPath
                : config.netnsAll() ? ", every namespace" : several.isEmpty() ? "" : ", namespaces " + several)
                + ", capturing " + String.join(",", config.sources()));
            if (!config.hostId().isBlank() && !config.hostId().trim().equals(identity.host()))
            {
                LOG.warning("journal " + journal.dir() + " records host " + identity.host() + ": its events keep that host (--host-id "
                    + config.hostId().trim() + " names the host of journals created from now on)");
            }
            // before any thread starts: an address in use ends the run here, with nothing captured
            final HttpEndpoints http = config.httpListen().isEmpty() ? null : startHttp(config.httpListen(), journal.dir());
            if (http == null && !config.httpListen().isEmpty())
            {
                return Main.EXIT_FAILURE;
            }
            try
            {
                return runAgents(journal, netnsPath, several, rcvbuf, http);
            }
            finally
            {
                if (http != null)
                {
                    http.close();
                }
            }
        }
    }

    private HttpEndpoints startHttp(final String address, final Path journalDir)
    {
        try
        {
            final HttpEndpoints http = new HttpEndpoints(address, journalDir).start();
            LOG.info(() -> "serving /metrics, /healthz and /readyz on http://" + address);
            return http;
        }
        catch (final IOException | RuntimeException e)
        {
            Logging.error(err, "cannot serve HTTP on " + address + " (--http): " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return null;
        }
    }

    private int runAgents(final Journal journal, final Path netnsPath, final List<Path> several, final int rcvbuf,
        final HttpEndpoints http) throws InterruptedException
    {
        // readers start at the journal's end before capture starts, so they see all this run captures
        StdoutAgent stdoutAgent = null;
        AgentRunner stdout = null;
        if (!"none".equals(config.stdoutFormat()))
        {
            stdoutAgent = new StdoutAgent(journal, new EventPrinter(config.stdoutFormat(), out), config.filter());
            stdout = new AgentRunner(stdoutAgent, stop::countDown).start();
            stdout.awaitStarted(10, TimeUnit.SECONDS);
        }
        AgentRunner attribution = null;
        if (config.attribution() && config.sources().contains("sock"))
        {
            attribution = new AgentRunner(new AttributionAgent(journal, new ProcScanner(), ATTRIBUTION_MIN_INTERVAL_NANOS),
                stop::countDown).start();
            attribution.awaitStarted(10, TimeUnit.SECONDS);
        }

        // snapshots on a thread of their own, so queries on this journal start near where they ask
        final AgentRunner snapshots = Reading.snapshotsEnabled(config)
            ? new AgentRunner(new SnapshotAgent(journal, Reading.snapshotIntervalNanos(config), Reading.snapshotEntries(config)),
                stop::countDown).start()
            : null;

        Checkpoint checkpoint = null;
        ForwarderAgent forwarderAgent = null;
        AgentRunner forwarder = null;
        if (!config.kafka().isEmpty())
        {
            checkpoint = Forwarding.checkpoint(config);
            forwarderAgent = Forwarding.agent(config, journal, checkpoint, false);
            forwarder = new AgentRunner(forwarderAgent, stop::countDown).start();
            if (http != null)
            {
                http.journal(journal);
                http.forwarder(forwarderAgent);
            }
        }

        final List<AgentRunner> captures = new ArrayList<>();
        AgentRunner watcher = null;
        if (config.netnsAll() || !several.isEmpty())
        {
            final int podRcvbuf = (int)Math.min(Integer.MAX_VALUE, config.netnsRcvbufBytes());
            final List<NamespacesCaptureAgent> sources = new ArrayList<>();
            for (final CaptureSpec spec : specs())
            {
                final NamespacesCaptureAgent capture = new NamespacesCaptureAgent(spec, journal);
                sources.add(capture);
                captures.add(new AgentRunner(capture, stop::countDown).start());
            }
            if (config.netnsAll())
            {
                final NamespaceWatcher w = new NamespaceWatcher(sources, config.netnsScanInterval().toNanos(), rcvbuf, podRcvbuf);
                for (final NamespacesCaptureAgent capture : sources)
                {
                    capture.onOpenFailed(w::openFailed);
                }
                watcher = new AgentRunner(w, stop::countDown).start();
                if (http != null)
                {
                    http.watcher(w);
                }
            }
            else
            {
                for (final Path p : several)
                {
                    final long inode = io.nlstream.monitor.capture.NetnsIdentity.of(p);
                    for (final NamespacesCaptureAgent capture : sources)
                    {
                        capture.watch(inode, p, podRcvbuf);
                    }
                }
            }
        }
        else
        {
            for (final CaptureSpec spec : specs())
            {
                final CaptureAgent capture = new CaptureAgent(spec, () -> NetlinkSocket.open(spec.protocol()), journal, netnsPath, rcvbuf);
                captures.add(new AgentRunner(capture, stop::countDown).start());
            }
        }
        if (http != null)
        {
            http.captures(captures);
        }

        stop.await();
        LOG.info("stopping");
        if (watcher != null)
        {
            watcher.stop();
            watcher.join(5_000);
        }
        for (final AgentRunner capture : captures)
        {
            capture.stop();
        }
        for (final AgentRunner capture : captures)
        {
            capture.join(5_000);
        }
        if (attribution != null)
        {
            attribution.stop();
            attribution.join(5_000);
        }
        if (snapshots != null)
        {
            snapshots.stop();
            snapshots.join(10_000);
        }
        if (forwarder != null)
        {
            // a short drain; what is not acknowledged by then waits in the journal for the next start
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!forwarderAgent.caughtUp() && forwarder.failure() == null && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            forwarder.stop();
            forwarder.join(15_000);
            checkpoint.close();
        }
        if (stdout != null)
        {
            stdoutAgent.drainAndStop();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!stdoutAgent.drained() && stdout.failure() == null && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            stdout.stop();
            stdout.join(1_000);
        }
        int code = Main.EXIT_OK;
        for (final AgentRunner runner : all(captures, attribution, stdout, forwarder, snapshots, watcher))
        {
            if (runner.failure() != null)
            {
                Logging.error(System.err, runner.agent().roleName() + " failed: " + runner.failure().getMessage()
                    + (runner.failure() instanceof InternalError ? mappedFault(config.journalDir()) : ""));
                code = Main.EXIT_FAILURE;
            }
        }
        if (code == Main.EXIT_OK)
        {
            LOG.info("stopped; journal complete");
        }
        return code;
    }

    /**
     * SIGHUP: reads the settings again. The log level applies at once; any other change is logged as waiting for
     * the next start (sockets, threads and the journal are made once). A file with a mistake changes nothing. Never
     * ends the process: a supervisor's reload must not become a restart.
     */
    private synchronized void reload()
    {
        try
        {
            final NlstreamConfig now;
            try
            {
                now = reread.get();
            }
            catch (final io.nlstream.config.ConfigException e)
            {
                LOG.warning("SIGHUP: the settings were not reloaded, nothing changed: " + String.join("; ", e.problems()));
                return;
            }
            final List<String> restart = new ArrayList<>();
            String level = null;
            for (final io.nlstream.config.Setting setting : NlstreamConfig.DEF.settings(NlstreamConfig.RUN))
            {
                final String before = lastRead.raw(setting.name());
                final String after = now.raw(setting.name());
                if (java.util.Objects.equals(before, after))
                {
                    continue;
                }
                if (NlstreamConfig.LOG_LEVEL.equals(setting.name()))
                {
                    level = now.logLevel();
                }
                else
                {
                    restart.add(setting.name() + " " + before + " -> " + after);
                }
            }
            if (!lastRead.kafkaClientProperties().equals(now.kafkaClientProperties()))
            {
                restart.add(NlstreamConfig.KAFKA_CLIENT_PREFIX + "*");
            }
            final String message = "SIGHUP: settings reloaded" + (level == null ? "" : "; log.level " + level + " applies now")
                + (restart.isEmpty() ? "" : "; needs a restart to apply: " + String.join(", ", restart));
            // logged at the more verbose of the two levels, so that the line says what happened either way
            final boolean louder = level != null && Logging.julLevel(level).intValue() < Logging.julLevel(lastRead.logLevel()).intValue();
            lastRead = now;
            if (louder)
            {
                Logging.level(level);
            }
            LOG.info(message);
            if (level != null && !louder)
            {
                Logging.level(level);
            }
        }
        catch (final RuntimeException e)
        {
            LOG.log(java.util.logging.Level.WARNING, "SIGHUP: the settings were not reloaded, nothing changed", e);
        }
    }

    private List<CaptureSpec> specs()
    {
        final List<CaptureSpec> specs = new ArrayList<>();
        if (config.sources().contains("rtnl"))
        {
            specs.add(CaptureSpec.rtnetlink(config.fullDumpInterval().toNanos()));
        }
        if (config.sources().contains("conntrack"))
        {
            specs.add(CaptureSpec.conntrack(config.fullDumpInterval().toNanos()));
        }
        if (config.sources().contains("sock"))
        {
            specs.add(CaptureSpec.sockDiag(config.sockInterval().toNanos()));
        }
        return specs;
    }

    private static List<AgentRunner> all(final List<AgentRunner> captures, final AgentRunner... others)
    {
        final List<AgentRunner> all = new ArrayList<>(captures);
        for (final AgentRunner r : others)
        {
            if (r != null)
            {
                all.add(r);
            }
        }
        return all;
    }

    /**
     * What a fault in a mapped file most likely was: without the pretouch thread (a kernel before 5.14), a full
     * filesystem is found only by the write that faults. Names the filesystem and its free space.
     */
    private static String mappedFault(final java.nio.file.Path journal)
    {
        try
        {
            final java.nio.file.FileStore store = java.nio.file.Files.getFileStore(journal);
            final long free = store.getUsableSpace();
            return free < (64L << 20)
                ? " (the journal's filesystem is full: no space left on " + store + " for " + journal + ", " + free + " bytes free)"
                : " (a fault in a mapped journal file: was " + journal + " cut short or its disk failing?)";
        }
        catch (final java.io.IOException e)
        {
            return " (a fault in a mapped journal file of " + journal + ")";
        }
    }
}
