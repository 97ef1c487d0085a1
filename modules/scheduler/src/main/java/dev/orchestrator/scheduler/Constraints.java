package dev.orchestrator.scheduler;

import java.util.Optional;

/**
 * Rejects nodes that fail one of the request's constraints; the reason names the first failed
 * one, e.g. {@code constraint not met: node.labels.disk==ssd}.
 */
final class Constraints implements Filter {
    @Override
    public boolean appliesTo(Request request) {
        return !request.constraints().isEmpty();
    }

    @Override
    public Optional<String> reject(NodeState node, Request request) {
        for (Constraint c : request.constraints()) {
            if (!c.test(node)) {
                return c.rejection();
            }
        }
        return Optional.empty();
    }
}
