package dev.orchestrator.app;

import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ServiceRecord;
import java.util.List;
import java.util.Set;

/**
 * A service as the API shows it: its desired state and the replicas observed.
 *
 * @param service  the stored service
 * @param replicas its replica rows
 * @param current  the revisions whose spec is the current one's (the current revision, and
 *                 after a rollback the revision rolled back to): a replica running one of them
 *                 is up to date
 */
public record ServiceState(ServiceRecord service, List<ReplicaRecord> replicas, Set<Long> current) {
    /** Copies. */
    public ServiceState {
        replicas = List.copyOf(replicas);
        current = Set.copyOf(current);
    }

    /** A service whose replicas are up to date only at its current revision. */
    public ServiceState(ServiceRecord service, List<ReplicaRecord> replicas) {
        this(service, replicas, Set.of(service.revision()));
    }
}
