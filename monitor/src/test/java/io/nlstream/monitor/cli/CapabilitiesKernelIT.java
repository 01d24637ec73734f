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
 * as a container without them would run it.
 */
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
}
