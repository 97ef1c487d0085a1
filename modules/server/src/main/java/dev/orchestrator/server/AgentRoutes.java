package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.cluster.JoinTokens;
import dev.orchestrator.cluster.Membership;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.store.Store;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /agent/v1/heartbeat}: agents' heartbeats, authenticated by a join token presented
 * as a bearer token. A refused heartbeat is answered 401 and recorded as an event (at most once a
 * minute per node and address); the token never appears in either.
 */
final class AgentRoutes implements HttpService {
    private static final String BEARER = "Bearer ";
    private final Store store;
    private final Membership membership;

    AgentRoutes(Store store, Membership membership) {
        this.store = store;
        this.membership = membership;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/heartbeat", this::heartbeat)
                .any((req, res) -> ErrorResponses.send(res, ErrorCode.NOT_FOUND, "no route " + req.path().path()));
    }

    private void heartbeat(ServerRequest req, ServerResponse res) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        String token = auth.startsWith(BEARER) ? auth.substring(BEARER.length()).trim() : null;
        byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        if (JoinTokens.verify(store, token).isEmpty()) {
            membership.refused(claimedNode(body), req.remotePeer().host());
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"" + Auth.REALM + "\"");
            ErrorResponses.send(res, ErrorCode.UNAUTHENTICATED, "invalid or revoked join token");
            return;
        }
        Protocol.Reply reply = membership.heartbeat(Protocol.read(body, Protocol.Heartbeat.class));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Protocol.write(reply));
    }

    /** The node name a refused request claims, for the event; null if it does not parse. */
    private static String claimedNode(byte[] body) {
        try {
            String node = Protocol.read(body, Protocol.Heartbeat.class).node();
            return node != null && node.matches("[a-z0-9-]{1,63}") ? node : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
