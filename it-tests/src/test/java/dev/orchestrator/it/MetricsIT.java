package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} of the image's server: behind the API's authentication, valid for
 * Prometheus' own checker ({@code promtool check metrics}, from Debian's prometheus package,
 * fetched by scripts/test-tools.sh), and true after known actions: a replica killed is one
 * restart counted, replicas healthy are counted healthy.
 */
class MetricsIT extends ServerTestBase {
    @Test
    void metricsNeedCredentialsPassPromtoolAndFollowWhatHappens() throws Exception {
        assertEquals(401, new Api(server.url(), null, null).get("/metrics").status());
        int published;
        try (var probe = new java.net.ServerSocket(0)) {
            published = probe.getLocalPort();
        }
        assertEquals(201, api.post("/api/deploy", """
                {"name": "met-web", "image": "orchestrator-test/web:1", "replicas": 2,
                 "ports": [{"container_port": 8080, "host_port": %d}],
                 "health_check": {"type": "http", "endpoint": "http://localhost:8080/health",
                                  "interval": "1s", "timeout": "1s", "retries": 2}}""".formatted(published))
                .status());
        await(() -> value(scrape(), "orchestrator_service_replicas_healthy", "service=\"met-web\""),
                v -> v.isPresent() && v.getAsDouble() == 2.0, Duration.ofSeconds(40), "2 healthy in /metrics");

        String victim = containers("met-web").getFirst().getId();
        docker.killContainerCmd(victim).exec();
        await(() -> value(scrape(), "orchestrator_restarts_total", "reason=\"exited\"", "service=\"met-web\""),
                v -> v.isPresent() && v.getAsDouble() == 1.0, Duration.ofSeconds(30), "one restart counted");
        await(() -> value(scrape(), "orchestrator_service_replicas_healthy", "service=\"met-web\""),
                v -> v.isPresent() && v.getAsDouble() == 2.0, Duration.ofSeconds(40), "2 healthy again");

        // Node-side series, through the nodes' reports: probes counted, containers measured,
        // and the bytes of a request through the published port.
        await(() -> value(scrape(), "orchestrator_probes_total", "result=\"healthy\"", "service=\"met-web\"",
                        "node=\"node-1\""),
                v -> v.isPresent() && v.getAsDouble() > 0, Duration.ofSeconds(30), "probes counted");
        await(() -> value(scrape(), "orchestrator_container_memory_bytes", "replica=\"met-web-0\""),
                v -> v.isPresent() && v.getAsDouble() > 0, Duration.ofSeconds(30), "a replica's memory");
        var client = java.net.http.HttpClient.newHttpClient();
        var reply = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + published + "/")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode());
        await(() -> value(scrape(), "orchestrator_lb_sent_bytes_total", "port=\"" + published + "\""),
                v -> v.isPresent() && v.getAsDouble() > 0, Duration.ofSeconds(30), "load balancer bytes counted");

        String text = scrape();
        assertTrue(value(text, "orchestrator_lb_connections_total", "port=\"" + published + "\"").orElse(0) >= 1,
                text);
        assertTrue(value(text, "orchestrator_probe_duration_seconds_count", "service=\"met-web\"").orElse(0) > 0);
        assertTrue(value(text, "orchestrator_node_up", "node=\"node-1\"").orElse(0) == 1.0, text);
        assertTrue(value(text, "orchestrator_service_replicas_desired", "service=\"met-web\"").orElse(0) == 2.0);
        assertTrue(text.contains("orchestrator_http_requests_seconds_count{"), "API requests timed");
        assertTrue(text.contains("orchestrator_scheduling_passes_seconds_count"), "assigner passes timed");
        promtool(text);
    }

    private String scrape() {
        Api.Response r = api.get("/metrics");
        assertEquals(200, r.status(), r.body());
        return r.body();
    }

    /** The value of the one sample of {@code name} whose labels contain all of {@code labels}. */
    private static OptionalDouble value(String text, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)}\\s+(\\S+)$").matcher(text);
        while (m.find()) {
            String l = m.group(1);
            boolean all = true;
            for (String want : labels) {
                all &= l.contains(want);
            }
            if (all) {
                return OptionalDouble.of(Double.parseDouble(m.group(2)));
            }
        }
        return OptionalDouble.empty();
    }

    private void promtool(String text) throws IOException, InterruptedException {
        Path tool = Path.of("/opt/orchestrator-test/bin/promtool");
        String exe = Files.isExecutable(tool) ? tool.toString() : "promtool";
        Process p;
        try {
            p = new ProcessBuilder(exe, "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is missing: run scripts/test-tools.sh", e);
        }
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), "promtool check metrics: " + out);
        assertEquals("", out.strip(), "no lint findings");
    }
}
