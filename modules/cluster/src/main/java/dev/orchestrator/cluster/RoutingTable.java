package dev.orchestrator.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The healthy backends of published ports, per node, as each node last reported them. Every
 * node's load balancer routes a published port to the backends of all nodes: its own, and
 * those this table gives it in its view. Thread-safe; never blocks.
 */
public final class RoutingTable {
    private final Map<String, List<Protocol.Backend>> byNode = new ConcurrentHashMap<>();

    /** An empty table. */
    public RoutingTable() {
    }

    /**
     * @param node     the reporting node
     * @param backends its healthy backends now
     * @return true if that changed the table
     */
    public boolean update(String node, List<Protocol.Backend> backends) {
        List<Protocol.Backend> copy = List.copyOf(backends);
        List<Protocol.Backend> before = byNode.put(node, copy);
        return !copy.equals(before == null ? List.of() : before);
    }

    /**
     * @param node a node that is down or gone
     * @return true if it had backends
     */
    public boolean remove(String node) {
        List<Protocol.Backend> before = byNode.remove(node);
        return before != null && !before.isEmpty();
    }

    /**
     * @param node the node asking
     * @return the backends of every other node
     */
    public List<Protocol.Backend> except(String node) {
        var all = new ArrayList<Protocol.Backend>();
        byNode.forEach((n, list) -> {
            if (!n.equals(node)) {
                all.addAll(list);
            }
        });
        return all;
    }

    /** @return a copy of the table, node by node */
    public Map<String, List<Protocol.Backend>> snapshot() {
        return Map.copyOf(byNode);
    }
}
