package io.nlstream.monitor.journal;

/**
 * The container a network namespace belongs to, as the cgroup of a process in it names it: what a
 * NETNS_CONTAINER annotation carries (see {@link AnnotationRecord#writeNetnsContainer}) and every event of the
 * namespace shows ({@code container_id}, {@code pod_uid}, {@code container_runtime}). Each part is null when
 * not known; every part that is present has the syntax the JSON schema gives it, checked here once for the
 * writer, the reader of the annotation and the snapshots.
 *
 * @param containerId 64 lower-case hex digits (docker, containerd, cri-o and podman all use such ids)
 * @param podUid      a Kubernetes pod's UID, lower case: 8-4-4-4-12 hex digits with dashes, or 32 without (a
 *                    static pod's, which the kubelet derives from a hash of its manifest)
 * @param runtime     the runtime the cgroup's name shows ({@code docker}, {@code containerd}, {@code cri-o},
 *                    {@code podman}): a lower-case word of at most {@value #RUNTIME_MAX} characters
 */
public record ContainerIdentity(String containerId, String podUid, String runtime)
{
    /** No container known: the host's namespace, or one whose processes live in no container's cgroup. */
    public static final ContainerIdentity NONE = new ContainerIdentity(null, null, null);

    public static final int CONTAINER_ID_LENGTH = 64;
    public static final int RUNTIME_MAX = 32;

    /**
     * @throws IllegalArgumentException when a part that is present is not of its syntax, or a runtime comes
     *                                  without a container id or pod
     */
    public ContainerIdentity
    {
        if (containerId != null && !isContainerId(containerId)
            || podUid != null && !isPodUid(podUid)
            || runtime != null && !isRuntime(runtime))
        {
            throw new IllegalArgumentException("container_id=" + containerId + " pod_uid=" + podUid + " container_runtime=" + runtime
                + ": 64 lower-case hex digits, a pod UID (8-4-4-4-12 or 32 lower-case hex digits), a lower-case word of 1 to "
                + RUNTIME_MAX + " characters");
        }
        if (runtime != null && containerId == null && podUid == null)
        {
            throw new IllegalArgumentException("container_runtime=" + runtime + " without a container_id or pod_uid");
        }
    }

    /** Whether nothing is known (the parts are all null). */
    public boolean isEmpty()
    {
        return containerId == null && podUid == null;
    }

    /** 64 lower-case hex digits. */
    public static boolean isContainerId(final CharSequence s)
    {
        return s.length() == CONTAINER_ID_LENGTH && isHex(s, 0, CONTAINER_ID_LENGTH);
    }

    /** A pod UID: 8-4-4-4-12 lower-case hex digits with dashes, or 32 of them without. */
    public static boolean isPodUid(final CharSequence s)
    {
        if (s.length() == 32)
        {
            return isHex(s, 0, 32);
        }
        return s.length() == 36 && s.charAt(8) == '-' && s.charAt(13) == '-' && s.charAt(18) == '-' && s.charAt(23) == '-'
            && isHex(s, 0, 8) && isHex(s, 9, 13) && isHex(s, 14, 18) && isHex(s, 19, 23) && isHex(s, 24, 36);
    }

    /** A lower-case word: a letter, then letters, digits or dashes; 1 to {@value #RUNTIME_MAX} characters. */
    public static boolean isRuntime(final CharSequence s)
    {
        if (s.length() == 0 || s.length() > RUNTIME_MAX || s.charAt(0) < 'a' || s.charAt(0) > 'z')
        {
            return false;
        }
        for (int i = 1; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(final CharSequence s, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f'))
            {
                return false;
            }
        }
        return true;
    }
}
