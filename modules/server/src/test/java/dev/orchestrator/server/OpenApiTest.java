package dev.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.app.Application;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.store.Passwords;
import dev.orchestrator.store.Store;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document is true to the server: every route the HTTP services register is in it,
 * every operation in it is served (over real HTTP, by a whole control plane), its references
 * resolve, and the server serves it behind basic auth.
 */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options");
    /** Routes the server registers outside the HTTP services: {@code ControlPlane.routing} and Helidon's metrics. */
    private static final Set<String> OUTSIDE_SERVICES = Set.of("GET /health", "GET /metrics");

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document() {
        return new Yaml().load(new String(OpenApiDocument.read(), StandardCharsets.UTF_8));
    }

    /** @return "METHOD /path" of every operation in the document */
    @SuppressWarnings("unchecked")
    private static Set<String> documented() {
        var out = new TreeSet<String>();
        ((Map<String, Object>) document().get("paths")).forEach((path, item) -> ((Map<String, Object>) item)
                .keySet().stream().filter(METHODS::contains)
                .forEach(m -> out.add(m.toUpperCase(Locale.ROOT) + " " + path)));
        return out;
    }

    /** @return "METHOD /path" of every route the server's HTTP services register, read from their routing */
    private static Set<String> registered() {
        var out = new TreeSet<String>();
        new ApiService(new Application(null, null, null, null, null, null, null, null, null, null), 1024).routing(recorder("/api", out));
        new AgentRoutes(null, null, null, null, 1024).routing(recorder("/agent", out));
        out.addAll(OUTSIDE_SERVICES);
        return out;
    }

    /**
     * Rules that record each route instead of serving it. Anything else but the catch-all
     * {@code any(handler)} fails, so a route added another way cannot slip past the test.
     */
    private static HttpRules recorder(String prefix, Set<String> out) {
        return (HttpRules) Proxy.newProxyInstance(OpenApiTest.class.getClassLoader(), new Class<?>[] {HttpRules.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (method.getDeclaringClass() == Object.class) {
                        return name.equals("toString") ? "recorder " + prefix : name.equals("hashCode")
                                ? System.identityHashCode(proxy) : proxy == args[0];
                    }
                    if (METHODS.contains(name) && args.length == 2 && args[0] instanceof String path) {
                        out.add(name.toUpperCase(Locale.ROOT) + " " + (prefix + path).replaceAll("(.)/$", "$1"));
                    } else if (name.equals("register") && args.length == 2 && args[0] instanceof String path) {
                        for (Object s : (Object[]) args[1]) {
                            HttpService service = s instanceof Supplier<?> sup ? (HttpService) sup.get() : (HttpService) s;
                            service.routing(recorder(prefix + path, out));
                        }
                    } else if (!(name.equals("any") && args.length == 1)) {
                        throw new UnsupportedOperationException("OpenApiTest does not read HttpRules." + name
                                + " (" + prefix + "): teach it, so the route is checked");
                    }
                    return proxy;
                });
    }

    @Test
    void everyRegisteredRouteIsDocumentedAndEveryDocumentedOneRegistered() {
        Set<String> registered = registered();
        Set<String> documented = documented();
        assertTrue(registered.size() > 20, registered.toString());
        var missing = new TreeSet<>(registered);
        missing.removeAll(documented);
        var extra = new TreeSet<>(documented);
        extra.removeAll(registered);
        assertEquals(Set.of(), missing, "registered but not in openapi.yaml");
        assertEquals(Set.of(), extra, "in openapi.yaml but not registered");
    }

    @Test
    @SuppressWarnings("unchecked")
    void isAnOpenApi3DocumentWhoseReferencesResolve() {
        Map<String, Object> doc = document();
        assertTrue(String.valueOf(doc.get("openapi")).startsWith("3."), doc.get("openapi").toString());
        var refs = new ArrayList<String>();
        collectRefs(doc, refs);
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), ref);
            Object node = doc;
            for (String part : ref.substring(2).split("/")) {
                node = node instanceof Map<?, ?> m ? m.get(part) : null;
            }
            assertTrue(node instanceof Map, "unresolved " + ref);
        }
        ((Map<String, Object>) doc.get("paths")).forEach((path, item) -> ((Map<String, Object>) item).forEach(
                (m, op) -> assertTrue(!METHODS.contains(m) || ((Map<String, Object>) op).get("responses") != null,
                        m + " " + path + " has no responses")));
    }

    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if ("$ref".equals(k)) {
                    refs.add(String.valueOf(v));
                } else {
                    collectRefs(v, refs);
                }
            });
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectRefs(v, refs));
        }
    }

    @Test
    void everyDocumentedOperationIsServedAndTheDocumentNeedsBasicAuth() throws Exception {
        Path data = dir.resolve("data");
        try (Store store = Store.open(data)) {
            store.users().put("admin", Passwords.hash("admin-password".toCharArray()));
        }
        var o = ServerOptions.defaults(data, dir.resolve("plugins"), 0);
        o = new ServerOptions("127.0.0.1", 0, data, o.pluginsDir(), "local", "127.0.0.1", false, "127.0.0.1", 0, 0,
                Map.of(), o.nodeTimeout(), "spread", o.cpuOvercommit(), null, null, o.events(), null);
        try (ControlPlane plane = ControlPlane.start(o, PluginManager.discover(null),
                new PrintStream(new ByteArrayOutputStream()), Limits.DEFAULT)) {
            URI base = URI.create("http://127.0.0.1:" + plane.port());
            var http = HttpClient.newHttpClient();
            String basic = "Basic " + Base64.getEncoder().encodeToString("admin:admin-password"
                    .getBytes(StandardCharsets.UTF_8));
            for (String operation : documented()) {
                String method = operation.substring(0, operation.indexOf(' '));
                String path = operation.substring(operation.indexOf(' ') + 1).replaceAll("\\{[a-z]+}", "x");
                var b = HttpRequest.newBuilder(base.resolve(path + (path.contains("watch") ? "?node=x" : "")))
                        .header("Authorization", basic)
                        .method(method, method.equals("GET") || method.equals("DELETE")
                                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                boolean unrouted = r.statusCode() == 405 || r.statusCode() == 404
                        && (!r.body().startsWith("{\"error\":\"not_found\"") || r.body().contains("\"no route "));
                assertFalse(unrouted, operation + " is not served: " + r.statusCode() + " " + r.body());
            }
            HttpResponse<String> doc = http.send(HttpRequest.newBuilder(base.resolve("/api/openapi.yaml"))
                    .header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, doc.statusCode());
            assertEquals("application/yaml", doc.headers().firstValue("content-type").orElseThrow());
            assertEquals(new String(OpenApiDocument.read(), StandardCharsets.UTF_8), doc.body());
            assertEquals(401, http.send(HttpRequest.newBuilder(base.resolve("/api/openapi.yaml")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> version = http.send(HttpRequest.newBuilder(base.resolve("/api/version"))
                    .header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(version.body().matches("\\{\"version\":\"0\\.[^\"]+\",\"protocol_versions\":\\[1]}"),
                    version.body());
        }
    }
}
