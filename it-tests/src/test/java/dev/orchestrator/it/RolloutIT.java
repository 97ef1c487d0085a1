package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;
import static dev.orchestrator.it.OrchestrationIT.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Rollouts driven by the server's deployment controller, under real traffic (a request every
 * 20 ms through the published port, about 50 a second): a version that never gets healthy
 * rolls back by itself, a health check added by an update keeps serving, and a server killed
 * in the middle of a rollout finishes it after its restart.
 */
class RolloutIT extends ServerTestBase {
    private static final String CHECK = """
            , "health_check": {"type": "http", "endpoint": "http://localhost:8080%s",
                               "interval": "500ms", "timeout": "500ms", "retries": 2}""";

    private static String spec(String name, int port, String version, String check, String update) {
        return """
                {"name": "%s", "image": "orchestrator-test/web:1", "replicas": 3,
                 "env": {"VERSION": "%s"},
                 "ports": [{"container_port": 8080, "host_port": %d}]%s%s}"""
                .formatted(name, version, port, check == null ? "" : CHECK.formatted(check),
                        update == null ? "" : ", \"update\": " + update);
    }

    @Test
    void aVersionThatNeverGetsHealthyRollsBackByItselfWithNoFailedRequest() throws Exception {
        int port = freePort();
        assertEquals(201, api.post("/api/deploy", spec("rb-web", port, "1", "/health", null)).status());
        // A client in a managed container asks for the service by name, every 50 ms.
        assertEquals(201, api.post("/api/deploy", """
                {"name": "rb-client", "image": "orchestrator-test/busybox:1", "command": ["sh", "-c",
                 "while true; do if wget -O - http://rb-web:8080/health >/dev/null 2>&1; then echo ok;\
                 else echo FAIL; fi; sleep 0.05; done"]}""").status());
        awaitService("rb-web", s -> s.get("healthy").asInt() == 3, "3/3 healthy");
        String client = await(() -> containers("rb-client").stream().filter(c -> "running".equals(c.getState()))
                .map(c -> c.getId()).findFirst().orElse(""), id -> !id.isEmpty() && clientLines(id).contains("ok"),
                Duration.ofSeconds(30), "the client reaching rb-web by name");
        int linesBefore = clientLines(client).size();
        Instant start = Instant.now();

        try (Load load = Load.on(port)) {
            Api.Response bad = api.post("/api/deploy", spec("rb-web", port, "2", "/missing",
                    "{\"monitor\": \"2s\"}"));
            assertEquals(200, bad.status(), bad.body());
            JsonNode svc = awaitService("rb-web", s -> s.get("revision").asInt() == 3
                    && rollout(s, "succeeded"), "rolled back to the spec of revision 1, as revision 3");
            load.stop();

            JsonNode d = svc.get("deployment");
            assertTrue(d.get("rollback").asBoolean(), d.toString());
            assertEquals(2, d.get("from_revision").asInt(), d.toString());
            assertEquals("1", svc.get("spec").get("env").get("VERSION").asText());
            assertEquals(3, svc.get("healthy").asInt());
            for (JsonNode c : svc.get("containers")) {
                assertTrue(List.of(1, 3).contains(c.get("revision").asInt()), "runs the old spec: " + c);
            }
            List<String> events = messages("rb-web", start);
            assertTrue(events.stream().anyMatch(m -> m.startsWith("rollback: rb-web-")
                    && m.contains("failed its health check") && m.contains("rolling rb-web back from revision 2"
                    + " to revision 1")), events.toString());
            await(() -> containers("rb-web").size() == 3, Duration.ofSeconds(20),
                    "no container of revision 2 left (the node removes the last failed one as it goes)");
            load.assertNoFailure();
            List<String> byName = clientLines(client);
            byName = byName.subList(linesBefore, byName.size());
            assertTrue(byName.stream().filter("ok"::equals).count() > 20, "requests by name: " + byName.size());
            assertEquals(0, byName.stream().filter("FAIL"::equals).count(),
                    "requests by service name from a container that failed during the rollout and rollback, of "
                            + byName.size());
        }
    }

    /** The client container's output lines so far. */
    private List<String> clientLines(String id) {
        var out = new StringBuilder();
        try (var cb = docker.logContainerCmd(id).withStdOut(true).withStdErr(true)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame f) {
                        synchronized (out) {
                            out.append(new String(f.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }
                })) {
            cb.awaitCompletion(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("logs of " + id + ": " + e, e);
        }
        synchronized (out) {
            return out.toString().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        }
    }

    @Test
    void addingAHealthCheckInAnUpdateKeepsServing() throws Exception {
        int port = freePort();
        assertEquals(201, api.post("/api/deploy", spec("hc-add", port, "1", null, null)).status());
        awaitService("hc-add", s -> s.get("running").asInt() == 3, "3/3 running");

        try (Load load = Load.on(port)) {
            assertEquals(200, api.post("/api/deploy", spec("hc-add", port, "2", "/health",
                    "{\"parallelism\": 2, \"monitor\": \"1s\"}")).status());
            JsonNode svc = awaitService("hc-add", s -> rollout(s, "succeeded"), "the rollout to succeed");
            load.stop();

            assertEquals(2, svc.get("revision").asInt());
            assertEquals(3, svc.get("healthy").asInt(), svc.toString());
            assertEquals(3, containers("hc-add").size());
            load.assertNoFailure();
        }
    }

    @Test
    void aServerKilledInTheMiddleOfARolloutFinishesItAfterItsRestart() throws Exception {
        int port = freePort();
        assertEquals(201, api.post("/api/deploy", spec("kill-web", port, "1", "/health", null)).status());
        awaitService("kill-web", s -> s.get("healthy").asInt() == 3, "3/3 healthy");
        Instant start = Instant.now();

        assertEquals(200, api.post("/api/deploy", spec("kill-web", port, "2", "/health",
                "{\"delay\": \"2s\", \"monitor\": \"1s\"}")).status());
        await(() -> messages("kill-web", start), m -> m.stream().anyMatch(e -> e.startsWith("Updated kill-web-")),
                Duration.ofSeconds(30), "the first replica updated");
        assertEquals(137, server.kill(), "SIGKILL");
        // The same data directory; the containers running meanwhile are this test's still.
        server = ServerProcess.start(work.resolve("data"), PASSWORD);
        api = new Api(server.url(), "admin", PASSWORD);

        JsonNode svc = awaitService("kill-web", s -> rollout(s, "succeeded"), "the rollout to finish");
        assertEquals(2, svc.get("revision").asInt());
        for (JsonNode c : svc.get("containers")) {
            assertEquals(2, c.get("revision").asInt(), c.toString());
        }
        Thread.sleep(2000); // a reconcile pass after the end
        assertEquals(3, containers("kill-web").size(), "one container per replica: nothing duplicated");
    }

    private static boolean rollout(JsonNode svc, String status) {
        JsonNode d = svc.get("deployment");
        return d != null && !d.isNull() && status.equals(d.get("status").asText())
                && svc.get("revision").asInt() == d.get("revision").asInt();
    }

    /** GETs the published port every 20 ms on a thread of its own. */
    private static final class Load implements AutoCloseable {
        private final AtomicInteger ok = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicBoolean done = new AtomicBoolean();
        private final Thread thread;

        private Load(int port) {
            thread = Thread.ofVirtual().start(() -> run(port));
        }

        static Load on(int port) {
            return new Load(port);
        }

        private void run(int port) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Instant deadline = Instant.now().plusSeconds(120);
            while (!done.get() && Instant.now().isBefore(deadline)) {
                try {
                    var res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                    if (res.statusCode() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        failures.add(Instant.now() + " HTTP " + res.statusCode());
                    }
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failed.incrementAndGet();
                    failures.add(Instant.now() + " " + e);
                }
            }
        }

        void stop() throws InterruptedException {
            done.set(true);
            thread.join();
        }

        void assertNoFailure() {
            assertTrue(ok.get() > 50, "requests served: " + ok.get());
            assertEquals(0, failed.get(), "failed requests (of " + (ok.get() + failed.get()) + "): " + failures);
        }

        @Override
        public void close() {
            try {
                stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
