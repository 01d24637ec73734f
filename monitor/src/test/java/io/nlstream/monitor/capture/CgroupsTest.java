package io.nlstream.monitor.capture;

import io.nlstream.monitor.journal.ContainerIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Cgroups#containerOf} over the text of /proc/PID/cgroup as each layout writes it. The lines are written
 * from the formats the runtimes and the kubelet document and produce (no captured fixture: the ids are made up,
 * the shapes are theirs); where each shape comes from is noted beside it. Every malformed or odd input is
 * "no container", never an exception.
 */
class CgroupsTest
{
    private static final String ID = "3f4b9e1c2d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c";
    private static final String ID2 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String UID = "7b5e2b0e-4b7c-4b5a-9d4f-1c2d3e4f5a6b";
    private static final String UID_ = UID.replace('-', '_');
    /** A static (mirror) pod's UID: the kubelet's hash of the manifest, 32 hex digits without dashes. */
    private static final String STATIC_UID = "e6f1e2a5c3b4d5e6f7a8b9c0d1e2f3a4";

    /** A cgroup file, and the container_id, pod_uid and container_runtime expected ("-": none). */
    record Case(String layout, String text, String id, String pod, String runtime)
    {
        @Override
        public String toString()
        {
            return layout;
        }
    }

    static Stream<Case> layouts()
    {
        return Stream.of(
            // Docker, cgroupfs driver, cgroup v1 (docker's default before v2; moby libcontainer: /docker/ID per hierarchy);
            // on a hybrid host the unified line shows where the shim was (containerd.service), no container
            new Case("docker cgroupfs v1 (hybrid)", """
                12:pids:/docker/ID
                11:hugetlb:/docker/ID
                10:net_cls,net_prio:/docker/ID
                9:perf_event:/docker/ID
                8:cpuset:/docker/ID
                7:memory:/docker/ID
                6:rdma:/
                5:devices:/docker/ID
                4:blkio:/docker/ID
                3:freezer:/docker/ID
                2:cpu,cpuacct:/docker/ID
                1:name=systemd:/docker/ID
                0::/system.slice/containerd.service
                """, ID, "-", "docker"),
            // Docker, systemd driver, cgroup v2 (docker's default on v2 hosts: a transient unit docker-ID.scope)
            new Case("docker systemd v2", "0::/system.slice/docker-ID.scope\n", ID, "-", "docker"),
            // Docker, cgroupfs driver, cgroup v2
            new Case("docker cgroupfs v2", "0::/docker/ID\n", ID, "-", "docker"),
            // Docker in Docker: the inner container's cgroup nests in the outer's; the deepest is the process's container
            new Case("docker in docker", "0::/docker/ID2/docker/ID\n", ID, "-", "docker"),
            // Kubernetes, containerd, systemd cgroup driver, cgroup v2 (kubeadm's default): pod slice with the UID's
            // dashes as underscores (systemd unit names), the container a cri-containerd-ID.scope
            new Case("kubepods systemd v2 burstable containerd",
                "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podUID_.slice/cri-containerd-ID.scope\n",
                ID, UID, "containerd"),
            // Guaranteed pods have no QoS level: kubepods-podUID.slice right under kubepods.slice
            new Case("kubepods systemd v2 guaranteed containerd",
                "0::/kubepods.slice/kubepods-podUID_.slice/cri-containerd-ID.scope\n", ID, UID, "containerd"),
            // cri-o names its scopes crio-ID.scope
            new Case("kubepods systemd v2 besteffort cri-o",
                "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podUID_.slice/crio-ID.scope\n", ID, UID, "cri-o"),
            // systemd driver on a v1 (hybrid) host: the same path in every hierarchy
            new Case("kubepods systemd v1 burstable containerd", """
                11:memory:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podUID_.slice/cri-containerd-ID.scope
                4:cpu,cpuacct:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podUID_.slice/cri-containerd-ID.scope
                1:name=systemd:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podUID_.slice/cri-containerd-ID.scope
                0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podUID_.slice/cri-containerd-ID.scope
                """, ID, UID, "containerd"),
            // Kubernetes, cgroupfs driver, cgroup v1 (dockershim or containerd): /kubepods/QOS/podUID/ID, the runtime not shown
            new Case("kubepods cgroupfs v1 burstable", """
                12:memory:/kubepods/burstable/podUID/ID
                11:cpu,cpuacct:/kubepods/burstable/podUID/ID
                1:name=systemd:/kubepods/burstable/podUID/ID
                """, ID, UID, "-"),
            new Case("kubepods cgroupfs v1 guaranteed", "7:memory:/kubepods/podUID/ID\n1:name=systemd:/kubepods/podUID/ID\n", ID, UID, "-"),
            new Case("kubepods cgroupfs v2 besteffort", "0::/kubepods/besteffort/podUID/ID\n", ID, UID, "-"),
            // cri-o with the cgroupfs manager names the container's cgroup crio-ID
            new Case("kubepods cgroupfs v2 cri-o", "0::/kubepods/burstable/podUID/crio-ID\n", ID, UID, "cri-o"),
            // a static pod's UID has no dashes
            new Case("kubepods static pod", "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podSTATIC.slice/cri-containerd-ID.scope\n",
                ID, STATIC_UID, "containerd"),
            // kind: the node is a docker container, its kubelet runs with --cgroup-root=/kubelet and the systemd driver,
            // so the slices are kubelet-kubepods-...; the pod's container is the deepest
            new Case("kind (kubernetes in docker)",
                "0::/system.slice/docker-ID2.scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
                    + "kubelet-kubepods-besteffort-podUID_.slice/cri-containerd-ID.scope\n",
                ID, UID, "containerd"),
            // a process in the pod's cgroup but in no container's (a pod-level cgroup): the pod alone
            new Case("kubepods pod level only", "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podUID_.slice\n",
                "-", UID, "-"),
            // podman as root, systemd cgroup manager: machine.slice/libpod-ID.scope (with --cgroups=split the
            // container's processes sit in its container/ sub-cgroup)
            new Case("podman root systemd v2", "0::/machine.slice/libpod-ID.scope\n", ID, "-", "podman"),
            new Case("podman split", "0::/machine.slice/libpod-ID.scope/container\n", ID, "-", "podman"),
            // rootless podman: the scope under the user's systemd instance
            new Case("podman rootless", "0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-ID.scope\n", ID, "-", "podman"),
            // podman, cgroupfs manager, v1
            new Case("podman cgroupfs v1", "7:memory:/libpod_parent/libpod-ID\n1:name=systemd:/libpod_parent/libpod-ID\n", ID, "-", "podman"),
            // a cgroup removed while the process still lives in it (v2 appends " (deleted)")
            new Case("deleted cgroup", "0::/system.slice/docker-ID.scope (deleted)\n", ID, "-", "docker"),
            // read from inside another cgroup namespace: paths outside it start with /..
            new Case("outside the reader's cgroup namespace",
                "0::/../../kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podUID_.slice/cri-containerd-ID.scope\n",
                ID, UID, "containerd"),
            // no final newline
            new Case("without a final newline", "0::/system.slice/docker-ID.scope", ID, "-", "docker"),
            // the unified line wins over v1 lines that disagree with it
            new Case("unified line first", "7:memory:/docker/ID2\n0::/system.slice/docker-ID.scope\n", ID, "-", "docker"),
            // a 64-hex component under a parent that shows no runtime: the id alone
            new Case("bare id, custom cgroup parent", "0::/ci-jobs/ID\n", ID, "-", "-"),
            // a pod component without kubepods above it is no pod
            new Case("pod component outside kubepods", "0::/podUID/ID\n", ID, "-", "-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void eachLayoutGivesItsContainer(final Case c)
    {
        final ContainerIdentity found = Cgroups.containerOf(fill(c.text()));
        assertEquals(expected(c.id(), c.pod(), c.runtime()), found, c.layout() + ":\n" + fill(c.text()));
    }

    static Stream<Case> noContainer()
    {
        return Stream.of(
            new Case("empty", "", "-", "-", "-"),
            new Case("blank lines", "\n\n\n", "-", "-", "-"),
            // the host's processes, cgroup v2 (systemd)
            new Case("host init", "0::/init.scope\n", "-", "-", "-"),
            new Case("host service", "0::/system.slice/sshd.service\n", "-", "-", "-"),
            new Case("host user session v2", "0::/user.slice/user-1000.slice/session-3.scope\n", "-", "-", "-"),
            new Case("host user session v1", """
                12:pids:/user.slice/user-1000.slice/session-3.scope
                7:memory:/user.slice/user-1000.slice/session-3.scope
                6:rdma:/
                1:name=systemd:/user.slice/user-1000.slice/session-3.scope
                0::/user.slice/user-1000.slice/session-3.scope
                """, "-", "-", "-"),
            new Case("root cgroup everywhere", "9:name=systemd:/\n4:memory:/\n0::/\n", "-", "-", "-"),
            // cri-o's monitor (conmon) runs in a scope named after the container but is not in it
            new Case("cri-o conmon", "0::/system.slice/crio-conmon-ID.scope\n", "-", "-", "-"),
            new Case("short id", "0::/docker/abc123def456\n", "-", "-", "-"),
            new Case("63 hex digits", "0::/docker/" + ID.substring(1) + "\n", "-", "-", "-"),
            new Case("65 hex digits", "0::/docker/" + ID + "0\n", "-", "-", "-"),
            new Case("upper-case hex", "0::/docker/" + ID.toUpperCase() + "\n", "-", "-", "-"),
            new Case("not a pod uid", "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podnot_a_uid.slice\n", "-", "-", "-"),
            new Case("hierarchy id not a number", "x::/docker/ID\n", "-", "-", "-"),
            new Case("no hierarchy id", "::/docker/ID\n", "-", "-", "-"),
            new Case("one colon", "0:/docker/ID\n", "-", "-", "-"),
            new Case("relative path", "0::docker/ID\n", "-", "-", "-"),
            new Case("colons only", "::::\n:\n", "-", "-", "-"),
            new Case("prose", "hello world\nthis is not a cgroup file\n", "-", "-", "-"),
            new Case("NUL bytes", "\0\0\0\n0::\0/docker/ID\n", "-", "-", "-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noContainer")
    void oddInputIsNoContainer(final Case c)
    {
        assertEquals(ContainerIdentity.NONE, Cgroups.containerOf(fill(c.text())), c.layout());
    }

    @Test
    void nullIsNoContainer()
    {
        assertEquals(ContainerIdentity.NONE, Cgroups.containerOf(null));
    }

    /** Random bytes, and random mixes of the pieces real files have: never an exception, always a valid identity. */
    @Test
    void randomInputNeverThrows()
    {
        final Random random = new Random(13);
        final String[] pieces = {"0", "12", ":", "::", "/", "\n", "docker", "docker-", ".scope", "kubepods", "kubepods-", "-pod",
            ".slice", "pod", ID, UID, UID_, "crio-", "libpod-", "cri-containerd-", " (deleted)", "..", "_", "-"};
        for (int i = 0; i < 20_000; i++)
        {
            final String text;
            if (i % 2 == 0)
            {
                final byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                text = new String(bytes, StandardCharsets.ISO_8859_1);
            }
            else
            {
                final StringBuilder b = new StringBuilder();
                for (int n = random.nextInt(30); n > 0; n--)
                {
                    b.append(pieces[random.nextInt(pieces.length)]);
                }
                text = b.toString();
            }
            // the record's constructor checks every part's syntax: a result is valid or there is none
            Cgroups.containerOf(text);
        }
    }

    private static String fill(final String text)
    {
        return text.replace("STATIC", STATIC_UID).replace("UID_", UID_).replace("UID", UID).replace("ID2", ID2).replace("ID", ID);
    }

    private static ContainerIdentity expected(final String id, final String pod, final String runtime)
    {
        return new ContainerIdentity(none(id), none(pod), none(runtime));
    }

    private static String none(final String s)
    {
        return "-".equals(s) ? null : s;
    }
}
