package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            assertEquals("api-server", api.getArray("/api/services").get(0).get("name").asText());
        }
        FakeServer.Request r = server.requests().getFirst();
        assertEquals("GET", r.method());
        assertEquals(basic("admin:s3cret:pw"), r.authorization());
    }

    @Test
    void postSendsJsonAndReturnsTheStatus() {
        server.json("POST", "/api/deploy", 201, "{\"name\":\"a\",\"revision\":1}");
        try (ApiClient api = client()) {
            ApiClient.Response r = api.post("/api/deploy", FormatTest.json("{\"name\":\"a\"}"));
            assertEquals(201, r.status());
            assertEquals(1, r.body().get("revision").asInt());
        }
        assertEquals("application/json", server.requests().getFirst().contentType());
        assertEquals("{\"name\":\"a\"}", server.requests().getFirst().body());
    }

    @Test
    void unauthorizedNamesTheUserNeverThePassword() {
        server.json("GET", "/api/services", 401, "{\"error\":\"unauthenticated\",\"message\":\"bad credentials\"}");
        try (ApiClient api = client()) {
            ApiException e = assertThrows(ApiException.class, () -> api.getArray("/api/services"));
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
                    assertThrows(ApiException.class, () -> api.getObject("/api/services/nope")).getMessage());
            assertEquals("host port 8080/tcp is taken by web", assertThrows(ApiException.class,
                    () -> api.post("/api/deploy", FormatTest.json("{}"))).getMessage());
        }
    }

    @Test
    void nonJsonErrorsSayWhatAnsweredWhat() {
        server.answer("GET", "/api/nodes", 500, "text/html", "<html>\n<h1>Internal Server Error</h1>\n</html>");
        server.answer("GET", "/api/events", 404, "text/plain", "Not Found");
        server.answer("GET", "/api/services", 502, "text/plain", "");
        try (ApiClient api = client()) {
            assertEquals("the server at " + server.url() + " answered HTTP 500 to GET /api/nodes: <html>",
                    assertThrows(ApiException.class, () -> api.getArray("/api/nodes")).getMessage());
            assertEquals("the server at " + server.url() + " answered HTTP 404 to GET /api/events:"
                    + " is it an orchestrator server?",
                    assertThrows(ApiException.class, () -> api.getArray("/api/events?limit=3")).getMessage());
            assertEquals("the server at " + server.url() + " answered HTTP 502 to GET /api/services with an empty body",
                    assertThrows(ApiException.class, () -> api.getArray("/api/services")).getMessage());
        }
    }

    @Test
    void okButNotTheJsonExpected() {
        server.answer("GET", "/api/services", 200, "text/html", "<html>hello</html>");
        server.json("GET", "/api/nodes", 200, "{\"not\":\"an array\"}");
        try (ApiClient api = client()) {
            assertTrue(assertThrows(ApiException.class, () -> api.getArray("/api/services")).getMessage()
                    .contains("answered GET /api/services with something else than JSON"));
            assertTrue(assertThrows(ApiException.class, () -> api.getArray("/api/nodes")).getMessage()
                    .contains("with something else than a JSON array"));
        }
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (ApiClient api = client(Map.of(), "", "--url", "http://127.0.0.1:" + port)) {
            assertEquals("cannot reach the orchestrator server at http://127.0.0.1:" + port + ": connection refused",
                    assertThrows(ApiException.class, () -> api.getArray("/api/services")).getMessage());
        }
    }

    @Test
    void environmentGivesDefaults() {
        server.json("GET", "/api/nodes", 200, "[]");
        try (ApiClient api = client(Map.of("ORCHESTRATOR_URL", server.url() + "/", "ORCHESTRATOR_USER", "ops",
                "ORCHESTRATOR_PASSWORD", "pw"), "")) {
            assertEquals(server.url(), api.base().toString());
            api.getArray("/api/nodes");
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
            api.getArray("/api/nodes");
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
            api.getArray("/api/nodes");
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
