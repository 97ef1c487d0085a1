package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed's CLI session, typed into bin/orchestrator against a real server and Docker. */
class CliIT extends ServerTestBase {
    private Map<String, String> env;

    @BeforeEach
    void environment() {
        env = Map.of("ORCHESTRATOR_URL", server.url(), "ORCHESTRATOR_PASSWORD", PASSWORD);
    }

    private Image.Run cli(String... args) {
        Image.Run r = Image.run(env, args);
        assertEquals(0, r.status(), String.join(" ", args) + " -> " + r.err() + r.out());
        return r;
    }

    @Test
    void seedSession() throws Exception {
        int port = freePort();
        Image.Run deploy = cli("deploy", "--name", "cli-web", "--image", "orchestrator-test/web:1", "--replicas", "3",
                "--port", port + ":8080", "--memory", "64m", "--cpu-shares", "512", "--env", "MODE=test");
        assertTrue(deploy.out().contains("cli-web: 3/3 running"), deploy.out());

        String ps = cli("ps").out();
        assertTrue(Pattern.compile("(?m)^NAME\\s+STATUS\\s+REPLICAS\\s+HEALTH$").matcher(ps).find(), ps);
        assertTrue(Pattern.compile("(?m)^cli-web\\s+running\\s+3/3\\s+healthy$").matcher(ps).find(), ps);
        JsonNode json = Api.JSON.readTree(cli("ps", "-o", "json").out());
        assertEquals(3, json.get(0).get("running").asInt());

        assertTrue(cli("scale", "cli-web", "--replicas", "5").out().contains("cli-web: 5/5 running"));
        assertTrue(cli("scale", "cli-web", "--replicas", "2").out().contains("cli-web: 2/2 running"));

        String logs = cli("logs", "cli-web", "--tail", "5").out();
        assertTrue(logs.contains("cli-web-0 | web: listening on 8080"), logs);
        assertTrue(logs.contains("cli-web-1 | web: listening on 8080"), logs);

        String events = cli("events", "--service", "cli-web").out();
        assertTrue(Pattern.compile("(?m)^\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d] Service cli-web deployed")
                .matcher(events).find(), events);
        assertTrue(events.contains("Service cli-web scaled from 3 to 5 replicas"), events);

        // An update, the history, and a rollback to revision 1 (as revision 3).
        cli("deploy", "--name", "cli-web", "--image", "orchestrator-test/web:1", "--replicas", "2",
                "--port", port + ":8080", "--memory", "64m", "--cpu-shares", "512", "--env", "MODE=v2");
        String history = cli("history", "cli-web").out();
        assertTrue(Pattern.compile("(?m)^REVISION\\s+DEPLOYED\\s+IMAGE\\s+CURRENT$").matcher(history).find(), history);
        assertTrue(Pattern.compile("(?m)^2\\s+\\d{4}-.*orchestrator-test/web:1\\s+\\*$").matcher(history).find(), history);
        assertTrue(Pattern.compile("(?m)^1\\s+\\d{4}-.*orchestrator-test/web:1$").matcher(history).find(), history);
        String back = cli("rollback", "cli-web").out();
        assertTrue(back.contains("cli-web: rolled back to the previous revision, now revision 3"), back);
        assertTrue(back.contains("cli-web: 2/2 running"), back);
        JsonNode restored = api.get("/api/services/cli-web").json();
        assertEquals("test", restored.get("spec").get("env").get("MODE").asText(), restored.toString());
        assertTrue(cli("events", "--service", "cli-web").out().contains("rolled back to revision 1"));
        Image.Run none = Image.run(env, "rollback", "cli-web", "--to", "99");
        assertEquals(1, none.status());
        assertTrue(none.err().contains("has no revision 99"), none.err());

        String service = cli("service", "cli-web").out();
        assertTrue(service.contains("cli-web-0") && service.contains("cli-web-1"), service);
        String nodes = cli("nodes").out();
        assertTrue(Pattern.compile("(?m)^node-1\\s+ready\\s").matcher(nodes).find(), nodes);

        // stats: a docker stats table, each running replica with a measured figure once its node
        // sampled it twice (every 5 s), "--" before.
        Pattern measured = Pattern.compile("(?m)^cli-web-0\\s+node-1\\s+\\d+\\.\\d\\d%\\s+"
                + "\\d+(\\.\\d)?[KMG]?i?B / \\d+(\\.\\d)?[KMG]?i?B\\s+\\d+\\.\\d\\d%$");
        OrchestrationIT.await(() -> cli("stats", "cli-web", "--no-stream").out(),
                out -> measured.matcher(out).find(), java.time.Duration.ofSeconds(30), "cli-web-0 measured");
        String stats = cli("stats", "--no-stream").out();
        assertTrue(stats.lines().findFirst().orElse("").matches("NAME\\s+NODE\\s+CPU %\\s+MEM USAGE / LIMIT\\s+MEM %"),
                stats);
        assertTrue(stats.contains("cli-web-1"), stats);
        assertFalse(stats.contains("\033["), "no terminal codes when not on a terminal");

        assertTrue(cli("rm", "cli-web").out().contains("cli-web removed"));
        assertTrue(cli("ps").out().lines().count() == 1, "only the header is left");
    }

    @Test
    void errorsAreOneLineAndNonZero() {
        Image.Run wrong = Image.run(Map.of("ORCHESTRATOR_URL", server.url(), "ORCHESTRATOR_PASSWORD", "nope"), "ps");
        assertEquals(1, wrong.status());
        assertTrue(wrong.err().startsWith("error: authentication failed for user 'admin'"), wrong.err());
        assertTrue(!wrong.err().contains("nope"), "the password is never printed");

        Image.Run missing = Image.run(env, "scale", "no-such", "--replicas", "2");
        assertEquals(1, missing.status());
        assertEquals("error: no service named 'no-such'", missing.err().strip());

        Image.Run usage = Image.run(env, "deploy", "--name", "Bad_Name", "--image", "x:1");
        assertEquals(2, usage.status());
        assertEquals(1, usage.err().strip().lines().count(), usage.err());

        Image.Run down = Image.run(Map.of("ORCHESTRATOR_URL", "http://127.0.0.1:1", "ORCHESTRATOR_PASSWORD", "x"),
                "ps");
        assertEquals(1, down.status());
        assertTrue(down.err().startsWith("error: cannot reach the orchestrator server at http://127.0.0.1:1"),
                down.err());
    }

    @Test
    void aDeployWhoseNewVersionNeverGetsHealthyIsRolledBackAndExitsNonZero() throws Exception {
        int port = freePort();
        String[] v1 = {"deploy", "--name", "cli-rb", "--image", "orchestrator-test/web:1", "--replicas", "2",
                "--port", port + ":8080", "--health-http", "http://localhost:8080/health", "--health-interval",
                "500ms", "--health-timeout", "500ms", "--health-retries", "2"};
        cli(v1);

        Image.Run bad = Image.run(env, "deploy", "--name", "cli-rb", "--image", "orchestrator-test/web:1",
                "--replicas", "2", "--port", port + ":8080", "--health-http", "http://localhost:8080/missing",
                "--health-interval", "500ms", "--health-timeout", "500ms", "--health-retries", "2",
                "--update-monitor", "1s");

        assertEquals(1, bad.status(), bad.out() + bad.err());
        String said = bad.out() + bad.err();
        assertTrue(said.contains("cli-rb: rolled back to revision 1 (revision 2 failed: "), said);
        assertTrue(said.contains("failed its health check"), said);
        JsonNode svc = api.get("/api/services/cli-rb").json();
        assertEquals(3, svc.get("revision").asInt());
        assertEquals("http://localhost:8080/health", svc.get("spec").get("health_check").get("endpoint").asText());
    }
}
