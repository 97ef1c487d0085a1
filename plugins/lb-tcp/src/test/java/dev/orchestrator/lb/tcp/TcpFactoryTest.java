package dev.orchestrator.lb.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.LoadBalancer;
import dev.orchestrator.api.spi.LoadBalancerFactory;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import dev.orchestrator.testkit.QuietContext;
import dev.orchestrator.testkit.TestPolicies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TcpFactoryTest {
    private static final PluginContext CONTEXT = QuietContext.create();

    @Test
    @Timeout(10)
    void isFoundByServiceLoaderOnTheClassPath() {
        List<LoadBalancerFactory> found = ServiceLoader.load(LoadBalancerFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("tcp"))
                .toList();

        assertEquals(1, found.size());
        assertInstanceOf(TcpFactory.class, found.getFirst());
        assertEquals(100, found.getFirst().weight());
    }

    @Test
    @Timeout(10)
    void createsAWorkingBalancer() throws IOException {
        int port = TestServer.freePort();
        try (TestServer a = TestServer.named("a");
             LoadBalancer lb = new TcpFactory().create(PluginConfig.EMPTY, CONTEXT)) {
            lb.publish("api", "tcp", "127.0.0.1", port, List.of(a.endpoint("a")), TestPolicies.roundRobin());

            assertEquals("a", TestServer.readAll(port));
        }
    }

    @Test
    @Timeout(10)
    void readsSettings() {
        assertEquals(new Settings(Duration.ofSeconds(2), Duration.ZERO, 3, Settings.defaultEventLoops()),
                TcpFactory.settings(PluginConfig.EMPTY));
        assertEquals(new Settings(Duration.ofMillis(500), Duration.ofMinutes(5), 5, 4), settings(Map.of(
                "connect-timeout", "500ms", "idle-timeout", "5m", "max-attempts", "5", "event-loops", "4")));
        assertEquals(Duration.ZERO, settings(Map.of("idle-timeout", "0")).idle());
        assertEquals(Duration.ZERO, settings(Map.of("idle-timeout", "0s")).idle());
    }

    @Test
    @Timeout(10)
    void malformedSettingIsAPluginError() {
        OrchestratorException e = assertThrows(OrchestratorException.class,
                () -> settings(Map.of("connect-timeout", "fast")));

        assertEquals(ErrorCode.PLUGIN_ERROR, e.code());
        assertTrue(e.getMessage().startsWith("load-balancer plugin tcp ("), e.getMessage());
        assertTrue(e.getMessage().contains("connect-timeout must be a duration"), e.getMessage());
    }

    @Test
    @Timeout(10)
    void countsBelowOneAreAPluginError() {
        assertThrows(OrchestratorException.class, () -> settings(Map.of("event-loops", "0")));
        OrchestratorException e = assertThrows(OrchestratorException.class,
                () -> settings(Map.of("max-attempts", "0")));

        assertEquals(ErrorCode.PLUGIN_ERROR, e.code());
        assertTrue(e.getMessage().contains("max-attempts must be at least 1, got 0"), e.getMessage());
    }

    private static Settings settings(Map<String, String> values) {
        return TcpFactory.settings(new PluginConfig(values));
    }
}
