package dev.orchestrator.scheduler;

import java.util.Optional;

/**
 * Hard spread, when the request asks for it ({@link Request#maxPerNode()} &gt; 0): rejects nodes
 * that already run that many replicas of the service. The soft preference for spreading is the
 * {@code spread} strategy's job, not a filter's.
 */
final class AntiAffinity implements Filter {
    @Override
    public boolean appliesTo(Request request) {
        return request.maxPerNode() > 0;
    }

    @Override
    public Optional<String> reject(NodeState node, Request request) {
        int max = request.maxPerNode();
        if (max == 0 || node.replicasOf(request.service()) < max) {
            return Optional.empty();
        }
        return Optional.of(reason(request.service(), max));
    }

    /** The reason is constant for one request: it names the service, never the node. */
    static String reason(String service, int max) {
        return max == 1 ? "spread: replica of " + service + " already here"
                : "spread: " + max + " replicas of " + service + " already here";
    }
}
