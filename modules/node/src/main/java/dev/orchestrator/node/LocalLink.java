package dev.orchestrator.node;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.LogLine;
import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.cluster.LogListener;
import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.cluster.NodeLink;
import dev.orchestrator.orchestration.Labels;
import java.util.List;

/**
 * The node's answers to the control plane, straight from its runtime: the in-process link of
 * the server's own node, and what a remote agent's endpoint serves over HTTP. Only containers
 * labelled for this node are read. Thread-safe; each call blocks on the runtime.
 */
final class LocalLink implements NodeLink {
    private final String node;
    private final ContainerRuntime runtime;
    private final LogFiles files;
    private final LogHub hub;

    LocalLink(String node, ContainerRuntime runtime, LogFiles files, LogHub hub) {
        this.node = node;
        this.runtime = runtime;
        this.files = files;
        this.hub = hub;
    }

    @Override
    public List<LogEntry> serviceLogs(LogQuery query) {
        return files.read(query);
    }

    @Override
    public AutoCloseable followLogs(LogQuery query, LogListener listener) {
        // The hub reads the backlog after subscribing, so no line falls between the two.
        return hub.follow(query, () -> query.since() == null ? List.of() : files.read(query.after(query.since())),
                listener);
    }

    @Override
    public List<LogLine> logs(String containerId, int tail) {
        boolean ours = containerId != null && !containerId.isEmpty() && runtime.inspect(containerId)
                .filter(c -> node.equals(c.labels().get(Labels.NODE))).isPresent();
        if (!ours) {
            throw new OrchestratorException(ErrorCode.NOT_FOUND, "no container of node " + node + " with that id");
        }
        return runtime.logs(containerId, Math.clamp(tail, 1, 10_000));
    }

    @Override
    public boolean imagePresent(String image) {
        return runtime.imagePresent(image);
    }
}
