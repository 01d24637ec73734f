package io.nlstream.monitor.cli;

import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: a capture without the capabilities it needs says which, instead of the kernel's bare
 * "Operation not permitted". {@code setpriv} (util-linux) takes them out of the bounding set of a root process,
 * as a container without them would run it, or runs it as another user with only those ambient, as the systemd
 * unit in deploy/ does.
 */
@org.junit.jupiter.api.Tag("kernel")
class CapabilitiesKernelIT
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withoutCapNetAdminTheBufferIsSmallerAndConntrackNamesTheCapability() throws Exception
    {
        try (Netns ns = Netns.create("nocaps");
             MonitorProcess run = MonitorProcess.startUnder(List.of(ns.prefix("setpriv", "--bounding-set", "-net_admin", "--inh-caps", "-net_admin")),
                 Files.createDirectories(tmp.resolve("a")), "run", "--journal", tmp.resolve("journal").toString(), "--stdout", "none"))
        {
            assertEquals(Main.EXIT_FAILURE, run.awaitExit(30_000), run::toString);
            final String err = run.stderr();
            assertTrue(err.contains("receive buffer") && err.contains("not the 67108864 asked (--rcvbuf)") && err.contains("CAP_NET_ADMIN"), err);
            assertTrue(err.contains("capture-conntrack failed") && err.contains("needs CAP_NET_ADMIN"), err);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withoutCapSysAdminNetnsNamesTheCapability() throws Exception
    {
        try (Netns ns = Netns.create("nosysadmin");
             MonitorProcess run = MonitorProcess.startUnder(List.of("setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin"),
                 Files.createDirectories(tmp.resolve("b")), "run", "--netns", ns.name(), "--journal", tmp.resolve("journal2").toString(),
                 "--stdout", "none", "--capture", "rtnl"))
        {
            assertEquals(Main.EXIT_FAILURE, run.awaitExit(30_000), run::toString);
            assertTrue(run.stderr().contains("entering another network namespace needs CAP_SYS_ADMIN"), run::toString);
        }
    }

    /**
     * As the systemd unit runs it (deploy/systemd): a user that is not root, with the capabilities ambient. Such a
     * process's access(2) drops them, so a check made with it (Files.exists) said a root process's
     * /proc/PID/ns/net did not exist.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anotherUserWithTheUnitsAmbientCapabilitiesEntersTheNamespaceOfARootProcess() throws Exception
    {
        try (Netns ns = Netns.create("ambient"))
        {
            final Process holder = new ProcessBuilder(ns.prefix("sleep", "60")).start();
            try (MonitorProcess run = MonitorProcess.startUnder(asServiceUser("net_admin,sys_admin,sys_ptrace,dac_read_search"),
                Files.createDirectories(tmp.resolve("c")), "run", "--netns", "/proc/" + holder.pid() + "/ns/net",
                "--journal", serviceUserDir("journal3").toString(), "--stdout", "none", "--capture", "rtnl"))
            {
                run.awaitLog("capturing rtnl", 30_000);
                assertEquals(Main.EXIT_OK, run.terminate(30_000), run::toString);
            }
            finally
            {
                holder.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anotherUserWithoutCapSysPtraceNamesTheCapability() throws Exception
    {
        try (Netns ns = Netns.create("noptrace"))
        {
            final Process holder = new ProcessBuilder(ns.prefix("sleep", "60")).start();
            try (MonitorProcess run = MonitorProcess.startUnder(asServiceUser("net_admin,sys_admin,dac_read_search"),
                Files.createDirectories(tmp.resolve("d")), "run", "--netns", "/proc/" + holder.pid() + "/ns/net",
                "--journal", serviceUserDir("journal4").toString(), "--stdout", "none", "--capture", "rtnl"))
            {
                assertEquals(Main.EXIT_FAILURE, run.awaitExit(30_000), run::toString);
                assertTrue(run.stderr().contains("needs CAP_SYS_PTRACE"), run::toString);
            }
            finally
            {
                holder.destroyForcibly().waitFor();
            }
        }
    }

    /** A uid no process of the test owns; CAP_DAC_READ_SEARCH lets it read the test's class path under /root. */
    private static final int SERVICE_UID = 61_000;

    private static List<String> asServiceUser(final String caps)
    {
        final String set = "-all,+" + caps.replace(",", ",+");
        return List.of("setpriv", "--reuid=" + SERVICE_UID, "--regid=" + SERVICE_UID, "--clear-groups",
            "--inh-caps=" + set, "--ambient-caps=" + set, "--bounding-set=" + set);
    }

    /**
     * A directory the service user owns, for its journal, on a path it may search without its capabilities (as
     * /var/lib/nlstream is): the journal's writability is checked with access(2).
     */
    private Path serviceUserDir(final String name) throws java.io.IOException
    {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        final Path dir = Files.createDirectories(tmp.resolve(name));
        Files.setAttribute(dir, "unix:uid", SERVICE_UID);
        Files.setAttribute(dir, "unix:gid", SERVICE_UID);
        return dir.resolve("journal");
    }
}
