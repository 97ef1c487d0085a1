package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;

/**
 * Every read and write of the orchestrator's state, grouped by kind of record: each accessor
 * returns the few operations on one table, e.g. {@code tx.services().put(spec)} or
 * {@code tx.nodes().all()}. Two implementations:
 *
 * <ul>
 *   <li>the one {@link Store#inTransaction} hands to its work: all calls, whatever the kind,
 *       belong to one SQLite transaction, see each other's writes, and are committed together or
 *       not at all. It and the groups it returns are confined to the calling thread and unusable
 *       once the work returns;</li>
 *   <li>{@link Store} itself: each write is its own transaction, each read one statement on the
 *       latest committed state. Thread-safe.</li>
 * </ul>
 *
 * <p>Every operation blocks on disk I/O (a write waits for the other writers: at most one
 * transaction writes at a time). Failures of the database surface as {@link OrchestratorException}
 * with {@code INTERNAL}, naming the operation; invalid arguments as {@code INVALID_ARGUMENT}.
 * Messages never contain password hashes or spec contents. The accessors themselves never fail
 * and never touch the database.
 */
public interface StoreTx {
    /** @return the services: desired state */
    ServiceRecords services();

    /** @return the assignments: where replicas should run */
    AssignmentRecords assignments();

    /** @return the replicas: assigned and observed state */
    ReplicaRecords replicas();

    /** @return the registered nodes */
    NodeRecords nodes();

    /** @return the join tokens */
    JoinTokenRecords tokens();

    /** @return the nodes' own credentials */
    NodeCredentialRecords credentials();

    /** @return the event log */
    EventRecords events();

    /** @return the users of the REST API */
    UserRecords users();

    /** @return the settings */
    SettingRecords settings();

    /** @return the networks' subnets and the services' addresses */
    NetworkRecords networks();

    /**
     * @return the container registries' credentials, passwords encrypted at rest under the key
     *         {@code secrets.key} in the data directory (made on the first put). Reads decrypt and
     *         fail with {@code INTERNAL} if a row does not decrypt with that key.
     */
    RegistryRecords registries();

    /** @return each service's latest rollout */
    DeploymentRecords deployments();
}
