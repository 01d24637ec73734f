package io.nlstream.monitor.deploy;

import io.nlstream.config.NlstreamConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes/daemonset.yaml, parsed: a pod on every node in the node's network and PID namespaces, with the
 * capabilities run needs and no more (not privileged), probes where run serves them (the settings the image's
 * entrypoint resolves from the container's env and args), its journal on the node, the node's named namespaces
 * mounted, and memory and time enough to run and to stop. ProbePathsTest checks that run serves the probes' paths.
 */
class DaemonSetTest
{
    static final String YAML = "deploy/kubernetes/daemonset.yaml";

    @TempDir
    Path tmp;

    @Test
    void aNamespaceAServiceAccountAndADaemonSetThatUsesThem() throws Exception
    {
        final Map<String, Map<String, Object>> byKind = new HashMap<>();
        for (final Map<String, Object> doc : documents())
        {
            assertEquals(null, byKind.put(str(doc, "kind"), doc), "one of each kind");
        }
        assertEquals(Set.of("Namespace", "ServiceAccount", "DaemonSet"), byKind.keySet());
        assertEquals("nlstream", str(byKind.get("Namespace"), "metadata", "name"));
        // hostNetwork, hostPID, hostPath and capabilities: admitted only where the namespace's level allows them
        assertEquals("privileged", str(byKind.get("Namespace"), "metadata", "labels", "pod-security.kubernetes.io/enforce"));
        assertEquals("nlstream", str(byKind.get("ServiceAccount"), "metadata", "namespace"));
        assertEquals("nlstream", str(byKind.get("DaemonSet"), "metadata", "namespace"));
        assertEquals(str(byKind.get("ServiceAccount"), "metadata", "name"), str(pod(), "serviceAccountName"));
        final Map<String, Object> selector = map(byKind.get("DaemonSet"), "spec", "selector", "matchLabels");
        assertTrue(map(byKind.get("DaemonSet"), "spec", "template", "metadata", "labels").entrySet().containsAll(selector.entrySet()),
            "the pods carry the selector's labels");
    }

    @Test
    void runsOnEveryNodeInTheNodesNetworkAndProcesses() throws Exception
    {
        final Map<String, Object> pod = pod();
        assertEquals(true, pod.get("hostNetwork"), "run's own namespace is the node's");
        assertEquals(true, pod.get("hostPID"), "--netns all finds the pods' namespaces by their processes; attribution walks their /proc/PID/fd");
        assertTrue(settings().netnsAll(), "every namespace of the node");
        assertTrue(list(pod, "tolerations").contains(Map.of("operator", "Exists")), "tolerates every taint");
        assertEquals(false, pod.get("enableServiceLinks"), "no NLSTREAM_* variables from a Service named nlstream");
        final Object grace = pod.get("terminationGracePeriodSeconds");
        assertTrue(grace instanceof Number && ((Number)grace).longValue() >= DeployFiles.STOP_SECONDS,
            "time to drain and close the journal: " + grace);
        assertEquals("RollingUpdate", str(daemonSet(), "spec", "updateStrategy", "type"));
        assertFalse(map(daemonSet(), "spec", "updateStrategy", "rollingUpdate").containsKey("maxSurge"), "one writer per journal");
    }

    @Test
    void addsOnlyTheCapabilitiesRunNeedsAndIsNotPrivileged() throws Exception
    {
        for (final Map<String, Object> doc : documents())
        {
            assertFalse(anywhere(doc, "privileged", true), "privileged: true");
        }
        final Map<String, Object> security = map(container(), "securityContext");
        assertEquals(List.of("ALL"), list(security, "capabilities", "drop"));
        final Set<String> added = new HashSet<>();
        for (final Object capability : list(security, "capabilities", "add"))
        {
            added.add("CAP_" + capability);
        }
        assertFalse(added.isEmpty());
        assertTrue(DeployFiles.CAPABILITIES.containsAll(added), () -> added + " beyond " + DeployFiles.CAPABILITIES);
        assertEquals("RuntimeDefault", str(security, "seccompProfile", "type"));
    }

    @Test
    void probesAskWhereRunServesThem() throws Exception
    {
        final Map<String, Object> container = container();
        final NlstreamConfig config = settings();
        final String listen = config.httpListen();
        assertFalse(listen.isEmpty(), "run serves HTTP");
        final int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
        assertNotEquals("127.0.0.1", listen.substring(0, listen.lastIndexOf(':')), "the kubelet probes the node's address");
        assertEquals(9464, port);

        assertEquals("/healthz", str(container, "livenessProbe", "httpGet", "path"));
        assertEquals("/readyz", str(container, "readinessProbe", "httpGet", "path"));
        for (final String probe : List.of("livenessProbe", "readinessProbe", "startupProbe"))
        {
            assertEquals(port, probePort(container, probe), probe + " asks on the port run listens on");
        }
    }

    @Test
    void theJournalIsOnTheNodeAndTheNamedNamespacesAreMounted() throws Exception
    {
        final Map<String, Object> container = container();
        final Map<String, Map<String, Object>> mounts = new HashMap<>();
        for (final Object m : list(container, "volumeMounts"))
        {
            @SuppressWarnings("unchecked") final Map<String, Object> mount = (Map<String, Object>)m;
            mounts.put((String)mount.get("mountPath"), mount);
        }
        final String journal = settings().journalDir().toString();
        assertNotNull(mounts.get(journal), () -> "nothing mounted at the journal " + journal + ": " + mounts.keySet());
        assertNotEquals(true, mounts.get(journal).get("readOnly"));
        assertEquals(DeployFiles.JOURNAL_DIR, hostPath((String)mounts.get(journal).get("name")), "a node's journal outlives its pods");

        final Map<String, Object> netns = mounts.get("/run/netns");
        assertNotNull(netns, "/run/netns, where --netns NAME looks");
        assertEquals(true, netns.get("readOnly"));
        assertEquals("HostToContainer", netns.get("mountPropagation"), "namespaces made after the pod started");
        assertEquals("/run/netns", hostPath((String)netns.get("name")));

        if (Boolean.TRUE.equals(map(container, "securityContext").get("readOnlyRootFilesystem")))
        {
            assertTrue(mounts.containsKey("/tmp"), "the JVM writes its temporary files to /tmp");
        }
    }

    @Test
    void memoryForTheHeapAndBeyondAndASmallCpuRequest() throws Exception
    {
        final Map<String, Object> resources = map(container(), "resources");
        final long limit = DeployFiles.bytes(str(resources, "limits", "memory"), true);
        final long request = DeployFiles.bytes(str(resources, "requests", "memory"), true);
        final long needed = DeployFiles.memoryNeededBytes();
        assertTrue(limit >= needed, () -> "memory limit " + limit + " < " + needed + " (heap, JVM, receive buffers)");
        assertTrue(request <= limit);
        final String cpu = str(resources, "requests", "cpu");
        final double cores = cpu.endsWith("m") ? Long.parseLong(cpu.substring(0, cpu.length() - 1)) / 1000.0 : Double.parseDouble(cpu);
        assertTrue(cores > 0 && cores <= 0.5, () -> "cpu request " + cpu);
    }

    /** What run resolves in this container: the image's entrypoint given the container's env (values) and args. */
    private NlstreamConfig settings() throws Exception
    {
        final Map<String, Object> container = container();
        assertFalse(container.containsKey("command"), "the image's entrypoint runs");
        final Map<String, String> env = new HashMap<>();
        for (final Object e : container.containsKey("env") ? list(container, "env") : List.of())
        {
            @SuppressWarnings("unchecked") final Map<String, Object> var = (Map<String, Object>)e;
            // a value from the pod's fields (the node's name) is a word like this one
            env.put((String)var.get("name"), var.containsKey("value") ? String.valueOf(var.get("value")) : "node-1");
        }
        final List<String> args = new ArrayList<>();
        for (final Object a : container.containsKey("args") ? list(container, "args") : List.of())
        {
            args.add(String.valueOf(a));
        }
        final Entrypoint.Launched launched = Entrypoint.run(tmp, env, args.toArray(new String[0]));
        assertEquals("run", launched.args().get(0));
        return launched.config();
    }

    private static int probePort(final Map<String, Object> container, final String probe)
    {
        final Object port = map(container, probe, "httpGet").get("port");
        if (port instanceof Number)
        {
            return ((Number)port).intValue();
        }
        for (final Object p : list(container, "ports"))
        {
            final Map<?, ?> named = (Map<?, ?>)p;
            if (port.equals(named.get("name")))
            {
                return ((Number)named.get("containerPort")).intValue();
            }
        }
        throw new AssertionError(probe + ": no port named " + port);
    }

    private static String hostPath(final String volume) throws Exception
    {
        for (final Object v : list(pod(), "volumes"))
        {
            final Map<?, ?> candidate = (Map<?, ?>)v;
            if (volume.equals(candidate.get("name")))
            {
                @SuppressWarnings("unchecked") final Map<String, Object> found = (Map<String, Object>)candidate;
                return str(found, "hostPath", "path");
            }
        }
        throw new AssertionError("no volume " + volume);
    }

    static List<Map<String, Object>> documents() throws Exception
    {
        final List<Map<String, Object>> docs = new ArrayList<>();
        for (final Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(DeployFiles.read(YAML)))
        {
            if (doc != null)
            {
                @SuppressWarnings("unchecked") final Map<String, Object> map = (Map<String, Object>)doc;
                docs.add(map);
            }
        }
        return docs;
    }

    private static Map<String, Object> daemonSet() throws Exception
    {
        return documents().stream().filter(d -> "DaemonSet".equals(d.get("kind"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> pod() throws Exception
    {
        return map(daemonSet(), "spec", "template", "spec");
    }

    static Map<String, Object> container() throws Exception
    {
        final List<Object> containers = list(pod(), "containers");
        assertEquals(1, containers.size());
        @SuppressWarnings("unchecked") final Map<String, Object> container = (Map<String, Object>)containers.get(0);
        return container;
    }

    /** Whether {@code key: value} appears at any depth. */
    private static boolean anywhere(final Object node, final String key, final Object value)
    {
        if (node instanceof Map<?, ?> m)
        {
            return value.equals(m.get(key)) || m.values().stream().anyMatch(v -> anywhere(v, key, value));
        }
        return node instanceof List<?> l && l.stream().anyMatch(v -> anywhere(v, key, value));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(final Map<String, Object> from, final String... path)
    {
        Object node = from;
        for (final String key : path)
        {
            assertTrue(node instanceof Map, () -> String.join(".", path) + ": not a mapping at " + key);
            node = ((Map<String, Object>)node).get(key);
        }
        assertTrue(node instanceof Map, () -> String.join(".", path) + " is not a mapping: " + from);
        return (Map<String, Object>)node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(final Map<String, Object> from, final String... path)
    {
        final Object node = path.length == 1 ? from.get(path[0])
            : map(from, java.util.Arrays.copyOf(path, path.length - 1)).get(path[path.length - 1]);
        assertTrue(node instanceof List, () -> String.join(".", path) + " is not a list");
        return (List<Object>)node;
    }

    private static String str(final Map<String, Object> from, final String... path)
    {
        final Object node = path.length == 1 ? from.get(path[0])
            : map(from, java.util.Arrays.copyOf(path, path.length - 1)).get(path[path.length - 1]);
        assertTrue(node instanceof String, () -> String.join(".", path) + " is not a string: " + node);
        return (String)node;
    }
}
