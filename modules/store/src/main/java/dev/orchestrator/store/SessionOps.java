package dev.orchestrator.store;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.Validation;
import dev.orchestrator.store.internal.AssignmentMapper;
import dev.orchestrator.store.internal.EventMapper;
import dev.orchestrator.store.internal.JoinTokenMapper;
import dev.orchestrator.store.internal.NodeMapper;
import dev.orchestrator.store.internal.NodeRow;
import dev.orchestrator.store.internal.ReplicaMapper;
import dev.orchestrator.store.internal.ServiceMapper;
import dev.orchestrator.store.internal.ServiceRow;
import dev.orchestrator.store.internal.SettingMapper;
import dev.orchestrator.store.internal.UserMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.session.SqlSession;

/**
 * {@link StoreTx} over one MyBatis session: the transaction {@link Store#inTransaction} hands
 * out, and the one-statement sessions behind {@link Store}'s own methods. Confined to one
 * thread; {@link #close()} makes it unusable.
 */
final class SessionOps implements StoreTx {
    private final SqlSession session;
    private final Clock clock;
    private final Json json;
    private boolean closed;

    SessionOps(SqlSession session, Clock clock, Json json) {
        this.session = session;
        this.clock = clock;
        this.json = json;
    }

    /** Ends this view; later calls throw {@link IllegalStateException}. */
    void close() {
        closed = true;
    }

    // ---- services

    @Override
    public ServiceRecord putService(ServiceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String specJson = json.encodeSpec(spec);
        return call("put service '" + spec.name() + "'", () -> {
            ServiceMapper m = session.getMapper(ServiceMapper.class);
            Instant now = clock.instant();
            Optional<ServiceRow> old = m.find(spec.name());
            if (old.isEmpty()) {
                var row = new ServiceRow(spec.name(), specJson, spec.replicas(), 1, now, now);
                m.insert(row);
                return new ServiceRecord(spec, row.revision(), now, now);
            }
            ServiceRow prev = old.get();
            boolean specChanged = !sameSpec(prev, specJson);
            if (!specChanged && prev.replicas() == spec.replicas()) {
                return new ServiceRecord(spec, prev.revision(), prev.createdAt(), prev.updatedAt());
            }
            long revision = specChanged ? prev.revision() + 1 : prev.revision();
            m.update(new ServiceRow(spec.name(), specJson, spec.replicas(), revision, prev.createdAt(), now));
            return new ServiceRecord(spec, revision, prev.createdAt(), now);
        });
    }

    @Override
    public Optional<ServiceRecord> service(String name) {
        Objects.requireNonNull(name, "name");
        return call("read service '" + name + "'",
                () -> session.getMapper(ServiceMapper.class).find(name).map(this::toRecord));
    }

    @Override
    public List<ServiceRecord> services() {
        return call("list services",
                () -> session.getMapper(ServiceMapper.class).findAll().stream().map(this::toRecord).toList());
    }

    @Override
    public boolean setReplicas(String name, int replicas) {
        Objects.requireNonNull(name, "name");
        Validation.range("replicas", replicas, 0, ServiceSpec.MAX_REPLICAS);
        return call("scale service '" + name + "'",
                () -> session.getMapper(ServiceMapper.class).updateReplicas(name, replicas, clock.instant()) == 1);
    }

    @Override
    public boolean deleteService(String name) {
        Objects.requireNonNull(name, "name");
        return call("delete service '" + name + "'", () -> session.getMapper(ServiceMapper.class).delete(name) == 1);
    }

    /**
     * Compares canonical texts: the old row is re-encoded by this code, so a change of the JSON
     * format between versions is not a spec change. A row this code cannot read is replaced.
     */
    private boolean sameSpec(ServiceRow prev, String specJson) {
        try {
            return json.encodeSpec(decode(prev)).equals(specJson);
        } catch (OrchestratorException unreadable) {
            return false;
        }
    }

    private ServiceRecord toRecord(ServiceRow row) {
        return new ServiceRecord(decode(row), row.revision(), row.createdAt(), row.updatedAt());
    }

    private ServiceSpec decode(ServiceRow row) {
        return json.decodeSpec(row.name(), row.specJson(), row.replicas());
    }


    @Override
    public void mirrorService(ServiceRecord record) {
        Objects.requireNonNull(record, "record");
        var row = new ServiceRow(record.name(), json.encodeSpec(record.spec()), record.spec().replicas(),
                record.revision(), record.createdAt(), record.updatedAt());
        run("mirror service '" + record.name() + "'", () -> {
            ServiceMapper m = session.getMapper(ServiceMapper.class);
            if (m.update(row) == 0) {
                m.insert(row);
            }
        });
    }

    // ---- assignments

    @Override
    public void putAssignment(Assignment assignment) {
        Objects.requireNonNull(assignment, "assignment");
        String what = "assign " + assignment.service() + "-" + assignment.index();
        run(what, () -> {
            if (!session.getMapper(ServiceMapper.class).exists(assignment.service())) {
                throw new OrchestratorException(ErrorCode.NOT_FOUND,
                        what + ": service '" + assignment.service() + "' does not exist");
            }
            session.getMapper(AssignmentMapper.class).upsert(assignment);
        });
    }

    @Override
    public Optional<Assignment> assignment(String service, int index) {
        Objects.requireNonNull(service, "service");
        return call("read assignment " + service + "-" + index,
                () -> session.getMapper(AssignmentMapper.class).find(service, index));
    }

    @Override
    public List<Assignment> assignments() {
        return call("list assignments", () -> session.getMapper(AssignmentMapper.class).findAll());
    }

    @Override
    public List<Assignment> assignmentsOf(String node) {
        Objects.requireNonNull(node, "node");
        return call("list assignments of '" + node + "'",
                () -> session.getMapper(AssignmentMapper.class).findByNode(node));
    }

    @Override
    public boolean deleteAssignment(String service, int index) {
        Objects.requireNonNull(service, "service");
        return call("delete assignment " + service + "-" + index,
                () -> session.getMapper(AssignmentMapper.class).delete(service, index) == 1);
    }

    @Override
    public int deleteAssignments() {
        return call("delete assignments", () -> session.getMapper(AssignmentMapper.class).deleteAll());
    }

    // ---- join tokens

    @Override
    public void putJoinToken(JoinToken token) {
        Objects.requireNonNull(token, "token");
        run("put join token " + token.id(), () -> {
            JoinTokenMapper m = session.getMapper(JoinTokenMapper.class);
            if (m.find(token.id()).isPresent()) {
                throw new OrchestratorException(ErrorCode.CONFLICT, "join token " + token.id() + " exists");
            }
            m.insert(token);
        });
    }

    @Override
    public Optional<JoinToken> joinToken(String id) {
        Objects.requireNonNull(id, "id");
        return call("read join token", () -> session.getMapper(JoinTokenMapper.class).find(id));
    }

    @Override
    public List<JoinToken> joinTokens() {
        return call("list join tokens", () -> session.getMapper(JoinTokenMapper.class).findAll());
    }

    @Override
    public boolean deleteJoinToken(String id) {
        Objects.requireNonNull(id, "id");
        return call("delete join token " + id, () -> session.getMapper(JoinTokenMapper.class).delete(id) == 1);
    }


    // ---- replicas

    @Override
    public void putReplica(ReplicaRecord replica) {
        Objects.requireNonNull(replica, "replica");
        String what = "put replica " + replica.service() + "-" + replica.index();
        run(what, () -> {
            // Checked here for a clear error; the foreign key would refuse the row anyway.
            if (!session.getMapper(ServiceMapper.class).exists(replica.service())) {
                throw new OrchestratorException(ErrorCode.NOT_FOUND,
                        what + ": service '" + replica.service() + "' does not exist");
            }
            session.getMapper(ReplicaMapper.class).upsert(replica);
        });
    }

    @Override
    public Optional<ReplicaRecord> replica(String service, int index) {
        Objects.requireNonNull(service, "service");
        return call("read replica " + service + "-" + index,
                () -> session.getMapper(ReplicaMapper.class).find(service, index));
    }

    @Override
    public List<ReplicaRecord> replicas(String service) {
        Objects.requireNonNull(service, "service");
        return call("list replicas of '" + service + "'",
                () -> List.copyOf(session.getMapper(ReplicaMapper.class).findByService(service)));
    }

    @Override
    public List<ReplicaRecord> replicas() {
        return call("list replicas", () -> List.copyOf(session.getMapper(ReplicaMapper.class).findAll()));
    }

    @Override
    public boolean deleteReplica(String service, int index) {
        Objects.requireNonNull(service, "service");
        return call("delete replica " + service + "-" + index,
                () -> session.getMapper(ReplicaMapper.class).delete(service, index) == 1);
    }

    @Override
    public int deleteReplicas(String service) {
        Objects.requireNonNull(service, "service");
        return call("delete replicas of '" + service + "'",
                () -> session.getMapper(ReplicaMapper.class).deleteByService(service));
    }

    // ---- events

    @Override
    public long append(Event event) {
        Objects.requireNonNull(event, "event");
        return call("append event", () -> {
            EventMapper m = session.getMapper(EventMapper.class);
            m.insert(event);
            return m.lastInsertId();
        });
    }

    @Override
    public List<Event> events(EventQuery query) {
        Objects.requireNonNull(query, "query");
        return call("read events", () -> List.copyOf(session.getMapper(EventMapper.class).query(query)));
    }

    @Override
    public int pruneEvents(int keepNewest) {
        Checks.nonNegative("keep_newest", keepNewest);
        return call("prune events", () -> session.getMapper(EventMapper.class).prune(keepNewest));
    }

    // ---- users

    @Override
    public void putUser(String name, String passwordHash) {
        Checks.name("user name", name);
        if (!Passwords.looksEncoded(passwordHash)) {
            // Deliberately does not echo the value: it may be a plain-text password.
            throw OrchestratorException.invalid("password hash of user '" + name
                    + "' must be made by Passwords.hash (pbkdf2-sha256$...)");
        }
        run("put user '" + name + "'",
                () -> session.getMapper(UserMapper.class).upsert(name, passwordHash, clock.instant()));
    }

    @Override
    public Optional<String> passwordHash(String name) {
        Objects.requireNonNull(name, "name");
        return call("read user '" + name + "'", () -> session.getMapper(UserMapper.class).passwordHash(name));
    }

    @Override
    public boolean hasUsers() {
        return call("count users", () -> session.getMapper(UserMapper.class).any());
    }

    // ---- nodes

    @Override
    public void putNode(NodeRecord node) {
        Objects.requireNonNull(node, "node");
        var row = new NodeRow(node.name(), node.address(), json.encodeLabels(node.labels()), node.cpus(),
                node.memoryBytes(), node.status().wireName(), node.availability().wireName(), node.runtimeVersion(),
                node.lastHeartbeat());
        run("put node '" + node.name() + "'", () -> session.getMapper(NodeMapper.class).upsert(row));
    }

    @Override
    public Optional<NodeRecord> node(String name) {
        Objects.requireNonNull(name, "name");
        return call("read node '" + name + "'",
                () -> session.getMapper(NodeMapper.class).find(name).map(this::toRecord));
    }

    @Override
    public List<NodeRecord> nodes() {
        return call("list nodes",
                () -> session.getMapper(NodeMapper.class).findAll().stream().map(this::toRecord).toList());
    }

    @Override
    public boolean deleteNode(String name) {
        Objects.requireNonNull(name, "name");
        return call("delete node '" + name + "'", () -> session.getMapper(NodeMapper.class).delete(name) == 1);
    }

    private NodeRecord toRecord(NodeRow row) {
        return new NodeRecord(row.name(), row.address(), json.decodeLabels(row.name(), row.labelsJson()), row.cpus(),
                row.memoryBytes(), NodeStatus.parse(row.status()), Availability.parse(row.availability()),
                row.runtimeVersion(), row.lastHeartbeat());
    }

    // ---- settings

    @Override
    public Optional<String> setting(String key) {
        Objects.requireNonNull(key, "key");
        return call("read setting '" + key + "'", () -> session.getMapper(SettingMapper.class).find(key));
    }

    @Override
    public void putSetting(String key, String value) {
        Checks.name("setting key", key);
        Objects.requireNonNull(value, "value");
        run("put setting '" + key + "'",
                () -> session.getMapper(SettingMapper.class).upsert(key, value, clock.instant()));
    }

    // ----

    private <T> T call(String operation, Supplier<T> work) {
        if (closed) {
            throw new IllegalStateException("this StoreTx was used after its transaction ended (" + operation + ")");
        }
        try {
            return work.get();
        } catch (PersistenceException e) {
            throw Failures.internal(operation, e);
        }
    }

    private void run(String operation, Runnable work) {
        call(operation, () -> {
            work.run();
            return null;
        });
    }
}
