package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import java.util.List;
import java.util.Optional;

/** The replicas: assigned and observed state. See {@link StoreTx} for threading, blocking and failures. */
public interface ReplicaRecords {
    /**
     * Inserts or overwrites the row of (service, index).
     *
     * @param replica the replica
     * @throws OrchestratorException {@code NOT_FOUND} if its service does not exist
     */
    void put(ReplicaRecord replica);

    /**
     * @param service a service name
     * @param index   a replica index
     * @return the replica, or empty
     */
    Optional<ReplicaRecord> get(String service, int index);

    /**
     * @param service a service name
     * @return its replicas, by index (empty if the service does not exist)
     */
    List<ReplicaRecord> ofService(String service);

    /** @return every replica, by service name, then index */
    List<ReplicaRecord> all();

    /**
     * @param service a service name
     * @param index   a replica index
     * @return false if there was no such replica
     */
    boolean delete(String service, int index);

    /**
     * @param service a service name
     * @return how many replica rows were deleted
     */
    int deleteOfService(String service);
}
