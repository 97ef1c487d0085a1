package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code orchestrator user} through {@link Main} against a fake server. */
class UserCommandTest {
    private static final String SECRET = "Axolotl-Bassoon-3310";
    private static final String VERA = """
            {"name":"vera","role":"viewer","created_at":"2026-12-03T12:05:00Z","updated_at":"2026-12-03T12:06:00Z"}""";

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
    void addSendsTheNewPasswordFromStandardInput() {
        server.json("POST", "/api/users", 201, VERA);
        Cli.Result r = withStdin(SECRET + "\n", "user", "add", "vera", "--role", "viewer", "--password-stdin");
        assertEquals(0, r.status(), r.err());
        assertEquals("User vera added (role viewer)\n", r.out());
        FakeServer.Request request = server.requests().getFirst();
        assertEquals("{\"name\":\"vera\",\"password\":\"" + SECRET + "\",\"role\":\"viewer\"}", request.body());
        assertTrue(request.authorization().startsWith("Basic "), "the caller's password from the environment");
    }

    @Test
    void passwdRoleAndRm() {
        server.answer("PUT", "/api/users/vera/password", 204, "application/json", "");
        assertEquals("Password of user vera changed\n",
                withStdin(SECRET + "\n", "user", "passwd", "vera", "--password-stdin").out());
        assertEquals("{\"password\":\"" + SECRET + "\"}", server.requests().getLast().body());

        server.json("PUT", "/api/users/vera/role", 200, VERA.replace("viewer", "operator"));
        assertEquals("User vera is now operator\n", Cli.against(server, "user", "role", "vera", "operator").out());
        assertEquals("{\"role\":\"operator\"}", server.requests().getLast().body());

        server.answer("DELETE", "/api/users/vera", 204, "application/json", "");
        assertEquals("User vera removed\n", Cli.against(server, "user", "rm", "vera").out());
    }

    @Test
    void lsIsATableWithoutPasswords() {
        server.json("GET", "/api/users", 200, "[{\"name\":\"admin\",\"role\":\"admin\","
                + "\"created_at\":\"2026-12-03T12:00:00Z\",\"updated_at\":\"2026-12-03T12:00:00Z\"}," + VERA + "]");
        Cli.Result r = Cli.against(server, "user", "ls");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                NAME   ROLE    CREATED              UPDATED
                admin  admin   2026-12-03 12:00:00  2026-12-03 12:00:00
                vera   viewer  2026-12-03 12:05:00  2026-12-03 12:06:00
                """, r.out());
        assertTrue(Cli.against(server, "user", "ls", "-o", "json").out().startsWith("[\n  {\n    \"name\": \"admin\""));
    }

    @Test
    void badArgumentsSendNothing() {
        Cli.Result pw = withStdin("", "user", "add", "vera", "--role", "viewer", "--password", SECRET);
        assertEquals(2, pw.status());
        assertTrue(pw.err().startsWith("error: user add takes no --password"), pw.err());
        assertFalse(pw.err().contains(SECRET));
        assertUsage(withStdin(SECRET + "\n", "user", "add", "vera", "--password-stdin"), "user add needs --role ROLE");
        assertUsage(withStdin(SECRET + "\n", "user", "add", "vera", "--role", "root", "--password-stdin"),
                "a role is admin, operator or viewer, got 'root'");
        assertUsage(withStdin("\n", "user", "add", "vera", "--role", "viewer", "--password-stdin"),
                "--password-stdin: standard input holds no password");
        assertUsage(withStdin(SECRET + "\n", "user", "add", "../admin", "--role", "viewer", "--password-stdin"),
                "a user name is 1-253 letters");
        assertUsage(withStdin("", "user", "add", "vera", "--role", "viewer"), "pipe it to --password-stdin");
        assertUsage(withStdin("", "user", "role", "vera"), "user role takes a user name and a role");
        assertUsage(withStdin("", "user", "rm", "vera", "--role", "viewer"), "user rm takes no --role");
        assertUsage(withStdin("", "user"), "user needs a subcommand");
        assertUsage(withStdin("", "user", "delete", "vera"), "unknown user subcommand 'delete'");
        assertEquals(List.of(), server.requests());
    }

    @Test
    void theServersRefusalIsItsMessage() {
        server.json("DELETE", "/api/users/admin", 409,
                "{\"error\":\"conflict\",\"message\":\"cannot remove user 'admin': it is the last admin\"}");
        Cli.Result r = Cli.against(server, "user", "rm", "admin");
        assertEquals(1, r.status());
        assertEquals("error: cannot remove user 'admin': it is the last admin\n", r.err());
    }

    private static void assertUsage(Cli.Result r, String fragment) {
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(fragment), r.err());
    }
}
