package io.nlstream.monitor.testing;

import io.nlstream.netlink.testing.Await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code nlstream run} (or any other command: {@code replay --follow}) as a separate process inside a test's
 * namespace or the host's, started from this JVM's class path and with the JVM flags the test JVM itself was
 * given (Chronicle's opens and exports). Its stdout and stderr go to files in the work directory it is given,
 * one directory per process.
 */
public final class MonitorProcess implements AutoCloseable
{
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private MonitorProcess(final Process process, final Path stdout, final Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Runs in this (the host's) namespace: for tests where the monitor must reach a service on the host's
     * loopback (Kafka) and watches the test namespace with {@code --netns}, as a host sidecar does.
     */
    public static MonitorProcess startInHost(final Path workDir, final String... args) throws IOException
    {
        return start(null, workDir, args);
    }

    public static MonitorProcess start(final Netns ns, final Path workDir, final String... args) throws IOException
    {
        return startUnder(ns == null ? List.of() : Arrays.asList(ns.prefix()), workDir, args);
    }

    /** Runs the monitor under a command that runs another ({@code setpriv ...}, {@code ip netns exec NAME}). */
    public static MonitorProcess startUnder(final List<String> prefix, final Path workDir, final String... args) throws IOException
    {
        final List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle.") || a.startsWith("-Djvm."))
            {
                java.add(a);
            }
        }
        java.add("-Xmx256m");
        java.add("-cp");
        java.add(System.getProperty("java.class.path"));
        java.add("io.nlstream.monitor.cli.Main");
        java.addAll(Arrays.asList(args));
        final Path out = workDir.resolve("monitor.stdout");
        final Path err = workDir.resolve("monitor.stderr");
        final List<String> command = new ArrayList<>(prefix);
        command.addAll(java);
        final Process p = new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
        return new MonitorProcess(p, out, err);
    }

    /** Waits until stderr has a line containing {@code text}; fails with stderr if the process ends first. */
    public void awaitLog(final String text, final long timeoutMillis) throws IOException, InterruptedException
    {
        Await.until("monitor to log '" + text + "'", Duration.ofMillis(timeoutMillis), () ->
        {
            if (!process.isAlive() && !stderr().contains(text))
            {
                throw new AssertionError("monitor exited " + process.exitValue() + " before logging '" + text + "':\n" + stderr());
            }
            return stderr().contains(text);
        }, () -> "stderr:\n" + quietly(this::stderr));
    }

    /** Waits until stdout holds {@code text}; fails with stdout and stderr if the process ends first or on timeout. */
    public void awaitStdout(final String text, final long timeoutMillis) throws IOException, InterruptedException
    {
        Await.until("process to print '" + text + "'", Duration.ofMillis(timeoutMillis), () ->
        {
            if (!process.isAlive() && !stdout().contains(text))
            {
                throw new AssertionError("process exited " + process.exitValue() + " before printing '" + text + "'; stdout:\n"
                    + stdout() + "stderr:\n" + stderr());
            }
            return stdout().contains(text);
        }, () -> "stdout:\n" + quietly(this::stdout) + "stderr:\n" + quietly(this::stderr));
    }

    /**
     * Waits until a line of stdout matches {@code line} and returns the first that does; fails with stdout and stderr if
     * the process ends first or on timeout.
     */
    public String awaitStdoutLine(final String what, final Predicate<String> line, final Duration timeout)
    {
        return Await.value("process to print " + what, timeout, () ->
        {
            final boolean alive = process.isAlive();
            final Optional<String> found = stdout().lines().filter(line).findFirst();
            if (found.isEmpty() && !alive)
            {
                throw new AssertionError("process exited " + process.exitValue() + " before printing " + what + "; stdout:\n"
                    + stdout() + "stderr:\n" + stderr());
            }
            return found;
        }, () -> "stdout:\n" + quietly(this::stdout) + "stderr:\n" + quietly(this::stderr));
    }

    private interface Read
    {
        String read() throws IOException;
    }

    /** For a failure message: never throws. */
    private static String quietly(final Read read)
    {
        try
        {
            return read.read();
        }
        catch (final IOException e)
        {
            return "(unreadable: " + e + ")\n";
        }
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** Sends SIGTERM and waits for the exit code. */
    public int terminate(final long timeoutMillis) throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly().waitFor();
            throw new AssertionError("monitor did not exit within " + timeoutMillis + " ms of SIGTERM");
        }
        return process.exitValue();
    }

    /** Waits for the process to end (after a kill); returns its exit code. */
    public int awaitExit(final long timeoutMillis) throws InterruptedException
    {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS))
        {
            throw new AssertionError("monitor still running after " + timeoutMillis + " ms");
        }
        return process.exitValue();
    }

    public String stdout() throws IOException
    {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    /** stderr for a failure message: never throws. */
    @Override
    public String toString()
    {
        try
        {
            return "monitor pid " + process.pid() + ", stderr:\n" + stderr();
        }
        catch (final IOException e)
        {
            return "monitor pid " + process.pid() + " (stderr unreadable: " + e + ")";
        }
    }

    public String stderr() throws IOException
    {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    public long pid()
    {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
