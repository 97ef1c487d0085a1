package dev.orchestrator.api.spi;

import java.util.Map;

/**
 * A node's capacity and allocation at one scheduling instant.
 *
 * @param name             the node name
 * @param labels           the node's labels
 * @param cpuShares        allocatable CPU in shares (1024 per CPU)
 * @param memoryBytes      allocatable memory
 * @param allocatedCpu     CPU shares already requested by replicas on the node
 * @param allocatedMemory  memory already requested by replicas on the node
 * @param serviceReplicas  replicas of the service being placed already on this node
 * @param totalReplicas    replicas of all services on this node
 */
public record NodeSnapshot(String name, Map<String, String> labels, long cpuShares, long memoryBytes,
                           long allocatedCpu, long allocatedMemory, int serviceReplicas, int totalReplicas) {
    /** Copies labels. */
    public NodeSnapshot {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * The allocated fraction (0..1) once a replica is placed here: the mean over CPU and memory
     * of (allocated + requested) / capacity, counting only dimensions with a known capacity; 0
     * if none is known. Scoring strategies share it so "allocated" means one thing.
     *
     * @param request the replica to place
     * @return the fraction
     */
    public double allocatedAfter(PlacementRequest request) {
        double sum = 0;
        int dimensions = 0;
        if (cpuShares > 0) {
            sum += fraction(allocatedCpu + request.cpuShares(), cpuShares);
            dimensions++;
        }
        if (memoryBytes > 0) {
            sum += fraction(allocatedMemory + request.memoryBytes(), memoryBytes);
            dimensions++;
        }
        return dimensions == 0 ? 0 : sum / dimensions;
    }

    private static double fraction(long used, long capacity) {
        return Math.clamp((double) used / capacity, 0.0, 1.0);
    }
}
