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
 * @param node      the node concerned (the one that reported it, or the one a node event is
 *                  about), or null for cluster-wide events
 */
public record Event(Instant timestamp, String type, String service, String container, String message, String node) {
    /** Requires timestamp, type and message. */
    public Event {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }

    /** An event about no particular node. */
    public Event(Instant timestamp, String type, String service, String container, String message) {
        this(timestamp, type, service, container, message, null);
    }

    /**
     * @param name the node concerned
     * @return a copy about that node
     */
    public Event onNode(String name) {
        return new Event(timestamp, type, service, container, message, name);
    }
}
