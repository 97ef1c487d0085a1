package dev.orchestrator.node;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.cluster.ControlPlaneLink;
import dev.orchestrator.cluster.Protocol;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A remote agent's link to the control plane: reports are {@code POST /agent/v1/heartbeat?node=},
 * watches {@code GET /agent/v1/watch?node=&index=&wait=} held open by the server, both with
 * the join token as a bearer token, and the protocol versions it speaks
 * ({@link Protocol#VERSION_HEADER}): a server that names none of them in its answer is refused
 * with a message naming both sides' versions. An HTTP error becomes the {@link OrchestratorException} the
 * server meant (its status and message); a failed connection {@code RUNTIME_FAILURE}.
 * It counts the bytes of the request and response bodies it sent and received (not HTTP
 * headers), for simulations that measure the protocol's traffic. Thread-safe.
 */
public final class HttpControlPlaneLink implements ControlPlaneLink, AutoCloseable {
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(5);
    private final URI server;
    private final ClusterJoin join;
    private ClusterJoin.Endpoint endpoint;
    private boolean stale;

    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder reports = new LongAdder();

    /**
     * @param server the server's base URL, e.g. {@code http://10.0.0.1:8080}
     * @param token  the join token
     */
    public HttpControlPlaneLink(URI server, String token) {
        this(server, token, null);
    }

    /**
     * @param server the server's base URL, e.g. {@code https://10.0.0.1:8080}
     * @param token  the join token
     * @param tls    whom an {@code https} server must be certified by, or null for the JDK's
     *               default trust (the public CAs)
     */
    public HttpControlPlaneLink(URI server, String token, javax.net.ssl.SSLContext tls) {
        this.server = server;
        this.join = null;
        this.endpoint = new ClusterJoin.Endpoint(server, ClusterJoin.client(tls), token);
    }

    private HttpControlPlaneLink(URI server, ClusterJoin join) {
        this.server = server;
        this.join = join;
    }

    /**
     * A link that finds where nodes connect, verifies the server by the cluster CA the token
     * pins, joins once and presents the node's own credential from then on (see
     * {@link ClusterJoin}). It connects on its first message (so an agent starts while the
     * server is away) and finds the listener again after a refused connection (a restarted
     * server may listen elsewhere).
     *
     * @param server  the server's API URL
     * @param token   the join token
     * @param node    this node's name
     * @param dataDir the node's data directory, where the credential is kept
     * @param apiTls  the TLS an {@code https} API needs, or null for the JDK's default
     * @return the link
     */
    public static HttpControlPlaneLink joining(URI server, String token, String node, java.nio.file.Path dataDir,
                                               javax.net.ssl.SSLContext apiTls) {
        return new HttpControlPlaneLink(server, new ClusterJoin(server, token, node, dataDir, apiTls));
    }

    private synchronized ClusterJoin.Endpoint endpoint() throws InterruptedException {
        if (join != null && (endpoint == null || stale)) {
            ClusterJoin.Endpoint next = join.connect(endpoint);
            if (endpoint != null && next.http() != endpoint.http()) {
                endpoint.http().shutdownNow();
            }
            endpoint = next;
            stale = false;
        }
        return endpoint;
    }

    private synchronized void connectionRefused() {
        stale = true;
    }

    @Override
    public Protocol.Reply report(Protocol.Heartbeat heartbeat) {
        byte[] body = Protocol.write(heartbeat);
        sent.add(body.length);
        reports.increment();
        // The node in the query too: a refused report is recorded with it, its body unread.
        try {
            ClusterJoin.Endpoint to = endpoint();
            URI uri = to.base().resolve(Protocol.HEARTBEAT_PATH + "?node="
                    + URLEncoder.encode(heartbeat.node(), StandardCharsets.UTF_8));
            var request = HttpRequest.newBuilder(uri).timeout(REPORT_TIMEOUT)
                    .header("Authorization", "Bearer " + to.bearer())
                    .header("Content-Type", "application/json")
                    .header(Protocol.VERSION_HEADER, Protocol.versionHeader())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            return Protocol.read(send(to, request), Protocol.Reply.class);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "interrupted");
        }
    }

    @Override
    public Protocol.Desired watch(String node, long index, Duration wait) throws InterruptedException {
        ClusterJoin.Endpoint to = endpoint();
        URI uri = to.base().resolve(Protocol.WATCH_PATH + "?node=" + URLEncoder.encode(node, StandardCharsets.UTF_8)
                + "&index=" + index + "&wait=" + wait.toMillis() + "ms");
        var request = HttpRequest.newBuilder(uri).timeout(wait.plus(REPORT_TIMEOUT))
                .header("Authorization", "Bearer " + to.bearer())
                .header(Protocol.VERSION_HEADER, Protocol.versionHeader()).GET().build();
        return Protocol.read(send(to, request), Protocol.Desired.class);
    }

    private byte[] send(ClusterJoin.Endpoint to, HttpRequest request) throws InterruptedException {
        HttpResponse<byte[]> res;
        try {
            res = to.http().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw new OrchestratorException(ErrorCode.UNAUTHENTICATED, "TLS with " + to.base() + " failed: "
                    + e.getMessage());
        } catch (java.net.ConnectException e) {
            connectionRefused(); // a restarted server may listen for nodes elsewhere
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "server " + to.base() + " unreachable: " + e);
        } catch (IOException e) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "server " + to.base() + " unreachable: " + e);
        }
        received.add(res.body().length);
        // A server of another protocol: say so whatever it answered (it may not be our refusal).
        var mismatch = Protocol.mismatch(res.headers().firstValue(Protocol.VERSION_HEADER).orElse(null),
                "this agent", "the server " + server);
        if (mismatch.isPresent()) {
            throw new OrchestratorException(ErrorCode.INVALID_ARGUMENT, mismatch.get());
        }
        if (res.statusCode() == 200) {
            return res.body();
        }
        String body = new String(res.body(), StandardCharsets.UTF_8);
        if (res.statusCode() == 401 && join != null) {
            throw new OrchestratorException(ErrorCode.UNAUTHENTICATED, "the server refused this node's credential ("
                    + body + "): was the node removed (orchestrator node rm)? To join again, stop the agent, remove "
                    + join.credentialFile() + " and start it with a join token");
        }
        throw new OrchestratorException(code(res.statusCode()), "HTTP " + res.statusCode() + " " + body);
    }

    private static ErrorCode code(int status) {
        return switch (status) {
            case 400 -> ErrorCode.INVALID_ARGUMENT;
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 409 -> ErrorCode.CONFLICT;
            default -> ErrorCode.RUNTIME_FAILURE;
        };
    }

    /** @return the bytes of request bodies sent so far (reports) */
    public long bytesSent() {
        return sent.sum();
    }

    /** @return the reports sent so far, answered or not */
    public long reportsSent() {
        return reports.sum();
    }

    /** @return the bytes of response bodies received so far (replies, views and errors) */
    public long bytesReceived() {
        return received.sum();
    }

    @Override
    public void close() {
        ClusterJoin.Endpoint last;
        synchronized (this) {
            last = endpoint;
        }
        if (last != null) {
            last.http().close();
        }
        if (join != null) {
            join.close();
        }
    }
}
