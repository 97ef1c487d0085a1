package dev.orchestrator.scheduler;

import dev.orchestrator.api.NodeStatus;
import java.util.Optional;

/** Rejects nodes that are {@link NodeStatus#DOWN}: they miss heartbeats and run nothing new. */
final class NodeReady implements Filter {
    static final String REASON = "down";
    private static final Optional<String> DOWN = Optional.of(REASON);

    @Override
    public Optional<String> reject(NodeState node, Request request) {
        return node.status() == NodeStatus.READY ? Optional.empty() : DOWN;
    }
}
