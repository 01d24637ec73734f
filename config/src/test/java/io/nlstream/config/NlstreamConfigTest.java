package io.nlstream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NlstreamConfigTest
{
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
    private static final long NOW_NANOS = 1_795_860_000_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;

    @TempDir
    Path dir;

    private static NlstreamConfig parse(String command, String... args)
    {
        // the required options of export and diff, so that tests over every command can parse them
        if (command.equals(NlstreamConfig.EXPORT) && !List.of(args).contains("--pcap"))
        {
            List<String> withPcap = new java.util.ArrayList<>(List.of(args));
            withPcap.addAll(List.of("--pcap", "out.pcap"));
            args = withPcap.toArray(new String[0]);
        }
        if (command.equals(NlstreamConfig.TIMELINE) && !List.of(args).contains("--out"))
        {
            List<String> withOut = new java.util.ArrayList<>(List.of(args));
            withOut.addAll(List.of("--out", "t.html"));
            args = withOut.toArray(new String[0]);
        }
        if (command.equals(NlstreamConfig.DIFF) && !List.of(args).contains("--from"))
        {
            List<String> withFrom = new java.util.ArrayList<>(List.of(args));
            withFrom.addAll(List.of("--from", "-1h"));
            args = withFrom.toArray(new String[0]);
        }
        return NlstreamConfig.parse(command, args, Map.of(), NOW);
    }

    private static List<String> problems(String command, Map<String, String> env, String... args)
    {
        return assertThrows(ConfigException.class, () -> NlstreamConfig.parse(command, args, env, NOW)).problems();
    }

    private Path file(String... lines) throws IOException
    {
        return Files.write(dir.resolve("nlstream.properties"), List.of(lines));
    }

    @Test
    void defaults()
    {
        NlstreamConfig run = parse("run");
        assertEquals("run", run.command());
        assertFalse(run.helpRequested());
        assertEquals(Path.of("./nlstream-journal"), run.journalDir());
        assertEquals("text", run.stdoutFormat());
        assertEquals(64L << 20, run.rcvbufBytes());
        assertEquals("", run.netns());
        assertEquals("FAST_HOURLY", run.rollCycle());
        assertEquals("info", run.logLevel());

        NlstreamConfig replay = parse("replay");
        assertEquals("text", replay.format());
        assertEquals(OptionalLong.empty(), replay.sinceNanos());
        assertEquals(OptionalLong.empty(), replay.untilNanos());
        assertEquals(Set.of("link", "addr", "route", "neigh", "conn", "sock", "gap"), replay.kinds());
        assertEquals(OptionalLong.empty(), parse("state").atNanos());
        assertEquals("info", parse("stats").logLevel());
    }

    @Test
    void everyFlag()
    {
        NlstreamConfig run = parse("run", "--journal", "/var/lib/nlstream", "--stdout=json", "--rcvbuf", "256M",
            "--netns", "pod-a", "--roll-cycle", "fast_daily", "--log-level", "debug");
        assertEquals(Path.of("/var/lib/nlstream"), run.journalDir());
        assertEquals("json", run.stdoutFormat());
        assertEquals(256L << 20, run.rcvbufBytes());
        assertEquals("pod-a", run.netns());
        assertEquals("FAST_DAILY", run.rollCycle());
        assertEquals("debug", run.logLevel());

        NlstreamConfig replay = parse("replay", "--format", "json", "--since", "-5m", "--until", "now",
            "--kind", "conn,link");
        assertEquals("json", replay.format());
        assertEquals(OptionalLong.of(NOW_NANOS - 5 * MINUTE), replay.sinceNanos());
        assertEquals(OptionalLong.of(NOW_NANOS), replay.untilNanos());
        assertEquals(List.of("conn", "link"), List.copyOf(replay.kinds()));
        assertEquals(List.of("conn", "link"), replay.get("kind"));
        assertEquals("conn,link", replay.raw("kind"));

        NlstreamConfig state = parse("state", "--at=2026-11-28T10:00:00.000000001Z", "--kind", "route");
        assertEquals(OptionalLong.of(NOW_NANOS + 1), state.atNanos());
        assertEquals(Set.of("route"), state.kinds());
    }

    @Test
    void everyProblemAtOnce()
    {
        UsageException e = assertThrows(UsageException.class, () -> parse("run",
            "--rcvbuf", "12x", "--stdout", "xml", "--roll-cycle=hourly"));
        assertEquals(List.of(
            "Invalid value xml for configuration stdout.format (--stdout): not one of text, json, kv, none",
            "Invalid value 12x for configuration capture.rcvbuf (--rcvbuf): not a size;"
                + " expected a number of bytes with optional k, M, G, T suffix",
            "Invalid value hourly for configuration journal.roll-cycle (--roll-cycle): not one of FIVE_MINUTELY,"
                + " TEN_MINUTELY, TWENTY_MINUTELY, HALF_HOURLY, FAST_HOURLY, TWO_HOURLY, FOUR_HOURLY,"
                + " SIX_HOURLY, FAST_DAILY, WEEKLY"),
            e.problems());
        assertEquals(3, e.getMessage().lines().count());
    }

    @Test
    void commandLineMistakes()
    {
        Path missing = dir.resolve("missing.properties");
        List<String> problems = problems("replay", Map.of(), "--fromat", "json", "stray", "--rcvbuf", "1M",
            "--kind", "link,neighbour", "--config", missing.toString(), "--since");
        assertEquals(List.of(
            "Unknown option --fromat for command 'replay'; did you mean --format?",
            "Unexpected argument 'stray' for command 'replay'",
            "Option --rcvbuf (capture.rcvbuf) is not valid for command 'replay'; it applies to run",
            "Option --since (since) requires a value: --since TIME",
            "Config file " + missing + " (--config) does not exist",
            "Invalid value link,neighbour for configuration kind (--kind): neighbour is not one of link, addr,"
                + " route, neigh, conn, sock, gap"),
            problems);
    }

    @Test
    void unknownOptionWithoutCloseName()
    {
        assertEquals(List.of("Unknown option --verbose for command 'state'"), problems("state", Map.of(), "--verbose"));
        assertEquals(List.of("Unknown option -x for command 'state'"), problems("state", Map.of(), "-x"));
    }

    @Test
    void unknownCommand()
    {
        assertEquals(List.of("Unknown command 'rnu'; expected one of run, replay, state, stats, forward, export, diff, timeline, repair"),
            problems("rnu", Map.of()));
    }

    @Test
    void optionsAreNotValues()
    {
        assertEquals(List.of("Option --journal (journal.dir) requires a value: --journal PATH"),
            problems("stats", Map.of(), "--journal", "--log-level", "warn"));
        assertEquals(OptionalLong.of(NOW_NANOS - 30_000_000_000L), parse("replay", "--since", "-30s").sinceNanos());
    }

    @Test
    void helpAnywhereWinsOverMistakes()
    {
        assertTrue(parse("run", "--rcvbuf", "12x", "--help").helpRequested());
        assertTrue(parse("replay", "-h", "--bogus").helpRequested());
        NlstreamConfig help = parse("run", "--rcvbuf=1M", "-h");
        assertEquals(64L << 20, help.rcvbufBytes());
    }

    @Test
    void precedenceFileThenEnvironmentThenFlags() throws IOException
    {
        Path file = file("# shared by every command", "journal.dir=/from/file", "log.level = warn",
            "capture.rcvbuf: 1M", "format json");
        Map<String, String> env = Map.of("NLSTREAM_LOG_LEVEL", "error", "NLSTREAM_CAPTURE_RCVBUF", "2M");

        NlstreamConfig fromFileAndEnv = NlstreamConfig.parse("run", new String[] {"--config", file.toString()}, env, NOW);
        assertEquals(Path.of("/from/file"), fromFileAndEnv.journalDir());
        assertEquals("error", fromFileAndEnv.logLevel());
        assertEquals(2L << 20, fromFileAndEnv.rcvbufBytes());

        NlstreamConfig all = NlstreamConfig.parse("run",
            new String[] {"--rcvbuf", "4M", "--config=" + file}, env, NOW);
        assertEquals(Path.of("/from/file"), all.journalDir());
        assertEquals("error", all.logLevel());
        assertEquals(4L << 20, all.rcvbufBytes());

        assertEquals("json", NlstreamConfig.parse("replay", new String[] {"--config", file.toString()}, env, NOW).format());
    }

    @Test
    void laterConfigFilesWin() throws IOException
    {
        Path first = file("log.level=warn", "journal.dir=/first");
        Path second = Files.write(dir.resolve("second.properties"), List.of("log.level=debug"));
        NlstreamConfig config = parse("stats", "--config", first.toString(), "--config", second.toString());
        assertEquals("debug", config.logLevel());
        assertEquals(Path.of("/first"), config.journalDir());
    }

    @Test
    void emptyEnvironmentVariablesAreUnset()
    {
        NlstreamConfig config = NlstreamConfig.parse("replay", new String[0],
            Map.of("NLSTREAM_SINCE", "", "NLSTREAM_FORMAT", "json", "NLSTREAM_RCVBUF", "junk", "PATH", "/bin"), NOW);
        assertEquals(OptionalLong.empty(), config.sinceNanos());
        assertEquals("json", config.format());
    }

    @Test
    void otherCommandsSettingsInFileAndEnvironmentAreIgnored() throws IOException
    {
        Path file = file("capture.rcvbuf=12x", "stdout.format=json");
        NlstreamConfig replay = NlstreamConfig.parse("replay", new String[] {"--config", file.toString()},
            Map.of("NLSTREAM_AT", "garbage"), NOW);
        assertEquals(64L << 20, replay.rcvbufBytes());
        assertEquals("text", replay.stdoutFormat());
        assertEquals(OptionalLong.empty(), replay.atNanos());
    }

    @Test
    void problemsInFileAndEnvironmentSayWhere() throws IOException
    {
        Path file = file("", "# comment \\", "journal.dir = /x", "journal.dri=/y", "capture.rcvbuf = \\",
            "    12x", "stdout.format=xml");
        ConfigException e = assertThrows(ConfigException.class, () -> NlstreamConfig.parse("run",
            new String[] {"--config", file.toString()}, Map.of("NLSTREAM_LOG_LEVEL", "loud"), NOW));
        assertFalse(e instanceof UsageException, "nothing is wrong on the command line");
        assertEquals(List.of(
            "Unknown configuration journal.dri in " + file + " line 4; did you mean journal.dir?",
            "Invalid value xml for configuration stdout.format (--stdout, " + file + " line 7):"
                + " not one of text, json, kv, none",
            "Invalid value 12x for configuration capture.rcvbuf (--rcvbuf, " + file + " line 5): not a size;"
                + " expected a number of bytes with optional k, M, G, T suffix",
            "Invalid value loud for configuration log.level (--log-level, env NLSTREAM_LOG_LEVEL):"
                + " not one of error, warn, info, debug"),
            e.problems());
    }

    @Test
    void unknownKeyWithoutCloseName() throws IOException
    {
        Path file = file("kafka.bootstrap.servers=localhost:9092");
        assertEquals(List.of("Unknown configuration kafka.bootstrap.servers in " + file + " line 1"),
            problems("run", Map.of(), "--config", file.toString()));
    }

    @Test
    void configFileNotUtf8() throws IOException
    {
        Path file = Files.write(dir.resolve("latin1.properties"), new byte[] {'a', '=', (byte)0xe9});
        assertEquals(List.of("Config file " + file + " (--config) cannot be read: not UTF-8"),
            problems("run", Map.of(), "--config", file.toString()));
    }

    @Test
    void unknownOptionTakesItsValueAlong()
    {
        assertEquals(List.of("Unknown option --colour for command 'run'"), problems("run", Map.of(), "--colour", "always"));
    }

    @Test
    void unreadableConfigFile()
    {
        List<String> problems = problems("run", Map.of(), "--config", dir.toString(), "--config");
        assertEquals(2, problems.size(), problems.toString());
        assertEquals("Option --config requires a value: --config FILE", problems.get(0));
        assertTrue(problems.get(1).startsWith("Config file " + dir + " (--config) cannot be read"), problems.get(1));
    }

    @Test
    void sinceAfterUntilNamesBoth()
    {
        UsageException e = assertThrows(UsageException.class,
            () -> parse("replay", "--since", "-5m", "--until", "-10m"));
        assertEquals(List.of("Invalid value -5m for configuration since (--since):"
            + " must not be after until (--until -10m)"), e.problems());

        ConfigException fromEnv = assertThrows(ConfigException.class, () -> NlstreamConfig.parse("replay",
            new String[0], Map.of("NLSTREAM_SINCE", "now", "NLSTREAM_UNTIL", "-1h"), NOW));
        assertFalse(fromEnv instanceof UsageException);
        assertEquals(List.of("Invalid value now for configuration since (--since, env NLSTREAM_SINCE):"
            + " must not be after until (--until -1h)"), fromEnv.problems());

        assertEquals(OptionalLong.of(NOW_NANOS), parse("replay", "--since", "now", "--until", "now").sinceNanos());
    }

    @Test
    void rulesStillRunWhenOtherSettingsAreBad()
    {
        List<String> problems = problems("replay", Map.of(), "--format", "xml", "--since", "now", "--until", "-1s");
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(1).contains("must not be after until"), problems.get(1));
    }

    @Test
    void genericAccess()
    {
        NlstreamConfig config = parse("run", "--rcvbuf", "1_024k");
        assertEquals(1L << 20, config.get("capture.rcvbuf"));
        assertEquals("1_024k", config.raw("capture.rcvbuf"));
        assertEquals("64MiB", parse("run").raw("capture.rcvbuf"));
        assertEquals(null, config.get("since"));
        assertThrows(IllegalArgumentException.class, () -> config.get("no.such.setting"));
        assertEquals("run journal.dir=./nlstream-journal stdout.format=text filter.proto= filter.port= filter.ip="
            + " filter.in-netns= filter.ifname= filter.op= filter.pid= filter.comm= capture.rcvbuf=1MiB capture.netns="
            + " capture.netns-rcvbuf=32MiB capture.netns-scan-interval=PT0.5S journal.roll-cycle=FAST_HOURLY capture.sources=rtnl,conntrack,sock capture.sock-interval=PT5S capture.full-dump-interval=PT1H"
            + " attribution.enabled=true kafka.bootstrap= kafka.topic-prefix=nlstream kafka.partitions=-1"
            + " kafka.replication=-1 kafka.compression=lz4 kafka.linger=PT0.01S kafka.batch-size=256KiB"
            + " kafka.buffer-memory=64MiB host.id= kafka.delivery=auto http.listen= snapshot.enabled=true snapshot.interval=PT1M"
            + " snapshot.entries=1000000 retention.time= retention.size= retention.force=false log.level=info log.format=text",
            config.toString());
    }

    @Test
    void everySettingIsDefinedOnceWithAFlagAndADoc()
    {
        for (Setting setting : NlstreamConfig.DEF.settings())
        {
            assertTrue(setting.flag() != null && !setting.doc().isEmpty(), setting.name());
            assertInstanceOf(String.class, setting.env());
        }
        assertEquals(52, NlstreamConfig.DEF.settings().size());
    }

    @Test
    void kafkaClientPropertiesPassThroughFromTheConfigFileOnly() throws Exception
    {
        java.nio.file.Path file = dir.resolve("kafka.properties");
        java.nio.file.Files.writeString(file, String.join("\n",
            "kafka.bootstrap = broker:9093",
            "kafka.client.security.protocol = SSL",
            "kafka.client.ssl.truststore.location = /etc/nlstream/truststore.jks",
            ""));
        NlstreamConfig config = parse("run", "--config", file.toString());
        assertEquals("broker:9093", config.kafka());
        assertEquals(Map.of("security.protocol", "SSL", "ssl.truststore.location", "/etc/nlstream/truststore.jks"),
            config.kafkaClientProperties());

        java.nio.file.Files.writeString(file, "kafka.clients.typo = 1\n");
        List<String> problems = problems("run", Map.of(), "--config", file.toString());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("Unknown configuration kafka.clients.typo in " + file + " line 1"), problems.get(0));
    }

    /**
     * A client property that one of our settings sets is refused, naming the setting: otherwise the file's
     * kafka.client.bootstrap.servers silently beat --kafka (issue 11). And --kafka beats the file's kafka.bootstrap.
     */
    @Test
    void clientPropertiesOurSettingsSetAreRefusedAndFlagsBeatTheFile() throws Exception
    {
        java.nio.file.Path file = dir.resolve("shadow.properties");
        java.nio.file.Files.writeString(file, String.join("\n",
            "kafka.bootstrap = file-broker:9092",
            "kafka.client.bootstrap.servers = other:9092",
            "kafka.client.linger.ms = 100",
            ""));
        List<String> problems = problems("run", Map.of(), "--config", file.toString(), "--kafka", "flag-broker:9092");
        assertEquals(List.of(
            "Configuration kafka.client.bootstrap.servers in " + file + " line 2 is what kafka.bootstrap (--kafka) sets: set"
                + " kafka.bootstrap instead",
            "Configuration kafka.client.linger.ms in " + file + " line 3 is what kafka.linger (--kafka-linger) sets: set"
                + " kafka.linger instead"),
            problems);

        java.nio.file.Files.writeString(file, "kafka.bootstrap = file-broker:9092\n");
        assertEquals("flag-broker:9092", parse("run", "--config", file.toString(), "--kafka", "flag-broker:9092").kafka());
        assertEquals("file-broker:9092", parse("run", "--config", file.toString()).kafka());
    }

    /** A relative path in a config file is beside the file; on the command line or in the environment, as given. */
    @Test
    void relativePathsInAConfigFileAreBesideIt() throws Exception
    {
        java.nio.file.Path etc = java.nio.file.Files.createDirectories(dir.resolve("etc/nlstream"));
        java.nio.file.Path file = java.nio.file.Files.writeString(etc.resolve("nlstream.properties"), "journal.dir = ../../var/journal\n");
        assertEquals(dir.resolve("var/journal").toAbsolutePath(), parse("replay", "--config", file.toString()).journalDir());
        java.nio.file.Files.writeString(file, "journal.dir = /var/lib/nlstream\n");
        assertEquals(java.nio.file.Path.of("/var/lib/nlstream"), parse("replay", "--config", file.toString()).journalDir());
        assertEquals(java.nio.file.Path.of("rel"), parse("replay", "--config", file.toString(), "--journal", "rel").journalDir());
    }

    // Short flags, --follow by command, repeated lists

    @Test
    void shortFlags()
    {
        NlstreamConfig replay = parse("replay", "-j", "/var/lib/nlstream", "-f", "-k", "conn", "--since", "-5m");
        assertEquals(Path.of("/var/lib/nlstream"), replay.journalDir());
        assertTrue(replay.replayFollow());
        assertEquals(Set.of("conn"), replay.kinds());
        assertEquals(OptionalLong.of(NOW_NANOS - 5 * MINUTE), replay.sinceNanos());
        assertTrue(parse("forward", "-f", "-j", "/j").follow());
        assertEquals(Path.of("/j"), parse("stats", "-j=/j").journalDir());
        assertEquals(Set.of("route"), parse("state", "-k", "route").kinds());
        assertEquals(List.of("Option -k (kind) requires a value: -k KIND[,...]"), problems("replay", Map.of(), "-k", "-f"));
        assertEquals(List.of("Unexpected argument 'true' for command 'replay'"), problems("replay", Map.of(), "-f", "true"));
    }

    @Test
    void followIsReplaysForReplayAndForwardsForForward()
    {
        NlstreamConfig replay = parse("replay", "--follow");
        assertTrue(replay.replayFollow());
        assertFalse(replay.follow());
        NlstreamConfig forward = parse("forward", "--follow");
        assertTrue(forward.follow());
        assertFalse(forward.replayFollow());
        assertFalse(parse("replay", "--follow", "false").replayFollow());
        assertFalse(parse("replay").replayFollow());
        assertTrue(NlstreamConfig.parse("replay", new String[0], Map.of("NLSTREAM_REPLAY_FOLLOW", "true",
            "NLSTREAM_FORWARD_FOLLOW", "nonsense"), NOW).replayFollow());
        assertTrue(NlstreamConfig.parse("forward", new String[0], Map.of("NLSTREAM_FORWARD_FOLLOW", "true"), NOW)
            .follow());
    }

    @Test
    void followForAnotherCommandNamesBothSettings()
    {
        assertEquals(List.of("Option --follow (replay.follow, forward.follow) is not valid for command 'state';"
            + " it applies to replay, forward"), problems("state", Map.of(), "--follow"));
        assertEquals(List.of("Option -f (replay.follow, forward.follow) is not valid for command 'run';"
            + " it applies to replay, forward"), problems("run", Map.of(), "-f"));
        assertEquals(List.of("Option --follow (replay.follow, forward.follow) is not valid for command 'stats';"
            + " it applies to replay, forward"), problems("stats", Map.of(), "--follow=true"));
    }

    @Test
    void followInAConfigFileByKey() throws IOException
    {
        Path file = file("replay.follow = true", "forward.follow = false");
        assertTrue(parse("replay", "--config", file.toString()).replayFollow());
        assertFalse(parse("forward", "--config", file.toString()).follow());
        assertEquals(OptionalLong.empty(), parse("state", "--config", file.toString()).atNanos(), "ignored by state");
    }

    @Test
    void repeatedListOptionsAddUp()
    {
        NlstreamConfig replay = parse("replay", "--port", "80", "--port", "443,8000-8080", "--port=80",
            "-k", "conn", "--kind", "sock,conn", "--proto", "tcp", "--proto", "6", "--proto", "UDP");
        assertEquals("80,443,8000-8080", string(replay.filter().portRanges()));
        assertEquals("80,443,8000-8080,80", replay.raw(NlstreamConfig.FILTER_PORT));
        assertEquals(List.of("conn", "sock"), List.copyOf(replay.kinds()));
        assertEquals(List.of(6, 17), replay.filter().protos());
        assertEquals(List.of("rtnl", "sock"), List.copyOf(parse("run", "--capture", "rtnl", "--capture", "sock").sources()));
    }

    @Test
    void aRepeatedSingleValuedOptionIsAUsageErrorNamingBothValues()
    {
        UsageException e = assertThrows(UsageException.class, () -> NlstreamConfig.parse("run",
            new String[] {"--journal", "/a", "--stdout", "none", "--kafka=x:9092", "--kafka", "y:9092", "-j", "/b"}, Map.of(), NOW));
        assertEquals(List.of(
            "Option --kafka (kafka.bootstrap) takes one value but was given twice: --kafka x:9092 and --kafka y:9092",
            "Option -j (journal.dir) takes one value but was given twice: --journal /a and -j /b"), e.problems());
        assertEquals(List.of("Option --follow (replay.follow) takes one value but was given twice: -f true and --follow true"),
            problems("replay", Map.of(), "-f", "--follow"));
        assertEquals(List.of("Option --journal (journal.dir) takes one value but was given twice: --journal /a and --journal /a"),
            problems("stats", Map.of(), "--journal", "/a", "--journal", "/a"));
    }

    @Test
    void aSingleValuedOptionOnTheCommandLineStillOverridesTheFileAndEnvironment() throws IOException
    {
        Path file = file("journal.dir = /from/file");
        NlstreamConfig config = NlstreamConfig.parse("stats", new String[] {"--config", file.toString(), "--journal", "/from/flag"},
            Map.of("NLSTREAM_JOURNAL_DIR", "/from/env"), NOW);
        assertEquals(Path.of("/from/flag"), config.journalDir());
    }

    @Test
    void aRepeatedListOptionOverridesTheFileAndEnvironmentAsAWhole() throws IOException
    {
        Path file = file("filter.port = 22");
        NlstreamConfig config = NlstreamConfig.parse("replay", new String[] {"--config", file.toString(),
            "--port", "80", "--port", "443"}, Map.of("NLSTREAM_FILTER_PORT", "25"), NOW);
        assertEquals("80,443", string(config.filter().portRanges()));
    }

    // Filters

    private static String string(List<?> values)
    {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static final Map<String, Function<FilterSpec, List<?>>> FILTERS = Map.of(
        "--proto", FilterSpec::protos, "--port", FilterSpec::portRanges, "--ip", FilterSpec::ips,
        "--in-netns", FilterSpec::netns, "--ifname", FilterSpec::ifnames, "--op", FilterSpec::ops,
        "--pid", FilterSpec::pids, "--comm", FilterSpec::comms);

    static Stream<Arguments> goodFilters()
    {
        return Stream.of(
            Arguments.of("--proto", "tcp", "6"),
            Arguments.of("--proto", "TCP,udp,ICMP,icmpv6,sctp,dccp,udplite,gre,esp,ah", "6,17,1,58,132,33,136,47,50,51"),
            Arguments.of("--proto", "0,255,17,udp", "0,255,17"),
            Arguments.of("--port", "80", "80"),
            Arguments.of("--port", "0,65535", "0,65535"),
            Arguments.of("--port", "8000-8080, 443", "8000-8080,443"),
            Arguments.of("--port", "22-22,1-65535", "22,1-65535"),
            Arguments.of("--ip", "10.1.2.3", "10.1.2.3/32"),
            Arguments.of("--ip", "10.0.0.0/8,fd00::/8,::1", "10.0.0.0/8,fd00::/8,::1/128"),
            Arguments.of("--ip", "10.1.2.3/8,10.0.0.0/8", "10.0.0.0/8"),
            Arguments.of("--ip", "0.0.0.0/0,::/0,::ffff:192.0.2.0/120", "0.0.0.0/0,::/0,::ffff:192.0.2.0/120"),
            Arguments.of("--in-netns", "4026531840,pod-a,my_ns.1", "4026531840,pod-a,my_ns.1"),
            Arguments.of("--in-netns", "007,7", "7"),
            Arguments.of("--ifname", "eth0,lo,br-lan,veth1234567890a", "eth0,lo,br-lan,veth1234567890a"),
            Arguments.of("--ifname", "eth0:1,wlp2s0.100,\u00e9th0", "eth0:1,wlp2s0.100,\u00e9th0"),
            Arguments.of("--op", "new,DEL,update,destroy,overrun", "new,del,update,destroy,overrun"),
            Arguments.of("--pid", "1,4194304,42", "1,4194304,42"),
            Arguments.of("--comm", "nginx,kworker/0:1,systemd-journal", "nginx,kworker/0:1,systemd-journal"),
            Arguments.of("--comm", "Web Content", "Web Content"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goodFilters")
    void readsFilters(String flag, String text, String expected)
    {
        FilterSpec filter = parse("replay", flag, text).filter();
        assertEquals(expected, string(FILTERS.get(flag).apply(filter)));
        assertFalse(filter.isEmpty());
        FILTERS.forEach((other, values) -> assertTrue(other.equals(flag) || values.apply(filter).isEmpty(), other));
    }

    static Stream<Arguments> badFilters()
    {
        String proto = "; expected protocol names (tcp, udp, icmp, icmpv6, sctp, dccp, udplite, gre, esp, ah)"
            + " or numbers 0..255";
        String port = "; expected ports 0..65535 or ranges LO-HI such as 8000-8080";
        String ip = "; expected IPv4 or IPv6 addresses or CIDRs such as 10.0.0.0/8 or fd00::/8 (names are not looked up)";
        String netns = "; expected namespace inodes 1..4294967295 or names of A-Z a-z 0-9 . _ - as ip netns lists them";
        String ifname = "; expected interface names of 1 to 15 bytes without / or white space, not . or ..";
        String pid = "; expected process ids 1..4194304";
        String comm = "; expected command names of 1 to 15 bytes";
        return Stream.of(
            Arguments.of("--proto", "tcpp", "tcpp is not a protocol name or number" + proto),
            Arguments.of("--proto", "256", "256 is out of range" + proto),
            Arguments.of("--proto", "-1", "-1 is not a protocol name or number" + proto),
            Arguments.of("--proto", "tcp,ipv6,udp,999", "ipv6 is not a protocol name or number; 999 is out of range"
                + proto),
            Arguments.of("--proto", "", "empty list; expected comma-separated values"),
            Arguments.of("--port", "65536", "65536 is out of range" + port),
            Arguments.of("--port", "80-70", "80-70 has its low end above its high end" + port),
            Arguments.of("--port", "http", "http is not a port or range" + port),
            Arguments.of("--port", "http,80,70000,9-1", "http is not a port or range; 70000 is out of range;"
                + " 9-1 has its low end above its high end" + port),
            Arguments.of("--port", "80,,443", "empty element; expected comma-separated values"),
            Arguments.of("--ip", "localhost", "localhost is not an IP address or CIDR" + ip),
            Arguments.of("--ip", "example.com,10.0.0.0/33,::/129", "example.com is not an IP address or CIDR;"
                + " 10.0.0.0/33 has a prefix length above 32; ::/129 has a prefix length above 128" + ip),
            Arguments.of("--ip", "fe80::1%eth0", "fe80::1%eth0 is not an IP address or CIDR" + ip),
            Arguments.of("--ip", "256.0.0.1", "256.0.0.1 is not an IP address or CIDR" + ip),
            Arguments.of("--in-netns", "0", "0 is out of range" + netns),
            Arguments.of("--in-netns", "4294967296", "4294967296 is out of range" + netns),
            Arguments.of("--in-netns", "a/b,..,pod a", "a/b is not a namespace inode or name; .. is not a namespace"
                + " inode or name; pod a is not a namespace inode or name" + netns),
            Arguments.of("--ifname", "averyveryverylongname", "averyveryverylongname is longer than 15 bytes" + ifname),
            Arguments.of("--ifname", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9",
                "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9 is longer than 15 bytes" + ifname),
            Arguments.of("--ifname", "a/b,eth 0,.", "a/b contains /; eth 0 contains white space or control"
                + " characters; . is not an interface name" + ifname),
            Arguments.of("--ifname", "eth\t0", "eth\t0 contains white space or control characters" + ifname),
            Arguments.of("--op", "create", "create is not one of new, del, update, destroy, overrun"),
            Arguments.of("--pid", "0", "0 is out of range" + pid),
            Arguments.of("--pid", "4194305,abc,-5", "4194305 is out of range; abc is not a process id;"
                + " -5 is not a process id" + pid),
            Arguments.of("--comm", "averyveryverylongname", "averyveryverylongname is longer than 15 bytes" + comm));
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("badFilters")
    void rejectsBadFilters(String flag, String text, String reason)
    {
        String name = NlstreamConfig.DEF.settingForFlag(flag).name();
        assertEquals(List.of("Invalid value " + (text.isEmpty() ? "\"\"" : text) + " for configuration " + name
            + " (" + flag + "): " + reason), problems("replay", Map.of(), flag + "=" + text));
    }

    static Stream<Arguments> goodBootstrapServers()
    {
        return Stream.of(Arguments.of("127.0.0.1:9092"), Arguments.of("kafka-0.kafka.svc.cluster.local:9093,kafka-1:9093"),
            Arguments.of("[::1]:9092"), Arguments.of("[fe80::1%eth0]:9092,10.0.0.1:1"), Arguments.of("broker:65535"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodBootstrapServers")
    void readsBootstrapServers(String servers)
    {
        assertEquals(servers, parse("forward", "--kafka", servers).kafka());
    }

    static Stream<Arguments> badBootstrapServers()
    {
        String expected = "; expected HOST:PORT[,HOST:PORT...] (a DNS name, an IPv4 address or [IPv6], port 1..65535)";
        return Stream.of(
            Arguments.of("not a host", "not a host has no port" + expected),
            Arguments.of("host:99999", "host:99999: port 99999 is not 1..65535" + expected),
            Arguments.of("host:0", "host:0: port 0 is not 1..65535" + expected),
            Arguments.of("host", "host has no port" + expected),
            Arguments.of("::1:9092", "::1:9092: an IPv6 address goes in brackets ([::1]:9092)" + expected),
            Arguments.of("10.0.0.256:9092", "10.0.0.256:9092: 10.0.0.256 is not an IPv4 address" + expected),
            Arguments.of("a b:1,ok:2,:3,x:", "a b:1: a b is not a host name or address; :3: no host; x:: port missing" + expected),
            Arguments.of("[zz::1]:9092", "[zz::1]:9092: [zz::1] is not an IPv6 address in brackets" + expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBootstrapServers")
    void rejectsBadBootstrapServers(String servers, String reason)
    {
        assertEquals(List.of("Invalid value " + servers + " for configuration kafka.bootstrap (--kafka): " + reason),
            problems("forward", Map.of(), "--kafka", servers));
        assertEquals(List.of("Invalid value " + servers + " for configuration replay.to-kafka (--to-kafka): " + reason),
            problems("replay", Map.of(), "--to-kafka", servers));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1:9400", "0.0.0.0:1", "[::1]:9400", "metrics.local:65535", " localhost:9400 "})
    void readsTheHttpAddress(String address)
    {
        assertEquals(address.strip(), parse("run", "--http", address).httpListen());
    }

    @Test
    void httpIsOffByDefaultAndForRunOnly()
    {
        assertEquals("", parse("run").httpListen());
        assertEquals(1, problems("replay", Map.of(), "--http", "127.0.0.1:9400").size());
    }

    static Stream<Arguments> badHttpAddresses()
    {
        String expected = "; expected HOST:PORT (a DNS name, an IPv4 address such as 0.0.0.0 or [IPv6], port 1..65535)";
        return Stream.of(
            Arguments.of("9400", "9400 has no port" + expected),
            Arguments.of(":9400", ":9400: no host" + expected),
            Arguments.of("127.0.0.1:0", "127.0.0.1:0: port 0 is not 1..65535" + expected),
            Arguments.of("127.0.0.1:70000", "127.0.0.1:70000: port 70000 is not 1..65535" + expected),
            Arguments.of("::1:9400", "::1:9400: an IPv6 address goes in brackets ([::1]:9400)" + expected),
            Arguments.of("a:1,b:2", "one address to listen on, not a list" + expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHttpAddresses")
    void rejectsBadHttpAddresses(String address, String reason)
    {
        assertEquals(List.of("Invalid value " + address + " for configuration http.listen (--http): " + reason),
            problems("run", Map.of(), "--http", address));
    }

    @Test
    void everyBadFilterAtOnce()
    {
        List<String> problems = problems("run", Map.of(), "--proto", "tcp,bogus", "--port", "99999", "--ip", "host",
            "--in-netns", "a/b", "--ifname", "a/b", "--op", "create", "--pid", "0", "--comm", "averyveryverylongname",
            "--snapshot-interval", "0s");
        assertEquals(9, problems.size(), String.join("\n", problems));
        List<String> names = List.of("filter.proto (--proto): bogus", "filter.port (--port): 99999",
            "filter.ip (--ip): host", "filter.in-netns (--in-netns): a/b", "filter.ifname (--ifname): a/b",
            "filter.op (--op): create", "filter.pid (--pid): 0", "filter.comm (--comm): averyveryverylongname",
            "snapshot.interval (--snapshot-interval): must be between");
        for (int i = 0; i < names.size(); i++)
        {
            assertTrue(problems.get(i).contains(" for configuration " + names.get(i)), problems.get(i));
        }
    }

    @Test
    void opIsNotAFilterOfState()
    {
        assertEquals(List.of("Option --op (filter.op) is not valid for command 'state'; it applies to run, replay,"
            + " forward, export"), problems("state", Map.of(), "--op", "new"));
        assertEquals(List.of("Option --port (filter.port) is not valid for command 'stats'; it applies to run,"
            + " replay, state, forward, export, diff, timeline"), problems("stats", Map.of(), "--port", "80"));
    }

    @Test
    void filtersFromTheConfigFileAndTheEnvironment() throws IOException
    {
        Path file = file("filter.proto = tcp, udp", "filter.port = 22,8000-8080", "filter.ip = 10.0.0.0/8",
            "filter.in-netns = pod-a", "filter.ifname = eth0", "filter.op = new,del", "filter.pid = 1",
            "filter.comm = sshd");
        FilterSpec fromFile = parse("replay", "--config", file.toString()).filter();
        assertEquals(List.of(6, 17), fromFile.protos());
        assertEquals("22,8000-8080", string(fromFile.portRanges()));
        assertEquals("10.0.0.0/8", string(fromFile.ips()));
        assertEquals(List.of("pod-a"), fromFile.netns());
        assertEquals(List.of("eth0"), fromFile.ifnames());
        assertEquals(List.of("new", "del"), fromFile.ops());
        assertEquals(List.of(1), fromFile.pids());
        assertEquals(List.of("sshd"), fromFile.comms());

        Map<String, String> env = Map.of("NLSTREAM_FILTER_PROTO", "icmp", "NLSTREAM_FILTER_PORT", "53",
            "NLSTREAM_FILTER_IP", "::1", "NLSTREAM_FILTER_IN_NETNS", "4026531840", "NLSTREAM_FILTER_IFNAME", "lo",
            "NLSTREAM_FILTER_OP", "destroy", "NLSTREAM_FILTER_PID", "42", "NLSTREAM_FILTER_COMM", "dnsmasq");
        FilterSpec fromEnv = NlstreamConfig.parse("replay", new String[] {"--config", file.toString()}, env, NOW)
            .filter();
        assertEquals(new FilterSpec(List.of(1), List.of(new FilterSpec.PortRange(53, 53)),
            List.of(FilterSpec.Cidr.parse("::1")), List.of("4026531840"), List.of("lo"), List.of("destroy"),
            List.of(42), List.of("dnsmasq")), fromEnv);

        FilterSpec state = parse("state", "--config", file.toString()).filter();
        assertEquals(List.of(), state.ops(), "state reads no --op; the file's filter.op is ignored");
        assertEquals(List.of(6, 17), state.protos());
        assertTrue(parse("stats", "--config", file.toString()).filter().isEmpty());
    }

    @Test
    void badFiltersInTheFileAndEnvironmentAreConfigProblems() throws IOException
    {
        Path file = file("filter.ip = example.com");
        ConfigException e = assertThrows(ConfigException.class, () -> NlstreamConfig.parse("run",
            new String[] {"--config", file.toString()}, Map.of("NLSTREAM_FILTER_PORT", "80-70"), NOW));
        assertFalse(e instanceof UsageException, "nothing is wrong on the command line");
        assertEquals(List.of(
            "Invalid value 80-70 for configuration filter.port (--port, env NLSTREAM_FILTER_PORT): 80-70 has its"
                + " low end above its high end; expected ports 0..65535 or ranges LO-HI such as 8000-8080",
            "Invalid value example.com for configuration filter.ip (--ip, " + file + " line 1): example.com is not"
                + " an IP address or CIDR; expected IPv4 or IPv6 addresses or CIDRs such as 10.0.0.0/8 or"
                + " fd00::/8 (names are not looked up)"),
            e.problems());
    }

    @Test
    void exportNeedsPcap()
    {
        List<String> problems = assertThrows(ConfigException.class,
            () -> NlstreamConfig.parse("export", new String[] {"--kind", "conn"}, Map.of(), NOW)).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("--pcap") && problems.get(0).contains("is required"), problems.get(0));
        assertEquals(Path.of("x.pcap"), parse("export", "--pcap", "x.pcap").exportPcap());
        assertEquals(Path.of("-"), parse("export", "--pcap", "-").exportPcap());
        assertTrue(parse("export", "--help").helpRequested());
    }

    @Test
    void diffNeedsFromNotAfterTo()
    {
        List<String> missing = assertThrows(ConfigException.class,
            () -> NlstreamConfig.parse("diff", new String[] {"--to", "now"}, Map.of(), NOW)).problems();
        assertEquals(1, missing.size(), missing.toString());
        assertTrue(missing.get(0).contains("--from") && missing.get(0).contains("is required"), missing.get(0));
        List<String> reversed = assertThrows(ConfigException.class,
            () -> NlstreamConfig.parse("diff", new String[] {"--from", "-1m", "--to", "-2m"}, Map.of(), NOW)).problems();
        assertTrue(reversed.get(0).contains("must not be after --to -2m"), reversed.get(0));
        NlstreamConfig d = parse("diff", "--from", "2026-11-28T09:00:00Z", "--all-fields");
        assertEquals(NOW.millis() * 1_000_000L - 3_600_000_000_000L, d.diffFromNanos());
        assertTrue(d.diffToNanos().isEmpty());
        assertTrue(d.diffAllFields());
        assertFalse(parse("diff", "--from", "5m").diffAllFields());
    }

    @Test
    void noFilterByDefault()
    {
        for (String command : NlstreamConfig.DEF.commands().keySet())
        {
            assertEquals(FilterSpec.NONE, parse(command).filter(), command);
        }
    }

    // Snapshots

    @Test
    void snapshots()
    {
        for (String command : NlstreamConfig.DEF.commands().keySet())
        {
            NlstreamConfig config = parse(command);
            assertTrue(config.snapshotsEnabled(), command);
            assertEquals(Duration.ofSeconds(60), config.snapshotInterval(), command);
            assertEquals(1_000_000L, config.snapshotEntries(), command);
        }
        NlstreamConfig state = parse("state", "--snapshots", "false", "--snapshot-interval", "1d",
            "--snapshot-entries", "1_000");
        assertFalse(state.snapshotsEnabled());
        assertEquals(Duration.ofDays(1), state.snapshotInterval());
        assertEquals(1_000L, state.snapshotEntries());
        assertTrue(parse("stats", "--snapshots").snapshotsEnabled());
        assertEquals(Duration.ofSeconds(1), parse("run", "--snapshot-interval", "1000ms").snapshotInterval());
        assertFalse(NlstreamConfig.parse("replay", new String[0], Map.of("NLSTREAM_SNAPSHOT_ENABLED", "false"), NOW)
            .snapshotsEnabled());
    }

    @Test
    void snapshotBounds()
    {
        assertEquals(List.of(
            "Invalid value 999ms for configuration snapshot.interval (--snapshot-interval): must be between 1000ms"
                + " and 86400s",
            "Invalid value 999 for configuration snapshot.entries (--snapshot-entries): must be between 1000 and"
                + " 1000000000"),
            problems("forward", Map.of(), "--snapshot-interval", "999ms", "--snapshot-entries", "999"));
        assertEquals(List.of(
            "Invalid value yes for configuration snapshot.enabled (--snapshots): not a boolean; expected true or"
                + " false",
            "Invalid value 25h for configuration snapshot.interval (--snapshot-interval): must be between 1000ms"
                + " and 86400s",
            "Invalid value 1000000001 for configuration snapshot.entries (--snapshot-entries): must be between"
                + " 1000 and 1000000000"),
            problems("run", Map.of(), "--snapshot-interval", "25h", "--snapshot-entries", "1000000001",
                "--snapshots", "yes"));
    }

    // Retention

    @Test
    void noRetentionByDefault()
    {
        NlstreamConfig run = parse("run");
        assertEquals(null, run.retentionTime());
        assertEquals(0, run.retentionSize());
        assertFalse(run.retentionForce());
    }

    @Test
    void retentionFromFlagsFileAndEnvironment() throws IOException
    {
        NlstreamConfig flags = parse("run", "--retention-time", "7d", "--retention-size", "50G", "--retention-force");
        assertEquals(Duration.ofDays(7), flags.retentionTime());
        assertEquals(50L << 30, flags.retentionSize());
        assertTrue(flags.retentionForce());
        assertEquals(Duration.ofHours(36), parse("run", "--retention-time", "36h").retentionTime());
        assertEquals(500L << 20, parse("run", "--retention-size", "500MiB").retentionSize());
        assertEquals(2L << 40, parse("run", "--retention-size", "2T").retentionSize());
        assertEquals(3L << 40, parse("run", "--retention-size", "3TiB").retentionSize());
        Path file = file("retention.time = 12h", "retention.size = 1G", "retention.force = true");
        NlstreamConfig fromFile = parse("run", "--config", file.toString());
        assertEquals(Duration.ofHours(12), fromFile.retentionTime());
        assertEquals(1L << 30, fromFile.retentionSize());
        assertTrue(fromFile.retentionForce());
        NlstreamConfig fromEnv = NlstreamConfig.parse("run", new String[0], Map.of("NLSTREAM_RETENTION_TIME", "2d",
            "NLSTREAM_RETENTION_SIZE", "10G", "NLSTREAM_RETENTION_FORCE", "true"), NOW);
        assertEquals(Duration.ofDays(2), fromEnv.retentionTime());
        assertEquals(10L << 30, fromEnv.retentionSize());
        assertTrue(fromEnv.retentionForce());
    }

    @Test
    void retentionMistakesAreReportedAtOnce()
    {
        assertEquals(List.of(
            "Invalid value 7 for configuration retention.time (--retention-time): not a duration; expected a number"
                + " with a unit ms, s, m, h or d, e.g. 500ms or 5s",
            "Invalid value 500MB for configuration retention.size (--retention-size): not a size; expected a number"
                + " of bytes with optional k, M, G, T suffix",
            "Invalid value maybe for configuration retention.force (--retention-force): not a boolean; expected true"
                + " or false"),
            problems("run", Map.of(), "--retention-time", "7", "--retention-size", "500MB", "--retention-force", "maybe"));
        assertEquals(List.of(
            "Invalid value 30s for configuration retention.time (--retention-time): must be between 60000ms and"
                + " 3153600000s",
            "Invalid value 1000 for configuration retention.size (--retention-size): must be between 1MiB and 1024TiB"),
            problems("run", Map.of(), "--retention-time", "30s", "--retention-size", "1000"));
        assertEquals(List.of("Option --retention-time (retention.time) is not valid for command 'replay'; it applies to run"),
            problems("replay", Map.of(), "--retention-time", "1d"));
    }

    /** Retention keeps a snapshot as the base of what it keeps: without snapshots there is none. */
    @Test
    void retentionNeedsSnapshots() throws IOException
    {
        List<String> problems = problems("run", Map.of(), "--retention-size", "1G", "--snapshots", "false");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("Invalid value false for configuration snapshot.enabled (--snapshots):"
            + " retention (--retention-size) needs snapshots"), problems.get(0));
        Path file = file("retention.time = 1d", "snapshot.enabled = false");
        assertTrue(problems("run", Map.of(), "--config", file.toString()).get(0).contains("retention (--retention-time) needs snapshots"));
        assertFalse(parse("run", "--snapshots", "false").snapshotsEnabled());
        assertFalse(parse("state", "--snapshots", "false").snapshotsEnabled());
    }
}
