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

    /** The allocated fraction, 0..1, once the replica is placed. */
    static double allocatedAfter(NodeSnapshot node, PlacementRequest request) {
        double sum = 0;
        int dimensions = 0;
        if (node.cpuShares() > 0) {
            sum += fraction(node.allocatedCpu() + request.cpuShares(), node.cpuShares());
            dimensions++;
        }
        if (node.memoryBytes() > 0) {
            sum += fraction(node.allocatedMemory() + request.memoryBytes(), node.memoryBytes());
            dimensions++;
        }
        return dimensions == 0 ? 0 : sum / dimensions;
    }

    private static double fraction(long used, long capacity) {
        return Math.clamp((double) used / capacity, 0.0, 1.0);
    }
}
