package dev.orchestrator.api.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One sample of a running container's resource use, as the runtime measured it. CPU is a
 * cumulative counter: a rate (CPU %) needs two samples of the same container.
 *
 * @param readAt           when the runtime took the sample
 * @param cpuNanos         CPU time the container has used since it started, in nanoseconds (all CPUs)
 * @param memoryBytes      memory in use, without the page cache the kernel can reclaim (as
 *                         {@code docker stats} shows it)
 * @param memoryLimitBytes the container's memory limit (the machine's memory when it has none),
 *                         or -1 if unknown
 */
public record ContainerStats(Instant readAt, long cpuNanos, long memoryBytes, long memoryLimitBytes) {
    /** Requires a time and counters that are not negative. */
    public ContainerStats {
        Objects.requireNonNull(readAt, "readAt");
        if (cpuNanos < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("cpuNanos and memoryBytes must not be negative");
        }
    }
}
