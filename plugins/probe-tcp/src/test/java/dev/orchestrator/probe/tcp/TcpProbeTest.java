package dev.orchestrator.probe.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.ProbeResult;
import dev.orchestrator.api.spi.ProbeTarget;
import dev.orchestrator.testkit.StuckListener;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TcpProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final TcpProbe probe = new TcpProbe();

    @Test
    @Timeout(10)
    void connectsToThePortMappedFromTheContainerPort() throws Exception {
        try (OpenPort open = new OpenPort()) {
            ProbeResult result = probe.check(Targets.mapped(open.port(), TIMEOUT));

            assertTrue(result.healthy(), result::toString);
            assertEquals("connected to 127.0.0.1:" + open.port(), result.detail());
            assertEquals(Boolean.TRUE, open.nextClosedByClient(Duration.ofSeconds(5)), "the probe closes at once");
        }
    }

    @Test
    @Timeout(10)
    void anUnmappedPortIsUsedAsIs() throws IOException {
        // On a bridge network the port map is empty: the container port is reachable at the container's IP.
        try (OpenPort open = new OpenPort()) {
            var target = new ProbeTarget("c0ffee", "web-0", Targets.LOOPBACK, Map.of(),
                    Targets.spec(open.port(), TIMEOUT), null);

            assertTrue(probe.check(target).healthy());
        }
    }

    @Test
    @Timeout(10)
    void aClosedPortIsRefused() throws IOException {
        ProbeResult result = probe.check(Targets.mapped(OpenPort.closedPort(), TIMEOUT));

        assertFalse(result.healthy());
        assertEquals("connection refused", result.detail());
    }

    @Test
    @Timeout(10)
    void aConnectThatHangsTimesOutOnTime() {
        try (StuckListener stuck = StuckListener.fullBacklog()) {
            ProbeResult result = probe.check(Targets.mapped(stuck.port(), Duration.ofMillis(700)));

            assertFalse(result.healthy());
            assertEquals("timed out after 700ms", result.detail());
            assertTrue(result.took().compareTo(Duration.ofMillis(1200)) < 0, result::toString);
        }
    }

    @Test
    @Timeout(10)
    void aSpecWithoutAPortIsUnhealthy() {
        var target = new ProbeTarget("c0ffee", "web-0", Targets.LOOPBACK, Map.of(), Targets.spec(0, TIMEOUT), null);

        ProbeResult result = probe.check(target);

        assertFalse(result.healthy());
        assertEquals("health_check.port is required", result.detail());
    }

    @Test
    @Timeout(10)
    void aReplicaWithoutAnAddressIsUnhealthy() {
        var target = new ProbeTarget("c0ffee", "web-0", null, Map.of(), Targets.spec(8080, TIMEOUT), null);

        ProbeResult result = probe.check(target);

        assertFalse(result.healthy());
        assertEquals("replica web-0 has no address", result.detail());
    }

    @Test
    @Timeout(10)
    void factoryNeedsNoSettings() {
        var factory = new TcpProbeFactory();

        assertEquals("tcp", factory.name());
        assertEquals(100, factory.weight());
        assertInstanceOf(TcpProbe.class, factory.create(PluginConfig.EMPTY, null));
    }
}
