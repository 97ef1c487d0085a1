package dev.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.cluster.JoinTokens;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.store.Passwords;
import dev.orchestrator.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's limits over real HTTP on loopback, against a whole control plane (no node of its
 * own): body sizes, credentials before bodies, slow clients, throttled wrong passwords.
 */
class LimitsHttpTest {
    private static final String PASSWORD = "right-password";
    private static final long API_BODY = 64 * 1024;
    private static final long AGENT_BODY = 256 * 1024;
    private static final Limits LIMITS = new Limits(API_BODY, AGENT_BODY, Duration.ofSeconds(2),
            Duration.ofSeconds(3), 64, 5, 8, Duration.ofMinutes(1), 1, Duration.ofMinutes(1));

    @TempDir
    Path dir;
    private ControlPlane plane;
    private String token;

    private int start(Limits limits) {
        Path data = dir.resolve("data");
        try (Store store = Store.open(data)) {
            store.users().put("admin", Passwords.hash(PASSWORD.toCharArray()));
            store.users().put("bob", Passwords.hash("bobs-password".toCharArray()));
            token = store.inTransaction(tx -> JoinTokens.issue(tx, Instant.now())).token();
        }
        var options = ServerOptions.defaults(data, dir.resolve("plugins"), 0);
        options = new ServerOptions(options.bindAddress(), 0, data, options.pluginsDir(), "local", "127.0.0.1", false,
                "127.0.0.1", 0, 0, Map.of(), options.nodeTimeout(), "spread", options.cpuOvercommit(), null, null,
                options.events(), null);
        plane = ControlPlane.start(options, PluginManager.discover(null),
                new PrintStream(new ByteArrayOutputStream()), limits);
        return plane.port();
    }

    @AfterEach
    void stop() {
        if (plane != null) {
            plane.close();
        }
    }

    private static String admin() {
        return RawHttp.basic("admin", PASSWORD);
    }

    private static void assertJsonError(RawHttp.Response r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.header("content-type").startsWith("application/json"), r.headers().toString());
        assertTrue(r.body().startsWith("{\"error\":\"" + code + "\",\"message\":\""), r.body());
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertEquals(1024 * 1024, Limits.DEFAULT.apiBody());
        assertEquals(4 * 1024 * 1024, Limits.DEFAULT.agentBody());
        assertEquals(Duration.ofSeconds(10), Limits.DEFAULT.headerDeadline());
        assertEquals(Duration.ofSeconds(45), Limits.DEFAULT.idleTimeout());
        assertTrue(Limits.DEFAULT.idleTimeout().compareTo(dev.orchestrator.cluster.Protocol.WATCH_WAIT
                .plusSeconds(10)) >= 0, "a held watch is not cut");
        assertEquals(2048, Limits.DEFAULT.maxConnections());
    }

    @Test
    void aHeartbeatWithoutATokenIsRefusedBeforeItsBodyIsRead() throws IOException {
        int port = start(LIMITS);
        try (var c = new RawHttp(port)) {
            // 200 KiB declared (under the limit), 64 KiB sent: the answer comes without the rest.
            c.send("POST /agent/v1/heartbeat?node=n1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 204800\r\n\r\n");
            c.out.write(new byte[64 * 1024]);
            c.out.flush();
            assertJsonError(c.read(), 401, "unauthenticated");
        }
        try (var c = new RawHttp(port)) {
            // 300 MB declared, nothing sent: refused for its size before anything else.
            c.send("POST /agent/v1/heartbeat?node=n1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 314572800\r\n\r\n");
            assertJsonError(c.read(), 413, "payload_too_large");
        }
        try (var c = new RawHttp(port)) {
            c.send("POST /agent/v1/heartbeat HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "10000\r\n");
            c.out.write(new byte[0x10000]);
            c.out.flush();
            assertJsonError(c.read(), 401, "unauthenticated");
        }
    }

    @Test
    void apiBodiesOverTheLimitAre413WhetherDeclaredOrChunked() throws IOException {
        int port = start(LIMITS);
        try (var c = new RawHttp(port)) {
            c.send("POST /api/deploy HTTP/1.1\r\nHost: localhost\r\n" + admin()
                    + "Content-Type: application/json\r\nContent-Length: 314572800\r\n\r\n");
            c.out.write(new byte[16 * 1024]);
            c.out.flush();
            RawHttp.Response r = c.read();
            assertJsonError(r, 413, "payload_too_large");
            assertTrue(r.body().contains("larger than 65536 bytes"), r.body());
        }
        try (var c = new RawHttp(port)) {
            c.send("POST /api/deploy HTTP/1.1\r\nHost: localhost\r\n" + admin()
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 2; i++) { // 2 x 64 KiB: past the limit, and never a last chunk
                c.send("10000\r\n");
                c.out.write(new byte[0x10000]);
                c.send("\r\n");
            }
            assertJsonError(c.read(), 413, "payload_too_large");
        }
        // Without credentials the body is not read: 401 at once, 60 KiB declared and none sent.
        try (var c = new RawHttp(port)) {
            c.send("POST /api/deploy HTTP/1.1\r\nHost: localhost\r\nContent-Length: 61440\r\n\r\n");
            assertJsonError(c.read(), 401, "unauthenticated");
        }
        // Under the limit, the body is read and judged as usual.
        try (var c = new RawHttp(port)) {
            assertJsonError(c.exchange("POST", "/api/deploy", admin(), "{not json"), 400, "malformed_request");
            assertEquals(200, c.exchange("GET", "/api/services", admin(), null).status());
        }
    }

    @Test
    void agentBodiesOverTheLimitAre413WhetherDeclaredOrChunked() throws IOException {
        int port = start(LIMITS);
        String bearer = "Authorization: Bearer " + token + "\r\n";
        try (var c = new RawHttp(port)) {
            c.send("POST /agent/v1/heartbeat?node=n1 HTTP/1.1\r\nHost: localhost\r\n" + bearer
                    + "Content-Type: application/json\r\nContent-Length: 314572800\r\n\r\n");
            assertJsonError(c.read(), 413, "payload_too_large");
        }
        try (var c = new RawHttp(port)) {
            c.send("POST /agent/v1/heartbeat?node=n1 HTTP/1.1\r\nHost: localhost\r\n" + bearer
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 5; i++) { // 5 x 64 KiB: past the 256 KiB limit, and never a last chunk
                c.send("10000\r\n");
                c.out.write(new byte[0x10000]);
                c.send("\r\n");
            }
            assertJsonError(c.read(), 413, "payload_too_large");
        }
    }

    @Test
    void slowHeadersAndSlowRequestLinesAreCutOffWhileOthersAreServed() throws Exception {
        int port = start(LIMITS);
        try (var headers = new RawHttp(port); var line = new RawHttp(port)) {
            long t0 = System.nanoTime();
            headers.send("GET /health HTTP/1.1\r\n");
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            Future<Double> headersCut = pool.submit(() -> trickle(headers, "Host: localhost\r\nX-Slow: "
                    + "a".repeat(100) + "\r\n\r\n", t0));
            Future<Double> lineCut = pool.submit(() -> trickle(line, "GET /health HTTP/1.1\r\n\r\n", t0));
            // Meanwhile an ordinary client is served at once, every 200 ms.
            int served = 0;
            while (!headersCut.isDone() || !lineCut.isDone()) {
                try (var ok = new RawHttp(port)) {
                    assertEquals(200, ok.exchange("GET", "/health", "", null).status());
                    served++;
                }
                Thread.sleep(200);
                assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "still not cut off after 15 s");
            }
            double h = headersCut.get();
            double l = lineCut.get();
            pool.close();
            System.out.printf(java.util.Locale.ROOT, "slow headers cut after %.2f s, slow request line after %.2f s,"
                    + " %d ordinary requests served meanwhile%n", h, l, served);
            // Headers: 2 s after the request line, plus at most a 1 s sweep (and slack for a busy machine).
            assertTrue(h >= 1.9 && h <= 4.5, "slow headers cut after " + h + " s");
            // Request line: the 3 s idle timeout, plus at most a 1 s sweep (and slack).
            assertTrue(l >= 2.9 && l <= 5.5, "slow request line cut after " + l + " s");
            assertTrue(served >= 8, "ordinary requests served meanwhile: " + served);
        }
    }

    /** Sends one byte every 250 ms; returns the seconds from {@code t0} until the server closed. */
    private static double trickle(RawHttp c, String text, long t0) throws Exception {
        c.socket.setSoTimeout(250);
        for (int i = 0; ; i = (i + 1) % text.length()) {
            try {
                c.send(text.substring(i, i + 1));
            } catch (IOException e) {
                return (System.nanoTime() - t0) / 1e9;
            }
            if (c.closedByServer()) {
                return (System.nanoTime() - t0) / 1e9;
            }
            if (System.nanoTime() - t0 > 20_000_000_000L) {
                return Double.MAX_VALUE;
            }
        }
    }

    @Test
    void wrongPasswordsAreThrottledPerAddressAndPerUser() throws IOException {
        int port = start(LIMITS);
        String wrong = RawHttp.basic("admin", "wrong");
        try (var c = new RawHttp(port, "127.0.0.2")) {
            assertEquals(200, c.exchange("GET", "/api/services", admin(), null).status()); // remembered
            for (int i = 0; i < 5; i++) {
                assertJsonError(c.exchange("GET", "/api/services", wrong, null), 401, "unauthenticated");
            }
            RawHttp.Response r = c.exchange("GET", "/api/services", wrong, null);
            assertJsonError(r, 429, "too_many_requests");
            long retry = Long.parseLong(r.header("retry-after"));
            assertTrue(retry > 50 && retry <= 60, "Retry-After " + retry);
            // The address is throttled, for another user too; remembered credentials still pass.
            assertJsonError(c.exchange("GET", "/api/services", RawHttp.basic("bob", "bobs-password"), null), 429,
                    "too_many_requests");
            assertEquals(200, c.exchange("GET", "/api/services", admin(), null).status());
        }
        try (var c = new RawHttp(port, "127.0.0.3")) {
            for (int i = 0; i < 3; i++) { // admin: 8 failures in all
                assertJsonError(c.exchange("GET", "/api/services", wrong, null), 401, "unauthenticated");
            }
            assertJsonError(c.exchange("GET", "/api/services", wrong, null), 429, "too_many_requests");
            // Another user from this address is not throttled.
            assertEquals(200, c.exchange("GET", "/api/services", RawHttp.basic("bob", "bobs-password"), null)
                    .status());
        }
    }

    @Test
    void passwordChecksBeyondTheCapAndItsQueueAreAnswered429() throws Exception {
        // Idle connections last longer than the queue's wait: a request waits up to 3 s, then is
        // answered 429 (each check costs 0.2-0.5 s here).
        int port = start(new Limits(API_BODY, AGENT_BODY, Duration.ofSeconds(2), Duration.ofSeconds(10), 64, 1000,
                1000, Duration.ofMinutes(1), 1, Duration.ofMinutes(1)));
        String wrong = RawHttp.basic("admin", "wrong");
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<List<Integer>>> clients = new ArrayList<>();
        for (int i = 0; i < 1 + Auth.WAITING + 8; i++) {
            clients.add(pool.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                try (var c = new RawHttp(port)) {
                    for (int k = 0; k < 4; k++) {
                        statuses.add(c.exchange("GET", "/api/services", wrong, null).status());
                    }
                }
                return statuses;
            }));
        }
        int refused = 0;
        int busy = 0;
        for (Future<List<Integer>> f : clients) {
            for (int s : f.get()) {
                if (s == 401) {
                    refused++;
                } else if (s == 429) {
                    busy++;
                } else {
                    throw new AssertionError("status " + s);
                }
            }
        }
        pool.close();
        assertTrue(busy > 0 && refused > 0, "401: " + refused + ", 429: " + busy);
    }

    @Test
    void rightPasswordsCheckedAtTheSameMomentAllGetIn() throws Exception {
        // One derivation at a time (as on a 2-core machine): a CLI and a browser logging in
        // together must both pass, the second after the first's check, not get a 429.
        int port = start(LIMITS);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Integer>> logins = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String user = i % 2 == 0 ? admin() : RawHttp.basic("bob", "bobs-password");
            logins.add(pool.submit(() -> {
                try (var c = new RawHttp(port)) {
                    return c.exchange("GET", "/api/services", user, null).status();
                }
            }));
        }
        for (Future<Integer> f : logins) {
            assertEquals(200, f.get());
        }
        pool.close();
    }

    @Test
    void refusedHeartbeatsWithInventedNamesAddAFewEvents() throws IOException {
        int port = start(LIMITS);
        try (var c = new RawHttp(port)) {
            for (int i = 0; i < 300; i++) {
                assertEquals(401, c.exchange("POST", "/agent/v1/heartbeat?node=invented-" + i,
                        "Authorization: Bearer orc1.000000000000." + "x".repeat(43) + "\r\n", "{}").status());
            }
            RawHttp.Response events = c.exchange("GET", "/api/events?limit=1000", admin(), null);
            assertEquals(200, events.status());
            int refusals = events.body().split("Refused node ", -1).length - 1;
            assertEquals(Refusals.PER_MINUTE, refusals, events.body());
        }
    }
}
