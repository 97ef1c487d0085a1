package dev.orchestrator.cluster;

import dev.orchestrator.api.OrchestratorException;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The control plane's link to each node, as the wiring registers them: a remote agent's when
 * its report names its endpoint, the server's own node's when it starts. Thread-safe.
 */
public final class NodeLinks {
    private static final System.Logger LOG = System.getLogger(NodeLinks.class.getName());
    /** How long a node's "I have that image" is believed without asking again. */
    public static final Duration REMEMBER_PRESENT = Duration.ofSeconds(30);
    private final Map<String, NodeLink> links = new ConcurrentHashMap<>();
    /** Image → (node that had it, System.nanoTime when that answer expires). */
    private final Map<String, Seen> present = new ConcurrentHashMap<>();
    private final LongSupplier nanos;
    private final java.util.Set<java.util.function.BiConsumer<String, NodeLink>> watchers =
            ConcurrentHashMap.newKeySet();

    private record Seen(String node, long until) {
    }

    /** No links yet; answers are timed with {@link System#nanoTime}. */
    public NodeLinks() {
        this(System::nanoTime);
    }

    /** @param nanos a monotonic clock in nanoseconds, for the remembered answers (tests) */
    public NodeLinks(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /**
     * @param node the node name
     * @param link how to reach it; replaces an earlier one (an agent that moved)
     */
    public void register(String node, NodeLink link) {
        links.put(node, link);
        watchers.forEach(w -> w.accept(node, link));
    }

    /** @return every link now, by node */
    public Map<String, NodeLink> all() {
        return Map.copyOf(links);
    }

    /**
     * Tells {@code watcher} of every link registered from now on (a node that joins, an agent
     * that moved), on the registering thread: it must return quickly.
     *
     * @param watcher receives the node and its new link
     * @return stops telling; idempotent
     */
    public AutoCloseable watch(java.util.function.BiConsumer<String, NodeLink> watcher) {
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
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
        present.values().removeIf(s -> s.node().equals(node));
    }

    /**
     * Whether an image can run: true if one of the nodes has it, or if none could say (no link
     * yet, none reachable): a node then reports a missing image as a failed start. Asks the
     * nodes one after another and stops at the first that has it. Blocks on the nodes, except
     * when one of them said it had the image less than {@link #REMEMBER_PRESENT} ago: a deploy of
     * a known image then costs no round trip (an image removed meanwhile shows up as the node's
     * failed start, as it would between the check and the start anyway).
     *
     * @param image an image reference
     * @param nodes the nodes to ask (the ready ones)
     * @return false only if every node that answered lacks it
     */
    public boolean imagePresent(String image, Collection<String> nodes) {
        Seen seen = present.get(image);
        if (seen != null && seen.until() - nanos.getAsLong() > 0 && nodes.contains(seen.node())) {
            return true;
        }
        boolean answered = false;
        for (String n : nodes) {
            NodeLink link = links.get(n);
            if (link == null) {
                continue;
            }
            try {
                if (link.imagePresent(image)) {
                    present.put(image, new Seen(n, nanos.getAsLong() + REMEMBER_PRESENT.toNanos()));
                    return true;
                }
                answered = true;
            } catch (OrchestratorException e) {
                LOG.log(Level.DEBUG, "image check on " + n + ": " + e.getMessage());
            }
        }
        return !answered;
    }
}
