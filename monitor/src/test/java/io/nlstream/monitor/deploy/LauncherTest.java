package io.nlstream.monitor.deploy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/nlstream as deploy/ installs it (bin/ beside lib/, no pom.xml: /opt/nlstream, the container image) runs java on
 * lib/'s jars and never goes to apt-get or Maven, nor writes beside the jars; in a checkout it still installs and
 * builds what is missing, unless NLSTREAM_NO_SETUP=1. A fake JDK's java, javac, and a fake mvn, apt-get and sudo
 * first on PATH record how they were called.
 */
class LauncherTest
{
    @TempDir
    Path tmp;

    private Path log;
    private Path fakeBin;

    @BeforeEach
    void fakeTools() throws IOException
    {
        log = Files.createDirectories(tmp.resolve("log"));
        final Path jdk = tmp.resolve("fake-jdk");
        fakeBin = jdk.resolve("bin");
        // what nls_java_17_or_newer reads instead of starting a JVM
        Files.createDirectories(fakeBin);
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"17.0.99\"\n");
        // the pid shows whether the launcher exec'd java (same process) or ran it as a child
        DeployFiles.script(fakeBin.resolve("java"), "echo $$ > \"$FAKE_LOG/java.pid\"; printf '%s\\n' \"$@\" > \"$FAKE_LOG/java.args\"");
        DeployFiles.script(fakeBin.resolve("javac"), "exit 0");
        for (final String tool : List.of("mvn", "apt-get", "sudo"))
        {
            // mvn fails (no project to build); sudo, for a test run that is not root, runs the fake apt-get
            DeployFiles.script(fakeBin.resolve(tool), "printf '%s\\n' \"$*\" >> \"$FAKE_LOG/" + tool + ".calls\"; "
                + Map.of("mvn", "exit 1", "apt-get", "exit 0", "sudo", "exec \"$@\"").get(tool));
        }
    }

    @Test
    void anInstalledCopyExecsJavaOnItsJarsWithoutSettingAnythingUp() throws Exception
    {
        final Path root = copyLauncher(tmp.resolve("opt/nlstream"));
        Files.createDirectories(root.resolve("lib"));
        Files.write(root.resolve("lib/nlstream-monitor.jar"), new byte[0]);
        Files.write(root.resolve("lib/chronicle-queue.jar"), new byte[0]);
        final List<String> before = DeployFiles.files(root);

        final DeployFiles.Exited launcher = launch(root, Map.of(), "run", "--help");

        assertEquals(0, launcher.code(), launcher::toString);
        assertEquals(Long.toString(launcher.pid()), Files.readString(log.resolve("java.pid")).strip(), "the launcher execs java");
        final List<String> args = Files.readAllLines(log.resolve("java.args"));
        final int cp = args.indexOf("-cp");
        assertTrue(cp >= 0, args::toString);
        assertEquals(List.of(root + "/lib/*", "io.nlstream.monitor.cli.Main", "run", "--help"), args.subList(cp + 1, args.size()));
        assertTrue(args.contains("-Xmx1g") && args.contains("-Dchronicle.analytics.disable=true"), args::toString);
        assertNothingSetUp();
        assertEquals(before, DeployFiles.files(root), "nothing written beside the jars (it may be read-only)");
    }

    @Test
    void anInstalledCopyWithoutItsJarSaysWhatIsMissing() throws Exception
    {
        final Path root = copyLauncher(tmp.resolve("opt/nlstream"));

        final DeployFiles.Exited launcher = launch(root, Map.of(), "--version");

        assertEquals(1, launcher.code(), launcher::toString);
        assertTrue(launcher.stderr().contains("missing " + root + "/lib/nlstream-monitor.jar")
            && launcher.stderr().contains("nothing is installed or built"), launcher::toString);
        assertFalse(Files.exists(log.resolve("java.args")), "java not started");
        assertNothingSetUp();
    }

    @Test
    void aCheckoutStillBuildsItsJars() throws Exception
    {
        final Path root = copyLauncher(tmp.resolve("checkout"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");

        final DeployFiles.Exited launcher = launch(root, Map.of(), "--version");

        // the fake mvn fails, and the launcher with it
        assertNotEquals(0, launcher.code(), launcher::toString);
        assertTrue(Files.readString(log.resolve("mvn.calls")).contains("package"), launcher::toString);
        assertFalse(Files.exists(log.resolve("java.args")), "java not started");
    }

    @Test
    void aCheckoutWithNoSetUpNeitherInstallsNorBuilds() throws Exception
    {
        final Path root = copyLauncher(tmp.resolve("checkout"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");

        final DeployFiles.Exited launcher = launch(root, Map.of("NLSTREAM_NO_SETUP", "1"), "--version");

        assertEquals(1, launcher.code(), launcher::toString);
        assertTrue(launcher.stderr().contains("missing " + root + "/monitor/target/nlstream-monitor.jar")
            && launcher.stderr().contains("NLSTREAM_NO_SETUP=1"), launcher::toString);
        assertNothingSetUp();
    }

    private Path copyLauncher(final Path root) throws IOException
    {
        Files.createDirectories(root.resolve("bin"));
        for (final String file : List.of("bin/nlstream", "bin/lib.sh"))
        {
            Files.copy(DeployFiles.root().resolve(file), root.resolve(file));
        }
        return root;
    }

    private DeployFiles.Exited launch(final Path root, final Map<String, String> env, final String... args)
        throws IOException, InterruptedException
    {
        final Map<String, String> all = new java.util.HashMap<>(env);
        all.put("PATH", fakeBin + ":/usr/bin:/bin");
        all.put("FAKE_LOG", log.toString());
        final String[] command = new String[args.length + 1];
        command[0] = root.resolve("bin/nlstream").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return DeployFiles.run(tmp, all, command);
    }

    private void assertNothingSetUp() throws IOException
    {
        for (final String tool : List.of("mvn", "apt-get", "sudo"))
        {
            final Path calls = log.resolve(tool + ".calls");
            assertFalse(Files.exists(calls), () -> tool + " was called: " + read(calls));
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException e)
        {
            return e.toString();
        }
    }
}
