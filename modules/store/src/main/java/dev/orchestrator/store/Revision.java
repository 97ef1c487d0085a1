package dev.orchestrator.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One spec a service has had: what {@code orchestrator history} lists and a rollback returns to.
 *
 * @param revision  its number, never reused for the name
 * @param spec      the spec, with the service's current replica count (revisions do not
 *                  differ by scaling)
 * @param createdAt when it was deployed
 */
public record Revision(long revision, dev.orchestrator.api.ServiceSpec spec, Instant createdAt) {
    /** Requires every field. */
    public Revision {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
