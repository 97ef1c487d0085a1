package dev.orchestrator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Users and roles through bin/orchestrator against a real server: what each role may do. */
class UsersIT extends ServerTestBase {
    private static final String VERA = "vera-password-1";
    private static final String OTTO = "otto-password-1";

    private Map<String, String> as(String user, String password) {
        return Map.of("ORCHESTRATOR_URL", server.url(), "ORCHESTRATOR_USER", user, "ORCHESTRATOR_PASSWORD", password);
    }

    private static Image.Run ok(Image.Run r, String what) {
        assertEquals(0, r.status(), what + " -> " + r.err() + r.out());
        return r;
    }

    private static void refused(Image.Run r, String what, String fragment) {
        assertEquals(1, r.status(), what + " -> " + r.err() + r.out());
        assertTrue(r.err().contains(fragment), what + " -> " + r.err());
    }

    @Test
    void eachRoleMayDoWhatItsRoleAllowsThroughTheCli() {
        Map<String, String> admin = as("admin", PASSWORD);
        assertTrue(ok(Image.runWithStdin(admin, VERA + "\n", "user", "add", "vera", "--role", "viewer",
                "--password-stdin"), "add vera").out().contains("User vera added (role viewer)"));
        ok(Image.runWithStdin(admin, OTTO + "\n", "user", "add", "otto", "--role", "operator", "--password-stdin"),
                "add otto");
        String ls = ok(Image.run(admin, "user", "ls"), "user ls").out();
        assertTrue(Pattern.compile("(?m)^vera\\s+viewer\\s").matcher(ls).find(), ls);
        assertTrue(Pattern.compile("(?m)^otto\\s+operator\\s").matcher(ls).find(), ls);

        Map<String, String> vera = as("vera", VERA);
        ok(Image.run(vera, "ps"), "ps as a viewer");
        ok(Image.run(vera, "nodes"), "nodes as a viewer");
        refused(Image.run(vera, "deploy", "--name", "users-web", "--image", "orchestrator-test/web:1"),
                "deploy as a viewer", "user 'vera' (viewer) may not POST /api/deploy: it needs the operator role");
        refused(Image.run(vera, "user", "ls"), "user ls as a viewer", "needs the admin role");

        Map<String, String> otto = as("otto", OTTO);
        ok(Image.run(otto, "deploy", "--name", "users-web", "--image", "orchestrator-test/web:1"),
                "deploy as an operator");
        ok(Image.run(otto, "scale", "users-web", "--replicas", "2"), "scale as an operator");
        refused(Image.run(otto, "token"), "a join token as an operator", "needs the admin role");
        refused(Image.runWithStdin(otto, "x-password-1\n", "user", "add", "eve", "--role", "admin",
                "--password-stdin"), "add a user as an operator", "needs the admin role");

        // A user's own password: the old one stops working at once.
        ok(Image.runWithStdin(vera, "vera-password-2\n", "user", "passwd", "vera", "--password-stdin"), "own passwd");
        refused(Image.run(vera, "ps"), "the old password", "authentication failed for user 'vera'");
        ok(Image.run(as("vera", "vera-password-2"), "ps"), "the new password");

        ok(Image.run(admin, "user", "role", "vera", "operator"), "promote vera");
        ok(Image.run(as("vera", "vera-password-2"), "scale", "users-web", "--replicas", "1"), "scale as promoted");
        ok(Image.run(admin, "user", "rm", "vera"), "remove vera");
        refused(Image.run(as("vera", "vera-password-2"), "ps"), "a removed user",
                "authentication failed for user 'vera'");
        refused(Image.run(admin, "user", "rm", "admin"), "remove the last admin", "it is the last admin");
        String events = ok(Image.run(admin, "events"), "events").out();
        assertTrue(events.contains("User vera added (role viewer)") && events.contains("User vera removed"), events);
        assertTrue(!events.contains(VERA) && !events.contains(OTTO), "no password in events");
    }

    @Test
    void theAdminPasswordComesFromTheFileTheServerIsGiven() throws Exception {
        Path file = work.resolve("admin-password");
        Files.writeString(file, "from-a-file-1\n");
        Path data = work.resolve("data-file");
        try (ServerProcess s = ServerProcess.start(data, Map.of(), "--no-local-node", "--admin-password-file",
                file.toString())) {
            assertEquals(200, new Api(s.url(), "admin", "from-a-file-1").get("/api/services").status());
            assertEquals(401, new Api(s.url(), "admin", PASSWORD).get("/api/services").status());
        }
        Files.writeString(file, "from-a-file-2\n");
        try (ServerProcess s = ServerProcess.start(data, Map.of(), "--no-local-node", "--admin-password-file",
                file.toString())) {
            assertEquals(200, new Api(s.url(), "admin", "from-a-file-2").get("/api/services").status(),
                    "a changed file resets the password at the next start");
            assertEquals(401, new Api(s.url(), "admin", "from-a-file-1").get("/api/services").status());
        }
    }
}
