package dev.orchestrator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A server-sent event stream of the API, read in the background over real HTTP. */
final class SseStream implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One event: its name, id and JSON data. */
    record Sse(String event, String id, JsonNode data) {
    }

    final List<Sse> events = new CopyOnWriteArrayList<>();
    private final HttpResponse<InputStream> response;

    /**
     * @param url      e.g. the server's {@code http://127.0.0.1:PORT/api/services/web/logs?follow=true}
     * @param password the admin's
     * @param lastId   sent as {@code Last-Event-ID}, or null
     */
    SseStream(String url, String password, String lastId) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "text/event-stream");
        if (lastId != null) {
            b.header("Last-Event-ID", lastId);
        }
        response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode(), url);
        Thread.ofVirtual().start(this::read);
    }

    private void read() {
        try (var in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = "message";
            String id = null;
            String data = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data = line.substring(5).trim(); // comments come with empty data
                } else if (line.isEmpty()) {
                    if (data != null && !data.isEmpty()) {
                        events.add(new Sse(event, id, Api.JSON.readTree(data)));
                    }
                    event = "message";
                    data = null;
                }
            }
        } catch (IOException e) {
            // closed by the test
        }
    }

    /** @return the {@code line} events' data, in order */
    List<JsonNode> lines() {
        return events.stream().filter(e -> e.event().equals("line")).map(Sse::data).toList();
    }

    /** @return the {@code notice} events' data, in order */
    List<JsonNode> notices() {
        return events.stream().filter(e -> e.event().equals("notice")).map(Sse::data).toList();
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
