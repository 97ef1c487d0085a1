package dev.orchestrator.store.internal;

import java.time.Instant;

/**
 * One row of {@code nodes}.
 *
 * @param name           the node name
 * @param address        where it is reached
 * @param labelsJson     its labels as a JSON object
 * @param cpus           CPUs
 * @param memoryBytes    memory
 * @param status         status word
 * @param availability   availability word
 * @param runtimeVersion runtime version, or null
 * @param lastHeartbeat  last heartbeat, or null
 */
public record NodeRow(String name, String address, String labelsJson, int cpus, long memoryBytes, String status,
                      String availability, String runtimeVersion, Instant lastHeartbeat) {
}
