package dev.orchestrator.cluster;

import dev.orchestrator.api.OrchestratorException;
import java.time.Duration;

/**
 * What a node calls on the control plane: the one protocol every node speaks, whether it is a
 * remote agent (over HTTP, with its join token) or the server's own node (in process). The
 * control plane treats both alike: same intake, same failure detection, same views.
 *
 * <p>Thread-safe: a node reports from one thread and watches from another.
 */
public interface ControlPlaneLink {
    /**
     * Reports liveness and observed state. The first report of a node registers it.
     *
     * <p>Blocks for one round trip. Idempotent: a repeated report changes nothing more (rows are
     * rewritten with the same values, events already acknowledged are skipped by id).
     *
     * @param heartbeat the report
     * @return the answer: the node's status and availability, the events acknowledged
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for a malformed report,
     *                               {@code CONFLICT} when another node holds the name,
     *                               {@code UNAUTHENTICATED} for a refused token,
     *                               {@code RUNTIME_FAILURE} when the control plane is unreachable
     */
    Protocol.Reply report(Protocol.Heartbeat heartbeat);

    /**
     * A blocking query: returns the node's view of the desired state as soon as its index
     * differs from {@code index} (at once if it already does, e.g. with 0, or after a restart
     * of the control plane), else after {@code wait} with the same index and empty lists: an
     * answer with the index the node holds says "no change" and is to be ignored.
     *
     * <p>Blocks up to {@code wait} plus a round trip. No side effects: a lost answer is
     * recovered by the next watch.
     *
     * @param node  the node name
     * @param index the index of the view the node holds, 0 for none
     * @param wait  the longest to wait for a change, at most {@link Protocol#WATCH_WAIT}
     * @return the view
     * @throws OrchestratorException {@code NOT_FOUND} before the node's first report,
     *                               {@code UNAUTHENTICATED} for a refused token,
     *                               {@code RUNTIME_FAILURE} when the control plane is unreachable
     * @throws InterruptedException  when the calling thread is interrupted while waiting
     */
    Protocol.Desired watch(String node, long index, Duration wait) throws InterruptedException;

    /**
     * Whether this link is the control plane itself, in the node's process (the server's own
     * node): such a node never loses the server, so it never fences its replicas (see a
     * service's {@code stop_after_disconnect}). A failed report there is a broken store, not a
     * partition.
     *
     * @return true in process; false (the default) over a network
     */
    default boolean inProcess() {
        return false;
    }
}
