package dev.orchestrator.store;

import dev.orchestrator.api.ServiceSpec;
import java.time.Instant;
import java.util.Objects;

/**
 * A service's desired state as stored.
 *
 * @param spec      the spec, replica count included
 * @param revision  1 when first stored, one more each time anything but the replica count changed;
 *                  replicas created from an older revision are out of date
 * @param createdAt when the service was first stored
 * @param updatedAt when the spec or the replica count last changed
 */
public record ServiceRecord(ServiceSpec spec, long revision, Instant createdAt, Instant updatedAt) {
    /** Requires every field; revision at least 1. */
    public ServiceRecord {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Checks.positive("revision", revision);
    }

    /** @return the service name, {@code spec().name()} */
    public String name() {
        return spec.name();
    }
}
