package dev.orchestrator.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The control plane's link to each node, as the wiring registers them: a remote agent's when
 * its report names its endpoint, the server's own node's when it starts. Thread-safe.
 */
public final class NodeLinks {
    private final Map<String, NodeLink> links = new ConcurrentHashMap<>();

    /** No links yet. */
    public NodeLinks() {
    }

    /**
     * @param node the node name
     * @param link how to reach it; replaces an earlier one (an agent that moved)
     */
    public void register(String node, NodeLink link) {
        links.put(node, link);
    }

    /**
     * @param node the node name
     * @return its link, if one was registered since this server started
     */
    public Optional<NodeLink> of(String node) {
        return Optional.ofNullable(links.get(node));
    }

    /** @param node a node that is gone; its link is dropped */
    public void remove(String node) {
        links.remove(node);
    }
}
