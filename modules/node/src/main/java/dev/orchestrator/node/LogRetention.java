package dev.orchestrator.node;

import dev.orchestrator.api.OrchestratorException;
import java.time.Duration;

/**
 * How much of a service's captured output a node keeps: at most {@code maxBytes} on disk and
 * nothing older than {@code maxAge} (whichever is reached first), per service. Set with
 * {@code --container-logs-max-size} and {@code --container-logs-max-age} (docs/configuration.md).
 *
 * @param maxBytes the size bound per service, at least 64 KiB
 * @param maxAge   the age bound, positive
 */
public record LogRetention(long maxBytes, Duration maxAge) {
    /** 50 MiB and 7 days. */
    public static final LogRetention DEFAULT = new LogRetention(50L << 20, Duration.ofDays(7));

    /** Validates. */
    public LogRetention {
        if (maxBytes < 64 << 10) {
            throw OrchestratorException.invalid("the container logs' size bound must be at least 64k, got " + maxBytes
                    + " bytes");
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw OrchestratorException.invalid("the container logs' age bound must be a positive duration");
        }
    }

    /** @return the size of one file: a fifth of the bound, so rotation drops a fifth at a time */
    long segmentBytes() {
        return Math.max(16 << 10, maxBytes / 5);
    }
}
