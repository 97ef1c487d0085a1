package dev.orchestrator.store;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.store.internal.NodeMapper;
import dev.orchestrator.store.internal.NodeRow;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link NodeRecords} on the {@code nodes} table. */
final class SqlNodes implements NodeRecords {
    private final Access access;
    private final Json json;

    SqlNodes(Access access, Json json) {
        this.access = access;
        this.json = json;
    }

    @Override
    public void put(NodeRecord node) {
        Objects.requireNonNull(node, "node");
        var row = new NodeRow(node.name(), node.address(), json.encodeLabels(node.labels()), node.cpus(),
                node.memoryBytes(), node.status().wireName(), node.availability().wireName(), node.runtimeVersion(),
                node.lastHeartbeat());
        access.run("put node '" + node.name() + "'", session -> session.getMapper(NodeMapper.class).upsert(row));
    }

    @Override
    public Optional<NodeRecord> get(String name) {
        Objects.requireNonNull(name, "name");
        return access.read("read node '" + name + "'",
                session -> session.getMapper(NodeMapper.class).find(name).map(this::toRecord));
    }

    @Override
    public List<NodeRecord> all() {
        return access.read("list nodes",
                session -> session.getMapper(NodeMapper.class).findAll().stream().map(this::toRecord).toList());
    }

    @Override
    public boolean delete(String name) {
        Objects.requireNonNull(name, "name");
        return access.write("delete node '" + name + "'",
                session -> session.getMapper(NodeMapper.class).delete(name) == 1);
    }

    private NodeRecord toRecord(NodeRow row) {
        return new NodeRecord(row.name(), row.address(), json.decodeLabels(row.name(), row.labelsJson()), row.cpus(),
                row.memoryBytes(), NodeStatus.parse(row.status()), Availability.parse(row.availability()),
                row.runtimeVersion(), row.lastHeartbeat());
    }
}
