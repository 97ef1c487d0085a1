package dev.orchestrator.scheduler.spread;

import dev.orchestrator.api.spi.NodeSnapshot;
import dev.orchestrator.api.spi.PlacementRequest;
import dev.orchestrator.api.spi.SchedulerStrategy;

/**
 * Scores a node higher the fewer replicas of the service it runs, then the less allocated it
 * would be once the replica is placed.
 *
 * <p>The score is {@code 10 * band + free}, in 0..99:
 * <ul>
 *   <li>{@code band} = 9 − min(replicas of this service on the node, 9): 9 for a node without
 *       any, down to 0 for a node with 9 or more. Fewer replicas always win, up to 9 replicas
 *       per node; beyond, only allocation tells nodes apart.</li>
 *   <li>{@code free} = the unallocated fraction after placement (mean of CPU and memory over the
 *       dimensions whose capacity is known), in tenths, 0..9.</li>
 * </ul>
 * Pure and thread-safe: no state at all.
 */
final class SpreadStrategy implements SchedulerStrategy {
    private static final int BANDS = 10;

    @Override
    public int score(NodeSnapshot node, PlacementRequest request) {
        int band = BANDS - 1 - Math.min(Math.max(node.serviceReplicas(), 0), BANDS - 1);
        double free = 1.0 - allocatedAfter(node, request);
        int tenths = Math.clamp((long) (free * 10), 0, BANDS - 1);
        return band * 10 + tenths;
    }

    /** @see NodeSnapshot#allocatedAfter */
    static double allocatedAfter(NodeSnapshot node, PlacementRequest request) {
        return node.allocatedAfter(request);
    }
}
