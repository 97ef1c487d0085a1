package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import java.util.List;
import java.util.Optional;

/** The services: desired state. See {@link StoreTx} for threading, blocking and failures. */
public interface ServiceRecords {
    /**
     * Inserts or replaces a service's spec. The revision is 1 for a new service, grows by one
     * when anything but the replica count changed, and stays when only the replica count (or
     * nothing) changed.
     *
     * @param spec the desired spec
     * @return the stored record
     */
    ServiceRecord put(ServiceSpec spec);

    /**
     * @param name a service name
     * @return the service, or empty if there is none
     */
    Optional<ServiceRecord> get(String name);

    /** @return every service, ordered by name */
    List<ServiceRecord> all();

    /**
     * @param name a service name
     * @return the specs it had (the newest {@code 10}, the current one first), each with the
     *         service's current replica count; empty if it has none recorded
     */
    List<Revision> revisions(String name);

    /**
     * Changes a service's replica count; its revision stays.
     *
     * @param name     a service name
     * @param replicas the new count, 0..{@value ServiceSpec#MAX_REPLICAS}
     * @return false if there is no such service
     * @throws OrchestratorException {@code INVALID_ARGUMENT} if the count is out of range
     */
    boolean setReplicas(String name, int replicas);

    /**
     * Deletes a service and all its replica rows (not its containers: the caller stops those,
     * preferably before, since the rows are how it finds them).
     *
     * @param name a service name
     * @return false if there was no such service
     */
    boolean delete(String name);

    /**
     * Stores a service record exactly as given, revision and times included: how an agent
     * mirrors the server's desired state. Never bumps the revision.
     *
     * @param record the record
     */
    void mirror(ServiceRecord record);

    /**
     * Records an earlier revision's spec as given (an agent mirroring the specs its replicas
     * still run during a rollout). Keeps the newest {@code 10} per name, as {@link #put} does.
     *
     * @param name     the service
     * @param revision the revision
     * @param spec     its spec
     */
    void mirrorRevision(String name, long revision, dev.orchestrator.api.ServiceSpec spec);

    /**
     * @param name     a service
     * @param revision one of its revisions
     * @return that revision's spec with the current replica count, if it is kept
     */
    java.util.Optional<dev.orchestrator.api.ServiceSpec> revision(String name, long revision);
}
