package dev.orchestrator.node;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.LogLine;
import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.cluster.LogListener;
import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.cluster.NodeLink;
import dev.orchestrator.cluster.Protocol;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The control plane's link to a remote agent: its endpoint's routes, called with the server's
 * key as a bearer token, each bounded by a 5 s timeout. Thread-safe.
 */
public final class HttpNodeLink implements NodeLink {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final HttpClient http;
    private final String url;
    private final Supplier<String> serverKey;

    /**
     * @param http      the client (shared by every link)
     * @param url       the agent's endpoint, e.g. {@code http://10.0.0.2:7947}
     * @param serverKey the key the server presents
     */
    public HttpNodeLink(HttpClient http, String url, Supplier<String> serverKey) {
        this.http = http;
        this.url = url;
        this.serverKey = serverKey;
    }

    /** @return the agent's endpoint */
    public String url() {
        return url;
    }

    @Override
    public List<LogEntry> serviceLogs(LogQuery query) {
        return Arrays.asList(Protocol.read(get(Protocol.SERVICE_LOGS_PATH + logQuery(query)), LogEntry[].class));
    }

    @Override
    public AutoCloseable followLogs(LogQuery query, LogListener listener) {
        var stream = new LogStreamIn(http, url, serverKey, query, listener);
        stream.start();
        return stream;
    }

    /** @return the query string of a log query, for the agent's routes */
    static String logQuery(LogQuery q) {
        var b = new StringBuilder("?service=").append(enc(q.service())).append("&tail=").append(q.tail());
        if (q.replica() != null) {
            b.append("&replica=").append(enc(q.replica()));
        }
        if (q.since() != null) {
            b.append("&since=").append(enc(q.since().toString()));
        }
        if (q.until() != null) {
            b.append("&until=").append(enc(q.until().toString()));
        }
        return b.toString();
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    @Override
    public boolean imagePresent(String image) {
        byte[] body = get(Protocol.IMAGES_PATH + "?image=" + URLEncoder.encode(image, StandardCharsets.UTF_8));
        return Protocol.read(body, Protocol.ImageCheck.class).present();
    }

    private byte[] get(String pathAndQuery) {
        var req = HttpRequest.newBuilder(URI.create(url + pathAndQuery)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + serverKey.get()).GET().build();
        HttpResponse<byte[]> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "node at " + url + " unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "interrupted");
        }
        if (res.statusCode() == 404) {
            throw new OrchestratorException(ErrorCode.NOT_FOUND, "the node has no such container");
        }
        if (res.statusCode() != 200) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "node at " + url + ": HTTP " + res.statusCode());
        }
        return res.body();
    }
}
