package dev.orchestrator.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one probe.
 *
 * @param healthy whether the replica passed
 * @param detail  a short reason, e.g. {@code HTTP 500} or {@code connection refused}
 * @param took    how long the probe took
 */
public record ProbeResult(boolean healthy, String detail, Duration took) {
    /** Requires detail and duration. */
    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(took, "took");
    }

    /**
     * @param detail what passed
     * @param took   how long it took
     * @return a healthy result
     */
    public static ProbeResult healthy(String detail, Duration took) {
        return new ProbeResult(true, detail, took);
    }

    /**
     * @param detail why it failed
     * @param took   how long it took
     * @return an unhealthy result
     */
    public static ProbeResult unhealthy(String detail, Duration took) {
        return new ProbeResult(false, detail, took);
    }
}
