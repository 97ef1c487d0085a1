package dev.orchestrator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The event stream of the image's server: {@code GET /api/events?follow=true} as server-sent
 * events over real HTTP, resumed with {@code Last-Event-ID}, filtered; and {@code orchestrator
 * events -f}. Events are made by cordoning and uncordoning the server's own node, which needs
 * no container.
 */
class EventsIT extends ServerTestBase {
    private final HttpClient http = HttpClient.newHttpClient();

    /** One SSE event as read: its id and its JSON data. */
    record Sse(long id, JsonNode data) {
    }

    /** Reads a stream in the background; events arrive in {@code events}. */
    private final class Stream implements AutoCloseable {
        final BlockingQueue<Sse> events = new LinkedBlockingQueue<>();
        final HttpResponse<InputStream> response;

        Stream(String query, long lastId) throws Exception {
            var b = HttpRequest.newBuilder(URI.create(server.url() + "/api/events?" + query))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .header("Accept", "text/event-stream");
            if (lastId > 0) {
                b.header("Last-Event-ID", Long.toString(lastId));
            }
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            Thread.ofVirtual().start(this::read);
        }

        private void read() {
            try (var in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                long id = 0;
                String data = null;
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("id:")) {
                        id = Long.parseLong(line.substring(3).trim());
                    } else if (line.startsWith("data:")) {
                        data = line.substring(5).trim(); // keep-alive comments come with empty data
                    } else if (line.isEmpty() && data != null && !data.isEmpty()) {
                        events.add(new Sse(id, Api.JSON.readTree(data)));
                        data = null;
                    }
                }
            } catch (IOException e) {
                // closed by the test
            }
        }

        Sse next() throws InterruptedException {
            Sse e = events.poll(10, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no event within 10 s");
            }
            return e;
        }

        /** The next event whose message contains {@code text}, skipping others. */
        Sse next(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                Sse e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e != null && e.data().path("message").asText().contains(text)) {
                    return e;
                }
            }
            throw new AssertionError("no event with '" + text + "' within 10 s");
        }

        @Override
        public void close() throws IOException {
            response.body().close();
        }
    }

    @Test
    void aFollowerSeesNewEventsAsTheyHappenAndResumesAfterTheLastItSaw() throws Exception {
        long cordoned;
        try (var s = new Stream("follow=true&type=node", 0)) {
            assertEquals(200, s.response.statusCode());
            assertTrue(s.response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            assertEquals(200, api.post("/api/nodes/node-1/cordon", "").status());
            Sse e = s.next("cordoned");
            cordoned = e.id();
            assertEquals("node", e.data().get("type").asText());
            assertEquals("node-1", e.data().get("node").asText());
            assertEquals(cordoned, e.data().get("id").asLong(), "the SSE id is the event's id");
        }
        // Missed while disconnected: uncordon, and an event of another type (a join token).
        assertEquals(200, api.post("/api/nodes/node-1/uncordon", "").status());
        assertEquals(201, api.post("/api/tokens", "{}").status());
        try (var s = new Stream("follow=true&type=node", cordoned)) {
            Sse e = s.next();
            assertTrue(e.data().get("message").asText().contains("active again"), e.toString());
            assertTrue(e.id() > cordoned);
            assertTrue(s.events.poll(1, TimeUnit.SECONDS) == null, "only what came after, of that type");
        }
        try (var s = new Stream("follow=true&limit=100", 0)) {
            List<String> types = new ArrayList<>();
            for (Sse e; (e = s.events.poll(2, TimeUnit.SECONDS)) != null; ) {
                types.add(e.data().get("type").asText());
            }
            assertTrue(types.contains("auth") && types.contains("node"), "the backlog first, every type: " + types);
        }
    }

    @Test
    void badParametersAreRefusedBeforeAnyStream() {
        for (String q : List.of("follow=maybe", "follow=true&type=Not-A-Type", "follow=true&since=yesterday",
                "follow=true&limit=0", "follow=true&node=-x")) {
            Api.Response r = api.get("/api/events?" + q);
            assertEquals(400, r.status(), q + ": " + r.body());
            assertEquals("invalid_argument", r.json().get("error").asText(), q);
        }
        Api.Response unauthenticated = new Api(server.url(), "admin", "wrong").get("/api/events?follow=true");
        assertEquals(401, unauthenticated.status());
    }

    @Test
    void theCliFollowsEventsInTheSeedsFormat() throws Exception {
        Process p = Image.start(Map.of("ORCHESTRATOR_URL", server.url(), "ORCHESTRATOR_PASSWORD", PASSWORD),
                "events", "-f", "--type", "node", "--limit", "1");
        try {
            var lines = new LinkedBlockingQueue<String>();
            Thread.ofVirtual().start(() -> {
                try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // ended
                }
            });
            Thread.sleep(1500); // connected (the JVM starts in well under that)
            assertEquals(200, api.post("/api/nodes/node-1/cordon", "").status());
            String line = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline && (line == null || !line.contains("cordoned"))) {
                line = lines.poll(200, TimeUnit.MILLISECONDS);
            }
            assertTrue(line != null && line.matches("\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d] .*cordoned.*"),
                    "a line as the seed prints them: " + line);
            assertTrue(p.isAlive(), "-f keeps following");
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            api.post("/api/nodes/node-1/uncordon", "");
        }
        assertFalse(p.isAlive());
    }
}
