package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;
import static dev.orchestrator.it.OrchestrationIT.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Authentication, and bad input: a clear 4xx with a JSON error, and no change at all. */
class ApiRulesIT extends ServerTestBase {
    private static final String IMAGE = "orchestrator-test/web:1";

    @Test
    void authenticationIsRequiredAndWrongCredentialsAreRefused() {
        for (Api client : List.of(new Api(server.url(), null, null), new Api(server.url(), "admin", "wrong"),
                new Api(server.url(), "nobody", PASSWORD))) {
            Api.Response r = client.get("/api/services");
            assertEquals(401, r.status());
            assertEquals("Basic realm=\"orchestrator\"", r.raw().headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals("unauthenticated", r.json().get("error").asText());
            assertEquals(401, client.post("/api/deploy", "{}").status());
        }
        assertEquals(200, new Api(server.url(), null, null).get("/health").status());
    }

    record Bad(String body, int status, String code) {
    }

    @Test
    void badRequestsAnswerClear4xxAndChangeNothing() throws IOException {
        int published = freePort();
        String good = "{\"name\": \"keep\", \"image\": \"" + IMAGE + "\", \"replicas\": 1,"
                + " \"ports\": [{\"container_port\": 8080, \"host_port\": " + published + "}]}";
        assertEquals(201, api.post("/api/deploy", good).status());
        await(() -> api.get("/api/services/keep").json(), s -> s.get("running").asInt() == 1, Duration.ofSeconds(30),
                "keep running");
        String services = api.get("/api/services").body();
        String events = api.get("/api/events?limit=1000").body();

        for (Bad bad : badDeploys(published)) {
            Api.Response r = api.post("/api/deploy", bad.body());
            assertEquals(bad.status(), r.status(), bad.body() + " -> " + r.body());
            assertEquals(bad.code(), r.json().get("error").asText(), r.body());
            assertTrue(r.json().get("message").asText().length() > 10, r.body());
        }
        assertEquals(400, api.post("/api/services/keep/scale", "{\"replicas\": 5000}").status());
        assertEquals(400, api.post("/api/services/keep/scale", "{\"replicas\": \"many\"}").status());
        assertEquals(404, api.post("/api/services/nope/scale", "{\"replicas\": 1}").status());
        assertEquals(404, api.delete("/api/services/nope").status());
        assertEquals(404, api.get("/api/services/nope/logs").status());
        assertEquals(400, api.get("/api/services/Bad_Name").status());
        assertEquals(400, api.get("/api/events?since=yesterday").status());
        assertEquals(400, api.get("/api/events?limit=0").status());
        assertEquals(400, api.get("/api/services/keep/logs?tail=-1").status());
        Api.Response unknown = api.get("/api/nothing-here");
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.json().get("error").asText());

        assertEquals(services, api.get("/api/services").body(), "no state change");
        assertEquals(events, api.get("/api/events?limit=1000").body(), "no event recorded");
        assertEquals(1, containers("keep").size());
        assertTrue(containers("other").isEmpty(), "no container created");
    }

    private List<Bad> badDeploys(int published) {
        String ok = "\"name\": \"other\", \"image\": \"" + IMAGE + "\"";
        return List.of(
                new Bad("{\"name\": \"Bad_Name\", \"image\": \"x:1\"}", 400, "invalid_argument"),
                new Bad("{\"name\": \"" + "a".repeat(64) + "\", \"image\": \"x:1\"}", 400, "invalid_argument"),
                new Bad("{\"name\": \"ok\", \"image\": \"UPPER:case\"}", 400, "invalid_argument"),
                new Bad("{" + ok + ", \"replicas\": 1001}", 400, "invalid_argument"),
                new Bad("{" + ok + ", \"replicas\": -1}", 400, "invalid_argument"),
                new Bad("{" + ok + ", \"ports\": [{\"container_port\": 70000}]}", 400, "invalid_argument"),
                new Bad("{" + ok + ", \"ports\": [{\"container_port\": 80, \"host_port\": 9000},"
                        + " {\"container_port\": 81, \"host_port\": 9000}]}", 400, "invalid_argument"),
                new Bad("{" + ok + ", \"resources\": {\"memory_mb\": 1, \"cpu_shares\": 1024}}", 400,
                        "invalid_argument"),
                new Bad("{" + ok + ", \"health_check\": {\"type\": \"http\", \"interval\": \"10 s\"}}", 400,
                        "invalid_argument"),
                new Bad("{" + ok + ", \"health_check\": {\"type\": \"http\"}}", 400, "invalid_argument"),
                new Bad("{" + ok + ", \"health_check\": {\"type\": \"tcp\"}}", 400, "invalid_argument"),
                new Bad("{" + ok + ", \"health_check\": {\"type\": \"exec\", \"command\": []}}", 400,
                        "invalid_argument"),
                new Bad("{" + ok + ", \"strategy\": \"no-such-strategy\"}", 400, "invalid_argument"),
                new Bad("{" + ok + ", \"env\": {\"1BAD\": \"v\"}}", 400, "invalid_argument"),
                new Bad("{" + ok + ", \"restart_policy\": \"sometimes\"}", 400, "invalid_argument"),
                new Bad("{" + ok + ", \"replica\": 3}", 400, "malformed_request"),
                new Bad("{not json", 400, "malformed_request"),
                new Bad("", 400, "malformed_request"),
                new Bad("{" + ok + ", \"ports\": [{\"container_port\": 8080, \"host_port\": " + published + "}]}", 409,
                        "conflict"),
                new Bad("{" + ok + ", \"ports\": [{\"container_port\": 8080, \"host_port\": " + server.port() + "}]}",
                        409, "conflict"),
                new Bad("{\"name\": \"other\", \"image\": \"no-such-image:1\", \"pull_policy\": \"never\"}", 422,
                        "unschedulable"),
                new Bad("{" + ok + ", \"pull_policy\": \"sometimes\"}", 400, "invalid_argument"));
    }

    @Test
    void aSecondProcessOnADataDirectoryInUseRefusesToStartAndNamesTheHolder() {
        Image.Run second = Image.run(java.util.Map.of("ORCHESTRATOR_ADMIN_PASSWORD", PASSWORD), "server", "--bind",
                "127.0.0.1", "--port", "0", "--data-dir", work.resolve("data").toString(), "--node-name", "node-1");
        assertTrue(second.status() != 0, "refused: " + second.out());
        String err = second.err().strip();
        assertTrue(err.contains("is in use by another orchestrator process (pid "), err);
        assertTrue(!err.contains("Exception") && !err.contains("\tat "), "one clear line, no stack: " + err);
        assertEquals(200, api.get("/api/services").status(), "the first server is unharmed");
    }
}
