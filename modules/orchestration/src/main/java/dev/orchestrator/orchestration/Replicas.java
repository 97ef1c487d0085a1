package dev.orchestrator.orchestration;

import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerState;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import dev.orchestrator.store.StoreTx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Writes the observed state of the replicas a node runs to the store, where the API reads it.
 * A row is written only while its replica is still assigned to the node (checked in the same
 * transaction), so a node never overwrites the row of a replica the scheduler just moved; rows
 * this node wrote for replicas no longer its own are deleted.
 */
final class Replicas {
    private Replicas() {
    }

    /** @return true if a row changed (written with news, or deleted) */
    static boolean record(Store store, ReplicaActions actions, String service, Optional<ServiceRecord> desired,
                          IntFunction<ServiceRecord> targets, List<ContainerDetails> containers, Assigned assigned,
                          RestartBackoff backoff,
                          HealthMonitor monitor, Instant now, String node) {
        if (desired.isEmpty()) {
            return store.replicas().deleteOfService(service) > 0;
        }
        ServiceRecord record = desired.get();
        Map<Integer, List<ContainerDetails>> byIndex = Planner.groupByIndex(containers);
        int replicas = record.spec().replicas();
        return store.inTransaction(tx -> {
            boolean changed = false;
            for (int i = 0; i < replicas; i++) {
                Optional<Assignment> a = tx.assignments().get(service, i);
                if (!assigned.runs(i) || !assigned.all() && a.filter(x -> x.node().equals(node)).isEmpty()) {
                    continue;
                }
                ServiceRecord target = targets.apply(i);
                ContainerDetails c = Planner.pick(byIndex.getOrDefault(i, List.of()), target.revision());
                Optional<ReplicaRecord> prev = tx.replicas().get(service, i).filter(r -> node.equals(r.node()));
                ReplicaRecord row = row(target, i, c, monitor, actions.takeRestarts(service, i),
                        backoff.notBefore(service, i), actions.failure(service, i), now, node, prev);
                if (a.map(x -> x.accepts(row)).orElse(true)) {
                    changed |= !row.sameAs(prev.orElse(null));
                    tx.replicas().put(row);
                }
            }
            List<ReplicaRecord> gone = tx.replicas().ofService(service).stream()
                    .filter(r -> r.index() >= replicas || node.equals(r.node()) && !involves(tx, service, r.index(),
                            node)).toList();
            gone.forEach(r -> tx.replicas().delete(service, r.index()));
            return changed || !gone.isEmpty();
        });
    }

    /**
     * The rows of a fenced service's replicas on this node: {@code exited} without a container
     * (or, while a stop failed, as the container is), with the fence's reason as the message.
     *
     * @return true if a row changed
     */
    static boolean fenced(Store store, String service, List<ContainerDetails> containers, String reason, Instant now,
                          String node) {
        Map<Integer, List<ContainerDetails>> byIndex = Planner.groupByIndex(containers);
        return store.inTransaction(tx -> {
            boolean changed = false;
            for (ReplicaRecord r : tx.replicas().ofService(service)) {
                if (!node.equals(r.node())) {
                    continue;
                }
                ContainerDetails c = byIndex.getOrDefault(r.index(), List.of()).stream().findFirst().orElse(null);
                var row = new ReplicaRecord(service, r.index(), node, c == null ? null : c.id(),
                        c == null ? null : c.name(), r.revision(), c != null && c.running() ? ReplicaState.STOPPING
                        : ReplicaState.EXITED, Health.NONE, r.restartCount(), null, 0, "stopped: " + reason, now);
                if (!row.sameAs(r)) {
                    tx.replicas().put(row);
                    changed = true;
                }
            }
            return changed;
        });
    }

    /** Runs it, or holds it while it moves away (its row then still describes our container). */
    private static boolean involves(StoreTx tx, String service, int index, String node) {
        return tx.assignments().get(service, index).filter(a -> a.involves(node)).isPresent();
    }

    private static ReplicaRecord row(ServiceRecord record, int i, ContainerDetails c, HealthMonitor monitor,
                                     int newRestarts, Optional<Instant> notBefore, Optional<String> failure,
                                     Instant now, String node, Optional<ReplicaRecord> prev) {
        ServiceSpec spec = record.spec();
        int restarts = prev.map(ReplicaRecord::restartCount).orElse(0) + newRestarts;
        Optional<Instant> waiting = notBefore.filter(now::isBefore);
        String message = waiting.map(t -> "restarting (backoff " + seconds(Duration.between(now, t)) + "s)")
                .orElse("");
        if (failure.isPresent() && (c == null || !c.running())) {
            // What went wrong says more than "pending"; the backoff says when it is tried again.
            message = failure.get() + waiting.map(t -> " (retry in " + seconds(Duration.between(now, t)) + "s)")
                    .orElse("");
        }
        if (c == null) {
            // A replica whose image cannot be pulled never ran: it is pending, not restarting.
            boolean pulling = failure.filter(f -> f.startsWith("pull failed")).isPresent();
            return new ReplicaRecord(spec.name(), i, node, null, null, record.revision(),
                    waiting.isPresent() && !pulling ? ReplicaState.RESTARTING : ReplicaState.PENDING, Health.NONE,
                    restarts,
                    null, 0, message.isEmpty() ? prev.map(ReplicaRecord::message).orElse("") : message, now);
        }
        long revision = Labels.revision(c.labels()).orElse(record.revision());
        ReplicaState state = state(c, waiting.isPresent());
        if (c.running() && revision == record.revision()) {
            message = ""; // it runs as it should; a backoff only matters if it ends again
        }
        if (c.running() && revision != record.revision() && (waiting.isPresent() || failure.isPresent())) {
            // A running container of another revision after a failure: its replacement failed.
            // The deployment controller reads this message (ReplicaRecord#updateFailed).
            message = ReplicaRecord.updateFailed(record.revision(), failure.map(f -> f.replaceFirst("^update failed: ", ""))
                    .orElse("the new container failed"))
                    + waiting.map(t -> "; retry in " + seconds(Duration.between(now, t)) + "s").orElse("");
        }
        if (message.isEmpty() && c.state() == ContainerState.EXITED) {
            message = ReplicaActions.exitMessage(Containers.replicaName(spec.name(), i), c.exitCode(), c.oomKilled());
        }
        return new ReplicaRecord(spec.name(), i, node, c.id(), c.name(), Math.max(1, revision), state,
                health(spec, c, monitor), restarts, c.running() ? null : c.exitCode(), hostPort(spec, c), message, now);
    }

    private static ReplicaState state(ContainerDetails c, boolean backingOff) {
        return switch (c.state()) {
            case RUNNING, PAUSED -> ReplicaState.RUNNING;
            case CREATED -> ReplicaState.STARTING;
            case RESTARTING -> ReplicaState.RESTARTING;
            case EXITED, DEAD, REMOVING -> backingOff ? ReplicaState.RESTARTING : ReplicaState.EXITED;
        };
    }

    /**
     * Without a health check a replica has health {@code none}; with one, it has the health
     * monitor's verdict for this container ({@code starting} until the first probe).
     */
    private static Health health(ServiceSpec spec, ContainerDetails c, HealthMonitor monitor) {
        if (Labels.healthCheck(c.labels(), spec.healthCheck()) == null) {
            return Health.NONE;
        }
        if (!c.running()) {
            return Health.UNHEALTHY;
        }
        return monitor.health(c.id()).orElse(Health.STARTING);
    }

    private static int hostPort(ServiceSpec spec, ContainerDetails c) {
        return spec.ports().stream().filter(PortMapping::published)
                .mapToInt(p -> Containers.hostPort(c, p.containerPort(), p.protocol()))
                .filter(p -> p > 0).findFirst().orElse(0);
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
