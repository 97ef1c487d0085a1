package dev.orchestrator.store.internal;

import java.time.Instant;

/**
 * One row of {@code services}.
 *
 * @param name      the service name
 * @param specJson  the spec without its replica count, as JSON
 * @param replicas  the desired replica count
 * @param revision  the spec's revision
 * @param createdAt first stored
 * @param updatedAt last changed
 */
public record ServiceRow(String name, String specJson, int replicas, long revision, Instant createdAt,
                         Instant updatedAt) {
}
