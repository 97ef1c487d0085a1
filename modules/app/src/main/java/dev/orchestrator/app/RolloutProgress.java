package dev.orchestrator.app;

import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.Deployment;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ServiceRecord;
import java.time.Instant;
import java.util.List;

/**
 * How far a service's latest rollout got, as the API and {@code deploy --wait} show it.
 *
 * @param revision     the revision rolled out
 * @param fromRevision the revision before it, 0 if none
 * @param status       {@code running}, {@code paused}, {@code succeeded}, {@code rolled_back} or
 *                     {@code superseded}
 * @param rollback     true if it is itself a rollback
 * @param message      what happened last
 * @param replicas     the desired replica count
 * @param updated      replicas assigned the revision (replaced, or being replaced)
 * @param healthy      replicas observed serving at the revision
 * @param startedAt    when it began
 * @param updatedAt    when it last changed
 */
public record RolloutProgress(long revision, long fromRevision, String status, boolean rollback, String message,
                              int replicas, int updated, int healthy, Instant startedAt, Instant updatedAt) {
    /**
     * @param d           the deployment
     * @param service     its service
     * @param assignments the service's assignments
     * @param rows        the service's replica rows
     * @return its progress
     */
    public static RolloutProgress of(Deployment d, ServiceRecord service, List<Assignment> assignments,
                                     List<ReplicaRecord> rows) {
        int replicas = service.spec().replicas();
        int updated = (int) assignments.stream()
                .filter(a -> a.index() < replicas && a.target(service.revision()) == d.revision()).count();
        int healthy = (int) rows.stream()
                .filter(r -> r.index() < replicas && r.revision() == d.revision() && r.serving()).count();
        return new RolloutProgress(d.revision(), d.fromRevision(), d.status().wireName(), d.rollback(), d.message(),
                replicas, updated, healthy, d.startedAt(), d.updatedAt());
    }
}
