package dev.orchestrator.lb.tcp;

import static dev.orchestrator.lb.tcp.TestServer.LOOPBACK;
import static dev.orchestrator.lb.tcp.TestServer.connect;
import static dev.orchestrator.lb.tcp.TestServer.freePort;
import static dev.orchestrator.lb.tcp.TestServer.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.testkit.TestPolicies;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

class TcpLoadBalancerTest {
    private static final System.Logger LOG = System.getLogger(TcpLoadBalancerTest.class.getName());
    private static final BalancingPolicy ROUND_ROBIN = TestPolicies.roundRobin();
    // Two loops, so that connections spread over loops in every test.
    private static final Settings SETTINGS = new Settings(Duration.ofSeconds(1), Duration.ZERO, 3, 2);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private TcpLoadBalancer lb;
    private int port;

    @BeforeEach
    void setUp() throws IOException {
        lb = balancer(SETTINGS);
        port = freePort();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    @Test
    @Timeout(10)
    void spreadsConnectionsRoundRobin() throws IOException {
        publish(named("a").endpoint("a"), named("b").endpoint("b"), named("c").endpoint("c"));

        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            seen.append(readAll(port));
        }

        assertEquals("abcabcabc", seen.toString());
        assertEquals(9, stats().totalConnections());
    }

    @Test
    @Timeout(10)
    void skipsABackendThatIsDown() throws IOException {
        Endpoint down = down("down");
        publish(named("a").endpoint("a"), down, named("c").endpoint("c"));

        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            replies.add(readAll(port));
        }

        // The down backend's turns go to the one after it.
        assertEquals(List.of("a", "c", "c", "a", "c", "c"), replies);
        assertEquals(2, stats().failedConnects().get(down));
        assertEquals(0, stats().unroutedConnections());
    }

    @Test
    @Timeout(10)
    void closesTheClientWhenNoBackendAnswers() throws IOException {
        Endpoint down1 = down("d1");
        Endpoint down2 = down("d2");
        publish(down1, down2);

        assertEquals("", readAll(port));

        assertEquals(Map.of(down1, 1L, down2, 1L), stats().failedConnects());
        assertEquals(1, stats().unroutedConnections());
    }

    @Test
    @Timeout(10)
    void withNoBackendsAcceptsAndClosesAtOnce() throws IOException {
        publish();

        assertEquals("", readAll(port), "the client reads end of stream, not 'connection refused'");
        assertEquals(1, stats().unroutedConnections());

        publish(named("a").endpoint("a"));
        assertEquals("a", readAll(port));
    }

    @Test
    @Timeout(10)
    void aSecondPublishSwapsBackendsForNewConnectionsOnly() throws IOException {
        TestServer echo = echo();
        publish(echo.endpoint("echo"));
        try (Socket inFlight = connect(port)) {
            assertEquals("ping", exchange(inFlight, "ping"));

            publish(named("b").endpoint("b"));

            assertEquals("b", readAll(port));
            assertEquals("pong", exchange(inFlight, "pong"), "the connection in flight keeps its backend");
        }
    }

    @Test
    @Timeout(10)
    void unpublishRefusesNewConnectionsAndLetsInFlightOnesFinish() throws IOException {
        publish(echo().endpoint("echo"));
        try (Socket inFlight = connect(port)) {
            assertEquals("ping", exchange(inFlight, "ping"));

            lb.unpublish("tcp", port);
            lb.unpublish("tcp", port);

            assertThrows(ConnectException.class, () -> connect(port).close());
            assertEquals("pong", exchange(inFlight, "pong"));
        }
        assertTrue(lb.stats().isEmpty());
    }

    @Test
    @Timeout(10)
    void aPortBoundByAnotherSocketIsAConflict() throws IOException {
        try (ServerSocket other = new ServerSocket(port, 1, LOOPBACK)) {
            OrchestratorException e = assertThrows(OrchestratorException.class, () -> publish());

            assertEquals(ErrorCode.CONFLICT, e.code());
            assertTrue(e.getMessage().startsWith("port " + port + "/tcp is already in use on this node: "),
                    e.getMessage());
            assertEquals(port, other.getLocalPort());
        }
        assertTrue(lb.stats().isEmpty());
    }

    @Test
    @Timeout(10)
    void anotherServiceOnAPublishedPortIsAConflict() throws IOException {
        publish(named("a").endpoint("a"));

        OrchestratorException e = assertThrows(OrchestratorException.class,
                () -> lb.publish("web", "tcp", "127.0.0.1", port, List.of(), ROUND_ROBIN));

        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("port " + port + "/tcp is already published on this node by service api, cannot publish it"
                + " for web", e.getMessage());
        assertEquals("a", readAll(port), "the first service keeps the port");
    }

    @Test
    @Timeout(10)
    void movingAPublishedPortToAnotherAddressIsAConflict() {
        publish();

        OrchestratorException e = assertThrows(OrchestratorException.class,
                () -> lb.publish("api", "tcp", "127.0.0.2", port, List.of(), ROUND_ROBIN));

        assertEquals(ErrorCode.CONFLICT, e.code());
    }

    @Test
    @Timeout(10)
    void halfCloseLetsTheClientReadTheReplyAfterItsRequest() throws IOException {
        publish(track(TestServer.replyAfterEndOfStream()).endpoint("r"));

        try (Socket s = connect(port)) {
            s.getOutputStream().write("request".getBytes(UTF_8));
            s.shutdownOutput();

            // The backend answers only once it has read end of stream, so this needs the
            // balancer to pass the half-close on and keep relaying the other way.
            assertEquals("got:request", readAll(s.getInputStream()));
        }
    }

    @Test
    @Timeout(10)
    void trafficCountsConnectionsAndBytesBothWays() throws IOException {
        publish(track(TestServer.replyAfterEndOfStream()).endpoint("r"));
        assertEquals(List.of(new dev.orchestrator.api.spi.PortTraffic("api", "tcp", port, 0, 0, 0, 0)), lb.traffic());

        try (Socket s = connect(port)) {
            s.getOutputStream().write("request".getBytes(UTF_8));
            s.shutdownOutput();
            assertEquals("got:request", readAll(s.getInputStream()));
        }

        // "request" in, "got:request" out; the relay ends just after the client read it all.
        awaitTrue(() -> lb.traffic().get(0).connectionsActive() == 0);
        assertEquals(List.of(new dev.orchestrator.api.spi.PortTraffic("api", "tcp", port, 1, 0, 7, 11)), lb.traffic());
        lb.unpublish("tcp", port);
        assertEquals(List.of(), lb.traffic());
    }

    @Test
    @Timeout(30)
    void relaysEightMebibytesEachWayByteExact() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(42).nextBytes(data);
        publish(echo().endpoint("echo"));

        try (Socket s = connect(port); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // Upload while downloading: the echo would stall on full buffers otherwise.
            Future<?> upload = pool.submit(() -> {
                s.getOutputStream().write(data);
                s.shutdownOutput();
                return null;
            });
            byte[] back = s.getInputStream().readAllBytes();
            upload.get(10, TimeUnit.SECONDS);

            assertArrayEquals(data, back);
        }
    }

    @Test
    @Timeout(30)
    void servesFiftyConcurrentConnections() throws Exception {
        publish(echo().endpoint("e1"), echo().endpoint("e2"), echo().endpoint("e3"));
        int clients = 50;
        CyclicBarrier allConnected = new CyclicBarrier(clients);

        List<String> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String request = "client-" + i;
                futures.add(pool.submit(() -> {
                    try (Socket s = connect(port)) {
                        allConnected.await(10, TimeUnit.SECONDS);
                        s.getOutputStream().write(request.getBytes(UTF_8));
                        s.shutdownOutput();
                        return readAll(s.getInputStream());
                    }
                }));
            }
            for (Future<String> f : futures) {
                replies.add(f.get(20, TimeUnit.SECONDS));
            }
        }

        for (int i = 0; i < clients; i++) {
            assertEquals("client-" + i, replies.get(i));
        }
        assertEquals(clients, stats().totalConnections());
        awaitTrue(() -> stats().activeConnections() == 0);
    }

    @Test
    @Timeout(10)
    void triesAtMostMaxAttemptsBackends() throws IOException {
        lb = balancer(new Settings(Duration.ofSeconds(1), Duration.ZERO, 2));
        Endpoint d1 = down("d1");
        Endpoint d2 = down("d2");
        Endpoint a = named("a").endpoint("a");
        lb.publish("api", "tcp", "127.0.0.1", port, List.of(d1, d2, a), TestPolicies.inOrder());

        assertEquals("", readAll(port), "the live third backend is beyond two attempts");
        assertEquals(Map.of(d1, 1L, d2, 1L, a, 0L), stats().failedConnects());
        assertEquals(1, stats().unroutedConnections());
    }

    @Test
    @Timeout(10)
    void aRemovedBackendDrainsAndIsNoLongerCounted() throws Exception {
        TestServer echo = echo();
        Endpoint old = echo.endpoint("old");
        var active = new java.util.concurrent.ConcurrentHashMap<Endpoint, Integer>();
        BalancingPolicy recording = (c, client) -> {
            for (int i = 0; i < c.endpoints().size(); i++) {
                active.put(c.endpoints().get(i), c.activeConnections(i));
            }
            return c.endpoints();
        };
        lb.publish("api", "tcp", "127.0.0.1", port, List.of(old), recording);
        try (Socket inFlight = connect(port)) {
            assertEquals("ping", exchange(inFlight, "ping"));

            Endpoint next = named("b").endpoint("b");
            lb.publish("api", "tcp", "127.0.0.1", port, List.of(next), recording);
            active.clear();
            assertEquals("b", readAll(port));

            assertEquals("pong", exchange(inFlight, "pong"), "the removed backend's connection drains");
            assertEquals(Map.of(next, 0), active, "the policy sees only the current backends");
            // The one to "b" has been read to its end; its relay ends a moment later.
            awaitTrue(() -> stats().activeConnections() == 1);
        }
        awaitTrue(() -> stats().activeConnections() == 0);
    }

    @Test
    @Timeout(10)
    void aFailingPolicyLeavesTheConnectionUnroutedAndThePortOpen() throws IOException {
        Endpoint a = named("a").endpoint("a");
        lb.publish("api", "tcp", "127.0.0.1", port, List.of(a), (c, client) -> {
            throw new IllegalStateException("bug");
        });

        assertEquals("", readAll(port));
        assertEquals(1, stats().unroutedConnections());

        publish(a);
        assertEquals("a", readAll(port));
    }

    @Test
    @Timeout(10)
    void refusesUdp() {
        OrchestratorException e = assertThrows(OrchestratorException.class,
                () -> lb.publish("dns", "udp", "127.0.0.1", port, List.of(), ROUND_ROBIN));

        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("the tcp load balancer balances tcp only, got udp", e.getMessage());
        assertTrue(lb.stats().isEmpty());
        lb.unpublish("udp", port);
    }

    @Test
    @Timeout(10)
    void refusesBadPortsAndBackends() {
        assertInvalid(() -> lb.publish("api", "tcp", "127.0.0.1", 0, List.of(), ROUND_ROBIN));
        assertInvalid(() -> publish(new Endpoint("r", "127.0.0.1", 70000)));
        assertInvalid(() -> publish(new Endpoint("r", " ", 80)));
    }

    @Test
    @Timeout(10)
    void closeReleasesThePortAndEndsConnections() throws IOException {
        publish(echo().endpoint("echo"));
        try (Socket inFlight = connect(port)) {
            assertEquals("ping", exchange(inFlight, "ping"));

            lb.close();
            lb.close();

            assertEquals(-1, inFlight.getInputStream().read());
        }
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(LOOPBACK, port));
        }
        assertThrows(IllegalStateException.class, () -> publish());
    }

    @Test
    @Timeout(10)
    void closesAConnectionIdleInBothDirections() throws IOException {
        lb = balancer(new Settings(Duration.ofSeconds(1), Duration.ofMillis(200)));
        publish(echo().endpoint("echo"));

        try (Socket s = connect(port)) {
            assertEquals("ping", exchange(s, "ping"));
            long start = System.nanoTime();

            assertEquals(-1, s.getInputStream().read());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
        }
    }

    @Test
    @Timeout(10)
    void trafficOneWayKeepsAConnectionFromIdling() throws IOException {
        lb = balancer(new Settings(Duration.ofSeconds(1), Duration.ofMillis(500)));
        TestServer ticker = track(TestServer.start(s -> {
            s.setTcpNoDelay(true);
            for (int i = 0; i < 20; i++) {
                s.getOutputStream().write('.');
                sleep(50);
            }
        }));
        publish(ticker.endpoint("ticker"));

        // The client never writes: its direction stays silent for twice the idle timeout.
        assertEquals(".".repeat(20), readAll(port));
    }

    private TcpLoadBalancer balancer(Settings timeouts) {
        TcpLoadBalancer balancer = new TcpLoadBalancer(timeouts, LOG);
        resources.add(balancer);
        return balancer;
    }

    private TestServer named(String name) throws IOException {
        return track(TestServer.named(name));
    }

    private TestServer echo() throws IOException {
        return track(TestServer.echo());
    }

    private TestServer track(TestServer server) {
        resources.add(server);
        return server;
    }

    /**
     * @return a backend that refuses connections: its port is bound, so nothing else takes it
     *         during the test, but not listening
     */
    private Endpoint down(String replica) throws IOException {
        Socket reserved = new Socket();
        resources.add(reserved);
        reserved.bind(new InetSocketAddress(LOOPBACK, 0));
        return new Endpoint(replica, LOOPBACK.getHostAddress(), reserved.getLocalPort());
    }

    private void publish(Endpoint... backends) {
        lb.publish("api", "tcp", "127.0.0.1", port, List.of(backends), ROUND_ROBIN);
    }

    private PortStats stats() {
        return lb.stats().getFirst();
    }

    /** Writes {@code text} and reads as many bytes back. */
    private static String exchange(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(UTF_8);
        s.getOutputStream().write(bytes);
        return new String(s.getInputStream().readNBytes(bytes.length), UTF_8);
    }

    private static void assertInvalid(Executable call) {
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(OrchestratorException.class, call).code());
    }

    /** Polls for at most five seconds: counters settle a moment after the client is done. */
    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            sleep(50);
        }
        assertTrue(condition.getAsBoolean());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
