package dev.orchestrator.server;

import dev.orchestrator.cluster.Observations;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.orchestration.Containers;
import dev.orchestrator.app.RolloutProgress;
import dev.orchestrator.app.ServiceState;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.wire.DeployRequest;
import dev.orchestrator.wire.Views;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ServiceRecord;
import java.util.List;

/** Builds the API's service views from stored desired and observed state. */
final class ServiceViews {
    private ServiceViews() {
    }

    static Views.Service of(ServiceState state, boolean withSpec) {
        return of(state, withSpec, null);
    }

    /**
     * @param usage the nodes' measurements, or null for a view without stats
     */
    static Views.Service of(ServiceState state, boolean withSpec, Observations usage) {
        return of(state, withSpec, usage, null);
    }

    /**
     * @param usage      the nodes' measurements, or null for a view without stats
     * @param deployment the service's latest rollout, or null for a view without it
     */
    static Views.Service of(ServiceState state, boolean withSpec, Observations usage, RolloutProgress deployment) {
        ServiceRecord s = state.service();
        List<ReplicaRecord> rows = state.replicas();
        int desired = s.spec().replicas();
        List<ReplicaRecord> current = rows.stream().filter(r -> r.index() < desired).toList();
        int running = (int) current.stream().filter(r -> r.state() == ReplicaState.RUNNING).count();
        int healthy = (int) current.stream().filter(ServiceViews::healthy).count();
        List<Views.Container> containers = current.stream().map(r -> container(r, usage)).toList();
        List<Views.Port> ports = s.spec().ports().stream()
                .map(p -> new Views.Port(p.containerPort(), p.hostPort(), p.protocol())).toList();
        return new Views.Service(s.name(), s.spec().image(), desired, s.revision(),
                status(desired, running, state.current(), current),
                running, healthy, ports, containers, withSpec ? DeployRequest.from(s.spec()) : null,
                deployment == null ? null : rollout(deployment));
    }

    /**
     * @param p a rollout's progress
     * @return its view, times in ISO-8601
     */
    static Views.Rollout rollout(RolloutProgress p) {
        return new Views.Rollout(p.revision(), p.fromRevision(), p.status(), p.rollback(),
                p.message() == null || p.message().isEmpty() ? null : p.message(), p.replicas(), p.updated(),
                p.healthy(), time(p.startedAt()), time(p.updatedAt()));
    }

    private static String time(java.time.Instant t) {
        return t == null ? null : t.toString();
    }

    /** A running replica is healthy if its probe passes, or if it has no health check. */
    static boolean healthy(ReplicaRecord r) {
        return r.serving();
    }

    private static String status(int desired, int running, java.util.Set<Long> revisions, List<ReplicaRecord> rows) {
        if (desired == 0) {
            return "stopped";
        }
        boolean current = rows.stream().allMatch(r -> revisions.contains(r.revision()));
        if (running == desired && rows.size() == desired && current) {
            return "running";
        }
        boolean failing = rows.stream().anyMatch(r -> r.state() == ReplicaState.RESTARTING
                || r.state() == ReplicaState.EXITED || r.restartCount() > 0 && r.state() != ReplicaState.RUNNING);
        return failing ? "degraded" : "converging";
    }

    private static Views.Container container(ReplicaRecord r, Observations usage) {
        var stats = usage == null || r.state() != ReplicaState.RUNNING ? java.util.Optional.<Observations.Usage>empty()
                : usage.usage(r.service(), r.index(), r.containerId());
        Protocol.ReplicaUsage u = stats.map(Observations.Usage::usage).orElse(null);
        return new Views.Container(Containers.shortId(r.containerId()), Containers.replicaName(r.service(), r.index()),
                r.state().wireName(), r.health().wireName(), r.node(), r.revision(), r.restartCount(), r.hostPort(),
                r.message().isEmpty() ? null : r.message(), u == null ? null : u.cpuPercent(),
                u == null ? null : u.memoryBytes(),
                u == null || u.memoryLimitBytes() < 0 ? null : u.memoryLimitBytes());
    }
}
