package dev.orchestrator.store;

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
 * @param status         status word: conventionally {@code ready}, {@code down}, {@code draining}
 * @param runtimeVersion the container runtime's version, or null if unknown
 * @param lastHeartbeat  when the node last reported, or null if never
 */
public record NodeRecord(String name, String address, Map<String, String> labels, int cpus, long memoryBytes,
                         String status, String runtimeVersion, Instant lastHeartbeat) {
    /** Validates every field and copies the labels. */
    public NodeRecord {
        Checks.name("node.name", name);
        if (address == null || address.isBlank()) {
            throw OrchestratorException.invalid("node.address is required");
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        Checks.nonNegative("node.cpus", cpus);
        Checks.nonNegative("node.memory_bytes", memoryBytes);
        Checks.word("node.status", status);
    }
}
