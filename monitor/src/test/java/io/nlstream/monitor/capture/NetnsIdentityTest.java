package io.nlstream.monitor.capture;

import io.nlstream.monitor.journal.ContainerIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Finding the container of a namespace ({@link NetnsIdentity#container}) in a /proc made of files: each process a
 * directory with {@code ns/net} (a link to {@code net:[INODE]}, as the kernel shows it), {@code stat} and
 * {@code cgroup}.
 */
class NetnsIdentityTest
{
    private static final long HOST = 4026531840L;
    private static final long POD = 4026532500L;
    private static final long OTHER = 4026532600L;
    private static final String PAUSE = "1111111111111111111111111111111111111111111111111111111111111111";
    private static final String APP = "2222222222222222222222222222222222222222222222222222222222222222";
    private static final String UID = "7b5e2b0e-4b7c-4b5a-9d4f-1c2d3e4f5a6b";

    @TempDir
    Path proc;

    @Test
    void theOldestProcessOfTheNamespaceNamesItsContainer() throws IOException
    {
        process(1, HOST, 1, "0::/init.scope\n");
        // listed before the pause process, and with a lower pid, but started later: the app container
        process(40, POD, 900, pod(APP));
        process(300, POD, 500, pod(PAUSE));
        process(41, OTHER, 100, "0::/system.slice/docker-" + APP + ".scope\n");
        assertEquals(new ContainerIdentity(PAUSE, UID, "containerd"), NetnsIdentity.container(proc, POD));
        assertEquals(new ContainerIdentity(APP, null, "docker"), NetnsIdentity.container(proc, OTHER));
    }

    @Test
    void sameStartTimeGoesByPid() throws IOException
    {
        process(1, HOST, 1, "0::/init.scope\n");
        process(301, POD, 500, pod(APP));
        process(300, POD, 500, pod(PAUSE));
        assertEquals(PAUSE, NetnsIdentity.container(proc, POD).containerId());
    }

    @Test
    void anOlderProcessInNoContainerIsPassedOver() throws IOException
    {
        process(1, HOST, 1, "0::/init.scope\n");
        // nsenter -t ... -n from a login shell, older than the container (an inode reused, or a namespace joined)
        process(20, POD, 50, "0::/user.slice/user-0.slice/session-1.scope\n");
        process(300, POD, 500, pod(PAUSE));
        assertEquals(PAUSE, NetnsIdentity.container(proc, POD).containerId());
    }

    @Test
    void theHostsNamespaceHasNoContainer() throws IOException
    {
        // pid 1's namespace is the host's, whatever lives in it
        process(1, HOST, 1, "0::/init.scope\n");
        process(500, HOST, 700, "0::/system.slice/docker-" + APP + ".scope\n");
        assertEquals(ContainerIdentity.NONE, NetnsIdentity.container(proc, HOST));
    }

    @Test
    void aNamespaceWithoutProcessesOrContainersHasNone() throws IOException
    {
        process(1, HOST, 1, "0::/init.scope\n");
        process(50, OTHER, 100, "0::/user.slice/user-1000.slice/session-3.scope\n");
        assertEquals(ContainerIdentity.NONE, NetnsIdentity.container(proc, POD), "no process in it (ip netns add)");
        assertEquals(ContainerIdentity.NONE, NetnsIdentity.container(proc, OTHER), "ip netns exec from a session");
        assertEquals(ContainerIdentity.NONE, NetnsIdentity.container(proc.resolve("missing"), POD), "no /proc");
    }

    @Test
    void processesThatCannotBeReadArePassedOver() throws IOException
    {
        process(1, HOST, 1, "0::/init.scope\n");
        // gone between the listing and the reads: a link but no stat, a stat but no cgroup, a damaged stat
        final Path gone = Files.createDirectories(proc.resolve("200/ns"));
        Files.createSymbolicLink(gone.resolve("net"), Path.of("net:[" + POD + "]"));
        process(201, POD, 10, pod(APP));
        Files.delete(proc.resolve("201/cgroup"));
        process(202, POD, 20, pod(APP));
        Files.writeString(proc.resolve("202/stat"), "202 (sleep) S 1");
        // not a process, and a link to something else
        Files.createDirectories(proc.resolve("self-test/ns"));
        Files.createSymbolicLink(proc.resolve("self-test/ns/net"), Path.of("net:[" + POD + "]"));
        process(203, POD, 30, pod(APP));
        Files.delete(proc.resolve("203/ns/net"));
        Files.createSymbolicLink(proc.resolve("203/ns/net"), Path.of("mnt:[" + POD + "]"));
        process(204, POD, 40, pod(PAUSE));
        assertEquals(PAUSE, NetnsIdentity.container(proc, POD).containerId());
    }

    @Test
    void startTimeIsCountedAfterTheCommandsParenthesis() throws IOException
    {
        // a command name may hold spaces and parentheses: "(sd-pam)", ") 1 2 (" ...
        final Path stat = proc.resolve("stat");
        Files.writeString(stat, "4242 (a) b ) 1 2 () S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 98765 1000 100 "
            + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
        assertEquals(98765, NetnsIdentity.startTime(stat));
        Files.writeString(stat, "4242 (a) S 1");
        assertEquals(-1, NetnsIdentity.startTime(stat));
        assertEquals(-1, NetnsIdentity.startTime(proc.resolve("none")));
    }

    private static String pod(final String id)
    {
        return "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + UID.replace('-', '_') + ".slice/cri-containerd-"
            + id + ".scope\n";
    }

    private void process(final int pid, final long netns, final long startTime, final String cgroup) throws IOException
    {
        final Path dir = Files.createDirectories(proc.resolve(pid + "/ns"));
        Files.createSymbolicLink(dir.resolve("net"), Path.of("net:[" + netns + "]"));
        Files.writeString(proc.resolve(pid + "/stat"), pid + " (proc " + pid + ") S 1 " + pid + " " + pid
            + " 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 " + startTime + " 1000 100 18446744073709551615\n");
        Files.writeString(proc.resolve(pid + "/cgroup"), cgroup);
    }
}
