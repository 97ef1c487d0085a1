package dev.orchestrator.server;

import dev.orchestrator.app.NodeState;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.wire.Views;

/** Builds the API's node views. */
final class NodeViews {
    private NodeViews() {
    }

    static Views.Node of(NodeState state) {
        NodeRecord n = state.node();
        return new Views.Node(n.name(), n.address(), n.status().wireName(), n.availability().wireName(), n.cpus(),
                n.memoryBytes(), state.allocatedCpuShares(), state.allocatedMemoryBytes(), n.runtimeVersion(),
                state.containers(), n.labels(), n.lastHeartbeat() == null ? null : n.lastHeartbeat().toString(),
                state.local(),
                state.usage().map(u -> new Views.Usage(u.containers(), u.load1(), u.memoryAvailableBytes()))
                        .orElse(null),
                state.engineProblem().map(p -> "unreachable: " + p).orElse("ok"));
    }
}
