package dev.orchestrator.store.internal;

import java.time.Instant;

/**
 * A row of {@code service_revisions}, in column order.
 *
 * @param name      the service
 * @param revision  the revision
 * @param specJson  its spec without the replica count
 * @param createdAt when it was recorded
 */
public record RevisionRow(String name, long revision, String specJson, Instant createdAt) {
}
