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
}
