package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;
import static dev.orchestrator.it.OrchestrationIT.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An update replaces replicas one at a time while the published port keeps answering. */
class UpdateIT extends ServerTestBase {
    private static String spec(int port, String version) {
        return """
                {"name": "upd-web", "image": "orchestrator-test/web:1", "replicas": 3,
                 "env": {"VERSION": "%s"},
                 "ports": [{"container_port": 8080, "host_port": %d}],
                 "health_check": {"type": "http", "endpoint": "http://localhost:8080/health",
                                  "interval": "500ms", "timeout": "500ms", "retries": 2}}""".formatted(version, port);
    }

    @Test
    void updateKeepsServing() throws Exception {
        int port = freePort();
        assertEquals(201, api.post("/api/deploy", spec(port, "1")).status());
        awaitService("upd-web", s -> s.get("healthy").asInt() == 3, "3/3 healthy");

        var ok = new AtomicInteger();
        var failed = new AtomicInteger();
        var done = new AtomicBoolean();
        Thread load = Thread.ofVirtual().start(() -> hammer(port, ok, failed, done));
        Api.Response update = api.post("/api/deploy", spec(port, "2"));
        assertEquals(200, update.status(), update.body());
        assertEquals(2, update.json().get("revision").asInt());
        JsonNode svc = awaitService("upd-web", s -> "running".equals(s.get("status").asText())
                && s.get("healthy").asInt() == 3, "3/3 healthy at revision 2");
        done.set(true);
        load.join();

        for (JsonNode c : svc.get("containers")) {
            assertEquals(2, c.get("revision").asInt(), c.toString());
        }
        // Each old container is stopped aside after it left the load balancer, within its grace.
        await(() -> containers("upd-web").size(), n -> n == 3, Duration.ofSeconds(20), "old containers are gone");
        assertTrue(ok.get() > 20, "requests served during the update: " + ok.get());
        assertEquals(0, failed.get(), "requests failed during the update (of " + (ok.get() + failed.get()) + ")");
        assertEquals(3, messages("upd-web", Instant.EPOCH).stream()
                .filter(m -> m.matches("Updated upd-web-\\d to revision 2")).count());
    }

    /** GETs the published port every 20 ms until told to stop (at most 90 s). */
    private static void hammer(int port, AtomicInteger ok, AtomicInteger failed, AtomicBoolean done) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plusSeconds(90);
        while (!done.get() && Instant.now().isBefore(deadline)) {
            try {
                var res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                (res.statusCode() == 200 ? ok : failed).incrementAndGet();
                Thread.sleep(20);
            } catch (Exception e) {
                failed.incrementAndGet();
            }
        }
    }
}
