package io.nlstream.monitor.capture;

import io.nlstream.monitor.journal.ContainerIdentity;

/**
 * The container a process lives in, from the text of its {@code /proc/PID/cgroup}: a pure function of that text,
 * which never throws (anything it cannot read is "no container").
 *
 * <p>The file has one line per hierarchy, {@code ID:CONTROLLERS:PATH}: cgroup v1 a line per mounted hierarchy
 * ({@code 4:memory:/docker/ID}, {@code 1:name=systemd:/docker/ID}), v2 one line {@code 0::PATH}, a hybrid host
 * both. The unified line (v2) is taken when it names a container; else the first v1 line that does; else the
 * first line that names a pod without a container. A path of a removed cgroup ends in {@code " (deleted)"}; one
 * outside the reader's cgroup namespace starts with {@code /..}: both are read as the rest of the path.
 *
 * <p>In a path, the deepest component that names a container gives {@code container_id} (docker in docker, or
 * Kubernetes in docker as kind runs it, nest one container's cgroup in another's), and the runtime when its
 * name shows it:
 * <pre>
 * docker, cgroupfs driver                 /docker/ID                                            docker
 * docker, systemd driver                  /system.slice/docker-ID.scope                         docker
 * containerd (CRI), systemd driver        .../cri-containerd-ID.scope                           containerd
 * cri-o, systemd or cgroupfs driver       .../crio-ID.scope, .../crio-ID                        cri-o
 * podman (root, rootless; systemd or      /machine.slice/libpod-ID.scope[/container],           podman
 *   cgroupfs)                             /user.slice/.../libpod-ID.scope, /libpod_parent/libpod-ID
 * Kubernetes, cgroupfs driver             /kubepods[/burstable|/besteffort]/podUID/ID           (not shown)
 * Kubernetes, systemd driver              /kubepods.slice[/kubepods-QOS.slice]/kubepods[-QOS]-podUID_WITH_UNDERSCORES.slice/RUNTIME-ID.scope
 *   (kubelet --cgroup-root=/kubelet, kind) /kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-QOS.slice/...
 * </pre>
 * ID is 64 lower-case hex digits. Guaranteed pods have no QoS level. {@code pod_uid} is taken from a
 * {@code pod} component under a {@code kubepods} one, with the systemd driver's underscores turned back into
 * dashes; a static pod's UID is 32 hex digits without dashes. A {@code crio-conmon-ID.scope} (cri-o's monitor
 * process, not the container) names no container.
 */
public final class Cgroups
{
    private static final String[][] SCOPES = {
        {"docker-", "docker"},
        {"cri-containerd-", "containerd"},
        {"crio-", "cri-o"},
        {"libpod-", "podman"},
    };
    private static final String SCOPE = ".scope";
    private static final String SLICE = ".slice";
    private static final String DELETED = " (deleted)";

    private Cgroups()
    {
    }

    /** The container of the process whose /proc/PID/cgroup is {@code text}; {@link ContainerIdentity#NONE} when none. */
    public static ContainerIdentity containerOf(final String text)
    {
        if (text == null)
        {
            return ContainerIdentity.NONE;
        }
        ContainerIdentity firstContainer = null;
        ContainerIdentity firstPod = null;
        int start = 0;
        while (start < text.length())
        {
            int end = text.indexOf('\n', start);
            if (end < 0)
            {
                end = text.length();
            }
            final int first = text.indexOf(':', start);
            final int second = first < 0 || first >= end ? -1 : text.indexOf(':', first + 1);
            if (second >= 0 && second < end && isNumber(text, start, first))
            {
                final ContainerIdentity found = ofPath(text.substring(second + 1, end));
                final boolean unified = second == first + 1 && first == start + 1 && text.charAt(start) == '0';
                if (found.containerId() != null)
                {
                    if (unified)
                    {
                        return found;
                    }
                    if (firstContainer == null)
                    {
                        firstContainer = found;
                    }
                }
                else if (found.podUid() != null && firstPod == null)
                {
                    firstPod = found;
                }
            }
            start = end + 1;
        }
        return firstContainer != null ? firstContainer : firstPod != null ? firstPod : ContainerIdentity.NONE;
    }

    /** The container a cgroup path names (see the class comment); {@link ContainerIdentity#NONE} when none. */
    static ContainerIdentity ofPath(final String cgroupPath)
    {
        String path = cgroupPath.endsWith("\r") ? cgroupPath.substring(0, cgroupPath.length() - 1) : cgroupPath;
        if (path.endsWith(DELETED))
        {
            path = path.substring(0, path.length() - DELETED.length());
        }
        if (!path.startsWith("/"))
        {
            return ContainerIdentity.NONE;
        }
        final String[] parts = path.split("/");
        boolean kubepods = false;
        String pod = null;
        String id = null;
        String runtime = null;
        String parent = "";
        for (final String part : parts)
        {
            if (part.startsWith("kubepods") || part.contains("-kubepods"))
            {
                // kubepods, kubepods.slice, kubepods-burstable.slice, kubepods-burstable-podUID.slice, kubepods-podUID.slice;
                // under a --cgroup-root (kind's /kubelet) the systemd driver prefixes them: kubelet-kubepods-...
                kubepods = true;
                final int at = part.lastIndexOf("-pod");
                if (at >= 0 && part.endsWith(SLICE))
                {
                    pod = podUid(part.substring(at + 4, part.length() - SLICE.length()), pod);
                }
            }
            else if (kubepods && part.startsWith("pod"))
            {
                pod = podUid(part.substring(3), pod);
            }
            else if (ContainerIdentity.isContainerId(part))
            {
                id = part;
                runtime = "docker".equals(parent) ? "docker" : null;
            }
            else
            {
                final String name = part.endsWith(SCOPE) ? part.substring(0, part.length() - SCOPE.length()) : part;
                for (final String[] scope : SCOPES)
                {
                    if (name.startsWith(scope[0]) && ContainerIdentity.isContainerId(name.substring(scope[0].length())))
                    {
                        id = name.substring(scope[0].length());
                        runtime = scope[1];
                        break;
                    }
                }
            }
            parent = part;
        }
        if (id == null && pod == null)
        {
            return ContainerIdentity.NONE;
        }
        return new ContainerIdentity(id, pod, runtime);
    }

    /** The UID a pod component names (the systemd driver writes its dashes as underscores), or {@code otherwise}. */
    private static String podUid(final String uid, final String otherwise)
    {
        final String dashed = uid.replace('_', '-');
        return ContainerIdentity.isPodUid(dashed) ? dashed : otherwise;
    }

    private static boolean isNumber(final String s, final int from, final int to)
    {
        if (to <= from)
        {
            return false;
        }
        for (int i = from; i < to; i++)
        {
            if (s.charAt(i) < '0' || s.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }
}
