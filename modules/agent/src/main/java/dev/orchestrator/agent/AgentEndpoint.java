package dev.orchestrator.agent;

import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.LogLine;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.orchestration.Labels;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent's own HTTP endpoint: {@code GET /health}, and {@code GET /agent/v1/logs} through
 * which the server reads the logs of this node's containers. The logs route answers only the
 * server, which presents the key of its last heartbeat reply, and only for containers labelled
 * for this node.
 */
final class AgentEndpoint {
    private AgentEndpoint() {
    }

    static WebServer start(AgentOptions options, ContainerRuntime runtime, Supplier<String> serverKey) {
        return WebServer.builder()
                .featuresDiscoverServices(false)
                .host(options.advertiseAddress())
                .port(options.port())
                .routing(r -> r.get("/health", (req, res) -> json(res, "{\"status\":\"ok\"}"))
                        .get(Protocol.LOGS_PATH, (req, res) -> logs(req, res, options, runtime, serverKey)))
                .build()
                .start();
    }

    private static void logs(ServerRequest req, ServerResponse res, AgentOptions options, ContainerRuntime runtime,
                             Supplier<String> serverKey) {
        String key = serverKey.get();
        String presented = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (key == null || !MessageDigest.isEqual(("Bearer " + key).getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8))) {
            res.status(Status.UNAUTHORIZED_401);
            json(res, "{\"error\":\"unauthenticated\",\"message\":\"only the server may read logs here\"}");
            return;
        }
        String id = req.query().first("container").orElse("");
        int tail = req.query().first("tail").map(AgentEndpoint::tail).orElse(100);
        boolean ours = !id.isEmpty() && runtime.inspect(id)
                .filter(c -> options.name().equals(c.labels().get(Labels.NODE))).isPresent();
        if (!ours) {
            res.status(Status.NOT_FOUND_404);
            json(res, "{\"error\":\"not_found\",\"message\":\"no container of this node with that id\"}");
            return;
        }
        List<LogLine> lines = runtime.logs(id, tail);
        json(res, new String(Protocol.write(lines.stream().map(l -> new Protocol.Log(
                Optional.ofNullable(l.timestamp()).map(t -> t.toEpochMilli()).orElse(0L), l.stream(), l.text()))
                .toList()), StandardCharsets.UTF_8));
    }

    private static int tail(String v) {
        try {
            return Math.clamp(Integer.parseInt(v), 1, 10_000);
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    private static void json(ServerResponse res, String body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }
}
