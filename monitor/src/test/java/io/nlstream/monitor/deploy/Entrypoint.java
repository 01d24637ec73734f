package io.nlstream.monitor.deploy;

import io.nlstream.config.NlstreamConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs deploy/docker/entrypoint.sh outside a container, as the image would with {@code env} and {@code args}, with a
 * fake launcher (NLSTREAM_LAUNCHER) that records what it was exec'd with.
 */
final class Entrypoint
{
    static final String PATH = "deploy/docker/entrypoint.sh";

    /** What the fake launcher was exec'd with: its pid, command line and NLSTREAM_* environment. */
    record Launched(DeployFiles.Exited exited, long pid, List<String> args, Map<String, String> env)
    {
        /** The settings the command (args' first) resolves from that command line and environment, as the image would. */
        NlstreamConfig config()
        {
            return NlstreamConfig.parse(args.get(0), args.subList(1, args.size()).toArray(new String[0]), env, Clock.systemUTC());
        }
    }

    private Entrypoint()
    {
    }

    /** Fails the test unless the entrypoint and the fake launcher exit 0. */
    static Launched run(final Path tmp, final Map<String, String> env, final String... args) throws IOException, InterruptedException
    {
        final Path log = Files.createTempDirectory(tmp, "launched");
        final Path launcher = DeployFiles.script(log.resolve("bin/nlstream"), String.join("\n",
            "echo $$ > \"$FAKE_LOG/pid\"",
            "printf '%s\\n' \"$@\" > \"$FAKE_LOG/args\"",
            "env | grep '^NLSTREAM_' | sort > \"$FAKE_LOG/env\""));
        final Map<String, String> all = new HashMap<>(env);
        all.put("PATH", "/usr/bin:/bin");
        all.put("FAKE_LOG", log.toString());
        all.put("NLSTREAM_LAUNCHER", launcher.toString());
        final String[] command = new String[args.length + 1];
        command[0] = DeployFiles.root().resolve(PATH).toString();
        System.arraycopy(args, 0, command, 1, args.length);

        final DeployFiles.Exited exited = DeployFiles.run(tmp, all, command);

        assertEquals(0, exited.code(), exited::toString);
        final Map<String, String> seen = new HashMap<>();
        for (final String line : Files.readAllLines(log.resolve("env")))
        {
            seen.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return new Launched(exited, Long.parseLong(Files.readString(log.resolve("pid")).strip()), Files.readAllLines(log.resolve("args")), seen);
    }
}
