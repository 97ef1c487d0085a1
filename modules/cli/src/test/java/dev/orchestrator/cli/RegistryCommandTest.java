package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code orchestrator registry} through {@link Main} against a fake server. */
class RegistryCommandTest {
    private static final String SECRET = "Pelican-Ukulele-5521";
    private static final String VIEW = """
            {"host":"127.0.0.1:5000","username":"ci","updated_at":"2026-11-27T12:00:00Z"}""";

    private FakeServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Cli.Result withStdin(String stdin, String... argv) {
        return Cli.run(Map.of("ORCHESTRATOR_URL", server.url(), "ORCHESTRATOR_PASSWORD", "secret"), stdin, argv);
    }

    @Test
    void loginSendsTheFirstLineOfStandardInput() {
        server.json("PUT", "/api/registries/127.0.0.1:5000", 200, VIEW);
        Cli.Result r = withStdin(SECRET + "\r\nsecond line\n", "registry", "login", "127.0.0.1:5000", "--username",
                "ci", "--password-stdin");
        assertEquals(0, r.status(), r.err());
        assertEquals("Login Succeeded for 127.0.0.1:5000\n", r.out());
        FakeServer.Request request = server.requests().getFirst();
        assertEquals("PUT", request.method());
        assertEquals("/api/registries/127.0.0.1:5000", request.path());
        assertEquals("{\"username\":\"ci\",\"password\":\"" + SECRET + "\"}", request.body());
        assertEquals("application/json", request.contentType());
        assertTrue(request.authorization().startsWith("Basic "), "the server's password from the environment");
    }

    @Test
    void loginRefusesAPasswordOnTheCommandLine() {
        Cli.Result r = withStdin("", "registry", "login", "docker.io", "-u", "ci", "--password", SECRET);
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("error: registry login takes no --password"), r.err());
        assertFalse(r.err().contains(SECRET));
        assertEquals(List.of(), server.requests());
    }

    @Test
    void loginNeedsItsArguments() {
        assertUsage(withStdin(SECRET + "\n", "registry", "login", "docker.io", "--password-stdin"),
                "registry login needs --username USER");
        assertUsage(withStdin(SECRET + "\n", "registry", "login", "docker.io", "-u", "ci"),
                "registry login needs --password-stdin");
        assertUsage(withStdin("", "registry", "login", "docker.io", "-u", "ci", "--password-stdin"),
                "--password-stdin: standard input holds no password");
        assertUsage(withStdin("\n", "registry", "login", "docker.io", "-u", "ci", "--password-stdin"),
                "--password-stdin: standard input holds no password");
        assertUsage(withStdin(SECRET + "\n", "registry", "login", "-u", "ci", "--password-stdin"),
                "registry login takes one registry host");
        assertUsage(withStdin(SECRET + "\n", "registry", "login", "https://docker.io/", "-u", "ci",
                "--password-stdin"), "the registry host must be named as in image references");
        assertUsage(withStdin("", "registry"), "registry needs a subcommand");
        assertUsage(withStdin("", "registry", "push"), "unknown registry subcommand 'push'");
        assertEquals(List.of(), server.requests());
    }

    @Test
    void theServersRefusalIsItsMessage() {
        server.json("PUT", "/api/registries/docker.io", 400,
                "{\"error\":\"invalid_argument\",\"message\":\"username must be 1-255 characters\"}");
        Cli.Result r = withStdin(SECRET + "\n", "registry", "login", "docker.io", "-u", "ci", "--password-stdin");
        assertEquals(1, r.status());
        assertEquals("error: username must be 1-255 characters\n", r.err());
    }

    @Test
    void lsIsATable() {
        server.json("GET", "/api/registries", 200, "[" + VIEW + ",{\"host\":\"docker.io\",\"username\":\"bot\","
                + "\"updated_at\":\"2026-11-28T08:30:00Z\"}]");
        Cli.Result r = Cli.against(server, "registry", "ls");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                HOST            USERNAME  UPDATED
                127.0.0.1:5000  ci        2026-11-27 12:00:00
                docker.io       bot       2026-11-28 08:30:00
                """, r.out());
        Cli.Result json = Cli.against(server, "registry", "ls", "-o", "json");
        assertTrue(json.out().startsWith("[\n  {\n    \"host\": \"127.0.0.1:5000\""), json.out());
    }

    @Test
    void logoutRemoves() {
        server.answer("DELETE", "/api/registries/localhost:5000", 204, "application/json", "");
        Cli.Result r = Cli.against(server, "registry", "logout", "localhost:5000");
        assertEquals(0, r.status(), r.err());
        assertEquals("Removed login credentials for localhost:5000\n", r.out());
        assertEquals("DELETE", server.requests().getFirst().method());
    }

    @Test
    void logoutOfAnUnknownHostIsTheServersMessage() {
        server.json("DELETE", "/api/registries/docker.io", 404,
                "{\"error\":\"not_found\",\"message\":\"no credentials for registry docker.io\"}");
        Cli.Result r = Cli.against(server, "registry", "logout", "docker.io");
        assertEquals(1, r.status());
        assertEquals("error: no credentials for registry docker.io\n", r.err());
    }

    @Test
    void completionKnowsTheSubcommands() {
        var words = CompletionCommand.table(Main.commands(Env.system())).get("registry");
        assertEquals(List.of("login", "ls", "logout"), words.subcommands());
        assertTrue(words.options().containsAll(List.of("--username", "-u", "--password-stdin", "-o")),
                words.options().toString());
    }

    private static void assertUsage(Cli.Result r, String fragment) {
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(fragment), r.err());
        assertFalse(r.err().contains(SECRET), r.err());
    }
}
