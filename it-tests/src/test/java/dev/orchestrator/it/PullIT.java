package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Image pulls from a real registry on loopback (Debian's docker-registry), open and with basic
 * auth (htpasswd): the image is not on the node until the orchestrator pulls it.
 */
class PullIT extends ServerTestBase {
    private static final String LOCAL = "orchestrator-test/web:1";
    private final List<String> pulled = new ArrayList<>();
    private final List<LoopbackRegistry> registries = new ArrayList<>();

    @AfterEach
    void removePulledImages() {
        registries.forEach(LoopbackRegistry::close);
        for (String image : pulled) {
            try {
                docker.removeImageCmd(image).exec(); // the tag only: the test image stays
            } catch (NotFoundException e) {
                // never pulled
            }
        }
    }

    private String push(LoopbackRegistry registry, String name) {
        String ref = registry.push(LOCAL, name + ":" + Long.toHexString(System.nanoTime()));
        pulled.add(ref);
        assertFalse(imagePresent(ref), "pushed and untagged: only a pull brings it back");
        return ref;
    }

    private boolean imagePresent(String ref) {
        try {
            docker.inspectImageCmd(ref).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private String events(String service) {
        return api.get("/api/events?service=" + service + "&limit=1000").body();
    }

    @Test
    void anImageMissingOnTheNodeIsPulledFromTheRegistry() throws IOException {
        var registry = LoopbackRegistry.start(work.resolve("open-registry"), null, null);
        registries.add(registry);
        String ref = push(registry, "web");

        var deployed = api.post("/api/deploy", """
                {"name": "pulled", "image": "%s", "replicas": 2}""".formatted(ref));
        assertEquals(201, deployed.status(), deployed.body());

        awaitService("pulled", s -> s.get("running").asInt() == 2, "2/2 running from the pulled image");
        assertTrue(imagePresent(ref));
        String events = events("pulled");
        assertTrue(events.contains("Pulling image " + ref + " on node-1"), events);
        assertTrue(events.contains("Pulled image " + ref + " on node-1 ("), events);
        assertEquals(1, events.split("Pulled image ", -1).length - 1, "one pull for both replicas: " + events);
    }

    @Test
    void aPrivateImageIsPendingAsUnauthorizedUntilTheClusterLogsIn() throws IOException {
        String password = "pw-" + Long.toHexString(System.nanoTime()) + "-secret";
        var registry = LoopbackRegistry.start(work.resolve("auth-registry"), "ci", password);
        registries.add(registry);
        String ref = push(registry, "team/app");

        assertEquals(201, api.post("/api/deploy", """
                {"name": "private", "image": "%s", "replicas": 1}""".formatted(ref)).status());
        JsonNode pending = awaitService("private", s -> s.get("containers").size() == 1
                && s.get("containers").get(0).path("message").asText().startsWith("pull failed: unauthorized"),
                "an explained pending replica");
        assertEquals("pending", pending.get("containers").get(0).get("status").asText(), pending.toString());
        assertEquals(0, pending.get("running").asInt());

        var login = api.send("PUT", "/api/registries/" + registry.host(), "application/json", """
                {"username": "ci", "password": "%s"}""".formatted(password).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, login.status(), login.body());
        // The credentials reach the node at once and its backoff is forgotten: no 5-minute wait.
        awaitService("private", s -> s.get("running").asInt() == 1, "1/1 running once the cluster has credentials");

        String events = events("private");
        assertTrue(events.contains("Pulling image " + ref + " on node-1 as ci"), events);
        assertTrue(events.contains("failed on node-1: unauthorized"), events);
        for (String body : List.of(login.body(), api.get("/api/registries").body(), events(""),
                api.get("/api/services/private").body(), api.get("/api/services").body())) {
            assertFalse(body.contains(password), "no answer shows the password: " + body);
        }
        assertTrue(api.get("/api/registries").body().contains("\"username\":\"ci\""));
        assertNoFileHolds(work.resolve("data"), password);
    }

    /** Every byte of the server's and its node's data directories: SQLite, WAL, logs, key. */
    private static void assertNoFileHolds(Path dir, String secret) throws IOException {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                assertFalse(indexOf(bytes, needle) >= 0, f + " holds the password");
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
