package io.nlstream.monitor.deploy;

import io.nlstream.config.NlstreamConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/docker/entrypoint.sh, run outside a container with a fake launcher (NLSTREAM_LAUNCHER) that records the
 * command line and environment it was exec'd with: `run` and the container's defaults unless told otherwise, the
 * arguments passed through, and settings that run accepts.
 */
class EntrypointTest
{
    private static final String ENTRYPOINT = "deploy/docker/entrypoint.sh";

    @TempDir
    Path tmp;

    private Path launcher;

    @BeforeEach
    void fakeLauncher() throws IOException
    {
        launcher = DeployFiles.script(tmp.resolve("bin/nlstream"), String.join("\n",
            "echo $$ > \"$FAKE_LOG/pid\"",
            "printf '%s\\n' \"$@\" > \"$FAKE_LOG/args\"",
            "env | grep '^NLSTREAM_' | sort > \"$FAKE_LOG/env\""));
    }

    @Test
    void theImageIsExecutableAsCopied()
    {
        // COPY keeps the file's mode: the ENTRYPOINT is exec'd as it is
        assertTrue(Files.isExecutable(DeployFiles.root().resolve(ENTRYPOINT)), ENTRYPOINT + " is not executable");
    }

    @Test
    void withoutArgumentsItExecsRunWithTheContainersDefaults() throws Exception
    {
        final Launched launched = entrypoint(Map.of());

        assertEquals(launched.exited.pid(), launched.pid, "exec: the launcher is the container's process and gets its signals");
        assertEquals(List.of("run"), launched.args);
        final NlstreamConfig config = launched.config();
        assertEquals(Path.of(DeployFiles.JOURNAL_DIR), config.journalDir());
        assertEquals("0.0.0.0:9464", config.httpListen(), "reachable from outside the container, for probes");
        assertEquals("json", config.logFormat());
        assertEquals("none", config.stdoutFormat(), "events are journalled, not printed into the container's log");
    }

    @Test
    void argumentsArePassedToRunAsTheyAre() throws Exception
    {
        final Launched launched = entrypoint(Map.of(), "--kafka", "kafka-0.kafka:9092", "--capture", "rtnl,conntrack", "--ip", "10.0.0.0/8");

        assertEquals(List.of("run", "--kafka", "kafka-0.kafka:9092", "--capture", "rtnl,conntrack", "--ip", "10.0.0.0/8"), launched.args);
        final NlstreamConfig config = launched.config();
        assertEquals("kafka-0.kafka:9092", config.kafka());
        assertEquals(java.util.Set.of("rtnl", "conntrack"), config.sources());
        assertEquals("0.0.0.0:9464", config.httpListen(), "a flag replaces only its own setting");
    }

    @Test
    void theEnvironmentBeatsTheDefaultsAndAnEmptyValueTurnsASettingOff() throws Exception
    {
        final Launched launched = entrypoint(Map.of("NLSTREAM_KAFKA_BOOTSTRAP", "broker:9092", "NLSTREAM_JOURNAL_DIR", "/data/journal",
            "NLSTREAM_LOG_FORMAT", "text", "NLSTREAM_HTTP_LISTEN", ""));

        assertEquals(List.of("run"), launched.args);
        final NlstreamConfig config = launched.config();
        assertEquals("broker:9092", config.kafka());
        assertEquals(Path.of("/data/journal"), config.journalDir());
        assertEquals("text", config.logFormat());
        assertEquals("", config.httpListen(), "NLSTREAM_HTTP_LISTEN= serves no HTTP");
    }

    @Test
    void aFirstArgumentThatIsACommandRunsThatCommand() throws Exception
    {
        final Launched launched = entrypoint(Map.of(), "state", "--kind", "link");

        assertEquals(List.of("state", "--kind", "link"), launched.args);
        assertEquals(Path.of(DeployFiles.JOURNAL_DIR), launched.config().journalDir(), "queries read the container's journal");
    }

    /** What the fake launcher was exec'd with. */
    private record Launched(DeployFiles.Exited exited, long pid, List<String> args, Map<String, String> env)
    {
        /** The settings run (or the command given) resolves from that command line and environment. */
        NlstreamConfig config()
        {
            return NlstreamConfig.parse(args.get(0), args.subList(1, args.size()).toArray(new String[0]), env, Clock.systemUTC());
        }
    }

    private Launched entrypoint(final Map<String, String> env, final String... args) throws IOException, InterruptedException
    {
        final Path log = Files.createDirectories(tmp.resolve("log"));
        final Map<String, String> all = new HashMap<>(env);
        all.put("PATH", "/usr/bin:/bin");
        all.put("FAKE_LOG", log.toString());
        all.put("NLSTREAM_LAUNCHER", launcher.toString());
        final String[] command = new String[args.length + 1];
        command[0] = DeployFiles.root().resolve(ENTRYPOINT).toString();
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
