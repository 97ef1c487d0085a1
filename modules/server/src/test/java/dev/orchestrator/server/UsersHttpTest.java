package dev.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Role;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.store.Passwords;
import dev.orchestrator.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users and roles over real HTTP on loopback, against a whole control plane (no node of its
 * own): what each role may do, the path tricks that must not lower what a route needs, a
 * user's own password, the last admin, changes that take effect on the next request, bad input
 * that changes nothing, and no password or hash in any answer.
 */
class UsersHttpTest {
    private static final String ADMIN = "admin-password";
    private static final String SECRET = "Quokka-Harpsichord-4471";

    @TempDir
    static Path dir;
    private static ControlPlane plane;
    private static final List<String> bodies = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path data = dir.resolve("data");
        try (Store store = Store.open(data)) {
            store.users().put("admin", Passwords.hash(ADMIN.toCharArray()));
            // A user as an earlier release hashed it: 210,000 iterations.
            store.users().create("legacy", legacyHash(SECRET), Role.VIEWER);
        }
        var o = ServerOptions.defaults(data, dir.resolve("plugins"), 0);
        o = new ServerOptions("127.0.0.1", 0, data, o.pluginsDir(), "local", "127.0.0.1", false, "127.0.0.1", 0, 0,
                Map.of(), o.nodeTimeout(), "spread", o.cpuOvercommit(), null, null, o.events(), null);
        plane = ControlPlane.start(o, PluginManager.discover(null), new PrintStream(new ByteArrayOutputStream()),
                null, Limits.DEFAULT);
        assertEquals(201, call("POST", "/api/users", "admin", ADMIN, user("vera", SECRET, "viewer")).status());
        assertEquals(201, call("POST", "/api/users", "admin", ADMIN, user("otto", SECRET, "operator")).status());
    }

    @AfterAll
    static void stop() {
        if (plane != null) {
            plane.close();
        }
        bodies.forEach(b -> assertFalse(b.contains(SECRET) || b.contains("pbkdf2"), "an answer holds a secret: " + b));
    }

    private static RawHttp.Response call(String method, String path, String login, String password, String body)
            throws IOException {
        try (var c = new RawHttp(plane.port())) {
            RawHttp.Response r = c.exchange(method, path, RawHttp.basic(login, password), body);
            bodies.add(r.body());
            return r;
        }
    }

    private static String user(String name, String password, String role) {
        return "{\"name\":\"" + name + "\",\"password\":\"" + password + "\",\"role\":\"" + role + "\"}";
    }

    private static void assertError(RawHttp.Response r, int status, String code, String fragment) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.body().startsWith("{\"error\":\"" + code + "\",\"message\":\""), r.body());
        assertTrue(r.body().contains(fragment), r.body());
    }

    private static String users() throws IOException {
        return call("GET", "/api/users", "admin", ADMIN, null).body();
    }

    @Test
    void aViewerReadsAndChangesNothing() throws IOException {
        assertEquals(200, call("GET", "/api/services", "vera", SECRET, null).status());
        assertEquals(200, call("GET", "/api/nodes", "vera", SECRET, null).status());
        assertEquals(200, call("GET", "/api/events", "vera", SECRET, null).status());
        assertError(call("POST", "/api/deploy", "vera", SECRET, "{\"name\":\"web\",\"image\":\"nginx\"}"), 403,
                "permission_denied", "user 'vera' (viewer) may not POST /api/deploy: it needs the operator role");
        assertError(call("DELETE", "/api/services/web", "vera", SECRET, null), 403, "permission_denied", "operator");
        assertError(call("GET", "/api/users", "vera", SECRET, null), 403, "permission_denied", "admin");
        assertError(call("GET", "/api/tokens", "vera", SECRET, null), 403, "permission_denied", "admin");
        assertEquals(404, call("GET", "/api/services/web", "vera", SECRET, null).status(), "nothing was deployed");
    }

    @Test
    void anOperatorRunsServicesButNotUsersTokensOrRegistries() throws IOException {
        assertError(call("POST", "/api/services/nothing/scale", "otto", SECRET, "{\"replicas\":2}"), 404,
                "not_found", "nothing");
        assertError(call("POST", "/api/tokens", "otto", SECRET, null), 403, "permission_denied", "admin");
        assertError(call("PUT", "/api/registries/127.0.0.1:5000", "otto", SECRET,
                "{\"username\":\"u\",\"password\":\"p\"}"), 403, "permission_denied", "admin");
        String before = users();
        for (String path : List.of("/api/users", "/api//users", "/api/./users", "/api/services/../users",
                "/api/users/", "/api/%75sers", "/api/USERS")) {
            int status = call("POST", path, "otto", SECRET, user("mallory", SECRET, "admin")).status();
            assertTrue(status == 403 || status == 404 || status == 400, path + " answered " + status);
        }
        assertEquals(before, users(), "no user was added");
        assertFalse(before.contains("mallory"));
    }

    @Test
    void everyUserSetsItsOwnPasswordOnlyAndTheOldOneStopsAtOnce() throws IOException {
        assertEquals(201, call("POST", "/api/users", "admin", ADMIN, user("pat", SECRET, "viewer")).status());
        assertEquals(200, call("GET", "/api/services", "pat", SECRET, null).status(), "remembered from now");
        assertError(call("PUT", "/api/users/vera/password", "pat", SECRET, "{\"password\":\"another-one\"}"), 403,
                "permission_denied", "admin");
        assertEquals(204, call("PUT", "/api/users/pat/password", "pat", SECRET,
                "{\"password\":\"new-password-1\"}").status());
        assertEquals(401, call("GET", "/api/services", "pat", SECRET, null).status(), "the old password, at once");
        assertEquals(200, call("GET", "/api/services", "pat", "new-password-1", null).status());
        assertError(call("PUT", "/api/users/pat/role", "pat", "new-password-1", "{\"role\":\"admin\"}"), 403,
                "permission_denied", "admin");
    }

    @Test
    void roleChangesAndRemovalsTakeEffectOnTheNextRequest() throws IOException {
        assertEquals(201, call("POST", "/api/users", "admin", ADMIN, user("rita", SECRET, "viewer")).status());
        assertEquals(403, call("POST", "/api/services/x/scale", "rita", SECRET, "{\"replicas\":1}").status());
        RawHttp.Response promoted = call("PUT", "/api/users/rita/role", "admin", ADMIN, "{\"role\":\"operator\"}");
        assertEquals(200, promoted.status(), promoted.body());
        assertTrue(promoted.body().contains("\"role\":\"operator\""), promoted.body());
        assertEquals(404, call("POST", "/api/services/x/scale", "rita", SECRET, "{\"replicas\":1}").status());
        assertEquals(204, call("DELETE", "/api/users/rita", "admin", ADMIN, null).status());
        assertEquals(401, call("GET", "/api/services", "rita", SECRET, null).status(), "removed, at once");
        assertError(call("DELETE", "/api/users/rita", "admin", ADMIN, null), 404, "not_found", "rita");
    }

    @Test
    void theLastAdminStays() throws IOException {
        assertError(call("DELETE", "/api/users/admin", "admin", ADMIN, null), 409, "conflict", "last admin");
        assertError(call("PUT", "/api/users/admin/role", "admin", ADMIN, "{\"role\":\"viewer\"}"), 409, "conflict",
                "last admin");
        assertEquals(201, call("POST", "/api/users", "admin", ADMIN, user("ada", SECRET, "admin")).status());
        assertEquals(200, call("GET", "/api/users", "ada", SECRET, null).status(), "a second admin");
        assertEquals(204, call("DELETE", "/api/users/ada", "admin", ADMIN, null).status());
        assertTrue(users().contains("\"name\":\"admin\",\"role\":\"admin\""), users());
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws IOException {
        String before = users();
        assertError(call("POST", "/api/users", "admin", ADMIN, user("root", SECRET, "root")), 400,
                "invalid_argument", "role must be admin, operator or viewer");
        assertError(call("POST", "/api/users", "admin", ADMIN, user("shorty", "1234567", "viewer")), 400,
                "invalid_argument", "password must be 8 to 1024 characters, got 7");
        assertError(call("POST", "/api/users", "admin", ADMIN, user("bad name", SECRET, "viewer")), 400,
                "invalid_argument", "user name");
        assertError(call("POST", "/api/users", "admin", ADMIN, user("vera", SECRET, "admin")), 409, "conflict",
                "exists");
        assertError(call("POST", "/api/users", "admin", ADMIN, "{\"name\":\"x\",\"pasword\":\"y\"}"), 400,
                "malformed_request", "pasword");
        assertError(call("PUT", "/api/users/nobody/password", "admin", ADMIN, "{\"password\":\"long-enough\"}"),
                404, "not_found", "nobody");
        assertEquals(before, users());
    }

    @Test
    void aLoginReplacesAnOlderCheaperHash() throws Exception {
        // The store is the server's while it runs: the change shows as the user's updated_at.
        String before = users();
        assertEquals(200, call("GET", "/api/services", "legacy", SECRET, null).status());
        String after = users();
        assertNotEquals(updatedAt(before, "legacy"), updatedAt(after, "legacy"), after);
        assertEquals(updatedAt(before, "vera"), updatedAt(after, "vera"), "only that user's hash");
        assertEquals(200, call("GET", "/api/services", "legacy", SECRET, null).status(), "the new hash verifies");
    }

    private static String updatedAt(String users, String name) {
        int at = users.indexOf("{\"name\":\"" + name + "\"");
        int from = users.indexOf("\"updated_at\":\"", at) + 14;
        return users.substring(from, users.indexOf('"', from));
    }

    private static String legacyHash(String password) throws Exception {
        byte[] salt = new byte[16];
        var spec = new PBEKeySpec(password.toCharArray(), salt, 210_000, 256);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        var b64 = Base64.getEncoder().withoutPadding();
        return "pbkdf2-sha256$210000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }
}
