package io.nlstream.monitor.cli;

import io.nlstream.monitor.capture.Cgroups;
import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.MonitorProcess;
import io.nlstream.monitor.testing.Netns;
import io.nlstream.netlink.testing.Await;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Touches the kernel: a namespace's container found from the cgroup of a process living in it. Two test
 * namespaces, each with a {@code sleep} started by {@code ip netns exec} and moved into a cgroup made as a
 * runtime makes it:
 * <ul>
 * <li>cgroup v2 (the cgroup2 mount: /sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid host), as the kubelet's
 *     systemd driver and containerd name it: {@code kubepods.slice/kubepods-besteffort.slice/
 *     kubepods-besteffort-podUID_.slice/cri-containerd-ID.scope}; an older {@code sleep} in the namespace stays in
 *     the test's cgroup (no container: passed over; left out where the test runs in a container);</li>
 * <li>cgroup v1 where the host has it (the {@code name=systemd} hierarchy: no controller, so any cgroup will do),
 *     as the kubelet's cgroupfs driver names it: {@code kubepods/burstable/podUID/ID}.</li>
 * </ul>
 * {@code run --netns NAME} captures each in turn into one journal; {@code replay} shows every event of each with
 * its container_id and pod_uid (and containerd for the systemd layout), checked against the published schema.
 * The sleeps, the cgroups made and the namespaces are removed whatever happens.
 */
@org.junit.jupiter.api.Tag("kernel")
class ContainerIdentityKernelIT
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void eventsOfAContainersNamespaceNameItsContainerAndPod() throws Exception
    {
        final Path unified = mountOf("cgroup2", null);
        Assumptions.assumeTrue(unified != null, "no cgroup2 mount");
        // where the test itself runs in a container, its processes name that one: the parts that rely on a process
        // in no container are left out then
        final boolean outsideContainers = Cgroups.containerOf(Files.readString(Path.of("/proc/self/cgroup"))).isEmpty();
        final Path v1 = outsideContainers ? mountOf("cgroup", "name=systemd") : null;
        final Path journal = tmp.resolve("journal");
        final String id2 = hex64();
        final String uid2 = UUID.randomUUID().toString();
        final String id1 = hex64();
        final String uid1 = UUID.randomUUID().toString();
        final List<Path> made = new ArrayList<>();
        final List<Process> sleeps = new ArrayList<>();
        try (Netns v2ns = Netns.create("cgv2"); Netns v1ns = Netns.create("cgv1"))
        {
            // cgroup v2, systemd driver: an older process in no container, then the container's
            if (outsideContainers)
            {
                sleeps.add(sleepIn(v2ns));
                Thread.sleep(20); // start times are in clock ticks (10 ms)
            }
            final Process container = sleepIn(v2ns);
            sleeps.add(container);
            final Path scope = make(unified, made, "kubepods.slice", "kubepods-besteffort.slice",
                "kubepods-besteffort-pod" + uid2.replace('-', '_') + ".slice", "cri-containerd-" + id2 + ".scope");
            Files.writeString(scope.resolve("cgroup.procs"), Long.toString(container.pid()));
            assertTrue(Files.readString(Path.of("/proc/" + container.pid() + "/cgroup")).contains("/cri-containerd-" + id2 + ".scope"));
            capture(v2ns, journal);

            if (v1 != null)
            {
                // cgroup v1, cgroupfs driver
                final Process p = sleepIn(v1ns);
                sleeps.add(p);
                final Path leaf = make(v1, made, "kubepods", "burstable", "pod" + uid1, id1);
                Files.writeString(leaf.resolve("cgroup.procs"), Long.toString(p.pid()));
                capture(v1ns, journal);
            }

            final List<Map<String, Object>> events = Cli.json("replay", "--journal", journal.toString());
            int inV2 = 0;
            int inV1 = 0;
            for (final Map<String, Object> e : events)
            {
                if (v2ns.name().equals(e.get("netns_name")))
                {
                    inV2++;
                    assertEquals(id2, e.get("container_id"), e.toString());
                    assertEquals(uid2, e.get("pod_uid"), e.toString());
                    assertEquals("containerd", e.get("container_runtime"), e.toString());
                }
                else
                {
                    assertEquals(v1ns.name(), e.get("netns_name"), e.toString());
                    inV1++;
                    assertEquals(id1, e.get("container_id"), e.toString());
                    assertEquals(uid1, e.get("pod_uid"), e.toString());
                    assertFalse(e.containsKey("container_runtime"), "the cgroupfs driver does not show it: " + e);
                }
            }
            assertTrue(inV2 > 0, "events of the v2 namespace: " + events);
            assertTrue(v1 == null || inV1 > 0, "events of the v1 namespace: " + events);
        }
        finally
        {
            for (final Process p : sleeps)
            {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            // deepest first; only what this test made (kubepods.slice may be a real node's)
            for (int i = made.size() - 1; i >= 0; i--)
            {
                removeCgroup(made.get(i));
            }
        }
    }

    /** Runs {@code run --netns} until its first dumps are complete and a link came and went. */
    private void capture(final Netns ns, final Path journal) throws Exception
    {
        try (MonitorProcess monitor = MonitorProcess.startInHost(Files.createDirectories(tmp.resolve("run-" + ns.name())), "run", "--netns", ns.name(),
            "--journal", journal.toString(), "--stdout", "none", "--capture", "rtnl"))
        {
            monitor.awaitLog("capture rtnl: initial dumps complete", 30_000);
            final long deletedBefore = deletionsOfB0(journal);
            ns.ip("link", "add", "b0", "type", "bridge");
            ns.ip("link", "del", "b0");
            Await.until("b0's deletion to be journalled", Duration.ofSeconds(30), () -> deletionsOfB0(journal) > deletedBefore);
            assertEquals(0, monitor.terminate(20_000), monitor::toString);
        }
    }

    private static long deletionsOfB0(final Path journal)
    {
        return Cli.json("replay", "--journal", journal.toString(), "--kind", "link").stream()
            .filter(e -> "del".equals(e.get("op")) && "b0".equals(e.get("ifname"))).count();
    }

    private static Process sleepIn(final Netns ns) throws IOException
    {
        // ip netns exec execs the command: the process is the sleep, in the namespace
        final Process p = new ProcessBuilder(ns.prefix("sleep", "600")).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            final String comm = Files.readString(Path.of("/proc/" + p.pid() + "/comm")).trim();
            if ("sleep".equals(comm))
            {
                return p;
            }
            Thread.onSpinWait();
        }
        p.destroyForcibly();
        throw new IllegalStateException("ip netns exec " + ns.name() + " sleep did not become sleep");
    }

    /** Makes each level under {@code root} that is missing, noting the ones made; returns the deepest. */
    static Path make(final Path root, final List<Path> made, final String... levels) throws IOException
    {
        Path dir = root;
        for (final String level : levels)
        {
            dir = dir.resolve(level);
            if (!Files.isDirectory(dir))
            {
                Files.createDirectory(dir);
                made.add(dir);
            }
        }
        return dir;
    }

    /** A cgroup is removed with rmdir once its processes are gone (the kernel's files in it go with it). */
    static void removeCgroup(final Path dir) throws InterruptedException
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                final Process rmdir = new ProcessBuilder("rmdir", dir.toString()).redirectErrorStream(true).start();
                if (rmdir.waitFor(10, TimeUnit.SECONDS) && rmdir.exitValue() == 0 || !Files.exists(dir))
                {
                    return;
                }
            }
            catch (final IOException e)
            {
                // try again
            }
            Thread.sleep(100); // a killed process leaves its cgroup a moment after it is reaped: try rmdir again
        }
        System.err.println("could not remove cgroup " + dir);
    }

    /** Where a cgroup filesystem of {@code type} is mounted (with {@code option} among its options), or null. */
    static Path mountOf(final String type, final String option) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8))
        {
            final String[] f = line.split(" ");
            if (f.length >= 4 && f[2].equals(type) && (option == null || List.of(f[3].split(",")).contains(option)))
            {
                return Path.of(f[1]);
            }
        }
        return null;
    }

    static String hex64()
    {
        final byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
