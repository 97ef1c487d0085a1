package dev.orchestrator.api.spi;

/**
 * The outcome of a command run in a container.
 *
 * @param exitCode the exit code, or -1 when timed out
 * @param output   combined stdout and stderr, truncated to a few KiB
 * @param timedOut whether the timeout passed first
 */
public record ExecResult(int exitCode, String output, boolean timedOut) {
}
