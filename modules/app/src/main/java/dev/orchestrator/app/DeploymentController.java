package dev.orchestrator.app;

import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.UpdateConfig;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.Deployment;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's deployment controller, as Nomad's deployment watcher: drives every rollout of a
 * new revision by the service's {@link UpdateConfig}. It moves replicas to the new revision in
 * batches of {@code parallelism} across all nodes (by setting the revision in their
 * assignments, which the nodes follow), waits until a batch serves (running, and healthy with
 * a health check) and then {@code delay}, and counts a new replica that fails (its update
 * failed, it crashed or went unhealthy) before it has served for {@code monitor}. When the
 * failures exceed {@code max_failure_ratio} of the replicas, {@code failure_action} applies:
 * roll back to the revision before (a new revision, deployed as a rollback), pause, or continue.
 *
 * <p>Its state is the store's (the deployment row and the assignments) plus what it observed
 * (when each new replica began to serve): after a restart of the server it resumes a running
 * rollout, watching each serving replica's monitor period afresh.
 *
 * <p>{@link #tick} is called by one thread (the server's timer); it blocks on the store. It is
 * idempotent: a tick with nothing new to see changes nothing.
 */
public final class DeploymentController {
    private static final System.Logger LOG = System.getLogger(DeploymentController.class.getName());
    private static final String TYPE = "rollout";

    private final Store store;
    private final ClusterHooks hooks;
    private final Rollback rollback;
    private final Clock clock;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    /** What the controller observed of one rollout, in memory. */
    private static final class Watch {
        final long revision;
        final Map<Integer, Instant> servingSince = new HashMap<>();
        final Map<Integer, String> failed = new TreeMap<>();
        /** When the last batch was all serving; null while one runs or before the first. */
        Instant idleSince;
        boolean batched;

        Watch(long revision) {
            this.revision = revision;
        }
    }

    /**
     * @param store    the store
     * @param hooks    told when assignments changed, so nodes see it at once
     * @param rollback the rollback use case (a failed rollout goes through it)
     * @param clock    the clock of delays and monitor periods
     */
    public DeploymentController(Store store, ClusterHooks hooks, Rollback rollback, Clock clock) {
        this.store = store;
        this.hooks = hooks;
        this.rollback = rollback;
        this.clock = clock;
    }

    /** Advances every running rollout by what was observed since the last tick. */
    public void tick() {
        var running = new HashSet<String>();
        for (Deployment d : store.deployments().all()) {
            if (d.status() == Deployment.Status.RUNNING) {
                running.add(d.service());
                try {
                    advance(d);
                } catch (OrchestratorException e) {
                    LOG.log(Level.WARNING, "rollout of " + d.service() + ": " + e.getMessage());
                }
            }
        }
        watches.keySet().retainAll(running);
    }

    private void advance(Deployment d) {
        Optional<ServiceRecord> service = store.services().get(d.service());
        if (service.isEmpty()) {
            return; // deleted: its deployment row went with it
        }
        ServiceRecord s = service.get();
        if (s.revision() != d.revision()) {
            put(d.with(Deployment.Status.SUPERSEDED, "superseded by revision " + s.revision(), clock.instant()));
            return;
        }
        Watch w = watches.compute(d.service(), (k, old) -> old != null && old.revision == d.revision() ? old
                : new Watch(d.revision()));
        Round first = observe(s, w);
        if (!first.repin().isEmpty()) {
            store.inTransaction(tx -> {
                first.repin().forEach(tx.assignments()::put);
                return null;
            });
            hooks.desiredStateChanged(s.name());
        }
        Round r = first.repin().isEmpty() ? first : observe(s, w);
        UpdateConfig u = s.spec().effectiveUpdate();
        if (r.failed() > u.effectiveMaxFailureRatio() * s.spec().replicas()
                && !"continue".equals(u.effectiveFailureAction())) {
            fail(d, s, w, u);
            return;
        }
        if (r.todo().isEmpty() && r.inFlight() == 0) {
            if (r.monitoring() == 0) {
                succeed(d, s, r);
            } else {
                progress(d, r);
            }
            return;
        }
        if (r.inFlight() == 0 && mayStartBatch(w, u)) {
            startBatch(s, r, u);
        }
        progress(d, r);
    }

    /**
     * One look at a rollout's replicas.
     *
     * @param todo       assignments not at the revision yet, the next batch's first
     * @param updated    replicas at the revision
     * @param serving    of those, the ones serving
     * @param inFlight   updated, neither serving nor failed: the batch under way
     * @param monitoring serving for less than the monitor period
     * @param failed     replicas counted as failed
     * @param repin      assignments whose replica already serves a revision with the current spec
     *                   (its update failed before a rollback to that spec): they are given that
     *                   revision as they are, without replacing their container
     */
    private record Round(List<Assignment> todo, int updated, int serving, int inFlight, int monitoring, int failed,
                         List<Assignment> repin) {
    }

    private Round observe(ServiceRecord s, Watch w) {
        int replicas = s.spec().replicas();
        Duration monitor = s.spec().effectiveUpdate().effectiveMonitor();
        Set<Long> same = equivalent(s);
        Map<Integer, ReplicaRecord> rows = new HashMap<>();
        store.replicas().ofService(s.name()).forEach(row -> rows.put(row.index(), row));
        Instant now = clock.instant();
        var todo = new ArrayList<Assignment>();
        var repin = new ArrayList<Assignment>();
        int updated = 0;
        int serving = 0;
        int inFlight = 0;
        int monitoring = 0;
        for (Assignment a : assignments(s)) {
            long target = a.target(s.revision());
            ReplicaRecord row = rows.get(a.index());
            if (!same.contains(target)) {
                if (row != null && same.contains(row.revision()) && servingAt(row, a, row.revision())) {
                    repin.add(a.withRevision(row.revision()));
                } else {
                    todo.add(a);
                }
                continue;
            }
            updated++;
            boolean fresh = target == s.revision();
            if (servingAt(row, a, target)) {
                serving++;
                Instant since = w.servingSince.computeIfAbsent(a.index(), i -> now);
                if (fresh && since.plus(monitor).isAfter(now)) {
                    monitoring++;
                }
                continue;
            }
            Optional<String> failure = fresh ? failure(row, a, s.revision()) : Optional.empty();
            Instant since = w.servingSince.remove(a.index());
            boolean watched = since == null || since.plus(monitor).isAfter(now);
            if (failure.isPresent() && watched) {
                w.failed.putIfAbsent(a.index(), failure.get());
            } else if (!w.failed.containsKey(a.index())) {
                inFlight++;
            }
        }
        w.failed.keySet().removeIf(i -> i >= replicas);
        todo.sort(Comparator.comparing((Assignment a) -> servingAt(rows.get(a.index()), a, a.target(s.revision())))
                .thenComparing(Assignment::index));
        return new Round(todo, updated, serving, inFlight, monitoring, w.failed.size(), repin);
    }

    /** The service's assignments within its replica count. */
    private List<Assignment> assignments(ServiceRecord s) {
        return store.assignments().all().stream()
                .filter(a -> a.service().equals(s.name()) && a.index() < s.spec().replicas()).toList();
    }

    /**
     * The revisions whose spec is the current one's: a replica running one of them needs no
     * replacement (after a rollback, the replicas the failed rollout never reached).
     */
    private Set<Long> equivalent(ServiceRecord s) {
        return equivalent(store, s);
    }

    /**
     * @param store the store
     * @param s     a service
     * @return its current revision and the kept ones with the same spec (update settings and
     *         replica count aside)
     */
    static Set<Long> equivalent(Store store, ServiceRecord s) {
        var same = new HashSet<Long>();
        same.add(s.revision());
        ServiceSpec now = comparable(s.spec());
        store.services().revisions(s.name()).forEach(r -> {
            if (comparable(r.spec()).equals(now)) {
                same.add(r.revision());
            }
        });
        return same;
    }

    private static ServiceSpec comparable(ServiceSpec spec) {
        return spec.withUpdate(null).withReplicas(0);
    }

    private static boolean servingAt(ReplicaRecord row, Assignment a, long revision) {
        return row != null && row.node() != null && row.node().equals(a.node()) && row.revision() == revision
                && row.serving();
    }

    /**
     * @return why a replica assigned the new revision failed, as its node reports it, if it did:
     *         its update failed (the old container still serves), or its new container ended,
     *         went unhealthy, or could not be pulled or started
     */
    static Optional<String> failure(ReplicaRecord row, Assignment a, long revision) {
        if (row == null || row.node() == null || !row.node().equals(a.node())) {
            return Optional.empty();
        }
        String replica = a.service() + "-" + a.index();
        Optional<String> update = row.updateFailure(revision);
        if (update.isPresent()) {
            return Optional.of(replica + " failed to update: " + update.get());
        }
        if (row.revision() != revision) {
            return Optional.empty();
        }
        if (row.state() == ReplicaState.RUNNING && row.health() == Health.UNHEALTHY) {
            return Optional.of(replica + " failed its health check");
        }
        boolean ended = row.state() == ReplicaState.EXITED || row.state() == ReplicaState.FAILED
                || row.state() == ReplicaState.RESTARTING;
        boolean stuck = row.state() == ReplicaState.PENDING
                && (row.message().startsWith("pull failed") || row.message().startsWith("start failed"));
        if (ended || stuck) {
            return Optional.of(replica + " " + (row.message().isEmpty() ? row.state().wireName() : row.message()));
        }
        return Optional.empty();
    }

    /** The first batch at once; each next one {@code delay} after the one before serves. */
    private boolean mayStartBatch(Watch w, UpdateConfig u) {
        if (!w.batched) {
            return true;
        }
        Instant now = clock.instant();
        if (w.idleSince == null) {
            w.idleSince = now;
        }
        return !w.idleSince.plus(u.effectiveDelay()).isAfter(now);
    }

    private void startBatch(ServiceRecord s, Round r, UpdateConfig u) {
        List<Assignment> batch = r.todo().subList(0, Math.min(u.effectiveParallelism(), r.todo().size()));
        store.inTransaction(tx -> {
            batch.forEach(a -> tx.assignments().put(a.withRevision(s.revision())));
            tx.events().append(new Event(clock.instant(), TYPE, s.name(), null, "Updating "
                    + String.join(", ", batch.stream().map(a -> s.name() + "-" + a.index()).toList())
                    + " to revision " + s.revision() + " (" + (r.updated() + batch.size()) + "/"
                    + s.spec().replicas() + ")"));
            return null;
        });
        Watch w = watches.get(s.name());
        if (w != null) {
            w.idleSince = null;
            w.batched = true;
        }
        hooks.desiredStateChanged(s.name());
    }

    private void succeed(Deployment d, ServiceRecord s, Round r) {
        Instant now = clock.instant();
        String how = r.serving() + "/" + s.spec().replicas() + " serving at revision " + d.revision()
                + (r.failed() == 0 ? "" : ", " + r.failed() + " failed") + ", in "
                + seconds(Duration.between(d.startedAt(), now));
        store.inTransaction(tx -> {
            tx.deployments().put(d.with(Deployment.Status.SUCCEEDED, how, now));
            tx.events().append(new Event(now, TYPE, s.name(), null, (d.rollback() ? "Rollback" : "Rollout") + " of "
                    + s.name() + " to revision " + d.revision() + " succeeded: " + how));
            return null;
        });
    }

    private void progress(Deployment d, Round r) {
        String now = r.updated() + "/" + (r.updated() + r.todo().size()) + " updated, " + r.serving() + " serving"
                + (r.failed() == 0 ? "" : ", " + r.failed() + " failed");
        if (!now.equals(d.message())) {
            put(d.with(Deployment.Status.RUNNING, now, clock.instant()));
        }
    }

    /** Failures beyond the ratio: roll back, or pause (also a rollback that fails: it is not rolled back). */
    private void fail(Deployment d, ServiceRecord s, Watch w, UpdateConfig u) {
        String first = w.failed.values().iterator().next();
        Instant now = clock.instant();
        boolean back = "rollback".equals(u.effectiveFailureAction()) && !d.rollback() && d.fromRevision() > 0;
        if (back) {
            store.inTransaction(tx -> {
                tx.deployments().put(d.with(Deployment.Status.ROLLED_BACK, "rollback: " + first, now));
                tx.events().append(new Event(now, TYPE, s.name(), null, "rollback: " + first + "; rolling "
                        + s.name() + " back from revision " + d.revision() + " to revision " + d.fromRevision()));
                return null;
            });
            try {
                rollback.run(new Rollback.Command(s.name(), d.fromRevision()));
                return;
            } catch (OrchestratorException e) {
                pause(d, s, "rollback: " + first + "; the rollback to revision " + d.fromRevision()
                        + " was refused: " + e.getMessage(), now);
                return;
            }
        }
        pause(d, s, (d.rollback() ? "rollback paused: " : "rollout paused: ") + first, now);
    }

    private void pause(Deployment d, ServiceRecord s, String why, Instant now) {
        store.inTransaction(tx -> {
            tx.deployments().put(d.with(Deployment.Status.PAUSED, why, now));
            tx.events().append(new Event(now, TYPE, s.name(), null, why + " (revision " + d.revision()
                    + "; deploy again to go on)"));
            return null;
        });
    }

    private void put(Deployment d) {
        store.deployments().put(d);
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
