package dev.orchestrator.scheduler;

import dev.orchestrator.api.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Fake node sets for tests, built in code. */
final class Nodes {
    static final long GIB = 1L << 30;
    static final long CPU = 1024;

    private Nodes() {
    }

    /** A ready node with 4 CPUs and 8 GiB. */
    static NodeState node(String name) {
        return NodeState.ready(name, 4 * CPU, 8 * GIB);
    }

    static NodeState node(String name, Map<String, String> labels) {
        return node(name).withLabels(labels);
    }

    /** A node with this much already allocated. */
    static NodeState allocated(String name, long cpu, long memory) {
        return new NodeState(name, Map.of(), NodeStatus.READY, false, 4 * CPU, 8 * GIB, cpu, memory, Map.of());
    }

    /** A node already running {@code count} replicas of {@code service}. */
    static NodeState running(String name, String service, int count) {
        return new NodeState(name, Map.of(), NodeStatus.READY, false, 4 * CPU, 8 * GIB, 0, 0, Map.of(service, count));
    }

    /** n1..nN, all equal. */
    static List<NodeState> equal(int count) {
        var nodes = new ArrayList<NodeState>();
        for (int i = 1; i <= count; i++) {
            nodes.add(node("n" + i));
        }
        return nodes;
    }
}
