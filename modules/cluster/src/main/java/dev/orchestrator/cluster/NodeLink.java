package dev.orchestrator.cluster;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.LogLine;
import java.util.List;

/**
 * What the control plane calls on one node: the other direction of the protocol. A remote
 * agent answers over HTTP (its endpoint, with the server's key); the server's own node in
 * process. The control plane holds one link per node ({@link NodeLinks}) and never asks which
 * kind it has.
 *
 * <p>Thread-safe. Each call blocks for one round trip, bounded by the implementation's timeout.
 */
public interface NodeLink {
    /**
     * The last lines of one of the node's containers.
     *
     * @param containerId a container of this node
     * @param tail        how many lines, 1..10,000
     * @return the lines, oldest first
     * @throws OrchestratorException {@code NOT_FOUND} if the node has no such container,
     *                               {@code RUNTIME_FAILURE} if the node cannot be reached
     */
    List<LogLine> logs(String containerId, int tail);

    /**
     * @param image an image reference
     * @return true if the node's runtime has the image
     * @throws OrchestratorException {@code RUNTIME_FAILURE} if the node cannot be reached
     */
    boolean imagePresent(String image);

    /**
     * The lines the node captured of a service's replicas (live and gone: the node keeps them in
     * its data directory, bounded in size and age), oldest first.
     *
     * @param query which lines
     * @return the lines
     * @throws OrchestratorException {@code RUNTIME_FAILURE} if the node cannot be reached
     */
    default List<LogEntry> serviceLogs(LogQuery query) {
        throw new OrchestratorException(dev.orchestrator.api.ErrorCode.RUNTIME_FAILURE,
                "this node does not keep logs");
    }

    /**
     * Follows the lines the node captures of a service's replicas from now on (from
     * {@code query.since()} if given), across restarts and replacements of its containers, until
     * the handle is closed. Returns at once; lines arrive on the stream's own thread. A remote
     * node's stream that breaks is re-established by the link, which says so as a notice.
     *
     * @param query    which lines ({@code until} and {@code tail} are ignored)
     * @param listener where they go
     * @return closes the stream; idempotent
     */
    default AutoCloseable followLogs(LogQuery query, LogListener listener) {
        throw new OrchestratorException(dev.orchestrator.api.ErrorCode.RUNTIME_FAILURE,
                "this node does not keep logs");
    }
}
