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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RoundRobinFactoryTest {
    private static final PluginContext CONTEXT = QuietContext.create();

    @Test
    @Timeout(10)
    void isFoundByServiceLoaderOnTheClassPath() {
        List<LoadBalancerFactory> found = ServiceLoader.load(LoadBalancerFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("round-robin"))
                .toList();

        assertEquals(1, found.size());
        assertInstanceOf(RoundRobinFactory.class, found.getFirst());
        assertEquals(100, found.getFirst().weight());
    }

    @Test
    @Timeout(10)
    void createsAWorkingBalancer() throws IOException {
        int port = TestServer.freePort();
        try (TestServer a = TestServer.named("a");
             LoadBalancer lb = new RoundRobinFactory().create(PluginConfig.EMPTY, CONTEXT)) {
            lb.publish("api", "tcp", "127.0.0.1", port, List.of(a.endpoint("a")));

            assertEquals("a", TestServer.readAll(port));
        }
    }

    @Test
    @Timeout(10)
    void readsTimeouts() {
        assertEquals(new Timeouts(Duration.ofSeconds(2), Duration.ZERO), RoundRobinFactory.timeouts(PluginConfig.EMPTY));
        assertEquals(new Timeouts(Duration.ofMillis(500), Duration.ofMinutes(5)),
                timeouts(Map.of("connect-timeout", "500ms", "idle-timeout", "5m")));
        assertEquals(Duration.ZERO, timeouts(Map.of("idle-timeout", "0")).idle());
        assertEquals(Duration.ZERO, timeouts(Map.of("idle-timeout", "0s")).idle());
    }

    @Test
    @Timeout(10)
    void malformedSettingIsAPluginError() {
        OrchestratorException e = assertThrows(OrchestratorException.class,
                () -> timeouts(Map.of("connect-timeout", "fast")));

        assertEquals(ErrorCode.PLUGIN_ERROR, e.code());
        assertTrue(e.getMessage().startsWith("load-balancer plugin round-robin ("), e.getMessage());
        assertTrue(e.getMessage().contains("connect-timeout must be a duration"), e.getMessage());
    }

    private static Timeouts timeouts(Map<String, String> values) {
        return RoundRobinFactory.timeouts(new PluginConfig(values));
    }
}
