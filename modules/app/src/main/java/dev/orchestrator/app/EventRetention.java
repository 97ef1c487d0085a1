package dev.orchestrator.app;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.store.Store;
import java.time.Clock;
import java.time.Duration;

/**
 * How many events the store keeps, and for how long: the newest {@code maxCount} that are at
 * most {@code maxAge} old. Enforced by {@link #enforce} (the server calls it every minute).
 *
 * @param maxCount the most events kept, 100..10,000,000
 * @param maxAge   the oldest event kept, 1 minute..3,650 days
 */
public record EventRetention(int maxCount, Duration maxAge) {
    /** 10,000 events, 7 days. */
    public static final EventRetention DEFAULT = new EventRetention(10_000, Duration.ofDays(7));

    /** Validates the bounds. */
    public EventRetention {
        Validation.range("events max count", maxCount, 100, 10_000_000);
        if (maxAge == null || maxAge.compareTo(Duration.ofMinutes(1)) < 0 || maxAge.toDays() > 3650) {
            throw OrchestratorException.invalid("events max age must be between 1m and 87600h, got "
                    + (maxAge == null ? "nothing" : Validation.format(maxAge)));
        }
    }

    /**
     * Deletes the events beyond the count and the age. Idempotent; blocks on the store.
     *
     * @param store the store
     * @param clock the clock ages count from
     * @return how many were deleted
     */
    public int enforce(Store store, Clock clock) {
        return store.events().pruneBefore(clock.instant().minus(maxAge)) + store.events().prune(maxCount);
    }
}
