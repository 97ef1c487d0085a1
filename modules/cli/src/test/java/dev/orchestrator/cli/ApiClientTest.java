package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.wire.ScaleRequest;
import dev.orchestrator.wire.Views;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's HTTP and error handling, against a fake server with canned answers. */
class ApiClientTest {
    private FakeServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ApiClient client(Map<String, String> vars, String stdin, String... argv) {
        Args args = ClientCommand.parse(List.of(argv), Set.of(), Set.of());
        return ApiClient.connect(args, new Env(vars, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                Cli.CLOCK));
    }

    private ApiClient client() {
        return client(Map.of(), "", "--url", server.url(), "--password", "s3cret:pw");
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void okJsonWithBasicAuth() {
        server.json("GET", "/api/services", 200, "[{\"name\":\"api-server\"}]");
        try (ApiClient api = client()) {
            assertEquals("api-server", api.getList("/api/services", Views.Service.class).value().getFirst().name());
        }
        FakeServer.Request r = server.requests().getFirst();
        assertEquals("GET", r.method());
        assertEquals(basic("admin:s3cret:pw"), r.authorization());
    }

    @Test
    void postSendsJsonAndReturnsTheStatus() {
        server.json("POST", "/api/deploy", 201, "{\"name\":\"a\",\"revision\":1,\"later\":{\"x\":[1]}}");
        try (ApiClient api = client()) {
            var r = api.post("/api/deploy", new ScaleRequest(2), Views.Service.class);
            assertEquals(201, r.status());
            assertEquals(1, r.value().revision(), "a field this CLI does not know is no reason to fail");
            assertEquals("{\"name\":\"a\",\"revision\":1,\"later\":{\"x\":[1]}}", r.json(), "as sent");
        }
        assertEquals("application/json", server.requests().getFirst().contentType());
        assertEquals("{\"replicas\":2}", server.requests().getFirst().body());
    }

    @Test
    void unauthorizedNamesTheUserNeverThePassword() {
        server.json("GET", "/api/services", 401, "{\"error\":\"unauthenticated\",\"message\":\"bad credentials\"}");
        try (ApiClient api = client()) {
            ApiException e = assertThrows(ApiException.class, () -> api.getList("/api/services", Views.Service.class));
            assertEquals("authentication failed for user 'admin' at " + server.url()
                    + ": set ORCHESTRATOR_PASSWORD or --password", e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"));
        }
    }

    @Test
    void jsonErrorsPrintTheirMessage() {
        server.json("GET", "/api/services/nope", 404, "{\"error\":\"not_found\",\"message\":\"no service 'nope'\"}");
        server.json("POST", "/api/deploy", 409, "{\"error\":\"conflict\",\"message\":\"host port 8080/tcp is taken\\nby web\"}");
        try (ApiClient api = client()) {
            assertEquals("no service 'nope'",
                    assertThrows(ApiException.class, () -> api.get("/api/services/nope", Views.Service.class))
                            .getMessage());
            assertEquals("host port 8080/tcp is taken by web", assertThrows(ApiException.class,
                    () -> api.post("/api/deploy", new ScaleRequest(1), Views.Service.class)).getMessage());
        }
    }

    @Test
    void nonJsonErrorsSayWhatAnsweredWhat() {
        server.answer("GET", "/api/nodes", 500, "text/html", "<html>\n<h1>Internal Server Error</h1>\n</html>");
        server.answer("GET", "/api/events", 404, "text/plain", "Not Found");
        server.answer("GET", "/api/services", 502, "text/plain", "");
        try (ApiClient api = client()) {
            assertEquals("the server at " + server.url() + " answered HTTP 500 to GET /api/nodes: <html>",
                    assertThrows(ApiException.class, () -> api.getList("/api/nodes", Views.Node.class)).getMessage());
            assertEquals("the server at " + server.url() + " answered HTTP 404 to GET /api/events:"
                    + " is it an orchestrator server?",
                    assertThrows(ApiException.class, () -> api.getList("/api/events?limit=3", Views.Event.class))
                            .getMessage());
            assertEquals("the server at " + server.url() + " answered HTTP 502 to GET /api/services with an empty body",
                    assertThrows(ApiException.class, () -> api.getList("/api/services", Views.Service.class))
                            .getMessage());
        }
    }

    @Test
    void okButNotTheJsonExpected() {
        server.answer("GET", "/api/services", 200, "text/html", "<html>hello</html>");
        server.json("GET", "/api/nodes", 200, "{\"not\":\"an array\"}");
        server.json("GET", "/api/tokens", 200, "[{\"id\":7}]");
        server.json("GET", "/api/version", 200, "[]");
        try (ApiClient api = client()) {
            assertTrue(message(() -> api.getList("/api/services", Views.Service.class))
                    .contains("answered GET /api/services with something else than JSON"));
            assertTrue(message(() -> api.getList("/api/nodes", Views.Node.class))
                    .contains("with something else than a JSON array"));
            assertTrue(message(() -> api.getList("/api/tokens", Views.Token.class))
                    .contains("with something else than the Token JSON expected"));
            assertTrue(message(() -> api.get("/api/version", Views.Node.class))
                    .contains("with something else than a JSON object"));
        }
    }

    private static String message(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(ApiException.class, call).getMessage();
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (ApiClient api = client(Map.of(), "", "--url", "http://127.0.0.1:" + port)) {
            assertEquals("cannot reach the orchestrator server at http://127.0.0.1:" + port + ": connection refused",
                    assertThrows(ApiException.class, () -> api.getList("/api/services", Views.Service.class)).getMessage());
        }
    }

    @Test
    void environmentGivesDefaults() {
        server.json("GET", "/api/nodes", 200, "[]");
        try (ApiClient api = client(Map.of("ORCHESTRATOR_URL", server.url() + "/", "ORCHESTRATOR_USER", "ops",
                "ORCHESTRATOR_PASSWORD", "pw"), "")) {
            assertEquals(server.url(), api.base().toString());
            api.getList("/api/nodes", Views.Node.class);
        }
        assertEquals(basic("ops:pw"), server.requests().getFirst().authorization());
        assertEquals("/api/nodes", server.requests().getFirst().path());
    }

    @Test
    void optionsWinOverTheEnvironment() {
        try (ApiClient api = client(Map.of("ORCHESTRATOR_URL", "http://elsewhere:1"), "", "--url", server.url())) {
            assertEquals(server.url(), api.base().toString());
        }
        try (ApiClient api = client(Map.of(), "")) {
            assertEquals("http://localhost:8080", api.base().toString());
        }
    }

    @Test
    void passwordFromStandardInput() {
        server.json("GET", "/api/nodes", 200, "[]");
        try (ApiClient api = client(Map.of("ORCHESTRATOR_PASSWORD", "ignored"), "from stdin\r\nnext line\n",
                "--url", server.url(), "--password-stdin")) {
            api.getList("/api/nodes", Views.Node.class);
        }
        assertEquals(basic("admin:from stdin"), server.requests().getFirst().authorization());
        assertEquals("--password-stdin: standard input is empty", assertThrows(CliException.class,
                () -> client(Map.of(), "", "--password-stdin")).getMessage());
        assertEquals("--password and --password-stdin exclude each other", assertThrows(CliException.class,
                () -> client(Map.of(), "pw\n", "--password", "x", "--password-stdin")).getMessage());
    }

    @Test
    void noPasswordSendsNoCredentials() {
        server.json("GET", "/api/nodes", 200, "[]");
        try (ApiClient api = client(Map.of(), "", "--url", server.url())) {
            api.getList("/api/nodes", Views.Node.class);
        }
        assertNull(server.requests().getFirst().authorization());
    }

    @Test
    void badUrlsAreUsageErrors() {
        assertEquals("--url must be an http:// or https:// URL such as http://localhost:8080, got 'localhost:8080'",
                assertThrows(CliException.class, () -> client(Map.of(), "", "--url", "localhost:8080")).getMessage());
        assertEquals("ORCHESTRATOR_URL must be an http:// or https:// URL such as http://localhost:8080, got 'ftp://x'",
                assertThrows(CliException.class, () -> client(Map.of("ORCHESTRATOR_URL", "ftp://x"), "")).getMessage());
        String m = assertThrows(CliException.class,
                () -> client(Map.of(), "", "--url", "http://admin:hunter2@host:8080")).getMessage();
        assertEquals("--url must not contain credentials: use --user and --password", m);
    }
}
