package dev.orchestrator.app;

import dev.orchestrator.store.NodeRecord;
import java.util.Optional;

/**
 * A node as the API shows it.
 *
 * @param node                 the stored node
 * @param containers           replicas with a container on it
 * @param allocatedCpuShares   CPU shares its assigned replicas request
 * @param allocatedMemoryBytes memory its assigned replicas request
 * @param local                true for the server's own node
 * @param usage                what its last heartbeat reported, if known
 * @param engineProblem        why its container engine does not answer, if its last report said so
 */
public record NodeState(NodeRecord node, int containers, long allocatedCpuShares, long allocatedMemoryBytes,
                        boolean local, Optional<ClusterHooks.NodeUsage> usage, Optional<String> engineProblem) {
}
