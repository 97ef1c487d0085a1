package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A service's logs through the image's server and its own node, against the real Docker
 * engine: a followed stream (server-sent events over real HTTP) while a replica prints, is
 * killed and is replaced; the output of the replaced container read afterwards from the node's
 * files; the parameters; a resumed stream.
 */
class ServiceLogsIT extends ServerTestBase {
    /** Each line says which container printed it: {@code tick <hostname> <n>}. */
    private static final String PRINTER = """
            {"name": "printer", "image": "orchestrator-test/busybox:1", "replicas": 1,
             "command": ["sh", "-c", "i=0; while true; do echo \\"tick $(hostname) $i\\"; i=$((i+1)); sleep 0.2; done"]}""";

    /** Reads a followed stream of the printer's logs in the background. */
    private final class Stream implements AutoCloseable {
        final SseStream sse;
        final List<SseStream.Sse> events;

        Stream(String query, String lastId) throws Exception {
            sse = new SseStream(server.url() + "/api/services/printer/logs?" + query, PASSWORD, lastId);
            events = sse.events;
        }

        List<String> lines() {
            return sse.lines().stream().map(l -> l.get("line").asText()).toList();
        }

        Set<String> hosts() {
            return lines().stream().map(l -> l.split(" ")).filter(p -> p.length == 3).map(p -> p[1])
                    .collect(Collectors.toSet());
        }

        @Override
        public void close() throws IOException {
            sse.close();
        }
    }

    @Test
    void aFollowedStreamGoesOnAcrossAKilledAndReplacedReplicaAndItsOutputStaysReadable() throws Exception {
        assertEquals(201, api.post("/api/deploy", PRINTER).status());
        awaitService("printer", s -> s.get("running").asInt() == 1, "1/1 running");
        try (var stream = new Stream("follow=true&tail=5", null)) {
            await(() -> stream.lines().size(), n -> n >= 8, Duration.ofSeconds(20), "lines while it prints");
            assertTrue(stream.lines().size() <= 5 + 20, "tail=5 then live: " + stream.lines());
            String first = stream.hosts().iterator().next();
            SseStream.Sse one = stream.events.stream().filter(e -> e.event().equals("line")).findFirst().orElseThrow();
            assertEquals("printer-0", one.data().get("replica").asText());
            assertEquals("node-1", one.data().get("node").asText());
            assertEquals("stdout", one.data().get("stream").asText());

            String victim = docker.listContainersCmd().withLabelFilter(java.util.Map.of(
                    "dev.orchestrator.service", "printer")).exec().getFirst().getId();
            docker.killContainerCmd(victim).exec();

            await(stream::hosts, h -> h.size() >= 2, Duration.ofSeconds(60), "lines of the replacement");
            await(() -> stream.lines().stream().filter(l -> !l.contains(first)).count(), n -> n >= 3,
                    Duration.ofSeconds(20), "the replacement goes on printing into the same stream");
            List<String> all = stream.lines();
            assertEquals(all.size(), Set.copyOf(all).size(), "no line twice: " + all);

            // The killed container is gone; its output is still read from the node's files.
            String text = api.get("/api/services/printer/logs?tail=0").body();
            assertTrue(text.contains("printer-0 | tick " + first + " 0\n"), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("printer-0 | tick ") && !l.contains(first)), text);
        }
    }

    @Test
    void readParametersSelectLinesAndBadOnesAreRefused() throws Exception {
        assertEquals(201, api.post("/api/deploy", PRINTER.replace("\"replicas\": 1", "\"replicas\": 2")).status());
        awaitService("printer", s -> s.get("running").asInt() == 2, "2/2 running");
        await(() -> api.get("/api/services/printer/logs?tail=0").body().lines().count(), n -> n >= 20,
                Duration.ofSeconds(20), "both replicas print");

        String two = api.get("/api/services/printer/logs?tail=2").body();
        assertEquals(4, two.lines().count(), "2 lines of each replica: " + two);
        String one = api.get("/api/services/printer/logs?replica=printer-1&tail=0").body();
        assertTrue(one.lines().allMatch(l -> l.startsWith("printer-1 | tick ")), one);
        String stamped = api.get("/api/services/printer/logs?tail=1&timestamps=true").body();
        for (String l : stamped.lines().toList()) {
            Instant.parse(l.split(" ")[2]); // printer-N | <instant> tick ...
        }
        Instant mid = Instant.now();
        Thread.sleep(1500);
        String before = api.get("/api/services/printer/logs?tail=0&until=" + mid).body();
        String after = api.get("/api/services/printer/logs?tail=0&since=" + mid).body();
        assertFalse(before.isEmpty() || after.isEmpty(), before + after);
        assertTrue(Set.copyOf(before.lines().toList()).stream().noneMatch(after.lines().toList()::contains),
                "since and until split the lines: " + before + after);

        for (String bad : List.of("tail=-1", "replica=other-1", "replica=printer-x", "since=yesterday",
                "since=10m&until=20m", "follow=maybe")) {
            Api.Response r = api.get("/api/services/printer/logs?" + bad);
            assertEquals(400, r.status(), bad + ": " + r.body());
            assertTrue(r.body().contains("\"error\""), r.body());
        }
        assertEquals(404, api.get("/api/services/nope/logs?follow=true").status());
    }

    @Test
    void aStreamResumedWithLastEventIdGetsWhatItMissedOnce() throws Exception {
        assertEquals(201, api.post("/api/deploy", PRINTER).status());
        awaitService("printer", s -> s.get("running").asInt() == 1, "1/1 running");
        String lastId;
        List<String> seen;
        try (var stream = new Stream("follow=true&tail=0", null)) {
            await(() -> stream.lines().size(), n -> n >= 5, Duration.ofSeconds(20), "lines");
            seen = stream.lines();
            lastId = stream.events.stream().filter(e -> e.event().equals("line")).toList()
                    .get(seen.size() - 1).id();
        }
        Thread.sleep(1000); // lines printed while disconnected
        try (var resumed = new Stream("follow=true", lastId)) {
            await(() -> resumed.lines().size(), n -> n >= 5, Duration.ofSeconds(20), "lines after the resume");
            List<String> next = resumed.lines();
            assertFalse(next.contains(seen.getLast()), "the last line seen is not sent again");
            int n = Integer.parseInt(seen.getLast().split(" ")[2]);
            assertEquals("tick " + seen.getLast().split(" ")[1] + " " + (n + 1), next.getFirst(),
                    "the first line missed comes first");
        }
    }
}
