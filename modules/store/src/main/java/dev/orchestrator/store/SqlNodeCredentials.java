package dev.orchestrator.store;

import dev.orchestrator.store.internal.NodeCredentialMapper;
import java.util.Objects;
import java.util.Optional;

/** {@link NodeCredentialRecords} on the {@code node_credentials} table. */
final class SqlNodeCredentials implements NodeCredentialRecords {
    private final Access access;

    SqlNodeCredentials(Access access) {
        this.access = access;
    }

    @Override
    public void put(NodeCredential credential) {
        Objects.requireNonNull(credential, "credential");
        access.run("put credential of node " + credential.node(),
                session -> session.getMapper(NodeCredentialMapper.class).upsert(credential));
    }

    @Override
    public Optional<NodeCredential> get(String node) {
        Objects.requireNonNull(node, "node");
        return access.read("read node credential",
                session -> session.getMapper(NodeCredentialMapper.class).find(node));
    }

    @Override
    public boolean delete(String node) {
        Objects.requireNonNull(node, "node");
        return access.write("delete credential of node " + node,
                session -> session.getMapper(NodeCredentialMapper.class).delete(node) == 1);
    }
}
