package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Health checks and self-healing with real containers: a replica made unhealthy on demand, one
 * that exits after a while, one that never listens, and an exec probe.
 */
class HealthIT extends ServerTestBase {
    @Test
    void unhealthyReplicaIsRestartedAndHealthyAgain() throws InterruptedException {
        deploy("""
                {"name": "hc-web", "image": "orchestrator-test/web:1", "replicas": 2,
                 "health_check": {"type": "http", "endpoint": "http://localhost:8080/health",
                                  "interval": "1s", "timeout": "1s", "retries": 2}}""");
        JsonNode svc = awaitService("hc-web", s -> s.get("healthy").asInt() == 2, "2/2 healthy");
        String oldId = container(svc, "hc-web-1").get("id").asText();
        Instant t0 = Instant.now();
        Container victim = containers("hc-web").stream()
                .filter(c -> c.getId().startsWith(oldId)).findFirst().orElseThrow();
        var exec = docker.execCreateCmd(victim.getId()).withCmd("rm", "/www/health").exec();
        docker.execStartCmd(exec.getId()).start().awaitCompletion();

        awaitService("hc-web", s -> s.get("healthy").asInt() == 2
                && !container(s, "hc-web-1").get("id").asText().equals(oldId), "hc-web-1 replaced and healthy");
        List<String> events = await(() -> messages("hc-web", t0),
                m -> m.contains("Container hc-web-1 healthy"), Duration.ofSeconds(15), "health events");
        int failed = indexOfPrefix(events, "Container hc-web-1 failed health check");
        int restarting = events.indexOf("Restarting hc-web-1...");
        int healthy = events.indexOf("Container hc-web-1 healthy");
        assertTrue(failed >= 0 && failed < restarting && restarting < healthy, events.toString());
        JsonNode types = api.get("/api/events?service=hc-web&since=" + t0).json();
        assertTrue(StreamSupport.stream(types.spliterator(), false)
                .filter(e -> e.get("container").asText().equals("hc-web-1"))
                .allMatch(e -> e.get("type").asText().equals("health_check")), types.toString());
    }

    @Test
    void replicaThatExitsIsRestartedWithBackoff() {
        deploy("""
                {"name": "hc-exit", "image": "orchestrator-test/busybox:1", "replicas": 1,
                 "command": ["sh", "-c", "sleep 1; exit 3"]}""");
        Instant t0 = Instant.now();
        List<String> events = await(() -> messages("hc-exit", t0.minusSeconds(5)),
                m -> m.stream().filter("Container hc-exit-0 exited with code 3"::equals).count() >= 2,
                Duration.ofSeconds(30), "two exits");
        assertTrue(events.contains("Restarting hc-exit-0..."), events.toString());
        JsonNode svc = awaitService("hc-exit", s -> container(s, "hc-exit-0").get("restarts").asInt() >= 3,
                "three restarts");
        assertTrue(svc.get("status").asText().matches("degraded|running|converging"), svc.toString());
        awaitService("hc-exit", s -> String.valueOf(container(s, "hc-exit-0").get("message").asText())
                .startsWith("restarting (backoff"), "backoff shown");
    }

    @Test
    void replicaThatNeverListensNeverTurnsHealthy() {
        deploy("""
                {"name": "hc-mute", "image": "orchestrator-test/busybox:1", "replicas": 1,
                 "command": ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"],
                 "health_check": {"type": "tcp", "port": 8080, "interval": "1s", "timeout": "500ms",
                                  "retries": 2}}""");
        Instant t0 = Instant.now();
        List<String> events = await(() -> messages("hc-mute", t0.minusSeconds(5)),
                m -> m.stream().anyMatch(e -> e.startsWith("Container hc-mute-0 failed health check"))
                        && m.contains("Restarting hc-mute-0..."), Duration.ofSeconds(30), "restart on health");
        JsonNode svc = api.get("/api/services/hc-mute").json();
        assertEquals(0, svc.get("healthy").asInt(), svc.toString());
        assertTrue(events.stream().noneMatch(e -> e.equals("Container hc-mute-0 healthy")), events.toString());
    }

    @Test
    void oomKilledReplicaIsReportedAndRestarted() {
        // Doubles a shell variable until the 8 MiB limit is hit.
        deploy("""
                {"name": "hc-oom", "image": "orchestrator-test/busybox:1", "replicas": 1,
                 "resources": {"memory_mb": 8},
                 "command": ["sh", "-c", "sleep 1; a=xxxxxxxxxxxxxxxx; while true; do a=$a$a; done"]}""");
        Instant t0 = Instant.now();
        List<String> events = await(() -> messages("hc-oom", t0.minusSeconds(5)),
                m -> m.stream().anyMatch(e -> e.startsWith("Container hc-oom-0 OOM killed"))
                        && m.contains("Restarting hc-oom-0..."), Duration.ofSeconds(30), "OOM kill and restart");
        assertTrue(events.indexOf("Restarting hc-oom-0...") > 0, events.toString());
    }

    @Test
    void execProbeRunsInsideTheContainer() {
        deploy("""
                {"name": "hc-exec", "image": "orchestrator-test/busybox:1", "replicas": 1,
                 "command": ["sh", "-c", "trap 'exit 0' TERM; touch /tmp/ok; while true; do sleep 1; done"],
                 "health_check": {"type": "exec", "command": ["test", "-f", "/tmp/ok"], "interval": "1s",
                                  "retries": 1}}""");
        awaitService("hc-exec", s -> s.get("healthy").asInt() == 1, "exec probe passes");
    }

    private void deploy(String json) {
        Api.Response r = api.post("/api/deploy", json);
        assertEquals(201, r.status(), r.body());
    }

    private static int indexOfPrefix(List<String> list, String prefix) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

}
