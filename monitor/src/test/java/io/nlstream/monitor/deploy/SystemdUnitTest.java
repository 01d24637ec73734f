package io.nlstream.monitor.deploy;

import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.cli.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/systemd/nlstream.service: systemd accepts it (systemd-analyze verify, where installed), it runs the
 * installed launcher with settings run accepts, in a sandbox that lets it write only its journal, with the
 * capabilities run needs (each given a reason in the file) and no more, and memory and stop time enough for it.
 */
class SystemdUnitTest
{
    private static final String UNIT = "deploy/systemd/nlstream.service";

    @TempDir
    Path tmp;

    @Test
    void systemdAcceptsTheUnitAsItIs() throws Exception
    {
        final Path analyze = onPath("systemd-analyze");
        Assumptions.assumeTrue(analyze != null, "systemd-analyze is not installed: the unit is checked by the other tests only");
        // verify refuses a unit whose ExecStart= binary does not exist: the copy points at a stand-in
        final Path launcher = DeployFiles.script(tmp.resolve("bin/nlstream"), "exit 0");
        final String unit = DeployFiles.read(UNIT).replace(DeployFiles.INSTALL_DIR + "/bin/nlstream", launcher.toString());
        final Path copy = Files.writeString(tmp.resolve("nlstream.service"), unit);

        final DeployFiles.Exited verify = DeployFiles.run(tmp, Map.of("PATH", "/usr/bin:/bin:/usr/sbin:/sbin"),
            analyze.toString(), "verify", "--man=no", copy.toString());

        // a key systemd does not know, or a value it cannot parse, is a warning "..., ignoring" and exit 0
        final List<String> aboutTheUnit = (verify.stdout() + verify.stderr()).lines().filter(l -> l.contains("nlstream.service")).toList();
        assertEquals(0, verify.code(), verify::toString);
        assertEquals(List.of(), aboutTheUnit, verify::toString);
    }

    @Test
    void runsTheInstalledLauncherWithSettingsRunAccepts() throws Exception
    {
        final Map<String, List<String>> service = section("Service");
        final List<String> exec = words(one(service, "ExecStart"));
        assertEquals(List.of(DeployFiles.INSTALL_DIR + "/bin/nlstream", "run"), exec.subList(0, 2));
        // $NLSTREAM_ARGS: the administrator's, from /etc/default/nlstream; none by default
        final List<String> args = new ArrayList<>(exec.subList(1, exec.size()));
        assertTrue(args.remove("$NLSTREAM_ARGS"), exec::toString);
        final Map<String, String> env = new HashMap<>();
        for (final String assignments : service.getOrDefault("Environment", List.of()))
        {
            for (final String assignment : words(assignments))
            {
                env.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
            }
        }

        final NlstreamConfig config = NlstreamConfig.parse(args.get(0), args.subList(1, args.size()).toArray(new String[0]), env,
            Clock.systemUTC());

        assertTrue(config.netnsAll(), "whole-host capture: every network namespace");
        assertEquals(Path.of(DeployFiles.JOURNAL_DIR), config.journalDir());
        assertEquals(DeployFiles.JOURNAL_DIR, "/var/lib/" + one(service, "StateDirectory"), "the journal is the state directory");
        assertEquals("127.0.0.1:9464", config.httpListen());
        assertEquals("json", config.logFormat());
        assertEquals("none", config.stdoutFormat(), "events go to the journal, not to journald");
        assertEquals("/bin/kill -HUP $MAINPID", one(service, "ExecReload"), "run reloads its settings on SIGHUP");
        assertEquals("-/etc/default/nlstream", one(service, "EnvironmentFile"));
    }

    @Test
    void grantsTheCapabilitiesRunNeedsEachForAReasonGivenBeside() throws Exception
    {
        final Map<String, List<String>> service = section("Service");
        final Set<String> ambient = Set.copyOf(words(one(service, "AmbientCapabilities")));
        final Set<String> bounding = Set.copyOf(words(one(service, "CapabilityBoundingSet")));

        assertEquals(DeployFiles.CAPABILITIES, ambient);
        assertEquals(ambient, bounding, "nothing beyond what the process has");
        assertFalse("root".equals(one(service, "User")), "ambient capabilities are for a user that is not root");
        final String comments = DeployFiles.read(UNIT).lines().filter(l -> l.startsWith("#")).collect(Collectors.joining("\n"));
        for (final String capability : ambient)
        {
            assertTrue(Pattern.compile("^#\\s+" + capability + "\\s+\\S", Pattern.MULTILINE).matcher(comments).find(),
                () -> capability + " has no line of its own saying why");
        }
    }

    @Test
    void writesOnlyItsJournalInASandbox() throws Exception
    {
        final Map<String, List<String>> service = section("Service");
        assertEquals("strict", one(service, "ProtectSystem"));
        assertEquals("yes", one(service, "ProtectHome"));
        assertEquals("yes", one(service, "PrivateTmp"));
        assertEquals("yes", one(service, "NoNewPrivileges"));
        assertEquals(List.of(DeployFiles.JOURNAL_DIR), service.get("ReadWritePaths"));
        // what would break run: the JIT writes the code it runs; attribution reads every process's /proc/PID/fd
        assertFalse(service.containsKey("MemoryDenyWriteExecute"), "the JVM's JIT needs writable executable memory");
        assertFalse(service.containsKey("ProtectProc") && !"default".equals(one(service, "ProtectProc")),
            "attribution reads every process's /proc/PID/fd");
        assertFalse(service.containsKey("PrivateNetwork"), "capture needs the host's network namespace");
        for (final String filter : service.getOrDefault("SystemCallFilter", List.of()))
        {
            assertTrue(filter.startsWith("~") && !filter.contains("setns") && !filter.contains("@process"),
                () -> "a deny-list that keeps setns(2): " + filter);
        }
        final String namespaces = one(service, "RestrictNamespaces");
        assertTrue(Set.copyOf(words(namespaces)).contains("net") && !namespaces.startsWith("~"), "setns into a network namespace: " + namespaces);
    }

    @Test
    void restartsAfterFailuresWithRoomToRunAndToStop() throws Exception
    {
        final Map<String, List<String>> service = section("Service");
        assertEquals("on-failure", one(service, "Restart"));
        assertTrue(words(one(service, "RestartPreventExitStatus")).contains(Integer.toString(Main.EXIT_USAGE)),
            "a usage error is not mended by a restart");
        final long memoryMax = DeployFiles.bytes(one(service, "MemoryMax"), false);
        final long needed = DeployFiles.memoryNeededBytes();
        assertTrue(memoryMax >= needed, () -> "MemoryMax " + memoryMax + " < " + needed + " (heap, JVM, receive buffers)");
        assertTrue(Long.parseLong(one(service, "LimitNOFILE")) >= 4096);
        final long stop = seconds(one(service, "TimeoutStopSec"));
        assertTrue(stop >= DeployFiles.STOP_SECONDS, () -> "TimeoutStopSec " + stop + " s < " + DeployFiles.STOP_SECONDS + " s");
    }

    @Test
    void theServiceUserIsDeclaredWithTheJournalAsItsHome() throws Exception
    {
        final List<String> users = DeployFiles.read("deploy/systemd/nlstream.sysusers").lines()
            .filter(l -> l.startsWith("u ")).toList();
        assertEquals(1, users.size(), users::toString);
        // u NAME ID "GECOS" HOME SHELL
        final Matcher m = Pattern.compile("u\\s+(\\S+)\\s+\\S+\\s+\"[^\"]*\"\\s+(\\S+).*").matcher(users.get(0));
        assertTrue(m.matches(), users::toString);
        assertEquals(one(section("Service"), "User"), m.group(1));
        assertEquals(DeployFiles.JOURNAL_DIR, m.group(2));
    }

    /** The unit's keys in a section, each with its values in order; comments and line continuations as systemd reads them. */
    private static Map<String, List<String>> section(final String name) throws IOException
    {
        final Map<String, List<String>> keys = new LinkedHashMap<>();
        String current = null;
        final StringBuilder logical = new StringBuilder();
        for (final String line : DeployFiles.read(UNIT).lines().toList())
        {
            final String stripped = line.strip();
            if (logical.length() == 0 && (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")))
            {
                continue;
            }
            if (stripped.endsWith("\\"))
            {
                logical.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            logical.append(stripped);
            final String entry = logical.toString();
            logical.setLength(0);
            if (entry.startsWith("["))
            {
                current = entry.substring(1, entry.indexOf(']'));
            }
            else if (name.equals(current))
            {
                final int eq = entry.indexOf('=');
                assertTrue(eq > 0, () -> "not a KEY=VALUE line: " + entry);
                keys.computeIfAbsent(entry.substring(0, eq).strip(), k -> new ArrayList<>()).add(entry.substring(eq + 1).strip());
            }
        }
        assertFalse(keys.isEmpty(), "no [" + name + "] section");
        return keys;
    }

    private static String one(final Map<String, List<String>> section, final String key)
    {
        final List<String> values = section.get(key);
        assertTrue(values != null && values.size() == 1, () -> key + "= once: " + values);
        return values.get(0);
    }

    private static List<String> words(final String value)
    {
        return Arrays.asList(value.strip().split("\\s+"));
    }

    /** systemd's time span: 60, 60s, 1min, 1min 30s. */
    private static long seconds(final String span)
    {
        long total = 0;
        final Matcher m = Pattern.compile("(\\d+)\\s*(s|sec|min|m|h)?").matcher(span);
        while (m.find())
        {
            final long n = Long.parseLong(m.group(1));
            total += m.group(2) == null || m.group(2).startsWith("s") ? n : m.group(2).startsWith("m") ? 60 * n : 3600 * n;
        }
        return total;
    }

    private static Path onPath(final String command)
    {
        for (final String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"))
        {
            if (Files.isExecutable(Path.of(dir, command)))
            {
                return Path.of(dir, command);
            }
        }
        return null;
    }
}
