package io.nlstream.monitor.cli;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.capture.AgentRunner;
import io.nlstream.monitor.capture.CaptureAgent;
import io.nlstream.monitor.capture.CaptureSpec;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.netlink.NetNamespace;
import io.nlstream.netlink.NetlinkSocket;
import io.nlstream.sinks.EventEncoder;
import io.nlstream.sinks.StreamSink;
import sun.misc.Signal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code run}: capture into the journal until SIGTERM or SIGINT, echoing events to stdout. Shutdown stops
 * capture first, lets stdout drain what was journalled, closes the journal and exits 0.
 */
final class RunCommand
{
    private static final Logger LOG = Logger.getLogger(RunCommand.class.getName());

    private final NlstreamConfig config;
    private final PrintStream out;
    private final CountDownLatch stop = new CountDownLatch(1);

    RunCommand(final NlstreamConfig config, final PrintStream out)
    {
        this.config = config;
        this.out = out;
    }

    int call() throws InterruptedException
    {
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());

        final Path netnsPath = config.netns().isEmpty() ? null : NetNamespace.resolve(config.netns());
        final int rcvbuf = (int)Math.min(Integer.MAX_VALUE, config.rcvbufBytes());
        try (Journal journal = Journal.openForWriting(config.journalDir(), config.rollCycle()))
        {
            LOG.info(() -> "journal " + journal.dir() + (netnsPath == null ? "" : ", namespace " + netnsPath));
            AgentRunner stdout = null;
            StdoutAgent stdoutAgent = null;
            if (!"none".equals(config.stdoutFormat()))
            {
                final StreamSink sink = new StreamSink(EventEncoder.forFormat(config.stdoutFormat()), out);
                // starts at the journal's end now, so it prints exactly what this run captures
                stdoutAgent = new StdoutAgent(journal, sink);
                stdout = new AgentRunner(stdoutAgent, stop::countDown).start();
                stdout.awaitStarted(10, TimeUnit.SECONDS);
            }
            final CaptureSpec spec = CaptureSpec.rtnetlink();
            final CaptureAgent capture = new CaptureAgent(spec, () -> NetlinkSocket.open(spec.protocol()), journal, netnsPath, rcvbuf);
            final AgentRunner captureRunner = new AgentRunner(capture, stop::countDown).start();

            stop.await();
            LOG.info("stopping");
            captureRunner.stop();
            captureRunner.join(5_000);
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
            final Throwable failure = captureRunner.failure();
            if (failure != null)
            {
                Logging.error(System.err, "capture " + spec.name() + " failed: " + failure.getMessage());
                return Main.EXIT_FAILURE;
            }
            if (stdout != null && stdout.failure() != null)
            {
                Logging.error(System.err, "stdout output failed: " + stdout.failure().getMessage());
                return Main.EXIT_FAILURE;
            }
            LOG.info(() -> "stopped; journal complete: " + capture.counters());
            return Main.EXIT_OK;
        }
    }
}
