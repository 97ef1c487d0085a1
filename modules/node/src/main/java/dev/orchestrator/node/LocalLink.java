package dev.orchestrator.node;

import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.cluster.LogListener;
import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.cluster.NodeLink;
import java.util.List;

/**
 * The node's answers to the control plane, straight from its runtime: the in-process link of
 * the server's own node, and what a remote agent's endpoint serves over HTTP. Thread-safe; each call blocks on
 * the runtime or the node's log files.
 */
final class LocalLink implements NodeLink {
    private final ContainerRuntime runtime;
    private final LogFiles files;
    private final LogHub hub;

    LocalLink(ContainerRuntime runtime, LogFiles files, LogHub hub) {
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
        LogQuery kept = new LogQuery(query.service(), query.replica(), query.since(), null, query.tail());
        return hub.follow(kept, () -> files.read(kept), listener);
    }

    @Override
    public boolean imagePresent(String image) {
        return runtime.imagePresent(image);
    }
}
