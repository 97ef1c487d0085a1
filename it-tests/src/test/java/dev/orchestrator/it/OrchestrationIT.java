package dev.orchestrator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The seed's session end to end, against the built image and the real Docker engine: deploy
 * with the seed's JSON, load-balanced published port, scale up and down, logs, a killed
 * replica restarted with its events, a server restart that adopts the same containers.
 */
class OrchestrationIT {
    private static final String PASSWORD = "it-secret-password";
    private static final String IMAGE = "orchestrator-test/web:1";
    private final DockerClient docker = DockerClientFactory.instance().client();

    @TempDir
    Path work;
    private ServerProcess server;
    private Api api;

    private void startServer() throws IOException {
        server = ServerProcess.start(work.resolve("data"), PASSWORD);
        api = new Api(server.url(), "admin", PASSWORD);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null && api != null) {
            for (JsonNode s : api.get("/api/services").json()) {
                api.delete("/api/services/" + s.get("name").asText());
            }
            await(() -> containers().isEmpty(), Duration.ofSeconds(30), "containers removed");
            server.close();
        }
    }

    @Test
    void seedSessionEndToEnd() throws Exception {
        startServer();
        int published = freePort();
        String seed = """
                {"name": "api-server", "image": "%s", "replicas": 3,
                 "ports": [{"container_port": 8080, "host_port": %d, "protocol": "tcp"}],
                 "resources": {"cpu_shares": 1024, "memory_mb": 512}}""".formatted(IMAGE, published);

        Api.Response created = api.post("/api/deploy", seed);
        assertEquals(201, created.status(), created.body());
        JsonNode svc = awaitService(s -> s.get("running").asInt() == 3, "3/3 running");
        assertEquals("running", svc.get("status").asText());
        assertEquals(3, svc.get("containers").size());
        for (JsonNode c : svc.get("containers")) {
            assertEquals("running", c.get("status").asText());
            assertEquals("node-1", c.get("node_id").asText());
            assertTrue(c.get("name").asText().matches("api-server-[0-2]"), c.toString());
        }
        assertLimitsApplied();

        Set<String> backends = new HashSet<>();
        for (int i = 0; i < 9; i++) {
            backends.add(httpGet(published, "/cgi-bin/hostname").strip());
        }
        assertEquals(3, backends.size(), "the published port spreads over all replicas: " + backends);

        assertEquals(200, api.post("/api/services/api-server/scale", "{\"replicas\": 5}").status());
        awaitService(s -> s.get("running").asInt() == 5, "5/5 running");
        assertEquals(5, containers().size());
        assertEquals(200, api.post("/api/services/api-server/scale", "{\"replicas\": 1}").status());
        awaitService(s -> s.get("running").asInt() == 1 && s.get("containers").size() == 1, "1/1 running");
        await(() -> containers().size() == 1, Duration.ofSeconds(30), "one container left");

        String logs = api.get("/api/services/api-server/logs?tail=50").body();
        assertTrue(logs.contains("api-server-0 | web: listening on 8080"), logs);

        assertEquals(200, api.post("/api/services/api-server/scale", "{\"replicas\": 3}").status());
        awaitService(s -> s.get("running").asInt() == 3, "3/3 running again");
        killedReplicaIsRestarted();
        restartedServerAdoptsTheSameContainers();
    }

    private void killedReplicaIsRestarted() {
        Container victim = containers().stream()
                .filter(c -> "2".equals(c.getLabels().get("dev.orchestrator.replica"))).findFirst().orElseThrow();
        Instant killedAt = Instant.now();
        docker.killContainerCmd(victim.getId()).exec();
        JsonNode svc = awaitService(s -> s.get("running").asInt() == 3
                && !victim.getId().startsWith(container(s, "api-server-2").get("id").asText()), "api-server-2 replaced");
        assertEquals(1, container(svc, "api-server-2").get("restarts").asInt());
        List<String> messages = await(() -> messages("api-server", killedAt),
                m -> m.contains("Container api-server-2 running"), Duration.ofSeconds(10), "restart events");
        assertTrue(messages.contains("Container api-server-2 exited with code 137"), messages.toString());
        assertTrue(messages.contains("Restarting api-server-2..."), messages.toString());
        assertTrue(messages.indexOf("Restarting api-server-2...")
                < messages.indexOf("Container api-server-2 running"), messages.toString());
    }

    private void restartedServerAdoptsTheSameContainers() throws Exception {
        Set<String> before = ids();
        assertEquals(143, server.stop(), "SIGTERM stops the server cleanly");
        assertEquals(before, ids(), "containers keep running while the server is down");
        startServer();
        awaitService(s -> s.get("running").asInt() == 3, "3/3 after restart");
        Thread.sleep(2000); // a full reconcile pass has run by now
        assertEquals(before, ids(), "same containers adopted: nothing restarted, duplicated or orphaned");
        JsonNode svc = api.get("/api/services/api-server").json();
        for (JsonNode c : svc.get("containers")) {
            assertTrue(before.stream().anyMatch(id -> id.startsWith(c.get("id").asText())), c.toString());
        }
    }

    private void assertLimitsApplied() {
        for (Container c : containers()) {
            var hc = docker.inspectContainerCmd(c.getId()).exec().getHostConfig();
            assertEquals(512L << 20, hc.getMemory());
            assertEquals(1024, hc.getCpuShares());
        }
    }

    private JsonNode awaitService(Predicate<JsonNode> condition, String what) {
        return await(() -> api.get("/api/services/api-server").json(), condition, Duration.ofSeconds(30), what);
    }

    private static JsonNode container(JsonNode svc, String name) {
        return StreamSupport.stream(svc.get("containers").spliterator(), false)
                .filter(c -> c.get("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + svc));
    }

    private List<String> messages(String service, Instant since) {
        return StreamSupport.stream(api.get("/api/events?service=" + service + "&since=" + since).json().spliterator(),
                false).map(e -> e.get("message").asText()).toList();
    }

    private List<Container> containers() {
        return docker.listContainersCmd().withLabelFilter(java.util.Map.of("dev.orchestrator.service", "api-server",
                "dev.orchestrator.node", "node-1")).exec();
    }

    private Set<String> ids() {
        var out = new HashSet<String>();
        containers().forEach(c -> out.add(c.getId()));
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String httpGet(int port, String path) throws Exception {
        var res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), res.body());
        return res.body();
    }

    static <T> T await(java.util.function.Supplier<T> probe, Predicate<T> condition, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        T last = null;
        while (Instant.now().isBefore(deadline)) {
            last = probe.get();
            if (condition.test(last)) {
                return last;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out waiting for " + what + "; last: " + last);
    }

    static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        await(condition::getAsBoolean, b -> b, timeout, what);
    }
}
