package dev.orchestrator.store;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.internal.ReplicaMapper;
import dev.orchestrator.store.internal.ServiceMapper;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link ReplicaRecords} on the {@code replicas} table. */
final class SqlReplicas implements ReplicaRecords {
    private final Access access;

    SqlReplicas(Access access) {
        this.access = access;
    }

    @Override
    public void put(ReplicaRecord replica) {
        Objects.requireNonNull(replica, "replica");
        String what = "put replica " + replica.service() + "-" + replica.index();
        access.run(what, session -> {
            // Checked here for a clear error; the foreign key would refuse the row anyway.
            if (!session.getMapper(ServiceMapper.class).exists(replica.service())) {
                throw new OrchestratorException(ErrorCode.NOT_FOUND,
                        what + ": service '" + replica.service() + "' does not exist");
            }
            session.getMapper(ReplicaMapper.class).upsert(replica);
        });
    }

    @Override
    public Optional<ReplicaRecord> get(String service, int index) {
        Objects.requireNonNull(service, "service");
        return access.read("read replica " + service + "-" + index,
                session -> session.getMapper(ReplicaMapper.class).find(service, index));
    }

    @Override
    public List<ReplicaRecord> ofService(String service) {
        Objects.requireNonNull(service, "service");
        return access.read("list replicas of '" + service + "'",
                session -> List.copyOf(session.getMapper(ReplicaMapper.class).findByService(service)));
    }

    @Override
    public List<ReplicaRecord> all() {
        return access.read("list replicas", session -> List.copyOf(session.getMapper(ReplicaMapper.class).findAll()));
    }

    @Override
    public boolean delete(String service, int index) {
        Objects.requireNonNull(service, "service");
        return access.write("delete replica " + service + "-" + index,
                session -> session.getMapper(ReplicaMapper.class).delete(service, index) == 1);
    }

    @Override
    public int deleteOfService(String service) {
        Objects.requireNonNull(service, "service");
        return access.write("delete replicas of '" + service + "'",
                session -> session.getMapper(ReplicaMapper.class).deleteByService(service));
    }
}
