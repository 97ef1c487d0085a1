package dev.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.cluster.JoinTokens;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.node.CaTrust;
import dev.orchestrator.node.HttpControlPlaneLink;
import dev.orchestrator.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes over the cluster's TLS, against a real server on loopback: an agent's link finds the
 * cluster listener, verifies the server by the CA its join token pins, joins for its own
 * credential and reports with it; a token pinning another CA sends nothing; the API's port
 * refuses node traffic; a node's credential speaks for that node only; {@code DELETE
 * /api/nodes/NAME} revokes it; a restarted agent needs no valid token.
 */
class ClusterTlsHttpTest {
    private static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString("admin:admin-password".getBytes());
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    @TempDir
    Path dir;
    private ControlPlane plane;
    private URI api;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        Path data = dir.resolve("data");
        try (Store store = Store.open(data)) {
            store.users().put("admin", dev.orchestrator.store.Passwords.hash("admin-password".toCharArray()));
        }
        var d = ServerOptions.defaults(data, dir.resolve("plugins"), 0);
        var o = new ServerOptions("127.0.0.1", 0, data, d.pluginsDir(), "local", "127.0.0.1", false, "127.0.0.1", 0, 0,
                Map.of(), d.nodeTimeout(), "spread", d.cpuOvercommit(), null, null, d.events(), null, null, 0);
        plane = ControlPlane.start(o, PluginManager.discover(null), new PrintStream(new ByteArrayOutputStream()),
                Limits.DEFAULT);
        api = URI.create("http://127.0.0.1:" + plane.port());
    }

    @AfterEach
    void stop() {
        if (plane != null) {
            plane.close();
        }
    }

    @Test
    void anAgentJoinsOverPinnedTlsAndReportsWithItsOwnCredential() throws Exception {
        String token = createToken();
        assertTrue(JoinTokens.pin(token).isPresent(), token);
        Path node = dir.resolve("n1");
        try (var link = HttpControlPlaneLink.joining(api, token, "n1", node, null)) {
            assertEquals("ready", link.report(heartbeat("n1")).status());
            assertTrue(link.watch("n1", 0, Duration.ZERO).index() > 0);
        }
        Path credential = node.resolve("cluster/credential");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credential)));
        assertTrue(Files.readString(credential).startsWith("orn1."));
        assertEquals(Files.readString(dir.resolve("data/cluster-ca/ca.crt")), Files.readString(node.resolve("cluster/ca.crt")));
        String events = get("/api/events");
        assertTrue(events.contains("Node n1 joined with join token"), events);
        assertFalse(events.contains(Files.readString(credential).strip()), "the credential is in no event");

        HttpResponse<String> where = http.send(HttpRequest.newBuilder(api.resolve(Protocol.CLUSTER_PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("{\"cluster_port\":" + plane.clusterPort() + "}", where.body());
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(api.resolve(Protocol.HEARTBEAT_PATH + "?node=n1"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, plain.statusCode(), plain.body());
        assertTrue(plain.body().contains("nodes reach this server over TLS on port " + plane.clusterPort()), plain.body());
    }

    @Test
    void aTokenPinningAnotherCaSendsNothingToTheServer() throws Exception {
        String token = createToken();
        String forged = token.replace(JoinTokens.pin(token).orElseThrow(), "A".repeat(43));
        Path node = dir.resolve("n1");
        try (var link = HttpControlPlaneLink.joining(api, forged, "n1", node, null)) {
            var e = assertThrows(OrchestratorException.class, () -> link.report(heartbeat("n1")));
            assertEquals(ErrorCode.UNAUTHENTICATED, e.code());
            assertTrue(e.getMessage().contains("not certified by the cluster CA the join token pins"), e.getMessage());
        }
        assertFalse(Files.exists(node.resolve("cluster/credential")));
        assertFalse(get("/api/events").contains("joined"), "the server saw no join");
    }

    @Test
    void aNodesCredentialSpeaksForItOnlyAndNodeRmRevokesIt() throws Exception {
        String token = createToken();
        Path node = dir.resolve("n1");
        try (var link = HttpControlPlaneLink.joining(api, token, "n1", node, null)) {
            assertEquals("ready", link.report(heartbeat("n1")).status());

            String credential = Files.readString(node.resolve("cluster/credential")).strip();
            var tls = HttpClient.newBuilder().sslContext(CaTrust.context(node.resolve("cluster/ca.crt"), "ca")).build();
            HttpResponse<String> other = tls.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                            + plane.clusterPort() + Protocol.HEARTBEAT_PATH + "?node=n1"))
                    .header("Authorization", "Bearer " + credential)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Protocol.write(heartbeat("n2")))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, other.statusCode(), other.body());
            assertFalse(get("/api/nodes").contains("\"n2\""));

            assertEquals(409, delete("/api/nodes/n1").statusCode(), "a ready node needs force");
            assertEquals(200, delete("/api/nodes/n1?force=true").statusCode());
            assertEquals(404, delete("/api/nodes/n1").statusCode());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            OrchestratorException refused = null;
            while (refused == null && System.nanoTime() < deadline) {
                try {
                    link.report(heartbeat("n1"));
                    Thread.sleep(200);
                } catch (OrchestratorException e) {
                    refused = e;
                }
            }
            assertTrue(refused != null && refused.code() == ErrorCode.UNAUTHENTICATED, "refused at the next report");
            assertTrue(refused.getMessage().contains("node rm"), refused.getMessage());
            assertTrue(get("/api/events").contains("Node n1 removed; its credential is revoked"));
        }
    }

    @Test
    void aRestartedAgentUsesItsSavedCredentialEvenAfterItsTokenIsRevoked() throws Exception {
        String token = createToken();
        Path node = dir.resolve("n1");
        try (var link = HttpControlPlaneLink.joining(api, token, "n1", node, null)) {
            assertEquals("ready", link.report(heartbeat("n1")).status());
        }
        String credential = Files.readString(node.resolve("cluster/credential"));
        Matcher id = ID.matcher(get("/api/tokens"));
        assertTrue(id.find());
        assertEquals(204, delete("/api/tokens/" + id.group(1)).statusCode());
        try (var link = HttpControlPlaneLink.joining(api, token, "n1", node, null)) {
            assertEquals("ready", link.report(heartbeat("n1")).status());
        }
        assertEquals(credential, Files.readString(node.resolve("cluster/credential")), "no new join");
        // Another agent under the name of a node that reports cannot take its credential over.
        String other = createToken();
        try (var link = HttpControlPlaneLink.joining(api, other, "n1", dir.resolve("n1-again"), null)) {
            var e = assertThrows(OrchestratorException.class, () -> link.report(heartbeat("n1")));
            assertEquals(ErrorCode.CONFLICT, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("node name 'n1' is in use"), e.getMessage());
        }
        assertEquals(credential, Files.readString(node.resolve("cluster/credential")));
        // Without a saved credential the revoked token is refused.
        try (var link = HttpControlPlaneLink.joining(api, token, "n9", dir.resolve("n9"), null)) {
            var e = assertThrows(OrchestratorException.class, () -> link.report(heartbeat("n9")));
            assertEquals(ErrorCode.UNAUTHENTICATED, e.code(), e.getMessage());
        }
        assertNotEquals(-1, plane.clusterPort());
    }

    private String createToken() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("/api/tokens")).header("Authorization", ADMIN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        Matcher m = TOKEN.matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1);
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(api.resolve(path)).header("Authorization", ADMIN).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(api.resolve(path)).header("Authorization", ADMIN).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Protocol.Heartbeat heartbeat(String node) {
        return new Protocol.Heartbeat(node, "id-" + node, "127.0.0.1", null, Map.of(), 2, 1L << 30, "test",
                List.of(), List.of(), List.of(), new Protocol.Usage(0, 0, 1L << 30));
    }
}
