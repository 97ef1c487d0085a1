package dev.orchestrator.lb.policy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.LoadBalancer;
import dev.orchestrator.api.spi.LoadBalancerFactory;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.testkit.QuietContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Least-connections through the real transport (the {@code tcp} load balancer) over loopback:
 * a backend that takes 100 ms per request holds its connections longer, so it gets fewer new
 * ones; round-robin, for contrast, gives it its full third.
 */
class SlowBackendTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int CLIENTS = 8;
    private static final int REQUESTS_PER_CLIENT = 15;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
    }

    @Test
    @Timeout(60)
    void leastConnectionsSendsTheSlowBackendFewerConnections() throws Exception {
        Map<String, Integer> counts = run(new LeastConnectionsFactory().create(PluginConfig.EMPTY, null));

        int slow = counts.getOrDefault("slow", 0);
        int fast = Math.min(counts.getOrDefault("fast1", 0), counts.getOrDefault("fast2", 0));
        assertEquals(CLIENTS * REQUESTS_PER_CLIENT, counts.values().stream().mapToInt(Integer::intValue).sum());
        // Round-robin would give each 40; the margin leaves room for a busy machine.
        assertTrue(slow * 2 < fast, "the slow backend gets far fewer: " + counts);
    }

    @Test
    @Timeout(60)
    void roundRobinGivesTheSlowBackendItsThirdRegardless() throws Exception {
        Map<String, Integer> counts = run(new RoundRobinFactory().create(PluginConfig.EMPTY, null));

        assertEquals(CLIENTS * REQUESTS_PER_CLIENT / 3, counts.get("slow"), counts.toString());
    }

    /** {@value #CLIENTS} clients, each making requests one after another; how many each backend served. */
    private Map<String, Integer> run(BalancingPolicy policy) throws Exception {
        List<Endpoint> backends = List.of(backend("fast1", 0), backend("slow", 100), backend("fast2", 0));
        LoadBalancer lb = ServiceLoader.load(LoadBalancerFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("tcp")).findFirst().orElseThrow()
                .create(PluginConfig.EMPTY, QuietContext.create());
        resources.add(lb);
        int port;
        try (var probe = new ServerSocket(0, 1, LOOPBACK)) {
            port = probe.getLocalPort();
        }
        lb.publish("slow-test", "tcp", LOOPBACK.getHostAddress(), port, backends, policy);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                        request(port);
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get(50, TimeUnit.SECONDS);
            }
        }
        var counts = new java.util.HashMap<String, Integer>();
        served.forEach((name, n) -> counts.put(name, n.get()));
        return counts;
    }

    private static void request(int port) throws IOException {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write('?');
            assertTrue(s.getInputStream().readAllBytes().length > 0, "every request is answered");
        }
    }

    /** A backend that reads one byte, waits {@code delayMillis}, answers its name and closes. */
    private Endpoint backend(String name, long delayMillis) throws IOException {
        var server = new ServerSocket(0, 100, LOOPBACK);
        resources.add(server);
        served.put(name, new AtomicInteger());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket c = server.accept();
                    Thread.ofVirtual().start(() -> answer(c, name, delayMillis));
                } catch (IOException e) {
                    return; // closed: the test is over
                }
            }
        });
        return new Endpoint(name, LOOPBACK.getHostAddress(), server.getLocalPort());
    }

    private void answer(Socket c, String name, long delayMillis) {
        try (c) {
            c.getInputStream().read();
            Thread.sleep(delayMillis);
            served.get(name).incrementAndGet();
            c.getOutputStream().write(name.getBytes(UTF_8));
        } catch (IOException | InterruptedException e) {
            // The test is over.
        }
    }
}
