package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.api.Event;
import dev.orchestrator.cluster.JoinTokens;
import dev.orchestrator.cluster.NodeCredentials;
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
import java.time.Clock;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * The HTTP transport of the node protocol for remote agents. {@code GET /agent/v1/cluster}
 * (unauthenticated) says where nodes reach the server: on a server with a cluster listener,
 * that listener (TLS certified by the cluster CA) serves the rest and the API's port answers it
 * with 400. {@code POST /agent/v1/join?node=} with a join token issues the node its own
 * credential (and the CA's certificate). Then, authenticated by that credential, or a join
 * token, as a bearer token: {@code POST /agent/v1/heartbeat} (a report) and
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
    private final Clock clock;
    private final Listener listener;

    /**
     * Where these routes are served.
     *
     * @param servesNodes false on the API's port of a server with a cluster listener: there only
     *                    the discovery answers
     * @param clusterPort the cluster listener's port once it listens, or null if there is none
     * @param caPem       the cluster CA's certificate, or null if there is none
     */
    record Listener(boolean servesNodes, IntSupplier clusterPort, String caPem) {
        /** The API's port of a server without a cluster listener: it serves nodes itself. */
        static final Listener PLAIN = new Listener(true, null, null);
    }

    AgentRoutes(Store store, NodeGateway gateway, NodeLinks links, Refusals refusals, long bodyLimit) {
        this(store, gateway, links, refusals, bodyLimit, Clock.systemUTC(), Listener.PLAIN);
    }

    AgentRoutes(Store store, NodeGateway gateway, NodeLinks links, Refusals refusals, long bodyLimit, Clock clock,
                Listener listener) {
        this.clock = clock;
        this.listener = listener;
        this.bodyLimit = bodyLimit;
        this.store = store;
        this.gateway = gateway;
        this.links = links;
        this.refusals = refusals;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/cluster", this::cluster);
        if (listener.servesNodes()) {
            rules.post("/v1/join", this::join)
                    .post("/v1/heartbeat", this::heartbeat)
                    .get("/v1/watch", this::watch);
        } else {
            rules.any("/v1/join", this::elsewhere)
                    .any("/v1/heartbeat", this::elsewhere)
                    .any("/v1/watch", this::elsewhere);
        }
        rules.any((req, res) -> ErrorResponses.send(res, ErrorCode.NOT_FOUND, "no route " + req.path().path()));
    }

    private void cluster(ServerRequest req, ServerResponse res) {
        res.header(Protocol.VERSION_HEADER, Protocol.versionHeader());
        Integer port = listener.clusterPort() == null ? null : listener.clusterPort().getAsInt();
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Protocol.write(new Protocol.Cluster(port)));
    }

    /** Node traffic on the API's port of a server whose nodes use TLS: refused, body unread. */
    private void elsewhere(ServerRequest req, ServerResponse res) {
        res.header(Protocol.VERSION_HEADER, Protocol.versionHeader());
        ErrorResponses.send(res, ErrorCode.INVALID_ARGUMENT, "nodes reach this server over TLS on port "
                + listener.clusterPort().getAsInt() + " (see GET " + Protocol.CLUSTER_PATH
                + "), not on the API's port: an agent of this version finds it itself");
    }

    private void join(ServerRequest req, ServerResponse res) {
        res.header(Protocol.VERSION_HEADER, Protocol.versionHeader());
        String node = claimedNode(req);
        String token = bearer(req);
        var id = token == null || NodeCredentials.looksLikeOne(token) ? java.util.Optional.<String>empty()
                : JoinTokens.verify(store, token);
        if (id.isEmpty()) {
            refuse(req, res, "a node joins with a valid join token (orchestrator token create)");
            return;
        }
        if (!speaksOurVersion(req, res)) {
            return;
        }
        if (node == null) {
            throw OrchestratorException.invalid("node must be a node name (1..63 of a-z, 0-9 and -)");
        }
        String credential = store.inTransaction(tx -> {
            // A name whose node reports with its credential stays that node's: a join under it
            // waits until the node is down (a machine replaced), as a second agent's reports do.
            if (tx.credentials().get(node).isPresent() && tx.nodes().get(node)
                    .filter(n -> n.status() == dev.orchestrator.api.NodeStatus.READY).isPresent()) {
                throw new OrchestratorException(ErrorCode.CONFLICT, "node name '" + node + "' is in use by a node"
                        + " that reports: it can join under that name once that node is down, or removed");
            }
            String c = NodeCredentials.issue(tx, node, clock.instant());
            tx.events().append(new Event(clock.instant(), "node", null, null, "Node " + node
                    + " joined with join token " + id.get() + " and received its own credential").onNode(node));
            return c;
        });
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Protocol.write(new Protocol.Joined(node, credential, listener.caPem())));
    }

    private void heartbeat(ServerRequest req, ServerResponse res) {
        res.header(Protocol.VERSION_HEADER, Protocol.versionHeader());
        // The token first: a refused request's body is never read.
        if (!authorized(req, res, () -> claimedNode(req)) || !speaksOurVersion(req, res)) {
            return;
        }
        byte[] body = Bodies.read(req, bodyLimit);
        Protocol.Heartbeat hb = Protocol.read(body, Protocol.Heartbeat.class);
        if (NodeCredentials.looksLikeOne(bearer(req)) && !hb.node().equals(claimedNode(req))) {
            // A node's credential speaks for that node only.
            throw new OrchestratorException(ErrorCode.PERMISSION_DENIED, "the credential of node " + claimedNode(req)
                    + " may not report for node " + hb.node());
        }
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

    /**
     * A node's own credential (for the node it claims), looked up at every request (one
     * primary-key read) so a removed node is refused at once; or a join token, trusted for 5 s
     * once found valid.
     */
    private boolean authorized(ServerRequest req, ServerResponse res, java.util.function.Supplier<String> claimed) {
        String token = bearer(req);
        if (token != null && NodeCredentials.looksLikeOne(token)) {
            String node = claimed.get();
            if (NodeCredentials.verify(store, node, token)) {
                return true;
            }
            refuse(req, res, "invalid or revoked node credential (a removed node joins again with a join token)");
            return false;
        }
        if (token != null && verified.valid(token, () -> JoinTokens.verify(store, token).isPresent())) {
            return true;
        }
        refuse(req, res, "invalid or revoked join token");
        return false;
    }

    private void refuse(ServerRequest req, ServerResponse res, String message) {
        refusals.refused(claimedNode(req), req.remotePeer().host());
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"" + Auth.REALM + "\"");
        ErrorResponses.send(res, ErrorCode.UNAUTHENTICATED, message);
    }

    private static String bearer(ServerRequest req) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        return auth.startsWith(BEARER) ? auth.substring(BEARER.length()).trim() : null;
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
