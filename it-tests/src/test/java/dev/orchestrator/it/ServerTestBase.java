package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * A fresh server of the built image per test (own data directory, node {@code node-1}), a
 * REST client logged in as admin, and the tests' own Docker client. After each test every
 * service is deleted and the test waits until its containers are gone.
 */
abstract class ServerTestBase {
    static final String PASSWORD = "it-password";
    final DockerClient docker = DockerClientFactory.instance().client();

    @TempDir
    Path work;
    ServerProcess server;
    Api api;

    /** Containers of node-1 that were there before this test's server: not this test's. */
    private final Set<String> before = new HashSet<>();

    @BeforeEach
    void startServer() throws IOException {
        nodeContainers().forEach(c -> before.add(c.getId()));
        server = ServerProcess.start(work.resolve("data"), PASSWORD);
        api = new Api(server.url(), "admin", PASSWORD);
    }

    @AfterEach
    void removeServicesAndStop() {
        try {
            var names = new java.util.ArrayList<String>();
            for (JsonNode s : api.get("/api/services").json()) {
                names.add(s.get("name").asText());
                api.delete("/api/services/" + s.get("name").asText());
            }
            await(() -> api.get("/api/nodes").json().get(0).get("containers").asInt() == 0
                    && names.stream().allMatch(n -> containers(n).isEmpty()), Duration.ofSeconds(60),
                    "containers of " + names + " removed");
        } finally {
            server.close();
            // A pass that read the service before its deletion may still create a replacement
            // as the server stops; the next test's cluster would not own it, so it goes here.
            nodeContainers().stream().filter(c -> !before.contains(c.getId()))
                    .forEach(c -> removeQuietly(c.getId()));
        }
    }

    private void removeQuietly(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException e) {
            // gone meanwhile
        }
    }

    private List<Container> nodeContainers() {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("dev.orchestrator.node", "node-1"))
                .exec();
    }

    JsonNode awaitService(String name, Predicate<JsonNode> condition, String what) {
        return await(() -> api.get("/api/services/" + name).json(), condition, Duration.ofSeconds(45), what);
    }

    static JsonNode container(JsonNode svc, String name) {
        return StreamSupport.stream(svc.get("containers").spliterator(), false)
                .filter(c -> c.get("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + svc));
    }

    List<String> messages(String service, Instant since) {
        return StreamSupport.stream(api.get("/api/events?service=" + service + "&since=" + since).json().spliterator(),
                false).map(e -> e.get("message").asText()).toList();
    }

    /** This test's containers of a service on node-1, in any state (not those earlier runs left). */
    List<Container> containers(String service) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("dev.orchestrator.node", "node-1",
                "dev.orchestrator.service", service)).exec().stream().filter(c -> !before.contains(c.getId())).toList();
    }
}
