package dev.orchestrator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loopback registry fixture itself, with the real docker CLI: a pushed image is not local
 * until pulled, an open registry serves anyone, one behind basic auth refuses a pull without
 * credentials (with Docker's own words) and serves one with them, and the push leaves root's
 * docker configuration as it was.
 */
class LoopbackRegistryIT {
    private static final Duration PULL = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    /** References this test pulled, removed after it. */
    private final List<String> pulled = new ArrayList<>();

    @AfterEach
    void removePulledImages() {
        for (String ref : pulled) {
            LoopbackRegistry.run(List.of("docker", "rmi", ref), null, PULL);
        }
    }

    @Test
    void anOpenRegistryServesAPushedImageThatIsNotLocalUntilPulled() throws Exception {
        int port;
        var registry = LoopbackRegistry.start(work.resolve("open"), null, null);
        try {
            assertEquals(200, status(registry, "/v2/"));
            String ref = registry.push("orchestrator-test/web:1", "web:1");
            assertEquals(registry.host() + "/web:1", ref);
            assertTrue(registry.hasManifest("web", "1", null, null));
            assertFalse(registry.hasManifest("web", "2", null, null), "no such tag");
            assertFalse(local(ref), "the pushed tag is gone: a use needs a pull");
            assertTrue(local("orchestrator-test/web:1"), "the original stays");

            pulled.add(ref);
            var pull = docker(work.resolve("fresh"), "pull", ref);
            assertEquals(0, pull.status(), pull.out());
            assertTrue(local(ref), "pulled");
            port = Integer.parseInt(registry.host().substring(registry.host().indexOf(':') + 1));
            registry.close();
            registry.close();
        } finally {
            registry.close();
        }
        assertThrows(ConnectException.class, () -> HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding()), "closed: nothing listens");
    }

    @Test
    void aRegistryBehindBasicAuthRefusesAPullWithoutCredentials() throws Exception {
        Path rootConfig = Path.of(System.getProperty("user.home"), ".docker", "config.json");
        String before = Files.exists(rootConfig) ? Files.readString(rootConfig) : null;
        try (var registry = LoopbackRegistry.start(work.resolve("auth"), "alice", "s3cret pass")) {
            assertEquals(401, status(registry, "/v2/"));
            String ref = registry.push("orchestrator-test/busybox:1", "team/busybox:1");
            assertEquals(before, Files.exists(rootConfig) ? Files.readString(rootConfig) : null,
                    "the push's login stays out of ~/.docker/config.json");
            assertFalse(local(ref));

            assertTrue(registry.hasManifest("team/busybox", "1", "alice", "s3cret pass"));
            assertFalse(registry.hasManifest("team/busybox", "1", "alice", "wrong"), "wrong password");
            assertFalse(registry.hasManifest("team/busybox", "1", null, null), "no credentials");

            pulled.add(ref);
            var refused = docker(work.resolve("anonymous"), "pull", ref);
            assertNotEquals(0, refused.status(), refused.out());
            // Docker 20.10, in full: Error response from daemon: Head
            // "http://127.0.0.1:PORT/v2/team/busybox/manifests/1": no basic auth credentials
            assertTrue(refused.out().contains("no basic auth credentials"), refused.out());
            assertFalse(local(ref), "nothing pulled");

            Path loggedIn = work.resolve("logged-in");
            var login = LoopbackRegistry.run(List.of("docker", "--config", loggedIn.toString(), "login", "--username",
                    "alice", "--password-stdin", registry.host()), "s3cret pass\n", PULL);
            assertEquals(0, login.status(), login.out());
            var pull = docker(loggedIn, "pull", ref);
            assertEquals(0, pull.status(), pull.out());
            assertTrue(local(ref), "pulled with credentials");
        }
    }

    private static int status(LoopbackRegistry registry, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry.host() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The docker CLI with a configuration directory of its own (no credentials unless logged in there). */
    private static LoopbackRegistry.Run docker(Path config, String... args) {
        var cmd = new ArrayList<>(List.of("docker", "--config", config.toString()));
        cmd.addAll(List.of(args));
        return LoopbackRegistry.run(cmd, null, PULL);
    }

    private static boolean local(String ref) {
        return LoopbackRegistry.run(List.of("docker", "image", "inspect", "--format", "{{.Id}}", ref), null, PULL)
                .status() == 0;
    }
}
