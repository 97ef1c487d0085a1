package dev.orchestrator.probe.tcp;

import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.spi.ProbeTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Builds tcp probe targets on the loopback address. */
final class Targets {
    static final String LOOPBACK = "127.0.0.1";
    /** The container port the targets' specs name; the port map sends it to a real loopback port. */
    static final int CONTAINER_PORT = 8080;

    private Targets() {
    }

    /** @return a target whose container port {@link #CONTAINER_PORT} is reachable at loopback {@code port} */
    static ProbeTarget mapped(int port, Duration timeout) {
        return new ProbeTarget("c0ffee", "web-0", LOOPBACK, Map.of(CONTAINER_PORT, port),
                spec(CONTAINER_PORT, timeout), null);
    }

    static HealthCheckSpec spec(int port, Duration timeout) {
        return new HealthCheckSpec("tcp", null, port, List.of(), Duration.ofSeconds(10), timeout, 1, Duration.ZERO);
    }
}
