package dev.orchestrator.probe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.spi.ProbeResult;
import dev.orchestrator.testkit.StuckListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpProbeTest {
    private static final Duration SHORT = Duration.ofSeconds(1);
    /** A timed-out check may take its timeout plus this. */
    private static final Duration SLACK = Duration.ofMillis(500);

    private TestHttpServer server;
    private HttpProbe probe;

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpServer();
        probe = new HttpProbe(StatusRange.DEFAULT);
    }

    @AfterEach
    void stop() throws IOException {
        probe.close();
        server.close();
    }

    @ParameterizedTest
    @Timeout(10)
    @CsvSource({"200, true", "204, true", "302, true", "399, true", "404, false", "500, false", "503, false"})
    void healthyIffTheStatusIs200To399(int status, boolean healthy) {
        ProbeResult result = probe.check(Targets.get(server.url("/status/" + status)));

        assertEquals(healthy, result.healthy(), result::toString);
        assertEquals("HTTP " + status, result.detail());
    }

    @Test
    @Timeout(10)
    void redirectsAreNotFollowed() throws InterruptedException {
        ProbeResult result = probe.check(Targets.get(server.url("/status/302")));

        assertTrue(result.healthy(), result::toString);
        assertEquals("GET /status/302 HTTP/1.1", server.requests.take().line());
        assertNull(server.requests.poll(200, TimeUnit.MILLISECONDS), "the redirect was followed");
    }

    @Test
    @Timeout(10)
    void aServerThatNeverAnswersTimesOutOnTime() {
        try (StuckListener silent = StuckListener.silent()) {
            ProbeResult result = probe.check(Targets.get("http://127.0.0.1:" + silent.port() + "/health", SHORT));

            assertUnhealthy("timed out after 1s", result);
            assertTrue(result.took().compareTo(SHORT.plus(SLACK)) <= 0, result::toString);
        }
    }

    @Test
    @Timeout(10)
    void aConnectThatHangsTimesOutOnTime() {
        try (StuckListener full = StuckListener.fullBacklog()) {
            ProbeResult result = probe.check(Targets.get("http://127.0.0.1:" + full.port() + "/health", SHORT));

            assertUnhealthy("timed out after 1s", result);
            assertTrue(result.took().compareTo(SHORT.plus(SLACK)) <= 0, result::toString);
        }
    }

    @Test
    @Timeout(10)
    void aClosedPortIsRefused() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        assertUnhealthy("connection refused", probe.check(Targets.get("http://127.0.0.1:" + port + "/health")));
    }

    @Test
    @Timeout(10)
    void aConnectionClosedWithoutAnAnswerIsUnhealthy() {
        ProbeResult result = probe.check(Targets.get(server.url("/close")));

        assertFalse(result.healthy());
        assertFalse(result.detail().isBlank(), result::toString);
    }

    @Test
    @Timeout(10)
    void onlyTheStatusIsWaitedFor() {
        // Healthy within the timeout proves the endless body was not read: reading it would
        // have ended in a timeout (unhealthy). No wall-clock bound beyond that (a loaded
        // machine is slow, not wrong).
        ProbeResult result = probe.check(Targets.get(server.url("/endless"), Duration.ofSeconds(5)));

        assertTrue(result.healthy(), result::toString);
        assertTrue(result.took().compareTo(Duration.ofSeconds(5)) < 0, result::toString);
    }

    @Test
    @Timeout(10)
    void aKeptAliveConnectionIsDroppedNotReused() {
        // The body is never read, so the connection cannot serve another request: each check opens its own.
        for (int i = 0; i < 3; i++) {
            ProbeResult result = probe.check(Targets.get(server.url("/keep-alive")));
            assertTrue(result.healthy(), result::toString);
        }
        assertEquals(3, server.connections.get());
    }

    @Test
    @Timeout(10)
    void aClosedProbeAnswersUnhealthy() {
        probe.close();

        ProbeResult result = probe.check(Targets.get(server.url("/health")));

        assertFalse(result.healthy());
        assertFalse(result.detail().isBlank(), result::toString);
    }

    @ParameterizedTest
    @Timeout(10)
    @ValueSource(strings = {"localhost", "127.0.0.1", "0.0.0.0", "LOCALHOST"})
    void theContainersOwnHostGoesToTheReplicasAddressAndMappedPort(String host) throws InterruptedException {
        var target = Targets.replica("http://" + host + ":8080/health?verbose=1", Targets.TIMEOUT, "127.0.0.1",
                Map.of(8080, server.port()));

        ProbeResult result = probe.check(target);

        assertTrue(result.healthy(), result::toString);
        var request = server.requests.take();
        assertEquals("GET /health?verbose=1 HTTP/1.1", request.line());
        assertEquals("127.0.0.1:" + server.port(), request.host());
    }

    @Test
    @Timeout(10)
    void theDefaultPortIs80() throws InterruptedException {
        var target = Targets.replica("http://localhost/", Targets.TIMEOUT, "127.0.0.1", Map.of(80, server.port()));

        assertTrue(probe.check(target).healthy());
        assertEquals("GET / HTTP/1.1", server.requests.take().line());
    }

    @Test
    @Timeout(10)
    void aMissingEndpointIsUnhealthy() {
        assertUnhealthy("health_check.endpoint is required", probe.check(Targets.get(null)));
        assertUnhealthy("health_check.endpoint is required", probe.check(Targets.get(" ")));
    }

    @ParameterizedTest
    @Timeout(10)
    @CsvSource(delimiter = '|', value = {
        "not a url|bad endpoint 'not a url': not a URL",
        "localhost:8080/health|bad endpoint 'localhost:8080/health': must start with http:// or https://",
        "ftp://localhost/health|bad endpoint 'ftp://localhost/health': must start with http:// or https://",
        "http:///health|bad endpoint 'http:///health': has no host"})
    void aBadEndpointIsUnhealthy(String endpoint, String detail) {
        assertUnhealthy(detail, probe.check(Targets.get(endpoint)));
    }

    @Test
    @Timeout(10)
    void theExpectedStatusCanBeNarrowed() {
        try (HttpProbe strict = new HttpProbe(new StatusRange(200, 200))) {
            assertTrue(strict.check(Targets.get(server.url("/status/200"))).healthy());
            assertUnhealthy("HTTP 302", strict.check(Targets.get(server.url("/status/302"))));
        }
    }

    @Test
    @Timeout(20)
    void closeStopsTheClientsThread() throws InterruptedException {
        int before = selectorThreads();
        HttpProbe own = new HttpProbe(StatusRange.DEFAULT);
        assertTrue(own.check(Targets.get(server.url("/health"))).healthy());
        assertEquals(before + 1, selectorThreads());

        own.close();
        own.close(); // idempotent

        for (int i = 0; i < 100 && selectorThreads() > before; i++) {
            Thread.sleep(50);
        }
        assertEquals(before, selectorThreads());
    }

    @Test
    @Timeout(30)
    void manyChecksDoNotGrowThePlatformThreads() {
        int before = Thread.activeCount();
        for (int i = 0; i < 200; i++) {
            assertTrue(probe.check(Targets.get(server.url("/health"))).healthy());
        }
        assertTrue(Thread.activeCount() <= before + 2, () -> "threads: " + before + " -> " + Thread.activeCount());
    }

    private static int selectorThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager"))
                .count();
    }

    private static void assertUnhealthy(String detail, ProbeResult result) {
        assertFalse(result.healthy(), result::toString);
        assertEquals(detail, result.detail());
    }
}
