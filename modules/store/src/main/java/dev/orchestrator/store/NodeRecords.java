package dev.orchestrator.store;

import java.util.List;
import java.util.Optional;

/** The registered nodes. See {@link StoreTx} for threading, blocking and failures. */
public interface NodeRecords {
    /**
     * Inserts or overwrites a node.
     *
     * @param node the node
     */
    void put(NodeRecord node);

    /**
     * @param name a node name
     * @return the node, or empty
     */
    Optional<NodeRecord> get(String name);

    /** @return every node, by name */
    List<NodeRecord> all();

    /**
     * Deletes a node. Replica rows that name it are kept: the reconciler reschedules them.
     *
     * @param name a node name
     * @return false if there was no such node
     */
    boolean delete(String name);
}
