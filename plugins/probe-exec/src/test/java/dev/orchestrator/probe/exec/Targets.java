package dev.orchestrator.probe.exec;

import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.ProbeTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Builds exec probe targets. */
final class Targets {
    private Targets() {
    }

    static ProbeTarget exec(ContainerRuntime runtime, Duration timeout, String... argv) {
        return exec(runtime, LocalProcessRuntime.CONTAINER, timeout, argv);
    }

    static ProbeTarget exec(ContainerRuntime runtime, String containerId, Duration timeout, String... argv) {
        var spec = new HealthCheckSpec("exec", null, 0, List.of(argv), Duration.ofSeconds(10), timeout, 1, Duration.ZERO);
        return new ProbeTarget(containerId, "worker-0", "127.0.0.1", Map.of(), spec, runtime);
    }
}
