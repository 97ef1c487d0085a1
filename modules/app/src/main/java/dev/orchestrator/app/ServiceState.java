package dev.orchestrator.app;

import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ServiceRecord;
import java.util.List;

/**
 * A service as the API shows it: its desired state and the replicas observed.
 *
 * @param service  the stored service
 * @param replicas its replica rows
 */
public record ServiceState(ServiceRecord service, List<ReplicaRecord> replicas) {
    public ServiceState {
        replicas = List.copyOf(replicas);
    }
}
