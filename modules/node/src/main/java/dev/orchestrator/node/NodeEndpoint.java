package dev.orchestrator.node;

import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.cluster.NodeLink;
import dev.orchestrator.cluster.Protocol;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A remote agent's own HTTP endpoint: {@code GET /health}, and the {@link NodeLink} calls the
 * server makes on the node ({@code GET /agent/v1/images}, a service's captured logs and their
 * stream). The link routes answer only the server, which presents the key of its last answer to a report.
 */
final class NodeEndpoint {
    private NodeEndpoint() {
    }

    static WebServer start(String address, int port, NodeLink link, Supplier<String> serverKey) {
        return WebServer.builder()
                .featuresDiscoverServices(false)
                .host(address)
                .port(port)
                .routing(r -> r.get("/health", (req, res) -> json(res, "{\"status\":\"ok\"}"))
                        .get(Protocol.SERVICE_LOGS_PATH, (req, res) -> {
                            if (authorized(req, res, serverKey)) {
                                json(res, new String(Protocol.write(link.serviceLogs(query(req))),
                                        StandardCharsets.UTF_8));
                            }
                        })
                        .get(Protocol.FOLLOW_LOGS_PATH, (req, res) -> {
                            if (authorized(req, res, serverKey)) {
                                LogStreamOut.follow(res, link, query(req));
                            }
                        })
                        .get(Protocol.IMAGES_PATH, (req, res) -> {
                            if (authorized(req, res, serverKey)) {
                                String image = req.query().first("image").orElse("");
                                boolean present = !image.isEmpty() && link.imagePresent(image);
                                json(res, new String(Protocol.write(new Protocol.ImageCheck(present)),
                                        StandardCharsets.UTF_8));
                            }
                        }))
                .build()
                .start();
    }

    private static boolean authorized(ServerRequest req, ServerResponse res, Supplier<String> serverKey) {
        String key = serverKey.get();
        String presented = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (key == null || !MessageDigest.isEqual(("Bearer " + key).getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8))) {
            res.status(Status.UNAUTHORIZED_401);
            json(res, "{\"error\":\"unauthenticated\",\"message\":\"only the server may call this node\"}");
            return false;
        }
        return true;
    }

    /** The server builds these queries: a bad one is its bug, answered as no filter. */
    private static LogQuery query(ServerRequest req) {
        return new LogQuery(req.query().first("service").orElse(""),
                req.query().first("replica").asOptional().orElse(null),
                instant(req.query().first("since").asOptional().orElse(null)),
                instant(req.query().first("until").asOptional().orElse(null)),
                req.query().first("tail").asOptional().map(v -> Math.clamp(tailOrZero(v), 0, 10_000)).orElse(0));
    }

    private static int tailOrZero(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant instant(String v) {
        try {
            return v == null ? null : Instant.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static void json(ServerResponse res, String body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }
}
