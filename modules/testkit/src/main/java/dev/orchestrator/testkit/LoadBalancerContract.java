package dev.orchestrator.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.LoadBalancer;
import dev.orchestrator.api.spi.LoadBalancerFactory;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every TCP load balancer plugin must pass, over real loopback sockets. A plugin's
 * test class extends it and supplies its factory; each test creates the balancer through it
 * and checks, with backends that answer each connection with their name and close it:
 * <ul>
 *   <li>publish binds the port and spreads connections over the backends in the order the
 *       policy gives (a round-robin one here);</li>
 *   <li>a connect failure moves to the next backend in the policy's order;</li>
 *   <li>the policy sees each backend's active connections;</li>
 *   <li>a new backend list takes effect for new connections, and a withdrawn backend gets
 *       no new connection;</li>
 *   <li>a backend that refuses connections is skipped, the client never sees it;</li>
 *   <li>with no backends the port stays bound and connections are closed at once;</li>
 *   <li>unpublish frees the port, and is idempotent; a port published for another service
 *       is a {@link ErrorCode#CONFLICT}.</li>
 * </ul>
 *
 * <p>The test methods are public so that JUnit may call them from a named module without
 * {@code opens}.
 */
@Timeout(20)
public abstract class LoadBalancerContract {
    /** The address everything binds to. */
    public static final String LOOPBACK = "127.0.0.1";
    private static final int READ_TIMEOUT_MILLIS = 5000;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private LoadBalancer lb;
    private int port;

    /** For subclasses. */
    protected LoadBalancerContract() {
    }

    /** @return a new instance of the factory under test */
    protected abstract LoadBalancerFactory factory();

    /** @return the configuration to create the balancer with; empty by default */
    protected PluginConfig config() {
        return PluginConfig.EMPTY;
    }

    /** @return the context to create the balancer with: the system clock and no events */
    protected PluginContext context() {
        return QuietContext.create();
    }

    /** @return the policy ports are published with; {@link TestPolicies#roundRobin()} by default */
    protected BalancingPolicy policy() {
        return TestPolicies.roundRobin();
    }

    /**
     * Creates the balancer and picks a free port.
     *
     * @throws IOException if no port is free
     */
    @BeforeEach
    public final void createBalancer() throws IOException {
        lb = factory().create(config(), context());
        assertNotNull(lb, "factory " + factory().getClass().getName() + " created null");
        port = freePort();
    }

    /**
     * Closes the balancer and the backends.
     *
     * @throws Exception if closing fails
     */
    @AfterEach
    public final void closeBalancer() throws Exception {
        if (lb != null) {
            lb.close();
            lb.close(); // idempotent
        }
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    /**
     * Nine connections over three backends: each gets three, in a repeating order.
     *
     * @throws IOException if a connection fails
     */
    @Test
    public void spreadsConnectionsRoundRobin() throws IOException {
        publish(backend("a"), backend("b"), backend("c"));
        List<String> seen = read(9);
        assertEquals(Map.of("a", 3L, "b", 3L, "c", 3L), count(seen), "connections per backend: " + seen);
        for (int i = 3; i < 9; i++) {
            assertEquals(seen.get(i - 3), seen.get(i), "round-robin repeats the same order: " + seen);
        }
    }

    /**
     * A new backend list is used by the next connections, without unbinding the port.
     *
     * @throws IOException if a connection fails
     */
    @Test
    public void aNewBackendListTakesEffectForNewConnections() throws IOException {
        Endpoint a = backend("a");
        Endpoint b = backend("b");
        publish(a);
        assertEquals(Map.of("a", 2L), count(read(2)));
        publish(a, b);
        assertEquals(Map.of("a", 2L, "b", 2L), count(read(4)));
        publish(b);
        assertEquals(Map.of("b", 3L), count(read(3)));
    }

    /**
     * A backend taken out of the list gets no new connection.
     *
     * @throws IOException if a connection fails
     */
    @Test
    public void aWithdrawnBackendGetsNoNewConnections() throws IOException {
        Endpoint a = backend("a");
        Endpoint b = backend("b");
        publish(a, b);
        read(2);
        publish(a);
        assertEquals(Map.of("a", 6L), count(read(6)));
    }

    /**
     * A backend that refuses connections is skipped: every client still reaches a live one.
     *
     * @throws IOException if a connection fails
     */
    @Test
    public void aDeadBackendIsSkipped() throws IOException {
        publish(backend("a"), dead("dead"), backend("c"));
        List<String> seen = read(6);
        assertEquals(Set.of("a", "c"), Set.copyOf(seen), "only live backends answer: " + seen);
    }

    /**
     * The transport follows the policy's order, and moves to the next backend when the first
     * refuses.
     *
     * @throws IOException if a connection fails
     */
    @Test
    public void followsThePolicyOrderAndMovesOnWhenAConnectFails() throws IOException {
        Endpoint a = backend("a");
        Endpoint b = backend("b");
        Endpoint dead = dead("dead");
        lb.publish("contract", "tcp", LOOPBACK, port, List.of(a, b, dead), (c, client) -> List.of(b, a));
        assertEquals(Map.of("b", 3L), count(read(3)));
        lb.publish("contract", "tcp", LOOPBACK, port, List.of(a, b, dead), (c, client) -> List.of(dead, a, b));
        assertEquals(Map.of("a", 3L), count(read(3)));
    }

    /**
     * The policy sees a backend's connections in flight, and their end.
     *
     * @throws Exception if a connection fails
     */
    @Test
    public void thePolicySeesActiveConnections() throws Exception {
        var held = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK));
        resources.add(held);
        Endpoint e = new Endpoint("held", LOOPBACK, held.getLocalPort());
        var seen = new java.util.concurrent.LinkedBlockingQueue<Integer>();
        lb.publish("contract", "tcp", LOOPBACK, port, List.of(e), (c, client) -> {
            seen.add(c.activeConnections(0));
            return c.endpoints();
        });
        try (var first = new Socket()) {
            first.connect(new InetSocketAddress(LOOPBACK, port), READ_TIMEOUT_MILLIS);
            Socket backendSide = held.accept(); // the first connection reached the backend
            resources.add(backendSide);
            try (var second = new Socket()) {
                second.connect(new InetSocketAddress(LOOPBACK, port), READ_TIMEOUT_MILLIS);
                resources.add(held.accept());
            }
            assertEquals(0, seen.take());
            assertEquals(1, seen.take(), "the second connection sees the first one in flight");
        }
    }

    /**
     * Without backends the port stays bound; connections are accepted and closed.
     *
     * @throws IOException if a connection fails
     */
    @Test
    public void withoutBackendsConnectionsAreClosedAtOnce() throws IOException {
        publish();
        assertEquals("", readOnce(), "accepted and closed without a byte");
        publish(backend("a"));
        assertEquals("a", readOnce());
    }

    /**
     * Unpublish frees the port for anyone; a second unpublish is a no-op.
     *
     * @throws IOException if the port cannot be bound again
     */
    @Test
    public void unpublishFreesThePort() throws IOException {
        publish(backend("a"));
        assertEquals("a", readOnce());
        lb.unpublish("tcp", port);
        lb.unpublish("tcp", port);
        try (var s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
        }
    }

    /**
     * A port published for one service cannot be published for another.
     *
     * @throws IOException if a backend cannot be started
     */
    @Test
    public void aPortOfAnotherServiceIsAConflict() throws IOException {
        publish(backend("a"));
        var e = assertThrows(OrchestratorException.class,
                () -> lb.publish("other", "tcp", LOOPBACK, port, List.of(), policy()));
        assertEquals(ErrorCode.CONFLICT, e.code());
    }

    private void publish(Endpoint... backends) {
        lb.publish("contract", "tcp", LOOPBACK, port, List.of(backends), policy());
    }

    private List<String> read(int connections) throws IOException {
        var seen = new ArrayList<String>();
        for (int i = 0; i < connections; i++) {
            seen.add(readOnce());
        }
        return seen;
    }

    /** One connection through the balancer: what came back before it closed. */
    private String readOnce() throws IOException {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), READ_TIMEOUT_MILLIS);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    private static Map<String, Long> count(List<String> seen) {
        var m = new HashMap<String, Long>();
        seen.forEach(s -> m.merge(s, 1L, Long::sum));
        return m;
    }

    /** A loopback server that answers every connection with its name and closes it. */
    private Endpoint backend(String name) throws IOException {
        var server = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK));
        resources.add(server);
        Thread.ofVirtual().name("contract-backend-" + name).start(() -> {
            while (!server.isClosed()) {
                try (Socket c = server.accept()) {
                    c.getOutputStream().write(name.getBytes(UTF_8));
                } catch (IOException e) {
                    return; // closed: the test is over
                }
            }
        });
        return new Endpoint(name, LOOPBACK, server.getLocalPort());
    }

    /** An endpoint whose port refuses connections. */
    private static Endpoint dead(String name) throws IOException {
        return new Endpoint(name, LOOPBACK, freePort());
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            assertTrue(s.getLocalPort() > 0);
            return s.getLocalPort();
        }
    }
}
