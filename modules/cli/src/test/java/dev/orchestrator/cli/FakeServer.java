package dev.orchestrator.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny REST server on 127.0.0.1 that answers canned responses and records every request,
 * to test the client's logic only (the real server is tested end to end elsewhere).
 */
final class FakeServer implements AutoCloseable {
    /** One request received. */
    record Request(String method, String path, String query, String authorization, String contentType,
                   String body) {
    }

    private record Answer(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();

    FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:41234} */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Queues a JSON answer for {@code METHOD path} (no query); the last one queued repeats.
     */
    FakeServer json(String method, String path, int status, String body) {
        return answer(method, path, status, "application/json", body);
    }

    /** Queues an answer of any content type. */
    FakeServer answer(String method, String path, int status, String contentType, String body) {
        answers.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>())
                .add(new Answer(status, contentType, body));
        return this;
    }

    /** @return every request received, in order */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestURI().getQuery(),
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"),
                    body));
            Deque<Answer> queue = answers.get(ex.getRequestMethod() + " " + path);
            Answer a;
            if (queue == null) {
                a = new Answer(404, "application/json", "{\"error\":\"not_found\",\"message\":\"no route "
                        + ex.getRequestMethod() + " " + path + "\"}");
            } else {
                synchronized (queue) {
                    a = queue.size() > 1 ? queue.poll() : queue.peek();
                }
            }
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", a.contentType());
            ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
