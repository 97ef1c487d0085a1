package dev.orchestrator.store;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.internal.AssignmentMapper;
import dev.orchestrator.store.internal.ServiceMapper;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link AssignmentRecords} on the {@code assignments} table. */
final class SqlAssignments implements AssignmentRecords {
    private final Access access;

    SqlAssignments(Access access) {
        this.access = access;
    }

    @Override
    public void put(Assignment assignment) {
        Objects.requireNonNull(assignment, "assignment");
        String what = "assign " + assignment.service() + "-" + assignment.index();
        access.run(what, session -> {
            if (!session.getMapper(ServiceMapper.class).exists(assignment.service())) {
                throw new OrchestratorException(ErrorCode.NOT_FOUND,
                        what + ": service '" + assignment.service() + "' does not exist");
            }
            session.getMapper(AssignmentMapper.class).upsert(assignment);
        });
    }

    @Override
    public Optional<Assignment> get(String service, int index) {
        Objects.requireNonNull(service, "service");
        return access.read("read assignment " + service + "-" + index,
                session -> session.getMapper(AssignmentMapper.class).find(service, index));
    }

    @Override
    public List<Assignment> all() {
        return access.read("list assignments", session -> session.getMapper(AssignmentMapper.class).findAll());
    }

    @Override
    public List<Assignment> onNode(String node) {
        Objects.requireNonNull(node, "node");
        return access.read("list assignments of '" + node + "'",
                session -> session.getMapper(AssignmentMapper.class).findByNode(node));
    }

    @Override
    public boolean delete(String service, int index) {
        Objects.requireNonNull(service, "service");
        return access.write("delete assignment " + service + "-" + index,
                session -> session.getMapper(AssignmentMapper.class).delete(service, index) == 1);
    }

    @Override
    public int deleteAll() {
        return access.write("delete assignments", session -> session.getMapper(AssignmentMapper.class).deleteAll());
    }
}
