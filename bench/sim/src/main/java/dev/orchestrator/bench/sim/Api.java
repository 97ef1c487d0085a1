package dev.orchestrator.bench.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/** The few REST API calls the simulation makes, with basic auth as {@code admin}. Thread-safe. */
final class Api implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String auth;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(URI base, String password) {
        this.base = base;
        this.auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Counts of the replicas the API shows, over every service. */
    record Counts(int services, int desired, int placed, int running) {
    }

    /** @return a new join token */
    String token() throws IOException, InterruptedException {
        return JSON.readTree(send("POST", "/api/tokens", "")).get("token").asText();
    }

    /** Deploys one service; fails unless the API answers 2xx. */
    void deploy(String json) throws IOException, InterruptedException {
        send("POST", "/api/deploy", json);
    }

    /** @return how many nodes are {@code ready} */
    int readyNodes() throws IOException, InterruptedException {
        int n = 0;
        for (JsonNode node : JSON.readTree(send("GET", "/api/nodes", null))) {
            n += "ready".equals(node.get("status").asText()) ? 1 : 0;
        }
        return n;
    }

    /**
     * @param dead nodes whose replicas do not count
     * @return placed (assigned to a node not in {@code dead}) and running (there) replicas
     */
    Counts counts(Set<String> dead) throws IOException, InterruptedException {
        JsonNode services = JSON.readTree(send("GET", "/api/services", null));
        int desired = 0;
        int placed = 0;
        int running = 0;
        for (JsonNode s : services) {
            desired += s.get("replicas").asInt();
            for (JsonNode c : s.get("containers")) {
                JsonNode node = c.get("node_id");
                if (node == null || node.isNull() || dead.contains(node.asText())) {
                    continue;
                }
                placed++;
                running += "running".equals(c.get("status").asText()) ? 1 : 0;
            }
        }
        return new Counts(services.size(), desired, placed, running);
    }

    private byte[] send(String method, String path, String body) throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).header("Authorization", auth);
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (res.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + ": HTTP " + res.statusCode() + " "
                    + new String(res.body(), StandardCharsets.UTF_8));
        }
        return res.body();
    }

    @Override
    public void close() {
        http.close();
    }
}
