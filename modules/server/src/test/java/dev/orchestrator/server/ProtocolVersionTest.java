package dev.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.cluster.JoinTokens;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.node.HttpControlPlaneLink;
import dev.orchestrator.store.Store;
import io.helidon.webserver.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node protocol's version, both ways, over real HTTP: the server refuses an agent that
 * speaks none of its versions and the agent refuses such a server, each naming both sides'
 * versions; an agent of this release, or of one before the header (none sent), is served.
 */
class ProtocolVersionTest {
    @TempDir
    Path dir;
    private ControlPlane plane;
    private WebServer other;
    private String token;
    private final HttpClient http = HttpClient.newHttpClient();

    private URI start() {
        Path data = dir.resolve("data");
        try (Store store = Store.open(data)) {
            store.users().put("admin", dev.orchestrator.store.Passwords.hash("admin-password".toCharArray()));
            token = store.inTransaction(tx -> JoinTokens.issue(tx, Instant.now())).token();
        }
        var o = ServerOptions.defaults(data, dir.resolve("plugins"), 0);
        o = new ServerOptions("127.0.0.1", 0, data, o.pluginsDir(), "local", "127.0.0.1", false, "127.0.0.1", 0, 0,
                Map.of(), o.nodeTimeout(), "spread", o.cpuOvercommit(), null, null, o.events(), null);
        plane = ControlPlane.start(o, PluginManager.discover(null), new PrintStream(new ByteArrayOutputStream()),
                Limits.DEFAULT);
        return URI.create("http://127.0.0.1:" + plane.port());
    }

    @AfterEach
    void stop() {
        if (plane != null) {
            plane.close();
        }
        if (other != null) {
            other.stop();
        }
    }

    private static Protocol.Heartbeat heartbeat(String node) {
        return new Protocol.Heartbeat(node, "id-" + node, "127.0.0.1", null, Map.of(), 2, 1L << 30, "test",
                List.of(), List.of(), List.of(), new Protocol.Usage(0, 0, 1L << 30));
    }

    private HttpResponse<String> post(URI server, String node, String version) throws Exception {
        var b = HttpRequest.newBuilder(server.resolve(Protocol.HEARTBEAT_PATH + "?node=" + node))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Protocol.write(heartbeat(node))));
        if (version != null) {
            b.header(Protocol.VERSION_HEADER, version);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theServerRefusesAnAgentOfAnotherVersionNamingBoth() throws Exception {
        URI server = start();
        HttpResponse<String> r = post(server, "n2", "2");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("1", r.headers().firstValue(Protocol.VERSION_HEADER).orElseThrow());
        assertEquals("{\"error\":\"invalid_argument\",\"message\":\"the agent n2 speaks node protocol version 2;"
                + " this server speaks version 1: run the same release on both sides\"}", r.body());

        HttpResponse<String> watch = http.send(HttpRequest.newBuilder(server.resolve(Protocol.WATCH_PATH
                        + "?node=n2&index=0&wait=0s")).header("Authorization", "Bearer " + token)
                .header(Protocol.VERSION_HEADER, "3,4").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, watch.statusCode(), watch.body());
        assertTrue(watch.body().contains("speaks node protocol version 3, 4; this server speaks version 1"),
                watch.body());

        HttpResponse<String> garbage = post(server, "n3", "v1; DROP TABLE nodes -- and much more text");
        assertEquals(400, garbage.statusCode());
        assertTrue(garbage.body().contains("the agent n3 speaks node protocol an unreadable version"
                + " 'v1; DROP TABLE nodes'"), garbage.body());
        // None of them registered.
        HttpResponse<String> nodes = http.send(HttpRequest.newBuilder(server.resolve("/api/nodes"))
                .header("Authorization", RawHttp.basic("admin", "admin-password").replace("Authorization: ", "")
                        .strip()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, nodes.statusCode(), nodes.body());
        assertTrue(!nodes.body().contains("n2") && !nodes.body().contains("n3"), nodes.body());
    }

    @Test
    void agentsOfThisReleaseAndOfOlderOnesWithoutTheHeaderAreServed() throws Exception {
        URI server = start();
        try (var link = new HttpControlPlaneLink(server, token)) {
            assertEquals("ready", link.report(heartbeat("n1")).status());
            // An agent's first fetch asks for the view at once (wait 0): answered, not refused.
            assertTrue(link.watch("n1", 0, java.time.Duration.ZERO).index() > 0);
        }
        HttpResponse<String> old = post(server, "n0", null);
        assertEquals(200, old.statusCode(), old.body());
        HttpResponse<String> both = post(server, "n4", "1,2");
        assertEquals(200, both.statusCode(), both.body());
    }

    @Test
    void theAgentRefusesAServerOfAnotherVersionNamingBoth() {
        other = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.any((req, res) -> {
            res.header(Protocol.VERSION_HEADER, "2");
            res.status(400).send("{\"error\":\"invalid_argument\",\"message\":\"no\"}");
        })).build().start();
        URI server = URI.create("http://127.0.0.1:" + other.port());
        try (var link = new HttpControlPlaneLink(server, "orc1.000000000000." + "x".repeat(43))) {
            var e = assertThrows(OrchestratorException.class, () -> link.report(heartbeat("n1")));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertEquals("the server " + server + " speaks node protocol version 2; this agent speaks version 1:"
                    + " run the same release on both sides", e.getMessage());
            var w = assertThrows(OrchestratorException.class, () -> link.watch("n1", 0, Duration.ZERO));
            assertEquals(e.getMessage(), w.getMessage());
        }
    }
}
