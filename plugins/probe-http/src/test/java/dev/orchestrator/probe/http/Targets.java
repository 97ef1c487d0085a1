package dev.orchestrator.probe.http;

import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.spi.ProbeTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Builds http probe targets. */
final class Targets {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private Targets() {
    }

    /** @return a target on the loopback address with no port mapping */
    static ProbeTarget get(String endpoint) {
        return get(endpoint, TIMEOUT);
    }

    static ProbeTarget get(String endpoint, Duration timeout) {
        return replica(endpoint, timeout, "127.0.0.1", Map.of());
    }

    static ProbeTarget replica(String endpoint, Duration timeout, String address, Map<Integer, Integer> portMap) {
        var spec = new HealthCheckSpec("http", endpoint, 0, List.of(), Duration.ofSeconds(10), timeout, 1, Duration.ZERO);
        return new ProbeTarget("c0ffee", "web-0", address, portMap, spec, null);
    }
}
