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
import io.nlstream.monitor.journal.Retention;
import io.nlstream.monitor.read.RetentionAgent;
import io.nlstream.monitor.read.SnapshotAgent;
import io.nlstream.netlink.NetNamespace;
import io.nlstream.netlink.NetlinkSocket;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
    /** How often retention looks at the journal (and at start-up, and when SIGHUP changes its limits). */
    private static final long RETENTION_CHECK_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final NlstreamConfig config;
    private final Supplier<NlstreamConfig> reread;
    /** SIGHUP: the log level, the stdout and forwarder filters and the forwarder's settings apply while running. */
    private final ConfigReload reload;
    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch stop = new CountDownLatch(1);

    /** @param reread the settings again, from the same sources (SIGHUP: the --config files may have changed) */
    RunCommand(final NlstreamConfig config, final Supplier<NlstreamConfig> reread, final PrintStream out, final PrintStream err)
    {
        this.config = config;
        this.reread = reread;
        this.reload = new ConfigReload(NlstreamConfig.RUN, config, reread);
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
        if (!exists(netnsPath))
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

    /**
     * stat(2), which runs with the process's capabilities: Files.exists asks access(2), which a process that is not
     * root makes without them, so a service user with CAP_SYS_PTRACE (the systemd unit's) would be told that another
     * user's /proc/PID/ns/net does not exist. A path there but not ours to look at is left to the entering, which
     * names the error.
     */
    private static boolean exists(final Path path)
    {
        try
        {
            Files.readAttributes(path, BasicFileAttributes.class);
            return true;
        }
        catch (final NoSuchFileException e)
        {
            return false;
        }
        catch (final IOException e)
        {
            return true;
        }
    }

    int call() throws InterruptedException
    {
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        reload.install();

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

        final Forwarder forwarder = new Forwarder(journal, http);
        forwarder.start(config);

        // retention on a thread of its own, never capture's: at start-up, every minute, and when SIGHUP changes its limits
        final RetentionAgent retention = new RetentionAgent(journal, limits(config), () -> pins(journal.dir(), forwarder),
            RETENTION_CHECK_NANOS);
        final AgentRunner retentionRunner = new AgentRunner(retention, stop::countDown).start();
        reload.live("retention.", now -> retention.limits(limits(now)));
        if (http != null)
        {
            http.retention(retention);
        }
        final StdoutAgent stdoutShown = stdoutAgent;
        reload.live("filter.", now ->
        {
            io.nlstream.monitor.read.ReadPipeline.checkFilters(now.filter());
            if (stdoutShown != null)
            {
                stdoutShown.filter(now.filter());
            }
            forwarder.restart(now);
        });
        reload.live("kafka.", forwarder::restart);

        final List<AgentRunner> captures = new ArrayList<>();
        AgentRunner watcher = null;
        if (config.netnsAll() || !several.isEmpty())
        {
            final int podRcvbuf = (int)Math.min(Integer.MAX_VALUE, config.netnsRcvbufBytes());
            final List<NamespacesCaptureAgent> sources = new ArrayList<>();
            final io.nlstream.monitor.capture.NamespaceActivity activity = new io.nlstream.monitor.capture.NamespaceActivity();
            for (final CaptureSpec spec : specs())
            {
                final NamespacesCaptureAgent capture = new NamespacesCaptureAgent(spec, journal, activity);
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
                    final io.nlstream.monitor.journal.ContainerIdentity container = io.nlstream.monitor.capture.NetnsIdentity.container(inode);
                    for (final NamespacesCaptureAgent capture : sources)
                    {
                        capture.watch(inode, p, podRcvbuf, container);
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
        retentionRunner.stop();
        retentionRunner.join(10_000);
        // a short drain; what is not acknowledged by then waits in the journal for the next start
        final AgentRunner lastForwarder = forwarder.stop(TimeUnit.SECONDS.toNanos(10));
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
        for (final AgentRunner runner : all(captures, attribution, stdout, lastForwarder, snapshots, watcher, retentionRunner))
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
     * The Kafka forwarder of run, if --kafka: started with the run, started again with new settings on SIGHUP (its
     * checkpoint carries on: nothing is sent twice or skipped), stopped with a short drain at the end.
     */
    private final class Forwarder
    {
        private final Journal journal;
        private final HttpEndpoints http;
        private Checkpoint checkpoint;
        private ForwarderAgent agent;
        private AgentRunner runner;
        /** Its checkpoint file as the settings now name it; null without --kafka. */
        private volatile Path checkpointFile;

        Forwarder(final Journal journal, final HttpEndpoints http)
        {
            this.journal = journal;
            this.http = http;
        }

        synchronized void start(final NlstreamConfig settings)
        {
            checkpointFile = settings.kafka().isEmpty() ? null : Forwarding.checkpointPath(settings);
            if (settings.kafka().isEmpty())
            {
                return;
            }
            checkpoint = Forwarding.checkpoint(settings);
            agent = Forwarding.agent(settings, journal, checkpoint, false);
            runner = new AgentRunner(agent, stop::countDown).start();
            if (http != null)
            {
                http.journal(journal);
                http.forwarder(agent);
            }
        }

        /** On SIGHUP: the forwarder as it now stands stops (what it sent and Kafka acknowledged is in its checkpoint). */
        synchronized void restart(final NlstreamConfig settings)
        {
            final AgentRunner old = stop(TimeUnit.SECONDS.toNanos(5));
            if (old != null && old.failure() != null)
            {
                LOG.warning("forwarder had failed: " + old.failure().getMessage());
            }
            start(settings);
            LOG.info(() -> settings.kafka().isEmpty() ? "forwarder off (no --kafka)" : "forwarder started again with the reloaded settings");
        }

        /** Stops it after at most {@code drainNanos} of waiting to catch up; returns its runner (null: none ran). */
        synchronized AgentRunner stop(final long drainNanos)
        {
            final AgentRunner r = runner;
            if (r == null)
            {
                return null;
            }
            final long deadline = System.nanoTime() + drainNanos;
            while (!agent.caughtUp() && r.failure() == null && System.nanoTime() < deadline)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
            r.stop();
            try
            {
                r.join(15_000);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            checkpoint.close();
            if (http != null)
            {
                http.forwarder(null);
            }
            runner = null;
            agent = null;
            checkpoint = null;
            return r;
        }
    }

    private static Retention.Limits limits(final NlstreamConfig config)
    {
        return new Retention.Limits(config.retentionTime(), config.retentionSize(), config.retentionForce());
    }

    /**
     * Where this journal's forwarders resume, which retention must not pass: each checkpoint file beside it (this
     * run's --kafka, a forward's, of any topic prefix), and this run's forwarder, which has forwarded nothing while it
     * has none. A checkpoint that cannot be read keeps everything (as one that forwarded nothing).
     */
    private static List<Retention.Pin> pins(final Path dir, final Forwarder forwarder)
    {
        final List<Retention.Pin> pins = new ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, Forwarding.CHECKPOINTS))
        {
            for (final Path f : files)
            {
                long seq;
                try
                {
                    seq = Checkpoint.peek(f);
                }
                catch (final IllegalStateException e)
                {
                    seq = Checkpoint.NONE;
                }
                pins.add(new Retention.Pin(f.getFileName().toString(), seq));
            }
        }
        catch (final IOException e)
        {
            pins.add(new Retention.Pin("the forwarders' checkpoints (" + dir + " cannot be listed: " + e.getMessage() + ")", Checkpoint.NONE));
        }
        final Path own = forwarder.checkpointFile;
        if (own != null && !Files.exists(own))
        {
            pins.add(new Retention.Pin("run --kafka (" + own.getFileName() + " not written yet)", Checkpoint.NONE));
        }
        return pins;
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
