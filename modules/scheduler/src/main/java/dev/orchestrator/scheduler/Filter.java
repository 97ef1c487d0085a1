package dev.orchestrator.scheduler;

import java.util.Optional;

/**
 * One feasibility check of the pipeline: can this node take this replica at all? A node that
 * any filter rejects is not scored.
 *
 * <p>Contract: pure (the same inputs give the same answer), thread-safe, non-blocking and cheap,
 * since it runs once per node per placement. A rejection is a <em>constant</em> reason: a short
 * phrase that does not name the node (e.g. {@code "cordoned"}), so rejections of many nodes
 * add up to one count per reason in {@link Placement.Unschedulable}.
 */
@FunctionalInterface
public interface Filter {
    /**
     * Asked once per placement, before any node (Kubernetes' PreFilter "skip"): a filter that
     * cannot reject anything for this request, e.g. constraints when there are none, says so
     * and is not called for every node.
     *
     * @param request the replica to place
     * @return false if {@link #reject} would accept every node for this request
     */
    default boolean appliesTo(Request request) {
        return true;
    }

    /**
     * @param node    a node
     * @param request the replica to place
     * @return empty if the node may take the replica, else why not
     */
    Optional<String> reject(NodeState node, Request request);
}
