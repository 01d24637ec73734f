package io.nlstream.monitor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the tests of deploy/ share: the repository's root, and running a script with a chosen environment.
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
