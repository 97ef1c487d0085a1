package dev.orchestrator.store;

import dev.orchestrator.api.Validation;
import java.time.Instant;
import java.util.Objects;

/**
 * Where one replica of a service should run: the scheduler's decision, apart from what the
 * node reports of it (a {@link ReplicaRecord}).
 *
 * @param service      the service name
 * @param index        the replica index
 * @param node         the node that runs the replica
 * @param previousNode while the replica moves off a draining node, that node: it keeps its old
 *                     container serving until the one on {@code node} is healthy; else null
 * @param assignedAt   when the scheduler decided
 * @param revision     the service revision this replica runs, as the deployment controller
 *                     advances it during a rollout; 0 for the service's current revision
 */
public record Assignment(String service, int index, String node, String previousNode, Instant assignedAt,
                         long revision) {
    /** Validates names, the index and the revision. */
    public Assignment {
        Validation.dnsLabel("assignment.service", service);
        Checks.nonNegative("assignment.index", index);
        Checks.name("assignment.node", node);
        if (previousNode != null) {
            Checks.name("assignment.previous_node", previousNode);
        }
        Objects.requireNonNull(assignedAt, "assignedAt");
        Checks.nonNegative("assignment.revision", revision);
    }

    /**
     * @param current the service's current revision
     * @return the revision this replica should run
     */
    public long target(long current) {
        return revision == 0 ? current : revision;
    }

    /**
     * @param to a revision
     * @return a copy that runs it
     */
    public Assignment withRevision(long to) {
        return new Assignment(service, index, node, previousNode, assignedAt, to);
    }

    /**
     * @param name a node name
     * @return true if that node runs or still holds this replica
     */
    public boolean involves(String name) {
        return node.equals(name) || name.equals(previousNode);
    }

    /** @return true while the replica moves off a draining node */
    public boolean moving() {
        return previousNode != null;
    }

    /**
     * Whether the node running this replica may now report its row. While the replica moves,
     * the row keeps saying how the old container serves until the new one serves too: a drain
     * never shows fewer healthy replicas than there are.
     *
     * @param row the row the running node reports
     * @return true if it belongs in the store
     */
    public boolean accepts(ReplicaRecord row) {
        return node.equals(row.node()) && (!moving() || row.serving());
    }

    /** @return a copy without a previous node: the move is over */
    public Assignment settled() {
        return new Assignment(service, index, node, null, assignedAt, revision);
    }
}
