package io.nlstream.monitor.deploy;

import io.nlstream.config.NlstreamConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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
    @TempDir
    Path tmp;

    @Test
    void theImageIsExecutableAsCopied()
    {
        // COPY keeps the file's mode: the ENTRYPOINT is exec'd as it is
        assertTrue(Files.isExecutable(DeployFiles.root().resolve(Entrypoint.PATH)), Entrypoint.PATH + " is not executable");
    }

    @Test
    void withoutArgumentsItExecsRunWithTheContainersDefaults() throws Exception
    {
        final Entrypoint.Launched launched = entrypoint(Map.of());

        assertEquals(launched.exited().pid(), launched.pid(), "exec: the launcher is the container's process and gets its signals");
        assertEquals(List.of("run"), launched.args());
        final NlstreamConfig config = launched.config();
        assertTrue(config.netnsAll(), "every network namespace the container sees (the host's, with --network host --pid host)");
        assertEquals(Path.of(DeployFiles.JOURNAL_DIR), config.journalDir());
        assertEquals("0.0.0.0:9464", config.httpListen(), "reachable from outside the container, for probes");
        assertEquals("json", config.logFormat());
        assertEquals("none", config.stdoutFormat(), "events are journalled, not printed into the container's log");
    }

    @Test
    void argumentsArePassedToRunAsTheyAre() throws Exception
    {
        final Entrypoint.Launched launched = entrypoint(Map.of(), "--kafka", "kafka-0.kafka:9092", "--capture", "rtnl,conntrack", "--ip", "10.0.0.0/8");

        assertEquals(List.of("run", "--kafka", "kafka-0.kafka:9092", "--capture", "rtnl,conntrack", "--ip", "10.0.0.0/8"), launched.args());
        final NlstreamConfig config = launched.config();
        assertEquals("kafka-0.kafka:9092", config.kafka());
        assertEquals(java.util.Set.of("rtnl", "conntrack"), config.sources());
        assertEquals("0.0.0.0:9464", config.httpListen(), "a flag replaces only its own setting");
    }

    @Test
    void theEnvironmentBeatsTheDefaultsAndAnEmptyValueTurnsASettingOff() throws Exception
    {
        final Entrypoint.Launched launched = entrypoint(Map.of("NLSTREAM_KAFKA_BOOTSTRAP", "broker:9092", "NLSTREAM_JOURNAL_DIR", "/data/journal",
            "NLSTREAM_LOG_FORMAT", "text", "NLSTREAM_HTTP_LISTEN", "", "NLSTREAM_CAPTURE_NETNS", "blue"));

        assertEquals(List.of("run"), launched.args());
        final NlstreamConfig config = launched.config();
        assertEquals("broker:9092", config.kafka());
        assertEquals(Path.of("/data/journal"), config.journalDir());
        assertEquals("text", config.logFormat());
        assertEquals("", config.httpListen(), "NLSTREAM_HTTP_LISTEN= serves no HTTP");
        assertEquals(List.of("blue"), config.netnsList());
    }

    @Test
    void aFirstArgumentThatIsACommandRunsThatCommand() throws Exception
    {
        final Entrypoint.Launched launched = entrypoint(Map.of(), "state", "--kind", "link");

        assertEquals(List.of("state", "--kind", "link"), launched.args());
        assertEquals(Path.of(DeployFiles.JOURNAL_DIR), launched.config().journalDir(), "queries read the container's journal");
    }

    private Entrypoint.Launched entrypoint(final Map<String, String> env, final String... args) throws Exception
    {
        return Entrypoint.run(tmp, env, args);
    }
}
