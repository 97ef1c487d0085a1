package dev.orchestrator.scheduler;

import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.spi.NodeSnapshot;
import java.util.Map;
import java.util.Objects;

/**
 * What the scheduler knows of one node at one instant: identity, labels, health, capacity and
 * what is already placed on it. An immutable value: placing a replica makes a new one
 * ({@link #withPlaced}).
 *
 * @param name            the node name, unique in the cluster
 * @param labels          the node's labels, matched by constraints such as {@code node.labels.disk==ssd}
 * @param status          {@link NodeStatus#READY} or {@link NodeStatus#DOWN}
 * @param cordoned        true if an operator marked the node unschedulable
 * @param cpuShares       allocatable CPU in shares (1024 per CPU), after reservations
 * @param memoryBytes     allocatable memory in bytes, after reservations
 * @param allocatedCpu    CPU shares requested by the replicas already on the node
 * @param allocatedMemory memory requested by the replicas already on the node
 * @param replicas        replicas already on the node, per service name (absent means none);
 *                        kept as an immutable copy that knows its total
 */
public record NodeState(String name, Map<String, String> labels, NodeStatus status, boolean cordoned,
                        long cpuShares, long memoryBytes, long allocatedCpu, long allocatedMemory,
                        Map<String, Integer> replicas) {
    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the name is empty, a number is negative or a replica count is not positive
     * @throws NullPointerException     if the name, the status or a map entry is null
     */
    public NodeState {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("node name must not be empty");
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        Objects.requireNonNull(status, "status");
        requireNonNegative("cpuShares", cpuShares);
        requireNonNegative("memoryBytes", memoryBytes);
        requireNonNegative("allocatedCpu", allocatedCpu);
        requireNonNegative("allocatedMemory", allocatedMemory);
        replicas = ReplicaCounts.of(name, replicas);
    }

    /**
     * A ready, uncordoned, empty node without labels.
     *
     * @param name        the node name
     * @param cpuShares   allocatable CPU shares
     * @param memoryBytes allocatable memory
     * @return the node
     */
    public static NodeState ready(String name, long cpuShares, long memoryBytes) {
        return new NodeState(name, Map.of(), NodeStatus.READY, false, cpuShares, memoryBytes, 0, 0, Map.of());
    }

    /**
     * @param service a service name
     * @return how many replicas of that service are on this node
     */
    public int replicasOf(String service) {
        return replicas.getOrDefault(service, 0);
    }

    /** @return how many replicas of all services are on this node */
    public int totalReplicas() {
        return ((ReplicaCounts) replicas).total();
    }

    /**
     * @param newLabels the labels
     * @return a copy with these labels
     */
    public NodeState withLabels(Map<String, String> newLabels) {
        return new NodeState(name, newLabels, status, cordoned, cpuShares, memoryBytes, allocatedCpu,
                allocatedMemory, replicas);
    }

    /**
     * @param newStatus the status
     * @return a copy with this status
     */
    public NodeState withStatus(NodeStatus newStatus) {
        return new NodeState(name, labels, newStatus, cordoned, cpuShares, memoryBytes, allocatedCpu,
                allocatedMemory, replicas);
    }

    /**
     * @param newCordoned the cordon flag
     * @return a copy with this flag
     */
    public NodeState withCordoned(boolean newCordoned) {
        return new NodeState(name, labels, status, newCordoned, cpuShares, memoryBytes, allocatedCpu,
                allocatedMemory, replicas);
    }

    /**
     * The node as it is once the replica is placed on it: the request's CPU and memory added to
     * the allocation, one more replica of its service. Filters are not consulted.
     *
     * @param request the replica placed here
     * @return the new state
     */
    public NodeState withPlaced(Request request) {
        return new NodeState(name, labels, status, cordoned, cpuShares, memoryBytes,
                allocatedCpu + request.cpuShares(), allocatedMemory + request.memoryBytes(),
                ((ReplicaCounts) replicas).plusOne(request.service()));
    }

    /**
     * The node as a scoring plugin sees it.
     *
     * @param service the service being placed, for {@link NodeSnapshot#serviceReplicas()}
     * @return the snapshot
     */
    public NodeSnapshot snapshot(String service) {
        return new NodeSnapshot(name, labels, cpuShares, memoryBytes, allocatedCpu, allocatedMemory,
                replicasOf(service), totalReplicas());
    }

    private static void requireNonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
    }
}
