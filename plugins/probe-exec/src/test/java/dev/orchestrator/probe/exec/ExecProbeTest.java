package dev.orchestrator.probe.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ExecResult;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.ProbeResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ExecProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final LocalProcessRuntime runtime = new LocalProcessRuntime();
    private final ExecProbe probe = new ExecProbe();

    @Test
    @Timeout(10)
    void exitZeroIsHealthy() {
        ProbeResult result = probe.check(Targets.exec(runtime, TIMEOUT, "true"));

        assertTrue(result.healthy(), result::toString);
        assertEquals("exit 0", result.detail());
    }

    @Test
    @Timeout(10)
    void nonZeroExitIsUnhealthyWithTheFirstLineOfOutput() {
        ProbeResult result = probe.check(Targets.exec(runtime, TIMEOUT, "sh", "-c", "echo boom; echo more >&2; exit 3"));

        assertFalse(result.healthy());
        assertEquals("exit 3: boom", result.detail());
    }

    @Test
    @Timeout(10)
    void falseIsUnhealthy() {
        ProbeResult result = probe.check(Targets.exec(runtime, TIMEOUT, "false"));

        assertFalse(result.healthy());
        assertEquals("exit 1", result.detail());
    }

    @Test
    @Timeout(10)
    void theArgvReachesTheRuntimeAsIsWithNoShell() {
        // Through a shell, "; false" would run false and fail the check.
        ProbeResult result = probe.check(Targets.exec(runtime, TIMEOUT, "echo", "a b; false"));

        assertTrue(result.healthy(), result::toString);
        assertEquals(List.of(List.of("echo", "a b; false")), List.copyOf(runtime.argvs));
    }

    @Test
    @Timeout(10)
    void aCommandThatOutlivesTheTimeoutIsUnhealthy() {
        ProbeResult result = probe.check(Targets.exec(runtime, Duration.ofSeconds(1), "sleep", "5"));

        assertFalse(result.healthy());
        assertEquals("timed out after 1s", result.detail());
        assertTrue(result.took().compareTo(Duration.ofMillis(1500)) < 0, result::toString);
    }

    @Test
    @Timeout(10)
    void anEmptyCommandIsUnhealthyAndRunsNothing() {
        ProbeResult result = probe.check(Targets.exec(runtime, TIMEOUT));

        assertFalse(result.healthy());
        assertTrue(result.detail().startsWith("health_check.command is required"), result.detail());
        assertTrue(runtime.argvs.isEmpty());
    }

    @Test
    @Timeout(10)
    void aRuntimeFailureIsUnhealthyWithItsMessage() {
        var broken = new ExecOnlyRuntime() {
            @Override
            public ExecResult exec(String id, List<String> argv, Duration timeout) {
                throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "container c0ffee is not running");
            }
        };

        ProbeResult result = probe.check(Targets.exec(broken, TIMEOUT, "true"));

        assertFalse(result.healthy());
        assertEquals("container c0ffee is not running", result.detail());
    }

    @Test
    @Timeout(10)
    void aTargetWithoutRuntimeOrContainerIsUnhealthy() {
        assertEquals("no container runtime to run health_check.command in",
                probe.check(Targets.exec(null, TIMEOUT, "true")).detail());
        assertEquals("replica worker-0 has no container id",
                probe.check(Targets.exec(runtime, "", TIMEOUT, "true")).detail());
    }

    @Test
    @Timeout(10)
    void longOutputIsShortened() {
        ProbeResult result = probe.check(Targets.exec(runtime, TIMEOUT, "sh", "-c", "printf '%0300d' 0; exit 2"));

        assertFalse(result.healthy());
        assertEquals("exit 2: " + "0".repeat(200) + "...", result.detail());
    }

    @Test
    @Timeout(10)
    void factoryNeedsNoSettings() {
        var factory = new ExecProbeFactory();

        assertEquals("exec", factory.name());
        assertEquals(100, factory.weight());
        assertInstanceOf(ExecProbe.class, factory.create(PluginConfig.EMPTY, null));
    }
}
