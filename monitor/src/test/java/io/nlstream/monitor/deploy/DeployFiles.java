package io.nlstream.monitor.deploy;

import io.nlstream.config.NlstreamConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tests of deploy/ share: the repository's root, what the deployment files must agree on (capabilities,
 * paths, memory, the time to stop), and running a script with a chosen environment.
 */
final class DeployFiles
{
    private DeployFiles()
    {
    }

    /** The checkout's root: the tests run in monitor/, the deployment files are beside it. */
    static Path root()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("bin/nlstream")))
            {
                return dir;
            }
        }
        throw new IllegalStateException("no checkout (pom.xml beside bin/nlstream) above " + Path.of("").toAbsolutePath());
    }

    static String read(final String relative) throws IOException
    {
        return Files.readString(root().resolve(relative), StandardCharsets.UTF_8);
    }

    /**
     * The capabilities run needs, as README "Deployment" gives the reasons: receive buffers and conntrack
     * (NET_ADMIN), setns (SYS_ADMIN), /proc/PID/fd and /proc/PID/ns of other users' processes (SYS_PTRACE,
     * DAC_READ_SEARCH). Every deployment file grants these or fewer.
     */
    static final Set<String> CAPABILITIES = Set.of("CAP_NET_ADMIN", "CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_DAC_READ_SEARCH");

    /** Where deploy/ installs the launcher (bin/) and the jars (lib/). */
    static final String INSTALL_DIR = "/opt/nlstream";

    /** Where the journal lives: systemd's StateDirectory=nlstream, the image's VOLUME, the DaemonSet's hostPath. */
    static final String JOURNAL_DIR = "/var/lib/nlstream";

    /**
     * How long run may take to stop after SIGTERM: RunCommand joins the namespace watcher (5 s), each of the three
     * capture threads (5 s), attribution (5 s), snapshots (10 s), and the forwarder after its drain (10 s + 15 s):
     * at most 60 s with --stdout none, and the JVM's exit after that.
     */
    static final long STOP_SECONDS = 60;

    /** The launcher's -Xmx (bin/lib.sh), in bytes. */
    static long launcherHeapBytes() throws IOException
    {
        final Matcher m = Pattern.compile("\\s-Xmx(\\d+)([kKmMgG])\\s").matcher(read("bin/lib.sh"));
        if (!m.find())
        {
            throw new AssertionError("no -Xmx in bin/lib.sh");
        }
        return bytes(m.group(1) + m.group(2), false);
    }

    /**
     * What a memory limit must leave room for: the launcher's heap, about 300 MiB of the JVM's own (metaspace, code
     * cache, GC, stacks), and every default capture socket's receive buffer, which the kernel charges to the cgroup
     * at twice its size when a storm fills it.
     */
    static long memoryNeededBytes() throws IOException
    {
        final NlstreamConfig defaults = NlstreamConfig.parse("run", new String[0], Map.of(), Clock.systemUTC());
        return launcherHeapBytes() + (300L << 20) + defaults.sources().size() * 2 * defaults.rcvbufBytes();
    }

    /**
     * A size with a suffix: K, M, G, T in either case count in 1024s, as the JVM (-Xmx1g) and systemd (MemoryMax=2G)
     * read them; Ki, Mi, Gi, Ti too, and Kubernetes's k, M, G, T count in 1000s when {@code decimal}.
     */
    static long bytes(final String size, final boolean decimal)
    {
        final Matcher m = Pattern.compile("(\\d+)(?:([kKmMgGtT])(i?))?").matcher(size.strip());
        if (!m.matches())
        {
            throw new IllegalArgumentException("not a size: " + size);
        }
        final long n = Long.parseLong(m.group(1));
        if (m.group(2) == null)
        {
            return n;
        }
        final int power = 1 + "kmgt".indexOf(Character.toLowerCase(m.group(2).charAt(0)));
        return decimal && m.group(3).isEmpty() ? n * (long)Math.pow(1000, power) : n << (10 * power);
    }

    /** How a process ended: its pid, exit code and output. */
    record Exited(long pid, int code, String stdout, String stderr)
    {
        @Override
        public String toString()
        {
            return "exit " + code + "\nstdout:\n" + stdout + "stderr:\n" + stderr;
        }
    }

    /**
     * Runs {@code command} with exactly {@code env} as its environment (nothing inherited), in {@code dir}; fails the
     * test if it does not end within 60 s.
     */
    static Exited run(final Path dir, final Map<String, String> env, final String... command) throws IOException, InterruptedException
    {
        final ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        final Path out = Files.createTempFile(dir, "out", ".txt");
        final Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        final Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS))
        {
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not end within 60 s");
        }
        final Exited exited = new Exited(p.pid(), p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return exited;
    }

    /** Every regular file under {@code dir}, relative to it, sorted. */
    static List<String> files(final Path dir) throws IOException
    {
        final List<String> files = new ArrayList<>();
        try (var walk = Files.walk(dir))
        {
            walk.filter(Files::isRegularFile).forEach(f -> files.add(dir.relativize(f).toString()));
        }
        files.sort(null);
        return files;
    }

    /** Writes an executable shell script. */
    static Path script(final Path file, final String body) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        file.toFile().setExecutable(true, false);
        return file;
    }
}
