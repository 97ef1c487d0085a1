package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.Validation;
import dev.orchestrator.store.internal.ServiceMapper;
import dev.orchestrator.store.internal.ServiceRow;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link ServiceRecords} on the {@code services} table. */
final class SqlServices implements ServiceRecords {
    private final Access access;
    private final Clock clock;
    private final Json json;

    /** Revisions kept per service name: enough to roll back a few updates. */
    static final int KEPT_REVISIONS = 10;

    SqlServices(Access access, Clock clock, Json json) {
        this.access = access;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public ServiceRecord put(ServiceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String specJson = json.encodeSpec(spec);
        return access.write("put service '" + spec.name() + "'", session -> {
            ServiceMapper m = session.getMapper(ServiceMapper.class);
            Instant now = clock.instant();
            Optional<ServiceRow> old = m.find(spec.name());
            if (old.isEmpty()) {
                // A name used before goes on from its last revision: revisions never repeat.
                var row = new ServiceRow(spec.name(), specJson, spec.replicas(), m.lastRevision(spec.name()) + 1, now,
                        now);
                m.insert(row);
                remember(m, row.name(), row.revision(), specJson, now);
                return new ServiceRecord(spec, row.revision(), now, now);
            }
            ServiceRow prev = old.get();
            boolean specChanged = !sameSpec(prev, spec);
            if (!specChanged && prev.replicas() == spec.replicas() && prev.specJson().equals(specJson)) {
                return new ServiceRecord(spec, prev.revision(), prev.createdAt(), prev.updatedAt());
            }
            long revision = specChanged ? prev.revision() + 1 : prev.revision();
            m.update(new ServiceRow(spec.name(), specJson, spec.replicas(), revision, prev.createdAt(), now));
            if (specChanged) {
                remember(m, spec.name(), revision, specJson, now);
            }
            return new ServiceRecord(spec, revision, prev.createdAt(), now);
        });
    }

    private static void remember(ServiceMapper m, String name, long revision, String specJson, Instant now) {
        m.insertRevision(name, revision, specJson, now);
        m.trimRevisions(name, KEPT_REVISIONS);
    }

    @Override
    public Optional<ServiceRecord> get(String name) {
        Objects.requireNonNull(name, "name");
        return access.read("read service '" + name + "'",
                session -> session.getMapper(ServiceMapper.class).find(name).map(this::toRecord));
    }

    @Override
    public List<ServiceRecord> all() {
        return access.read("list services",
                session -> session.getMapper(ServiceMapper.class).findAll().stream().map(this::toRecord).toList());
    }

    @Override
    public boolean setReplicas(String name, int replicas) {
        Objects.requireNonNull(name, "name");
        Validation.range("replicas", replicas, 0, ServiceSpec.MAX_REPLICAS);
        return access.write("scale service '" + name + "'",
                session -> session.getMapper(ServiceMapper.class).updateReplicas(name, replicas, clock.instant()) == 1);
    }

    @Override
    public boolean delete(String name) {
        Objects.requireNonNull(name, "name");
        return access.write("delete service '" + name + "'",
                session -> session.getMapper(ServiceMapper.class).delete(name) == 1);
    }

    @Override
    public void mirror(ServiceRecord record) {
        Objects.requireNonNull(record, "record");
        var row = new ServiceRow(record.name(), json.encodeSpec(record.spec()), record.spec().replicas(),
                record.revision(), record.createdAt(), record.updatedAt());
        access.run("mirror service '" + record.name() + "'", session -> {
            ServiceMapper m = session.getMapper(ServiceMapper.class);
            if (m.update(row) == 0) {
                m.insert(row);
            }
        });
    }

    /**
     * Compares canonical texts: the old row is re-encoded by this code, so a change of the JSON
     * format between versions is not a spec change. A row this code cannot read is replaced.
     * The update settings and {@code stop_after_disconnect} do not count: changing how rollouts
     * go, or how long a node that lost the server keeps running them, replaces no container.
     */
    private boolean sameSpec(ServiceRow prev, ServiceSpec spec) {
        try {
            return json.encodeSpec(containerShape(decode(prev))).equals(json.encodeSpec(containerShape(spec)));
        } catch (OrchestratorException unreadable) {
            return false;
        }
    }

    /** The spec without the fields that change no container. */
    private static ServiceSpec containerShape(ServiceSpec spec) {
        return spec.withUpdate(null).withStopAfterDisconnect(null);
    }

    @Override
    public void mirrorRevision(String name, long revision, ServiceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Checks.positive("revision", revision);
        String specJson = json.encodeSpec(spec);
        access.run("mirror revision " + revision + " of '" + name + "'",
                session -> remember(session.getMapper(ServiceMapper.class), name, revision, specJson, clock.instant()));
    }

    @Override
    public Optional<ServiceSpec> revision(String name, long revision) {
        Objects.requireNonNull(name, "name");
        return access.read("read revision " + revision + " of '" + name + "'", session -> {
            ServiceMapper m = session.getMapper(ServiceMapper.class);
            int replicas = m.find(name).map(ServiceRow::replicas).orElse(0);
            return m.revisions(name).stream().filter(r -> r.revision() == revision).findFirst()
                    .map(r -> json.decodeSpec(name, r.specJson(), replicas));
        });
    }

    @Override
    public List<Revision> revisions(String name) {
        Objects.requireNonNull(name, "name");
        return access.read("read revisions of '" + name + "'", session -> {
            ServiceMapper m = session.getMapper(ServiceMapper.class);
            int replicas = m.find(name).map(ServiceRow::replicas).orElse(0);
            return m.revisions(name).stream().map(r -> new Revision(r.revision(),
                    json.decodeSpec(name, r.specJson(), replicas), r.createdAt())).toList();
        });
    }

    private ServiceRecord toRecord(ServiceRow row) {
        return new ServiceRecord(decode(row), row.revision(), row.createdAt(), row.updatedAt());
    }

    private ServiceSpec decode(ServiceRow row) {
        return json.decodeSpec(row.name(), row.specJson(), row.replicas());
    }
}
