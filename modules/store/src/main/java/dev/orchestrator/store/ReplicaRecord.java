package dev.orchestrator.store;

import dev.orchestrator.api.Validation;
import java.time.Instant;
import java.util.Objects;

/**
 * The assigned and observed state of one replica of a service, keyed by (service, index).
 * The reconciler writes it as it acts and observes; after a restart it re-adopts containers
 * from these rows.
 *
 * @param service       the service name
 * @param index         the replica index, 0-based; the replica is named {@code <service>-<index>}
 * @param node          the node it is assigned to, or null while unscheduled
 * @param containerId   the runtime's container id, or null before creation
 * @param containerName the container name, or null before creation
 * @param revision      the service revision the container was created from (at least 1)
 * @param state         where it is in its life
 * @param health        what its health check says
 * @param restartCount  restarts so far
 * @param lastExitCode  the exit code of the last run, or null if it never ended
 * @param hostPort      the ephemeral host port the replica publishes, 0 if none
 * @param message       a short human-readable reason for the state, empty if none
 * @param updatedAt     when the reconciler last wrote this row (its clock)
 */
public record ReplicaRecord(String service, int index, String node, String containerId, String containerName,
                            long revision, ReplicaState state, Health health, int restartCount, Integer lastExitCode,
                            int hostPort, String message, Instant updatedAt) {
    /** Validates every field; a null message becomes empty. */
    public ReplicaRecord {
        Validation.dnsLabel("replica.service", service);
        Checks.nonNegative("replica.index", index);
        Checks.positive("replica.revision", revision);
        Checks.required("replica.state", state);
        Checks.required("replica.health", health);
        Checks.nonNegative("replica.restart_count", restartCount);
        if (hostPort != 0) {
            Validation.port("replica.host_port", hostPort);
        }
        message = Objects.requireNonNullElse(message, "");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** @return true if it runs and is healthy, or runs without a health check: it serves */
    public boolean serving() {
        return state == ReplicaState.RUNNING && (health == Health.HEALTHY || health == Health.NONE);
    }

    /**
     * The message of a replica whose update failed and that still runs its old container; the
     * server's deployment controller reads it (see {@link #updateFailed(long)}).
     *
     * @param revision the revision it was updated to
     * @param why      why it failed
     * @return the message
     */
    public static String updateFailed(long revision, String why) {
        return "update to revision " + revision + " failed: " + why;
    }

    /**
     * @param to a revision
     * @return true if this row says its update to that revision failed
     */
    public boolean updateFailed(long to) {
        return message.startsWith("update to revision " + to + " failed");
    }

    /**
     * @param to a revision
     * @return why this row says its update to that revision failed, without the retry time
     */
    public java.util.Optional<String> updateFailure(long to) {
        String prefix = updateFailed(to, "");
        return message.startsWith(prefix)
                ? java.util.Optional.of(message.substring(prefix.length()).replaceFirst("; retry in [0-9]+s$", ""))
                : java.util.Optional.empty();
    }

    /**
     * @param other another row
     * @return true if both say the same, whenever they were written
     */
    public boolean sameAs(ReplicaRecord other) {
        return other != null && equals(new ReplicaRecord(other.service, other.index, other.node, other.containerId,
                other.containerName, other.revision, other.state, other.health, other.restartCount,
                other.lastExitCode, other.hostPort, other.message, updatedAt));
    }
}
