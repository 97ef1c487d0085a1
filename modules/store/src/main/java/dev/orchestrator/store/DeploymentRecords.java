package dev.orchestrator.store;

import java.util.List;
import java.util.Optional;

/** Each service's latest rollout. See {@link StoreTx} for threading, blocking and failures. */
public interface DeploymentRecords {
    /**
     * Inserts or overwrites the service's deployment (one per service: the latest).
     *
     * @param deployment the deployment
     * @throws dev.orchestrator.api.OrchestratorException {@code NOT_FOUND} if its service does not exist
     */
    void put(Deployment deployment);

    /**
     * @param service a service name
     * @return its latest deployment, or empty if it never had one
     */
    Optional<Deployment> get(String service);

    /** @return every service's latest deployment, by service */
    List<Deployment> all();
}
