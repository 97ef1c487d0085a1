package dev.orchestrator.cluster;

import dev.orchestrator.api.OrchestratorException;
import java.util.List;

/**
 * What the control plane calls on one node: the other direction of the protocol. A remote
 * agent answers over HTTP (its endpoint, with the server's key); the server's own node in
 * process. The control plane holds one link per node ({@link NodeLinks}) and never asks which
 * kind it has.
 *
 * <p>Thread-safe. Each call blocks for one round trip, bounded by the implementation's timeout,
 * except {@link #followLogs}, which returns at once.
 */
public interface NodeLink {
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
    List<LogEntry> serviceLogs(LogQuery query);

    /**
     * Follows the lines the node captures of a service's replicas: first those the query
     * selects from what the node kept (its {@code since} and {@code tail}), then
     * {@link LogListener#caughtUp()}, then each new line as it is captured, across restarts and
     * replacements of its containers, until the handle is closed. Returns at once; lines arrive
     * on the stream's own thread. A remote node's stream that breaks is re-established by the
     * link, resuming after the last line received, which it says as notices.
     *
     * @param query    which lines ({@code until} is ignored)
     * @param listener where they go
     * @return closes the stream; idempotent
     */
    AutoCloseable followLogs(LogQuery query, LogListener listener);
}
