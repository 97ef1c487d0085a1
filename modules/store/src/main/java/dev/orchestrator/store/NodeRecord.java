package dev.orchestrator.store;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.OrchestratorException;
import java.time.Instant;
import java.util.Map;

/**
 * A registered node.
 *
 * @param name           the node name, e.g. {@code node-1}
 * @param address        where the control plane reaches it (a URL, {@code host:port}, or {@code local})
 * @param labels         labels for placement constraints, e.g. {@code disk=ssd}
 * @param cpus           CPUs the node offers
 * @param memoryBytes    memory the node offers
 * @param status         ready, or down (missed its heartbeats)
 * @param availability   active, cordoned (gets nothing new) or draining (its replicas move away)
 * @param runtimeVersion the container runtime's version, or null if unknown
 * @param lastHeartbeat  when the node last reported, or null if never
 */
public record NodeRecord(String name, String address, Map<String, String> labels, int cpus, long memoryBytes,
                         NodeStatus status, Availability availability, String runtimeVersion,
                         Instant lastHeartbeat) {
    /** Validates every field and copies the labels. */
    public NodeRecord {
        Checks.name("node.name", name);
        if (address == null || address.isBlank()) {
            throw OrchestratorException.invalid("node.address is required");
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        Checks.nonNegative("node.cpus", cpus);
        Checks.nonNegative("node.memory_bytes", memoryBytes);
        Checks.required("node.status", status);
        Checks.required("node.availability", availability);
    }

    /** @return true if new replicas may be placed here: ready and active */
    public boolean schedulable() {
        return status == NodeStatus.READY && availability == Availability.ACTIVE;
    }

    /**
     * @param newStatus a status
     * @return a copy with that status
     */
    public NodeRecord withStatus(NodeStatus newStatus) {
        return new NodeRecord(name, address, labels, cpus, memoryBytes, newStatus, availability, runtimeVersion,
                lastHeartbeat);
    }

    /**
     * @param newAvailability an availability
     * @return a copy with that availability
     */
    public NodeRecord withAvailability(Availability newAvailability) {
        return new NodeRecord(name, address, labels, cpus, memoryBytes, status, newAvailability, runtimeVersion,
                lastHeartbeat);
    }
}
