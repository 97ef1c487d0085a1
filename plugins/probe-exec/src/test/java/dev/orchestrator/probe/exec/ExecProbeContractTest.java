package dev.orchestrator.probe.exec;

import dev.orchestrator.api.spi.ProbeFactory;
import dev.orchestrator.api.spi.ProbeTarget;
import dev.orchestrator.testkit.ProbeContract;
import java.time.Duration;

/** The exec probe passes the probe contract with real local commands. */
class ExecProbeContractTest extends ProbeContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final LocalProcessRuntime runtime = new LocalProcessRuntime();

    @Override
    protected ProbeFactory factory() {
        return new ExecProbeFactory();
    }

    @Override
    protected ProbeTarget healthyTarget() {
        return Targets.exec(runtime, TIMEOUT, "true");
    }

    @Override
    protected ProbeTarget unhealthyTarget() {
        return Targets.exec(runtime, TIMEOUT, "false");
    }

    @Override
    protected ProbeTarget hangingTarget(Duration timeout) {
        return Targets.exec(runtime, timeout, "sleep", "5");
    }

    @Override
    protected ProbeTarget unreachableTarget() {
        return Targets.exec(runtime, "gone", TIMEOUT, "true");
    }
}
