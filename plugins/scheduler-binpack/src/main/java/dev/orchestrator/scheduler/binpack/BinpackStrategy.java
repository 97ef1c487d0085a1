package dev.orchestrator.scheduler.binpack;

import dev.orchestrator.api.spi.NodeSnapshot;
import dev.orchestrator.api.spi.PlacementRequest;
import dev.orchestrator.api.spi.SchedulerStrategy;

/**
 * Scores a node by how allocated it would be once the replica is placed: 100 × the mean over CPU
 * and memory of (allocated + requested) / capacity, rounded, counting only dimensions with a
 * known capacity (0 if none is known). The fullest node that still fits wins, so nodes fill up
 * one after another. Pure and thread-safe: no state at all.
 */
final class BinpackStrategy implements SchedulerStrategy {
    @Override
    public int score(NodeSnapshot node, PlacementRequest request) {
        return (int) Math.round(allocatedAfter(node, request) * MAX_SCORE);
    }

    /** @see NodeSnapshot#allocatedAfter */
    static double allocatedAfter(NodeSnapshot node, PlacementRequest request) {
        return node.allocatedAfter(request);
    }
}
