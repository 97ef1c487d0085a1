package dev.orchestrator.orchestration;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.api.spi.RuntimeEvent;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ServiceRecord;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Carries out a {@link Plan} on the node's runtime, and reports what happens to replicas as
 * events. Removals and starts run in parallel (a deploy of 20 replicas takes about as long as
 * one); replacements of a rolling update run one at a time.
 *
 * <p>Each action yields an {@link ActionResult}: a failing one (the engine refuses a create, a
 * stop times out) fails alone, and the replica keeps its last failure as its message until it
 * next succeeds.
 *
 * <p>Thread-safe. Containers this class stops on purpose are remembered for a minute so their
 * {@code die} events are not mistaken for crashes.
 */
final class ReplicaActions {
    private static final System.Logger LOG = System.getLogger(ReplicaActions.class.getName());
    private static final Duration MEMORY = Duration.ofMinutes(1);
    private static final String CONTAINER = "container";
    private static final String HEALTH = "health_check";
    /** Consecutive failures after which a replica's restarts are reported as one line each. */
    private static final int CRASH_LOOP = 3;
    /**
     * Engine calls that change containers (create, start, remove) in flight at once on this
     * node, over all services; stops, which mostly wait out a container's grace period, have
     * as many permits of their own, so removals never hold up starts. Counted per call, not per
     * action, so 20 creates go out together instead of waiting behind the first starts. Enough
     * for 20 replicas in the time of one, few enough that a service of hundreds does not put
     * as many concurrent calls on the engine (Docker 20.10 was seen to hang on 100 removals).
     */
    private static final int PARALLEL = 32;

    private final LocalNode node;
    private final String cluster;
    private final EventSink events;
    private final java.util.Set<String> stoppingAside = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final RestartBackoff backoff;
    private final Clock clock;
    private final Reconciler.Settings settings;
    private final Semaphore changes = new Semaphore(PARALLEL);
    private final Semaphore stops = new Semaphore(PARALLEL);
    /** Each service's own stop grace period, from its last plan with a spec; else the node's. */
    private final Map<String, java.time.Duration> graces = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Instant> expectedStops = new ConcurrentHashMap<>();
    private final Map<String, Instant> reported = new ConcurrentHashMap<>();
    private final Map<String, Instant> ooms = new ConcurrentHashMap<>();
    private final Map<String, Integer> restarts = new ConcurrentHashMap<>();
    /** Per replica ({@code service/index}): the message of its last failure, until it succeeds. */
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final HealthMonitor monitor;
    private final ImagePulls pulls;
    /** Service@revision whose image was prefetched (bounded by the services and their revisions). */
    private final java.util.Set<String> prefetched = ConcurrentHashMap.newKeySet();
    private final BiConsumer<String, String> withdraw;
    private volatile BiConsumer<String, ContainerDetails> admit = (service, c) -> { };

    /**
     * @param withdraw takes (service, container id) out of the load balancers before a
     *                 container that served is stopped; blocks until no node routes to it
     */
    ReplicaActions(LocalNode node, String cluster, EventSink events, RestartBackoff backoff, Clock clock,
                   Reconciler.Settings settings, HealthMonitor monitor, BiConsumer<String, String> withdraw) {
        this.monitor = monitor;
        this.withdraw = withdraw;
        this.node = node;
        this.cluster = cluster;
        this.events = events;
        this.backoff = backoff;
        this.clock = clock;
        this.settings = settings;
        this.pulls = new ImagePulls(node, events, clock);
    }

    /**
     * @param listener puts (service, new container) into service once an update's new container
     *                 is ready, before the old one is withdrawn; on the pass's thread
     */
    void onReady(BiConsumer<String, ContainerDetails> listener) {
        this.admit = listener;
    }

    /**
     * Carries out a plan. Never throws for a failing action: each action yields its own result,
     * and a failure is logged once (while it stays the same), kept as the replica's message
     * until the replica next succeeds, and left to the caller to retry.
     *
     * @param plan    the plan
     * @param desired the service, or null if it was deleted (then the plan only removes)
     * @param targets per replica index, the revision it should run (see {@link Targets}); unused
     *                when {@code desired} is null
     * @return one result per action that does something (not for {@code Keep} or {@code Wait})
     */
    List<ActionResult> execute(Plan plan, ServiceRecord desired, IntFunction<ServiceRecord> targets) {
        forget();
        if (desired != null && desired.spec().stopGracePeriod() != null) {
            graces.put(plan.service(), desired.spec().stopGracePeriod());
        } else if (desired != null) {
            graces.remove(plan.service());
        }
        var results = new ArrayList<ActionResult>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var tasks = new ArrayList<Future<ActionResult>>();
            for (Action a : plan.actions()) {
                switch (a) {
                    case Action.Remove r -> tasks.add(pool.submit(() -> guarded(plan.service(), r,
                            () -> remove(plan.service(), r))));
                    case Action.Start s -> tasks.add(pool.submit(() -> guarded(plan.service(), s,
                            () -> start(targets.apply(s.index()), s, true))));
                    case Action.Restart r -> tasks.add(pool.submit(() -> guarded(plan.service(), r,
                            () -> restart(targets.apply(r.index()), r))));
                    case Action.Keep k -> keep(plan.service(), k);
                    case Action.Replace r -> { } // after the rest, below
                    case Action.Wait w -> { }
                }
            }
            await(tasks, results);
            // After the rest; in parallel: the deployment controller (or, for a node alone, the
            // planner's one per pass) already bounds how many replicas are replaced at once.
            var replaces = new ArrayList<Future<ActionResult>>();
            plan.of(Action.Replace.class).forEach(r -> replaces.add(pool.submit(() -> guarded(plan.service(), r,
                    () -> replace(targets.apply(r.index()), r)))));
            await(replaces, results);
        }
        results.forEach(r -> note(plan.service(), r));
        return results;
    }

    /**
     * Pulls a new revision's image ahead of the rollout, on a thread of its own, when the policy
     * pulls and the image is missing: by the time the rollout reaches this node's replicas the
     * image is there. Once per image and revision; a failure is told as an event by the pull
     * and met again, as the replica's failure, when the rollout gets here. Never blocks.
     *
     * @param desired the service at its new revision
     */
    void prefetch(ServiceRecord desired) {
        ServiceSpec spec = desired.spec();
        if (!ImagePulls.mayPull(spec) || !prefetched.add(desired.name() + "@" + desired.revision())) {
            return;
        }
        Thread.ofVirtual().name("prefetch-" + desired.name()).start(() -> {
            try {
                if (!node.runtime().imagePresent(spec.image())) {
                    pulls.pull(spec);
                }
            } catch (OrchestratorException e) {
                LOG.log(Level.DEBUG, "prefetch of " + spec.image() + ": " + e.getMessage());
            }
        });
    }

    /**
     * @param service the service
     * @param index   the replica index
     * @return the replica's last failure, e.g. {@code start failed: ...}, until it next succeeds
     */
    Optional<String> failure(String service, int index) {
        return Optional.ofNullable(failures.get(service + "/" + index));
    }

    /**
     * Forgets the last failures of a service's replicas (a new revision replaces what failed).
     *
     * @param service the service
     */
    void forgetFailures(String service) {
        failures.keySet().removeIf(k -> k.startsWith(service + "/"));
    }

    /**
     * Forgets the backoff of every replica whose last failure was a pull: the node's registry
     * credentials changed, so trying again now may work.
     *
     * @return the services of those replicas
     */
    java.util.Set<String> retryPulls() {
        var services = new java.util.HashSet<String>();
        failures.forEach((key, message) -> {
            int slash = key.lastIndexOf('/');
            if (message.startsWith("pull failed") && slash > 0) {
                String service = key.substring(0, slash);
                backoff.reset(service, Integer.parseInt(key.substring(slash + 1)));
                services.add(service);
            }
        });
        return services;
    }

    /** Remembers a failure (logged when it is new) or clears the replica's last one. */
    private void note(String service, ActionResult result) {
        String key = service + "/" + result.index();
        if (result instanceof ActionResult.Failed f) {
            String before = failures.put(key, f.message());
            // guarded() logged a bug with its stack already; a runtime failure is logged here, once.
            if (!f.message().equals(before) && !f.step().equals("reconcile")) {
                LOG.log(Level.WARNING, Containers.replicaName(service, f.index()) + ": " + f.message());
            }
        } else {
            failures.remove(key);
        }
    }

    private void keep(String service, Action.Keep k) {
        resetIfStable(service, k);
        if (k.container().running()) {
            failures.remove(service + "/" + k.index());
        }
    }

    /** Runs one engine call once one of {@code permits} is free. */
    private static <T> T bounded(Semaphore permits, Supplier<T> call) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "interrupted while waiting for the engine");
        }
        try {
            return call.get();
        } finally {
            permits.release();
        }
    }

    private static void bounded(Semaphore permits, Runnable call) {
        bounded(permits, () -> {
            call.run();
            return null;
        });
    }

    private void change(Runnable call) {
        bounded(changes, call);
    }

    /** A failing step is a result; so is a bug, lest one replica wedge the node. */
    private ActionResult guarded(String service, Action action, Supplier<ActionResult> op) {
        try {
            return op.get();
        } catch (StepFailure e) {
            return new ActionResult.Failed(action, e.step, e.getCause().getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "acting on " + Containers.replicaName(service, action.index()) + " failed", e);
            return new ActionResult.Failed(action, "reconcile", String.valueOf(e));
        }
    }

    /**
     * @param e a die event of one of our containers
     * @return true if it was unexpected (a crash) and got reported
     */
    boolean reportDeath(RuntimeEvent e) {
        if (expectedStops.containsKey(e.containerId())) {
            return false;
        }
        int index = Labels.index(e.labels()).orElse(-1);
        String service = e.labels().get(Labels.SERVICE);
        boolean looping = backoff.failures(service, index) >= CRASH_LOOP;
        if (reported.putIfAbsent(e.containerId(), clock.instant()) == null && !looping) {
            events.emit(CONTAINER, service, Containers.replicaName(service, index),
                    exitMessage(Containers.replicaName(service, index), e.exitCode(),
                            ooms.containsKey(e.containerId())));
        }
        return true;
    }

    void noteOom(String containerId) {
        ooms.put(containerId, clock.instant());
    }

    /**
     * @param service the service
     * @param index   the replica index
     * @return restarts carried out since the last call, which then starts again from zero
     */
    int takeRestarts(String service, int index) {
        Integer n = restarts.remove(service + "/" + index);
        return n == null ? 0 : n;
    }

    /**
     * Starts a replica and, if {@code announce}, reports it: "running" when it has no health
     * check (running is all there is to know), "started" otherwise (the prober reports health).
     */
    private ActionResult start(ServiceRecord desired, Action action, boolean announce) {
        String replica = Containers.replicaName(desired.name(), action.index());
        Optional<ContainerDetails> started = create(desired, action.index());
        if (started.isPresent() && announce) {
            events.emit(CONTAINER, desired.name(), replica, "Container " + replica
                    + (desired.spec().healthCheck() == null ? " running" : " started"));
        }
        return new ActionResult.Done(action, started.orElse(null));
    }

    /**
     * Creates and starts a replica's container; on failure removes what was made, reports it,
     * backs off and throws a {@link StepFailure} for {@code start}.
     *
     * @return the started container; empty if it vanished at once (the next pass sees why)
     */
    private Optional<ContainerDetails> create(ServiceRecord desired, int index) {
        String replica = Containers.replicaName(desired.name(), index);
        ContainerRuntime rt = node.runtime();
        String id = null;
        if (pulls.pullFirst(desired.spec())) {
            pull(desired, index);
        }
        try {
            id = createContainer(desired, index);
            String created = id;
            change(() -> rt.start(created));
            return rt.inspect(id);
        } catch (OrchestratorException e) {
            if (id != null) {
                discardQuietly(id, e);
            }
            // A start fails too when the network the container names went meanwhile.
            node.attachments().createFailed(desired.spec());
            Duration wait = backoff.recordFailure(desired.name(), index, clock.instant());
            events.emit(CONTAINER, desired.name(), replica, "Container " + replica + " failed to start: "
                    + e.getMessage() + (wait.isZero() ? "" : " (retry in " + wait.toSeconds() + "s)"));
            throw new StepFailure("start", e);
        }
    }

    /**
     * Creates the container; if its image is missing and the policy allows, pulls it (as
     * {@code docker run} does) and tries once more. A present image costs no extra call.
     */
    private String createContainer(ServiceRecord desired, int index) {
        ContainerRuntime rt = node.runtime();
        Supplier<String> create = () -> bounded(changes, () -> rt.create(Containers.request(desired.spec(),
                desired.revision(), index, cluster, node)));
        try {
            return create.get();
        } catch (OrchestratorException e) {
            if (e.code() != ErrorCode.NOT_FOUND || !ImagePulls.mayPull(desired.spec())) {
                throw e;
            }
        }
        // Present now: another replica's pull ended meanwhile (or the 404 was not the image's,
        // and the second create says so again).
        if (!rt.imagePresent(desired.spec().image())) {
            pull(desired, index);
        }
        return create.get();
    }

    /** Pulls outside the engine permits: a download must not hold up other replicas' creates. */
    private void pull(ServiceRecord desired, int index) {
        try {
            pulls.pull(desired.spec());
        } catch (OrchestratorException e) {
            // The pull told its failure as an event once; the replica waits its backoff.
            backoff.recordFailure(desired.name(), index, clock.instant());
            throw new StepFailure("pull", e);
        }
    }

    private ActionResult restart(ServiceRecord desired, Action.Restart r) {
        String replica = Containers.replicaName(desired.name(), r.index());
        ContainerDetails old = r.old();
        Duration wait = backoff.recordFailure(desired.name(), r.index(), clock.instant());
        int failures = backoff.failures(desired.name(), r.index());
        boolean looping = failures > CRASH_LOOP;
        // The health monitor already said "failed health check"; a crash is said here.
        if (!r.unhealthy() && !looping && reported.putIfAbsent(old.id(), clock.instant()) == null) {
            events.emit(CONTAINER, desired.name(), replica, exitMessage(replica, old.exitCode(), old.oomKilled()));
        }
        String why = r.unhealthy() ? "failed health check" : exitMessage(replica, old.exitCode(), old.oomKilled())
                .replace("Container " + replica + " ", "");
        // In a crash loop each restart is one summary line instead of three.
        events.emit(r.unhealthy() ? HEALTH : CONTAINER, desired.name(), replica, looping
                ? "Restarting " + replica + "... (crash loop: " + failures + " failures in a row, last " + why
                        + "; next restart no sooner than " + wait.toSeconds() + "s)"
                : "Restarting " + replica + "...");
        if (r.unhealthy()) {
            // Out of every load balancer and DNS answer first; then its replacement starts while
            // it takes its stop grace (10 s for a process that ignores SIGTERM), so capacity
            // returns after start and health time, not after the grace as well.
            withdraw.accept(desired.name(), old.id());
            stopAside(old);
        } else {
            discard(old.id());
        }
        restarts.merge(desired.name() + "/" + r.index(), 1, Integer::sum);
        // With a health check, the monitor reports "healthy" once the new container is.
        return start(desired, r, !looping && desired.spec().healthCheck() == null);
    }

    /**
     * Update of one replica to {@code desired}'s revision. Start-first (the default): the new
     * container runs, and is healthy if it has a health check, before the old one is withdrawn
     * and stopped; if it never gets there it goes and the old one keeps serving. Stop-first:
     * the old one is withdrawn and stopped, then the new one starts.
     */
    private ActionResult replace(ServiceRecord desired, Action.Replace r) {
        String replica = Containers.replicaName(desired.name(), r.index());
        if (desired.spec().effectiveUpdate().stopFirst()) {
            // The image first: a pull that fails must leave the old container serving.
            if (pulls.pullFirst(desired.spec())
                    || ImagePulls.mayPull(desired.spec()) && !node.runtime().imagePresent(desired.spec().image())) {
                pull(desired, r.index());
            }
            withdraw.accept(desired.name(), r.old().id());
            stopAndRemove(r.old());
            create(desired, r.index());
            events.emit("update", desired.name(), replica, "Updated " + replica + " to revision "
                    + desired.revision() + " (stop-first)");
            return new ActionResult.Done(r);
        }
        Optional<ContainerDetails> fresh = create(desired, r.index());
        if (fresh.isEmpty()) {
            return new ActionResult.Failed(r, "update", "the new container vanished as it started");
        }
        Optional<String> notReady = awaitReady(desired, fresh.get());
        if (notReady.isPresent()) {
            discard(fresh.get().id());
            backoff.recordFailure(desired.name(), r.index(), clock.instant());
            events.emit(CONTAINER, desired.name(), replica, "Update of " + replica + " to revision "
                    + desired.revision() + " failed: " + notReady.get() + "; keeping the old one");
            return new ActionResult.Failed(r, "update", notReady.get());
        }
        admit.accept(desired.name(), node.runtime().inspect(fresh.get().id()).orElse(fresh.get()));
        withdraw.accept(desired.name(), r.old().id());
        // Withdrawn: it gets its stop grace on a thread of its own, and the rollout goes on
        // without waiting for it (up to 10 s for a process that ignores SIGTERM).
        stopAside(r.old());
        events.emit("update", desired.name(), replica, "Updated " + replica + " to revision " + desired.revision());
        return new ActionResult.Done(r);
    }

    /**
     * Running (and healthy, with a health check) before the old container may stop.
     *
     * @return empty when ready, else why not, e.g. {@code the new container failed its health check (HTTP 500)}
     */
    private Optional<String> awaitReady(ServiceRecord desired, ContainerDetails fresh) {
        if (desired.spec().healthCheck() == null) {
            return awaitRunning(fresh.id());
        }
        // Probed from its start: a passing health check says more than running for a while.
        HealthCheckSpec check = Labels.healthCheck(fresh.labels(), desired.spec().healthCheck());
        monitor.watch(desired.name(), check, fresh);
        Instant deadline = clock.instant().plus(settings.startTimeout());
        while (clock.instant().isBefore(deadline)) {
            Optional<String> ended = ended(fresh.id());
            if (ended.isPresent()) {
                return ended;
            }
            Health h = monitor.health(fresh.id()).orElse(Health.STARTING);
            if (h == Health.HEALTHY) {
                return Optional.empty();
            }
            if (h == Health.UNHEALTHY) {
                return Optional.of("the new container failed its health check"
                        + monitor.lastFailure(fresh.id()).map(d -> " (" + d + ")").orElse(""));
            }
            sleep(Duration.ofMillis(100));
        }
        return Optional.of("the new container did not become healthy within " + settings.startTimeout().toSeconds()
                + "s");
    }

    /** @return why the container is no longer running, if it is not */
    private Optional<String> ended(String id) {
        return ended(node.runtime().inspect(id));
    }

    private static Optional<String> ended(Optional<ContainerDetails> c) {
        if (c.isEmpty()) {
            return Optional.of("the new container vanished as it started");
        }
        if (!c.get().running() && c.get().startedAt() != null) {
            return Optional.of("the new container exited with code " + c.get().exitCode()
                    + (c.get().oomKilled() ? " (out of memory)" : ""));
        }
        return Optional.empty();
    }

    private Optional<String> awaitRunning(String id) {
        Instant deadline = clock.instant().plus(settings.startTimeout());
        // Running for a moment, not just started: a container that exits at once fails here.
        Duration settle = Duration.ofMillis(500);
        while (clock.instant().isBefore(deadline)) {
            Optional<ContainerDetails> c = node.runtime().inspect(id);
            Optional<String> ended = ended(c);
            if (ended.isPresent()) {
                return ended;
            }
            if (c.get().running() && c.get().startedAt() != null
                    && c.get().startedAt().plus(settle).isBefore(clock.instant())) {
                return Optional.empty();
            }
            sleep(Duration.ofMillis(100));
        }
        return Optional.of("the new container did not keep running");
    }

    private ActionResult remove(String service, Action.Remove r) {
        if (r.container().running()) {
            withdraw.accept(service, r.container().id());
        }
        stopAndRemove(r.container());
        String replica = Containers.replicaName(service, r.index());
        if (r.index() != Integer.MAX_VALUE) {
            events.emit(CONTAINER, service, replica, "Container " + replica + " removed (" + r.reason() + ")");
        }
        if (!r.reason().equals("duplicate")) {
            backoff.reset(service, r.index());
        }
        return new ActionResult.Done(r);
    }

    /**
     * @param containerId a container
     * @return true while it is being stopped aside: passes do not see it (it is no replica any more)
     */
    boolean stoppingAside(String containerId) {
        return stoppingAside.contains(containerId);
    }

    /**
     * Stops and removes a withdrawn container on a thread of its own. If that fails, the next
     * pass sees it again, as a duplicate of its replacement, and removes it.
     */
    private void stopAside(ContainerDetails c) {
        stoppingAside.add(c.id());
        expectedStops.put(c.id(), clock.instant());
        Thread.ofVirtual().name("stop-" + Containers.shortId(c.id())).start(() -> {
            try {
                stopAndRemove(c);
            } catch (StepFailure e) {
                LOG.log(Level.WARNING, "cannot stop " + c.name() + " aside (the next pass retries): " + e.getMessage());
            } finally {
                stoppingAside.remove(c.id());
            }
        });
    }

    private void stopAndRemove(ContainerDetails c) {
        expectedStops.put(c.id(), clock.instant());
        if (c.running()) {
            java.time.Duration grace = graces.getOrDefault(c.labels().getOrDefault(Labels.SERVICE, ""),
                    settings.stopGrace());
            step("stop", () -> bounded(stops, () -> node.runtime().stop(c.id(), grace)));
        }
        step("remove", () -> change(() -> node.runtime().remove(c.id(), true)));
    }

    /** Removes a container without grace: it is dead, or it never served. */
    private void discard(String id) {
        expectedStops.put(id, clock.instant());
        step("remove", () -> change(() -> node.runtime().remove(id, true)));
    }

    /** After a failed start: what is left is labelled, so a later pass removes it if this fails. */
    private void discardQuietly(String id, OrchestratorException cause) {
        try {
            expectedStops.put(id, clock.instant());
            change(() -> node.runtime().remove(id, true));
        } catch (OrchestratorException e) {
            cause.addSuppressed(e);
        }
    }

    /** Runs one runtime call of an action; its failure names the step. */
    private static void step(String name, Runnable call) {
        try {
            call.run();
        } catch (OrchestratorException e) {
            throw new StepFailure(name, e);
        }
    }

    /** A runtime call of an action failed; {@link #guarded} turns it into a result. */
    private static final class StepFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String step;

        StepFailure(String step, OrchestratorException cause) {
            super(step + " failed", cause, false, false);
            this.step = step;
        }
    }

    private void resetIfStable(String service, Action.Keep k) {
        ContainerDetails c = k.container();
        if (c.running() && c.startedAt() != null
                && c.startedAt().plus(RestartBackoff.STABLE).isBefore(clock.instant())) {
            backoff.reset(service, k.index());
        }
    }

    static String exitMessage(String replica, int exitCode, boolean oom) {
        return oom ? "Container " + replica + " OOM killed (exit code " + exitCode + ")"
                : "Container " + replica + " exited with code " + exitCode;
    }

    private void forget() {
        Instant cutoff = clock.instant().minus(MEMORY);
        List.of(expectedStops, reported, ooms).forEach(m -> m.values().removeIf(t -> t.isBefore(cutoff)));
    }

    private static void await(List<Future<ActionResult>> tasks, List<ActionResult> results) {
        for (Future<ActionResult> f : tasks) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                // guarded() turns every RuntimeException into a result: this is an Error.
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closing: the pool's close cancels the rest
                return;
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
