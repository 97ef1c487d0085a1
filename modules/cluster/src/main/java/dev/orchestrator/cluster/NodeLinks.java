package dev.orchestrator.cluster;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.LogLine;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The control plane's link to each node, as the wiring registers them: a remote agent's when
 * its report names its endpoint, the server's own node's when it starts. Thread-safe.
 */
public final class NodeLinks {
    private static final System.Logger LOG = System.getLogger(NodeLinks.class.getName());
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

    /**
     * Whether an image can run: true if one of the nodes has it, or if none could say (no link
     * yet, none reachable): a node then reports a missing image as a failed start. Asks the
     * nodes one after another and stops at the first that has it. Blocks on the nodes.
     *
     * @param image an image reference
     * @param nodes the nodes to ask (the ready ones)
     * @return false only if every node that answered lacks it
     */
    public boolean imagePresent(String image, Collection<String> nodes) {
        boolean answered = false;
        for (String n : nodes) {
            NodeLink link = links.get(n);
            if (link == null) {
                continue;
            }
            try {
                if (link.imagePresent(image)) {
                    return true;
                }
                answered = true;
            } catch (OrchestratorException e) {
                LOG.log(Level.DEBUG, "image check on " + n + ": " + e.getMessage());
            }
        }
        return !answered;
    }

    /**
     * The last lines of a container, read on its node. Blocks on the node.
     *
     * @param node        the node, or null
     * @param containerId the container
     * @param tail        how many lines
     * @return the lines; none (logged) if the node cannot be reached or has no such container
     */
    public List<LogLine> logs(String node, String containerId, int tail) {
        NodeLink link = node == null ? null : links.get(node);
        if (link == null) {
            return List.of();
        }
        try {
            return link.logs(containerId, tail);
        } catch (OrchestratorException e) {
            LOG.log(Level.WARNING, "logs of container " + containerId + " on " + node + ": " + e.getMessage());
            return List.of();
        }
    }
}
