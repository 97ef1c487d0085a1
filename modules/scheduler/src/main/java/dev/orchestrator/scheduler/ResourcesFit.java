package dev.orchestrator.scheduler;

import java.util.Optional;

/**
 * Rejects nodes whose free CPU or memory (allocatable minus already allocated) is less than the
 * request. A request of 0 ("not set") fits any node, even an over-committed one. CPU is checked
 * first, so a node short of both is counted as {@code insufficient cpu}.
 */
final class ResourcesFit implements Filter {
    static final String CPU_REASON = "insufficient cpu";
    static final String MEMORY_REASON = "insufficient memory";
    private static final Optional<String> CPU = Optional.of(CPU_REASON);
    private static final Optional<String> MEMORY = Optional.of(MEMORY_REASON);

    @Override
    public Optional<String> reject(NodeState node, Request request) {
        // "request > capacity - allocated" cannot overflow: every figure is non-negative.
        if (request.cpuShares() > 0 && request.cpuShares() > node.cpuShares() - node.allocatedCpu()) {
            return CPU;
        }
        if (request.memoryBytes() > 0 && request.memoryBytes() > node.memoryBytes() - node.allocatedMemory()) {
            return MEMORY;
        }
        return Optional.empty();
    }
}
