package dev.orchestrator.probe.exec;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.api.spi.ExecResult;
import dev.orchestrator.api.spi.Probe;
import dev.orchestrator.api.spi.ProbeResult;
import dev.orchestrator.api.spi.ProbeTarget;
import java.time.Duration;
import java.util.List;

/**
 * Runs {@code spec.command()} in the target's container with
 * {@code target.runtime().exec(containerId, argv, spec.timeout())}; healthy iff it exits with 0.
 * The argv goes to the runtime as is: no shell is involved, so a check that needs one says so
 * ({@code ["sh", "-c", "..."]}).
 *
 * <p>Threading: thread-safe and stateless; the kernel calls {@link #check} concurrently from
 * many virtual threads. Blocking: blocks for as long as the runtime's {@code exec}, which
 * returns when the command ends or the timeout passes. Never throws for an unhealthy target:
 * a non-zero exit ({@code exit 1: <first line of output>}), a timeout
 * ({@code timed out after 2s}), an empty command or a runtime failure (its message) are all
 * unhealthy results.
 */
final class ExecProbe implements Probe {
    private static final int MAX_OUTPUT = 200;

    @Override
    public ProbeResult check(ProbeTarget target) {
        long start = System.nanoTime();
        String problem = problem(target);
        if (problem != null) {
            return ProbeResult.unhealthy(problem, since(start));
        }
        Duration timeout = target.spec().timeout();
        ExecResult result;
        try {
            result = target.runtime().exec(target.containerId(), target.spec().command(), timeout);
        } catch (OrchestratorException e) {
            return ProbeResult.unhealthy(message(e), since(start));
        }
        if (result.timedOut()) {
            return ProbeResult.unhealthy("timed out after " + Validation.format(timeout), since(start));
        }
        String detail = "exit " + result.exitCode() + firstLine(result.output());
        return result.exitCode() == 0
                ? ProbeResult.healthy(detail, since(start))
                : ProbeResult.unhealthy(detail, since(start));
    }

    /** @return why the target cannot be probed at all, or null */
    private static String problem(ProbeTarget target) {
        List<String> command = target.spec().command();
        if (command.isEmpty() || command.getFirst().isBlank()) {
            return "health_check.command is required: an argv array such as [\"pg_isready\", \"-q\"]";
        }
        if (target.containerId() == null || target.containerId().isBlank()) {
            return "replica " + target.replica() + " has no container id";
        }
        if (target.runtime() == null) {
            return "no container runtime to run health_check.command in";
        }
        return null;
    }

    private static String message(OrchestratorException e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? "runtime failure (" + e.code().wireName() + ")"
                : e.getMessage();
    }

    /** @return {@code ": <first non-blank line>"}, shortened, or "" when there is no output */
    private static String firstLine(String output) {
        if (output == null) {
            return "";
        }
        String line = output.strip().lines().findFirst().orElse("").strip();
        if (line.isEmpty()) {
            return "";
        }
        return ": " + (line.length() <= MAX_OUTPUT ? line : line.substring(0, MAX_OUTPUT) + "...");
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
