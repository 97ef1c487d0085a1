package dev.orchestrator.scheduler;

import java.util.Optional;

/** Rejects cordoned nodes: an operator took them out of scheduling. */
final class NotCordoned implements Filter {
    static final String REASON = "cordoned";
    private static final Optional<String> CORDONED = Optional.of(REASON);

    @Override
    public Optional<String> reject(NodeState node, Request request) {
        return node.cordoned() ? CORDONED : Optional.empty();
    }
}
