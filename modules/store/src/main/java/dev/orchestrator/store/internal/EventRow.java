package dev.orchestrator.store.internal;

import dev.orchestrator.api.Event;
import java.time.Instant;

/**
 * A row of the {@code events} table, in column order (MyBatis maps by constructor).
 *
 * @param id        its id
 * @param timestamp when it happened
 * @param type      its type
 * @param service   its service, or null
 * @param container its replica, or null
 * @param message   its text
 * @param node      its node, or null
 */
public record EventRow(long id, Instant timestamp, String type, String service, String container, String message,
                       String node) {
    /** @return the event */
    public Event event() {
        return new Event(timestamp, type, service, container, message, node);
    }
}
