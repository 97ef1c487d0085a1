package dev.orchestrator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile input over every route of the API and the agents' heartbeat, generated (jqwik): wrong
 * types, huge numbers, unicode and overlong names, deep nesting, duplicate keys, truncated
 * bodies, wrong content types, bad query parameters, path tricks, wrong methods. Each case is
 * built to be invalid; each must be answered 4xx with the JSON error shape and no stack trace,
 * change nothing (the services with their revisions, the nodes and the join tokens are read
 * before and after), and leave the server healthy.
 */
class HostileInputIT {
    private static final String PASSWORD = "hostile-it-password";
    private static final String IMAGE = "orchestrator-test/busybox:1";
    private static ServerProcess server;
    private static Api api;
    private static Path dir;
    private static String before;
    private static String cluster;

    /** One request: what it is, and how it is sent. */
    record Case(String what, String method, String path, String contentType, byte[] body) {
        @Override
        public String toString() {
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return what + ": " + method + " " + path + " " + text.substring(0, Math.min(200, text.length()));
        }
    }

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("hostile-it");
        server = ServerProcess.start(dir.resolve("data"), PASSWORD);
        api = new Api(server.url(), "admin", PASSWORD);
        Api.Response r = api.post("/api/deploy", "{\"name\":\"keep\",\"image\":\"" + IMAGE
                + "\",\"replicas\":1,\"command\":[\"sleep\",\"3600\"]}");
        assertEquals(201, r.status(), r.body());
        OrchestrationIT.await(() -> api.get("/api/services/keep").json(), s -> s.get("running").asInt() == 1,
                Duration.ofSeconds(60), "keep running");
        cluster = org.testcontainers.DockerClientFactory.instance().client().listContainersCmd()
                .withLabelFilter(Map.of("dev.orchestrator.service", "keep", "dev.orchestrator.node", "node-1")).exec()
                .getFirst().getLabels().get("dev.orchestrator.cluster");
        before = state();
    }

    /** @return this test's containers in Docker (its cluster's, on node-1) */
    private static List<com.github.dockerjava.api.model.Container> containers() {
        return org.testcontainers.DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("dev.orchestrator.service", "keep", "dev.orchestrator.cluster", cluster))
                .exec();
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            api.delete("/api/services/keep");
            // Gone from Docker, not only from the API: the next test's server must not find it.
            OrchestrationIT.await(HostileInputIT::containers, List::isEmpty, Duration.ofSeconds(60),
                    "keep's container removed");
        } finally {
            server.close();
            for (var c : containers()) {
                org.testcontainers.DockerClientFactory.instance().client().removeContainerCmd(c.getId())
                        .withForce(true).exec();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * What no refused request may change: specs, revisions, node availability and labels, tokens,
     * users and their roles, registry credentials.
     */
    private static String state() {
        var b = new StringBuilder();
        for (JsonNode s : api.get("/api/services").json()) {
            b.append(s.get("name").asText()).append(' ').append(s.get("revision")).append(' ')
                    .append(s.get("replicas")).append(' ').append(s.get("image")).append('\n');
            b.append(api.get("/api/services/" + s.get("name").asText() + "/revisions").body()).append('\n');
        }
        for (JsonNode n : api.get("/api/nodes").json()) {
            b.append(n.get("id").asText()).append(' ').append(n.path("availability").asText()).append(' ')
                    .append(n.path("labels")).append('\n');
        }
        b.append(api.get("/api/tokens").body()).append('\n');
        b.append(api.get("/api/users").body()).append('\n');
        b.append(api.get("/api/registries").body());
        return b.toString();
    }

    @Property(tries = 400, shrinking = ShrinkingMode.OFF)
    void everyHostileRequestIsRefusedWithTheErrorShapeAndChangesNothing(@ForAll("cases") Case c) {
        Api.Response r = api.send(c.method(), c.path(), c.contentType(), c.body());
        assertTrue(r.status() >= 400 && r.status() < 500, c + " -> " + r.status() + " " + r.body());
        JsonNode error = r.json();
        assertTrue(error.path("error").isTextual() && error.path("message").isTextual(), c + " -> " + r.body());
        for (String leak : List.of("Exception", "\tat ", "at dev.orchestrator", "at io.helidon", "at java.")) {
            assertFalse(r.body().contains(leak), c + " leaks: " + r.body());
        }
        assertEquals(200, api.get("/health").status(), "healthy after " + c);
        assertEquals(before, state(), "nothing changed by " + c);
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, deployBodies()),
                net.jqwik.api.Tuple.of(2, malformedBodies("/api/deploy", validDeploy())),
                net.jqwik.api.Tuple.of(2, scaleBodies()),
                net.jqwik.api.Tuple.of(1, malformedBodies("/api/services/keep/scale", "{\"replicas\":2}")),
                net.jqwik.api.Tuple.of(1, rollbackBodies()),
                net.jqwik.api.Tuple.of(2, wrongContentTypes()),
                net.jqwik.api.Tuple.of(3, badQueries()),
                net.jqwik.api.Tuple.of(3, pathTricks()),
                net.jqwik.api.Tuple.of(1, wrongMethods()),
                net.jqwik.api.Tuple.of(2, heartbeats()),
                net.jqwik.api.Tuple.of(2, userRequests()),
                net.jqwik.api.Tuple.of(1, registryRequests()));
    }

    private static String validDeploy() {
        return "{\"name\":\"fz\",\"image\":\"" + IMAGE + "\",\"replicas\":1,\"command\":[\"sleep\",\"60\"]}";
    }

    private static Case post(String what, String path, String json) {
        return new Case(what, "POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A valid deploy with one field given a value it cannot take. */
    private static Arbitrary<Case> deployBodies() {
        Map<String, List<String>> bad = Map.ofEntries(
                Map.entry("name", List.of("123", "true", "[]", "{}", "\"\"", "\"UPPER\"", "\"-lead\"", "\"a b\"",
                        "\"a/b\"", "\"ünïcødé\"", "\"名前\"", "\"a\\u0000b\"", "\"" + "a".repeat(64) + "\"",
                        "\"" + "x".repeat(5000) + "\"", "null", "\"keep\\n\"")),
                Map.entry("image", List.of("123", "[]", "{}", "\"\"", "null", "true")),
                Map.entry("replicas", List.of("\"1\"", "-1", "1.5", "1e3", "2147483648", "99999999999999999999999",
                        "-99999999999999999999", "true", "[]", "{}", "1e400")),
                Map.entry("command", List.of("\"sleep 60\"", "123", "[1,2]", "{}", "[null]", "[[\"a\"]]", "true")),
                Map.entry("env", List.of("[]", "\"A=B\"", "{\"A\":1}", "{\"A\":[]}", "{\"A\":{}}", "123")),
                Map.entry("ports", List.of("\"80\"", "[{\"host_port\":70000,\"container_port\":80}]",
                        "[{\"host_port\":-1,\"container_port\":80}]", "[1,2]", "{}",
                        "[{\"host_port\":\"80\",\"container_port\":80}]", "[{\"container_port\":99999999999}]",
                        "[{\"container_port\":80,\"protocol\":\"tcpx\"}]", "[{\"host\":80}]")),
                Map.entry("resources", List.of("[]", "\"x\"", "{\"cpu_shares\":\"x\"}", "{\"memory_mb\":-5}",
                        "{\"cpu_shares\":1e30}", "{\"nope\":1}")),
                Map.entry("health_check", List.of("[]", "\"http\"", "{\"type\":\"http\"}", "{\"type\":\"tcp\"}",
                        "{\"type\":\"exec\"}", "{\"type\":\"nope\",\"port\":1}", "{\"type\":\"exec\",\"command\":"
                        + "\"sh -c true\"}")),
                Map.entry("networks", List.of("\"backend\"", "[1]", "[\"UPPER\"]", "[\"a b\"]", "{}")),
                Map.entry("zzz_unknown", List.of("1", "\"x\"", "{}")));
        List<String> fields = new ArrayList<>(bad.keySet());
        java.util.Collections.sort(fields);
        return Arbitraries.of(fields).flatMap(f -> Arbitraries.of(bad.get(f)).map(v -> {
            String json = f.equals("zzz_unknown") ? validDeploy().replace("{", "{\"" + f + "\":" + v + ",")
                    : setField(validDeploy(), f, v);
            return post("deploy with " + f + "=" + v.substring(0, Math.min(40, v.length())), "/api/deploy", json);
        }));
    }

    private static String setField(String json, String field, String value) {
        try {
            ObjectNode n = (ObjectNode) Api.JSON.readTree(json);
            n.remove(field);
            String rest = Api.JSON.writeValueAsString(n);
            return "{\"" + field + "\":" + value + "," + rest.substring(1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid body cut short, nested deeper than any parser allows, or with a key twice. */
    private static Arbitrary<Case> malformedBodies(String path, String valid) {
        Arbitrary<Case> truncated = Arbitraries.integers().between(1, valid.length() - 1)
                .map(i -> post("truncated at " + i, path, valid.substring(0, i)));
        Arbitrary<Case> deep = Arbitraries.integers().between(1100, 20_000).map(d -> post("nested " + d + " deep",
                path, valid.replaceFirst("\\{", "{\"x\":" + "[".repeat(d) + "]".repeat(d) + ",")));
        Arbitrary<Case> duplicate = Arbitraries.of("name", "replicas", "image").filter(k -> valid.contains("\"" + k
                + "\"")).map(k -> post("duplicate key " + k, path, valid.replaceFirst("\\{", "{\"" + k
                + "\":" + (k.equals("replicas") ? "3" : "\"other\"") + ",")));
        Arbitrary<Case> junk = Arbitraries.of("", "null", "[]", "\"x\"", "1", "{", "}", "{}{}", "{\"a\":}",
                "\uFEFF{}", "{'name':'x'}", "<xml/>").filter(j -> !j.isEmpty() || !path.endsWith("/deploy"))
                .map(j -> post("not an object: " + j, path, j));
        return Arbitraries.oneOf(truncated, deep, duplicate, junk);
    }

    private static Arbitrary<Case> scaleBodies() {
        return Arbitraries.of("-1", "\"2\"", "1.5", "1e10", "null", "[]", "{}", "true", "2147483648", "100001")
                .map(v -> post("scale to " + v, "/api/services/keep/scale", "{\"replicas\":" + v + "}"));
    }

    private static Arbitrary<Case> rollbackBodies() {
        return Arbitraries.of("{\"to\":\"1\"}", "{\"to\":-1}", "{\"to\":1.5}", "{\"to\":99}", "{\"to\":1}",
                "{\"too\":1}", "[]", "{\"to\":1e99}")
                .map(v -> post("rollback " + v, "/api/services/keep/rollback", v));
    }

    /** A valid body, declared as something else than JSON. */
    private static Arbitrary<Case> wrongContentTypes() {
        Arbitrary<String> types = Arbitraries.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "text/json", "image/png", "application/jsonx");
        return types.flatMap(t -> Arbitraries.of(
                new Case("deploy as " + t, "POST", "/api/deploy", t, validDeploy().getBytes(StandardCharsets.UTF_8)),
                new Case("scale as " + t, "POST", "/api/services/keep/scale", t,
                        "{\"replicas\":2}".getBytes(StandardCharsets.UTF_8))));
    }

    private static Arbitrary<Case> badQueries() {
        Arbitrary<String> junk = Arbitraries.of("-1", "abc", "1e9", "%00", "%C3%BC", "%20", "9999999999999999999",
                "x".repeat(3000), "true%0Afalse");
        return Combinators.combine(Arbitraries.of(
                        "/api/services/keep/logs?tail=", "/api/services/keep/logs?since=",
                        "/api/services/keep/logs?until=", "/api/services/keep/logs?replica=",
                        "/api/services/keep/logs?follow=", "/api/services/keep/logs?timestamps=",
                        "/api/events?limit=", "/api/events?since=", "/api/events?follow="),
                junk).as((route, v) -> new Case("query " + route + v.substring(0, Math.min(20, v.length())), "GET",
                route + v, null, null));
    }

    private static Arbitrary<Case> pathTricks() {
        Arbitrary<String> names = Arbitraries.of("..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "a%00b", "UPPER", "x".repeat(300),
                "%C3%BC", "a;b", "keep%2f", "keep%2F..", "%252e", "-", "keep.", "keep%20", "0");
        return names.flatMap(n -> Arbitraries.of(
                new Case("get " + n, "GET", "/api/services/" + n, null, null),
                new Case("delete " + n, "DELETE", "/api/services/" + n, null, null),
                post("scale " + n, "/api/services/" + n + "/scale", "{\"replicas\":1}"),
                new Case("revisions " + n, "GET", "/api/services/" + n + "/revisions", null, null),
                new Case("logs " + n, "GET", "/api/services/" + n + "/logs", null, null),
                post("rollback " + n, "/api/services/" + n + "/rollback", "{}"),
                new Case("cordon " + n, "POST", "/api/nodes/" + n + "/cordon", null, null),
                new Case("drain " + n, "POST", "/api/nodes/" + n + "/drain", null, null),
                new Case("uncordon " + n, "POST", "/api/nodes/" + n + "/uncordon", null, null),
                new Case("revoke token " + n, "DELETE", "/api/tokens/" + n, null, null)));
    }

    /** Users: bad fields, wrong types, the last admin, unknown users, path tricks. */
    private static Arbitrary<Case> userRequests() {
        String ok = "\"password\":\"long-enough\",\"role\":\"viewer\"";
        Arbitrary<Case> adds = Arbitraries.of(
                "{\"name\":\"u1\",\"password\":\"long-enough\",\"role\":\"root\"}",
                "{\"name\":\"u1\",\"password\":\"short\",\"role\":\"viewer\"}",
                "{\"name\":\"bad name\"," + ok + "}", "{\"name\":\"admin\"," + ok + "}",
                "{\"name\":1," + ok + "}", "{\"name\":\"u1\",\"password\":[],\"role\":\"viewer\"}",
                "{\"name\":\"u1\",\"role\":\"viewer\"}", "{\"name\":\"u1\",\"password\":\"long-enough\"}",
                "{\"name\":\"" + "u".repeat(300) + "\"," + ok + "}", "{\"name\":\"\u00fcser\"," + ok + "}",
                "{\"name\":\"u1\",\"password\":\"" + "p".repeat(2000) + "\",\"role\":\"viewer\"}",
                "{\"name\":\"u1\"," + ok + ",\"name\":\"u2\"}", "{\"name\":\"u1\"," + ok + ",\"admin\":true}")
                .map(b -> post("add user " + b.substring(0, Math.min(40, b.length())), "/api/users", b));
        Arbitrary<Case> changes = Arbitraries.of(
                put("demote the last admin", "/api/users/admin/role", "{\"role\":\"viewer\"}"),
                put("role ROOT", "/api/users/admin/role", "{\"role\":\"ROOT\"}"),
                put("role of nobody", "/api/users/nobody/role", "{\"role\":\"viewer\"}"),
                put("password of nobody", "/api/users/nobody/password", "{\"password\":\"long-enough\"}"),
                put("short password", "/api/users/admin/password", "{\"password\":\"x\"}"),
                put("password as a number", "/api/users/admin/password", "{\"password\":12345678}"),
                new Case("remove the last admin", "DELETE", "/api/users/admin", null, null),
                new Case("remove nobody", "DELETE", "/api/users/nobody", null, null),
                new Case("remove ..", "DELETE", "/api/users/..", null, null),
                new Case("remove %2e%2e", "DELETE", "/api/users/%2e%2e%2fadmin", null, null),
                put("role through a path trick", "/api/users/x/../admin/role", "{\"role\":\"viewer\"}"));
        return Arbitraries.oneOf(adds, changes);
    }

    /** Registry credentials: bad hosts and bodies. */
    private static Arbitrary<Case> registryRequests() {
        String login = "{\"username\":\"u\",\"password\":\"p\"}";
        return Arbitraries.of(
                put("registry with a scheme", "/api/registries/http:%2F%2Fr.example.com", login),
                put("registry with a path", "/api/registries/r.example.com%2Fx", login),
                put("registry port 0", "/api/registries/r.example.com:0", login),
                put("registry port 99999", "/api/registries/r.example.com:99999", login),
                put("registry upper case", "/api/registries/R.EXAMPLE.COM", login),
                put("registry without user", "/api/registries/r.example.com", "{\"password\":\"p\"}"),
                put("registry empty password", "/api/registries/r.example.com", "{\"username\":\"u\",\"password\":\"\"}"),
                put("registry extra field", "/api/registries/r.example.com",
                        "{\"username\":\"u\",\"password\":\"p\",\"email\":\"e\"}"),
                new Case("logout of nothing", "DELETE", "/api/registries/r.example.com", null, null));
    }

    private static Case put(String what, String path, String json) {
        return new Case(what, "PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static Arbitrary<Case> wrongMethods() {
        return Arbitraries.of(
                new Case("PUT deploy", "PUT", "/api/deploy", "application/json", validDeploy().getBytes(StandardCharsets.UTF_8)),
                new Case("PATCH service", "PATCH", "/api/services/keep", "application/json", "{}".getBytes(StandardCharsets.UTF_8)),
                new Case("GET scale", "GET", "/api/services/keep/scale", null, null),
                new Case("DELETE nodes", "DELETE", "/api/nodes", null, null),
                new Case("PUT events", "PUT", "/api/events", null, null),
                new Case("POST version", "POST", "/api/version", "application/json", "{}".getBytes(StandardCharsets.UTF_8)),
                new Case("no route", "GET", "/api/../api/services/keep/zzz", null, null),
                new Case("GET deploy", "GET", "/api/deploy", null, null));
    }

    /** The agents' heartbeat with no, a wrong or a malformed token: refused before the body is read. */
    private static Arbitrary<Case> heartbeats() {
        Arbitrary<String> bodies = Arbitraries.of("{}", "{\"node\":\"" + "n".repeat(500) + "\"}", "[]", "{",
                "{\"node\":\"ünï\",\"cpus\":-1}", "{\"node\":1e400}", "x".repeat(10_000));
        return bodies.map(b -> new Case("heartbeat " + b.substring(0, Math.min(30, b.length())), "POST",
                "/agent/v1/heartbeat", "application/json", b.getBytes(StandardCharsets.UTF_8)));
    }
}
