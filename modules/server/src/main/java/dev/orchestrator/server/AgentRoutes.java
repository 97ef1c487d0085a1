package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.cluster.JoinTokens;
import dev.orchestrator.cluster.NodeGateway;
import dev.orchestrator.cluster.NodeLinks;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.node.HttpNodeLink;
import dev.orchestrator.store.Store;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The HTTP transport of the node protocol for remote agents, authenticated by a join token
 * presented as a bearer token: {@code POST /agent/v1/heartbeat} (a report) and
 * {@code GET /agent/v1/watch} (a blocking query, held on the request's virtual thread). Both
 * hand over to the same {@link NodeGateway} the server's own node calls in process. A refused
 * request is answered 401 before its body is read, and recorded as an event (see
 * {@link Refusals}: the node is the one its {@code node} query parameter claims); the token
 * never appears in either. An agent must speak a version of the protocol this server speaks
 * ({@link Protocol#VERSION_HEADER}; every answer names the server's), else it is answered 400
 * with both sides' versions. A heartbeat's body is at most {@link Limits#agentBody()}. A token found valid is trusted for 5 s without
 * another look-up (a revoked token is refused within 5 s): every node reports every second.
 */
final class AgentRoutes implements HttpService {
    private static final String BEARER = "Bearer ";
    private static final io.helidon.http.HeaderName VERSION = HeaderNames.create(Protocol.VERSION_HEADER);
    private final Store store;
    private final NodeGateway gateway;
    private final NodeLinks links;
    private final Refusals refusals;
    private final long bodyLimit;
    private final VerifiedTokens verified = new VerifiedTokens(java.time.Duration.ofSeconds(5));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    AgentRoutes(Store store, NodeGateway gateway, NodeLinks links, Refusals refusals, long bodyLimit) {
        this.bodyLimit = bodyLimit;
        this.store = store;
        this.gateway = gateway;
        this.links = links;
        this.refusals = refusals;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/heartbeat", this::heartbeat)
                .get("/v1/watch", this::watch)
                .any((req, res) -> ErrorResponses.send(res, ErrorCode.NOT_FOUND, "no route " + req.path().path()));
    }

    private void heartbeat(ServerRequest req, ServerResponse res) {
        res.header(Protocol.VERSION_HEADER, Protocol.versionHeader());
        // The token first: a refused request's body is never read.
        if (!authorized(req, res, () -> claimedNode(req)) || !speaksOurVersion(req, res)) {
            return;
        }
        byte[] body = Bodies.read(req, bodyLimit);
        Protocol.Heartbeat hb = Protocol.read(body, Protocol.Heartbeat.class);
        Protocol.Reply reply = gateway.report(hb);
        if (hb.agentUrl() != null && !links.of(hb.node()).filter(l -> l instanceof HttpNodeLink h
                && h.url().equals(hb.agentUrl())).isPresent()) {
            String node = hb.node();
            links.register(node, new HttpNodeLink(http, hb.agentUrl(), () -> gateway.serverKey(node)));
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Protocol.write(reply));
    }

    private void watch(ServerRequest req, ServerResponse res) throws InterruptedException {
        String node = req.query().first("node").orElse(null);
        res.header(Protocol.VERSION_HEADER, Protocol.versionHeader());
        if (!authorized(req, res, () -> claimedNode(req)) || !speaksOurVersion(req, res)) {
            return;
        }
        long index = parse("index", req.query().first("index").orElse("0"));
        String w = req.query().first("wait").orElse("0s");
        // Zero asks for the view at once (an agent's first fetch); durations must otherwise be positive.
        Duration wait = w.matches("0+(ms|s)?") ? Duration.ZERO : Validation.duration("wait", w);
        Protocol.Desired view = gateway.watch(node, index, wait);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Protocol.write(view));
    }

    private boolean authorized(ServerRequest req, ServerResponse res, java.util.function.Supplier<String> claimed) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        String token = auth.startsWith(BEARER) ? auth.substring(BEARER.length()).trim() : null;
        if (token != null && verified.valid(token, () -> JoinTokens.verify(store, token).isPresent())) {
            return true;
        }
        refusals.refused(claimed.get(), req.remotePeer().host());
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"" + Auth.REALM + "\"");
        ErrorResponses.send(res, ErrorCode.UNAUTHENTICATED, "invalid or revoked join token");
        return false;
    }

    /**
     * An agent of a protocol version this server does not speak is refused (400) with a message
     * naming both sides' versions; its body is not read. An agent that names no version speaks 1.
     */
    private static boolean speaksOurVersion(ServerRequest req, ServerResponse res) {
        String claimed = claimedNode(req);
        var mismatch = Protocol.mismatch(req.headers().first(VERSION).orElse(null), "this server",
                claimed == null ? "the agent" : "the agent " + claimed);
        mismatch.ifPresent(m -> ErrorResponses.send(res, ErrorCode.INVALID_ARGUMENT, m));
        return mismatch.isEmpty();
    }

    private static long parse(String name, String value) {
        try {
            long v = Long.parseLong(value);
            if (v < 0) {
                throw OrchestratorException.invalid(name + " must not be negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw OrchestratorException.invalid(name + " must be an integer, got '" + value + "'");
        }
    }

    /**
     * The node name a refused request claims, for the event: its {@code node} query parameter
     * (agents send it with both requests); null if absent or not a node name.
     */
    private static String claimedNode(ServerRequest req) {
        String node = req.query().first("node").orElse(null);
        return node != null && node.matches("[a-z0-9-]{1,63}") ? node : null;
    }
}
