package io.nlstream.monitor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The paths the DaemonSet's probes ask (deploy/kubernetes/daemonset.yaml) are paths run --http serves: HttpEndpoints,
 * started on loopback without capture, answers each (503, "capture not started") and 404 for any other.
 */
class ProbePathsTest
{
    @TempDir
    Path tmp;

    @Test
    void theDaemonSetsProbesAskPathsRunServes() throws Exception
    {
        final List<String> paths = probePaths();
        assertFalse(paths.isEmpty(), "no httpGet probes in the DaemonSet");
        final int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = free.getLocalPort();
        }
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (HttpEndpoints http = new HttpEndpoints("127.0.0.1:" + port, tmp).start())
        {
            for (final String path : paths)
            {
                assertNotEquals(404, get(client, port, path).statusCode(), path + " is not served");
            }
            assertEquals(404, get(client, port, "/healthy").statusCode(), "a path run does not serve");
        }
    }

    private static HttpResponse<String> get(final HttpClient client, final int port, final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** Every httpGet path in the DaemonSet's file. */
    private static List<String> probePaths() throws Exception
    {
        final Path yaml = Path.of("").toAbsolutePath().getParent().resolve("deploy/kubernetes/daemonset.yaml");
        final List<String> paths = new ArrayList<>();
        for (final Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(yaml, StandardCharsets.UTF_8)))
        {
            collect(doc, paths);
        }
        return paths;
    }

    private static void collect(final Object node, final List<String> paths)
    {
        if (node instanceof Map<?, ?> map)
        {
            if (map.get("httpGet") instanceof Map<?, ?> get)
            {
                paths.add((String)get.get("path"));
            }
            map.values().forEach(v -> collect(v, paths));
        }
        else if (node instanceof List<?> list)
        {
            list.forEach(v -> collect(v, paths));
        }
    }
}
