package dev.orchestrator.store;

import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import java.util.List;
import java.util.Optional;

/**
 * Every read and write of the orchestrator's state. Two implementations:
 *
 * <ul>
 *   <li>the one {@link Store#inTransaction} hands to its work: all calls belong to one SQLite
 *       transaction, see each other's writes, and are committed together or not at all. It is
 *       confined to the calling thread and unusable once the work returns;</li>
 *   <li>{@link Store} itself: each write is its own transaction, each read one statement on the
 *       latest committed state. Thread-safe.</li>
 * </ul>
 *
 * <p>Every method blocks on disk I/O (a write waits for the other writers: at most one
 * transaction writes at a time). Failures of the database surface as {@link OrchestratorException}
 * with {@code INTERNAL}, naming the operation; invalid arguments as {@code INVALID_ARGUMENT}.
 * Messages never contain password hashes or spec contents.
 */
public interface StoreTx {
    // ---- services: desired state

    /**
     * Inserts or replaces a service's spec. The revision is 1 for a new service, grows by one
     * when anything but the replica count changed, and stays when only the replica count (or
     * nothing) changed.
     *
     * @param spec the desired spec
     * @return the stored record
     */
    ServiceRecord putService(ServiceSpec spec);

    /**
     * @param name a service name
     * @return the service, or empty if there is none
     */
    Optional<ServiceRecord> service(String name);

    /** @return every service, ordered by name */
    List<ServiceRecord> services();

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
    boolean deleteService(String name);

    /**
     * Stores a service record exactly as given, revision and times included: how an agent
     * mirrors the server's desired state. Never bumps the revision.
     *
     * @param record the record
     */
    void mirrorService(ServiceRecord record);

    // ---- assignments: where replicas should run

    /**
     * Inserts or overwrites the assignment of (service, index).
     *
     * @param assignment the assignment
     * @throws OrchestratorException {@code NOT_FOUND} if its service does not exist
     */
    void putAssignment(Assignment assignment);

    /**
     * @param service a service name
     * @param index   a replica index
     * @return its assignment, or empty while unplaced
     */
    Optional<Assignment> assignment(String service, int index);

    /** @return every assignment, by service, then index */
    List<Assignment> assignments();

    /**
     * @param node a node name
     * @return the assignments that node runs or still holds (as previous node)
     */
    List<Assignment> assignmentsOf(String node);

    /**
     * @param service a service name
     * @param index   a replica index
     * @return false if there was none
     */
    boolean deleteAssignment(String service, int index);

    /**
     * Deletes every assignment (an agent replacing its mirror).
     *
     * @return how many were deleted
     */
    int deleteAssignments();

    // ---- join tokens

    /**
     * @param token a new token
     * @throws OrchestratorException {@code CONFLICT} if its id exists
     */
    void putJoinToken(JoinToken token);

    /**
     * @param id a token id
     * @return the token, or empty
     */
    Optional<JoinToken> joinToken(String id);

    /** @return every token, oldest first */
    List<JoinToken> joinTokens();

    /**
     * @param id a token id
     * @return false if there was none
     */
    boolean deleteJoinToken(String id);

    // ---- replicas: assigned and observed state

    /**
     * Inserts or overwrites the row of (service, index).
     *
     * @param replica the replica
     * @throws OrchestratorException {@code NOT_FOUND} if its service does not exist
     */
    void putReplica(ReplicaRecord replica);

    /**
     * @param service a service name
     * @param index   a replica index
     * @return the replica, or empty
     */
    Optional<ReplicaRecord> replica(String service, int index);

    /**
     * @param service a service name
     * @return its replicas, by index (empty if the service does not exist)
     */
    List<ReplicaRecord> replicas(String service);

    /** @return every replica, by service name, then index */
    List<ReplicaRecord> replicas();

    /**
     * @param service a service name
     * @param index   a replica index
     * @return false if there was no such replica
     */
    boolean deleteReplica(String service, int index);

    /**
     * @param service a service name
     * @return how many replica rows were deleted
     */
    int deleteReplicas(String service);

    // ---- events

    /**
     * Appends an event.
     *
     * @param event the event
     * @return its id: increasing in append order, never reused, even after {@link #pruneEvents}
     */
    long append(Event event);

    /**
     * Reads events: of those that match {@code query}, the newest {@code query.limit()} in
     * append order (oldest first). Append order is the timestamp order whenever the appenders'
     * clocks are.
     *
     * @param query filters and limit
     * @return the events
     */
    List<Event> events(EventQuery query);

    /**
     * Deletes all but the newest events.
     *
     * @param keepNewest how many of the newest events to keep, at least 0
     * @return how many were deleted
     */
    int pruneEvents(int keepNewest);

    // ---- users

    /**
     * Creates a user or replaces its password hash.
     *
     * @param name         the user name: letters, digits, {@code . _ @ -}
     * @param passwordHash a hash made by {@link Passwords#hash}; anything else (a plain-text
     *                     password, say) is refused
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for a bad name or a value that is not a hash
     */
    void putUser(String name, String passwordHash);

    /**
     * @param name a user name
     * @return the user's encoded password hash, for {@link Passwords#verify}, or empty if no such user
     */
    Optional<String> passwordHash(String name);

    /** @return whether at least one user exists (the server may create a first one when not) */
    boolean hasUsers();

    // ---- nodes

    /**
     * Inserts or overwrites a node.
     *
     * @param node the node
     */
    void putNode(NodeRecord node);

    /**
     * @param name a node name
     * @return the node, or empty
     */
    Optional<NodeRecord> node(String name);

    /** @return every node, by name */
    List<NodeRecord> nodes();

    /**
     * Deletes a node. Replica rows that name it are kept: the reconciler reschedules them.
     *
     * @param name a node name
     * @return false if there was no such node
     */
    boolean deleteNode(String name);

    // ---- settings

    /**
     * @param key a setting key
     * @return its value, or empty if unset
     */
    Optional<String> setting(String key);

    /**
     * @param key   a setting key: letters, digits, {@code . _ @ -}
     * @param value its value, not null
     */
    void putSetting(String key, String value);
}
