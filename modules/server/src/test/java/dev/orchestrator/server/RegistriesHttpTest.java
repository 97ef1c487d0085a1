package dev.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.store.Passwords;
import dev.orchestrator.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/registries} over real HTTP on loopback, against a whole control plane (no node of
 * its own): set, list, remove, the refusals, basic auth, and no password in any answer.
 */
class RegistriesHttpTest {
    private static final String ADMIN_PASSWORD = "admin-password";
    private static final String SECRET = "Narwhal-Trombone-9902";

    @TempDir
    static Path dir;
    private static ControlPlane plane;
    private static final List<String> bodies = new ArrayList<>();

    @BeforeAll
    static void start() {
        Path data = dir.resolve("data");
        try (Store store = Store.open(data)) {
            store.users().put("admin", Passwords.hash(ADMIN_PASSWORD.toCharArray()));
        }
        var o = ServerOptions.defaults(data, dir.resolve("plugins"), 0);
        o = new ServerOptions("127.0.0.1", 0, data, o.pluginsDir(), "local", "127.0.0.1", false, "127.0.0.1", 0, 0,
                Map.of(), o.nodeTimeout(), "spread", o.cpuOvercommit(), null, null, o.events(), null);
        plane = ControlPlane.start(o, PluginManager.discover(null), new PrintStream(new ByteArrayOutputStream()),
                Limits.DEFAULT);
    }

    @AfterAll
    static void stop() {
        if (plane != null) {
            plane.close();
        }
        bodies.forEach(b -> assertFalse(b.contains(SECRET), "an answer holds the password: " + b));
    }

    private static RawHttp.Response call(String method, String path, String body) throws IOException {
        return call(method, path, RawHttp.basic("admin", ADMIN_PASSWORD), body);
    }

    private static RawHttp.Response call(String method, String path, String auth, String body) throws IOException {
        try (var c = new RawHttp(plane.port())) {
            RawHttp.Response r = c.exchange(method, path, auth, body);
            bodies.add(r.body());
            return r;
        }
    }

    private static String login(String user) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + SECRET + "\"}";
    }

    private static void assertError(RawHttp.Response r, int status, String code, String fragment) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.body().startsWith("{\"error\":\"" + code + "\",\"message\":\""), r.body());
        assertTrue(r.body().contains(fragment), r.body());
    }

    @Test
    void putListDelete() throws IOException {
        RawHttp.Response put = call("PUT", "/api/registries/127.0.0.1:5000", login("ci"));
        assertEquals(200, put.status(), put.body());
        assertTrue(put.body().matches("\\{\"host\":\"127\\.0\\.0\\.1:5000\",\"username\":\"ci\",\"updated_at\":\"[^\"]+\"}"),
                put.body());
        assertEquals(200, call("PUT", "/api/registries/registry.example.com", login("bot")).status());
        RawHttp.Response list = call("GET", "/api/registries", null);
        assertEquals(200, list.status());
        assertTrue(list.body().matches("\\[\\{\"host\":\"127\\.0\\.0\\.1:5000\",\"username\":\"ci\",[^}]+},"
                + "\\{\"host\":\"registry\\.example\\.com\",\"username\":\"bot\",[^}]+}]"), list.body());

        RawHttp.Response events = call("GET", "/api/events?type=registry", null);
        assertTrue(events.body().contains("Registry credentials for 127.0.0.1:5000 set (user ci)"), events.body());

        assertEquals(204, call("DELETE", "/api/registries/127.0.0.1:5000", null).status());
        assertEquals(204, call("DELETE", "/api/registries/registry.example.com", null).status());
        assertEquals("[]", call("GET", "/api/registries", null).body());
        assertError(call("DELETE", "/api/registries/127.0.0.1:5000", null), 404, "not_found",
                "no credentials for registry 127.0.0.1:5000");
    }

    @Test
    void aPercentEncodedColonIsTheSameHost() throws IOException {
        assertEquals(200, call("PUT", "/api/registries/localhost%3A5001", login("ci")).status());
        assertTrue(call("GET", "/api/registries", null).body().contains("\"host\":\"localhost:5001\""));
        assertEquals(204, call("DELETE", "/api/registries/localhost:5001", null).status());
    }

    @Test
    void badBodiesAndHostsAre400() throws IOException {
        String path = "/api/registries/docker.io";
        assertError(call("PUT", path, "{\"username\":\"ci\",\"password\":\"" + SECRET + "\",\"email\":\"x\"}"), 400,
                "malformed_request", "unknown field 'email'");
        assertError(call("PUT", path, "{\"username\":\"ci\"}"), 400, "invalid_argument", "password is required");
        assertError(call("PUT", path, "{\"password\":\"" + SECRET + "\"}"), 400, "invalid_argument",
                "username is required");
        assertError(call("PUT", path, "{\"username\":7,\"password\":\"" + SECRET + "\"}"), 400, "malformed_request",
                "field 'username' must be a string");
        assertError(call("PUT", path, "{\"username\":\"ci\",\"password\":\"" + SECRET + "\\n\"}"), 400,
                "invalid_argument", "password must be");
        assertError(call("PUT", path, null), 400, "malformed_request", "request body is empty");
        assertError(call("PUT", "/api/registries/Not_A_Host", login("ci")), 400, "invalid_argument",
                "registry host");
        assertError(call("DELETE", "/api/registries/bad_host", null), 400, "invalid_argument", "registry host");
        assertEquals("[]", call("GET", "/api/registries", null).body(), "nothing stored");
    }

    @Test
    void everyRouteNeedsBasicAuth() throws IOException {
        assertError(call("GET", "/api/registries", "", null), 401, "unauthenticated", "");
        assertError(call("PUT", "/api/registries/docker.io", "", login("ci")), 401, "unauthenticated", "");
        assertError(call("DELETE", "/api/registries/docker.io", RawHttp.basic("admin", "wrong"), null), 401,
                "unauthenticated", "");
        assertEquals("[]", call("GET", "/api/registries", null).body());
    }
}
