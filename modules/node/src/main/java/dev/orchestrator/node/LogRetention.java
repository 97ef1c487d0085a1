package dev.orchestrator.node;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import java.time.Duration;
import java.util.Map;

/**
 * How much of a service's captured output a node keeps: at most {@code maxBytes} on disk and
 * nothing older than {@code maxAge} (whichever is reached first), per service.
 *
 * @param maxBytes the size bound per service, at least 64 KiB
 * @param maxAge   the age bound, positive
 */
public record LogRetention(long maxBytes, Duration maxAge) {
    /** The environment variable of the size bound, e.g. {@code 50MB}. */
    public static final String SIZE_VARIABLE = "ORCHESTRATOR_LOG_MAX_SIZE";
    /** The environment variable of the age bound, e.g. {@code 168h}. */
    public static final String AGE_VARIABLE = "ORCHESTRATOR_LOG_MAX_AGE";
    /** 50 MB and 7 days. */
    public static final LogRetention DEFAULT = new LogRetention(50L << 20, Duration.ofDays(7));

    /** Validates. */
    public LogRetention {
        if (maxBytes < 64 << 10) {
            throw OrchestratorException.invalid(SIZE_VARIABLE + " must be at least 64KB, got " + maxBytes + " bytes");
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw OrchestratorException.invalid(AGE_VARIABLE + " must be a positive duration");
        }
    }

    /**
     * @param env the environment
     * @return the bounds it sets, the defaults for those it does not
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for an unreadable value
     */
    public static LogRetention from(Map<String, String> env) {
        String size = env.get(SIZE_VARIABLE);
        String age = env.get(AGE_VARIABLE);
        return new LogRetention(size == null || size.isBlank() ? DEFAULT.maxBytes() : Validation.size(SIZE_VARIABLE,
                size.trim()), age == null || age.isBlank() ? DEFAULT.maxAge() : Validation.duration(AGE_VARIABLE,
                age.trim()));
    }

    /** @return the size of one file: a fifth of the bound, so rotation drops a fifth at a time */
    long segmentBytes() {
        return Math.max(16 << 10, maxBytes / 5);
    }
}
