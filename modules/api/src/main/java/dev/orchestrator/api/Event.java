package dev.orchestrator.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One orchestration event, as listed by {@code orchestrator events}.
 *
 * @param timestamp when it happened
 * @param type      a short category: {@code deploy}, {@code scale}, {@code health_check}, {@code container},
 *                  {@code node}, {@code schedule}, {@code auth}, ...
 * @param service   the service concerned, or null
 * @param container the replica name concerned, or null
 * @param message   human-readable text; never contains secrets
 */
public record Event(Instant timestamp, String type, String service, String container, String message) {
    /** Requires timestamp, type and message. */
    public Event {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }
}
