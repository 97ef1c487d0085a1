package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import java.util.List;
import java.util.Optional;

/** The assignments: where replicas should run. See {@link StoreTx} for threading, blocking and failures. */
public interface AssignmentRecords {
    /**
     * Inserts or overwrites the assignment of (service, index).
     *
     * @param assignment the assignment
     * @throws OrchestratorException {@code NOT_FOUND} if its service does not exist
     */
    void put(Assignment assignment);

    /**
     * @param service a service name
     * @param index   a replica index
     * @return its assignment, or empty while unplaced
     */
    Optional<Assignment> get(String service, int index);

    /** @return every assignment, by service, then index */
    List<Assignment> all();

    /**
     * @param node a node name
     * @return the assignments that node runs or still holds (as previous node)
     */
    List<Assignment> onNode(String node);

    /**
     * @param service a service name
     * @param index   a replica index
     * @return false if there was none
     */
    boolean delete(String service, int index);

    /**
     * Deletes every assignment (an agent replacing its mirror).
     *
     * @return how many were deleted
     */
    int deleteAll();
}
