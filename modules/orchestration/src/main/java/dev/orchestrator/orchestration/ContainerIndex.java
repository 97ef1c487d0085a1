package dev.orchestrator.orchestration;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which services may have containers on this node, so that a pass for a service the node has
 * never run (a deploy, the common case of a new placement) skips listing the engine's
 * containers: on a busy 2-core machine that list is the largest step between a deploy reaching
 * the node and its first {@code create} (12 ms of 60, see docs/benchmarks.md), as kubelet's
 * pod lifecycle event generator saves its relists.
 *
 * <p>The index errs towards listing: it answers "maybe" for every service until one complete
 * listing of this node's containers succeeded ({@link #listed}); a service enters it whenever a
 * container of it was seen (a listing, an engine event) or is about to be created, and leaves it
 * only when a listing of that service found nothing, which the caller does inside the service's
 * own pass, the only place its containers are created. Missed engine events cannot hide a
 * container: the node's own creates are noted before they are issued, and the periodic resync
 * lists everything again.
 *
 * <p>Thread-safe.
 */
final class ContainerIndex {
    private final Set<String> services = ConcurrentHashMap.newKeySet();
    private volatile boolean complete;

    /**
     * A complete listing of the node's containers succeeded.
     *
     * @param seen the services that had containers in it
     */
    void listed(Set<String> seen) {
        services.addAll(seen); // add only: a create may have been issued while the listing ran
        complete = true;
    }

    /** A container of the service exists, or is about to be created. */
    void add(String service) {
        services.add(service);
    }

    /**
     * A listing of the service's containers, taken inside its pass, found none.
     *
     * @param service the service
     */
    void none(String service) {
        services.remove(service);
    }

    /** @return false only when the service surely has no container on this node */
    boolean mayHave(String service) {
        return !complete || services.contains(service);
    }
}
