package dev.orchestrator.orchestration;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.api.spi.Probe;
import dev.orchestrator.api.spi.RuntimeEvent;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The control loop of one node: converges the containers of the replicas assigned to this node
 * to the desired state persisted in the node's store (its mirror of its view of the desired
 * state, the same on every node), and removes those assigned elsewhere.
 *
 * <p>A reconcile of a service is triggered by a change of the node's view (a deploy, scale or
 * delete reaching its watch), by the runtime's
 * event stream (a container died), by a backoff timer, and by a periodic resync that covers
 * missed events. Triggers coalesce: one service is reconciled by at most one thread at a time,
 * and triggers that arrive meanwhile cause exactly one more pass. Different services proceed in
 * parallel on virtual threads.
 *
 * <p>A restarted server adopts the running containers it finds by their labels: a container of
 * the right service, index and revision is kept as it is, with the same id.
 */
public final class Reconciler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Reconciler.class.getName());
    /** Wait before retrying a pass in which something failed. */
    private static final Duration RETRY = Duration.ofSeconds(2);
    /** Wait before retrying a pass that hit a bug: longer, it is unlikely to go away. */
    private static final Duration RETRY_AFTER_BUG = Duration.ofSeconds(5);

    /**
     * Tunables.
     *
     * @param resyncInterval time between full resyncs
     * @param stopGrace      time a container gets between SIGTERM and SIGKILL when removed
     * @param startTimeout   longest wait for a replacement container to run during an update
     */
    public record Settings(Duration resyncInterval, Duration stopGrace, Duration startTimeout) {
        /** Defaults: resync every 10 s, 10 s grace, 60 s start timeout. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(60));
    }

    private final Store store;
    private final LocalNode node;
    private final String cluster;
    private final EventSink events;
    private final Clock clock;
    private final Settings settings;
    private final RestartBackoff backoff = new RestartBackoff();
    /** The revision each service was last reconciled at: a new one starts without the old backoff. */
    private final Map<String, Long> revisions = new ConcurrentHashMap<>();
    private final HealthMonitor monitor;
    private final Set<String> unhealthy = ConcurrentHashMap.newKeySet();
    private final ReplicaActions actions;
    private final Published published;
    private final RemoteBackends remote;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final ContainerIndex index = new ContainerIndex();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reconciler-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile AutoCloseable subscription;
    private volatile Runnable onRecorded = () -> { };
    private volatile Function<String, Optional<String>> fence = service -> Optional.empty();

    /**
     * @param store    the desired state and where observed state is recorded
     * @param node     the node to act on
     * @param cluster  this cluster's id (the label that marks our containers)
     * @param events   where events go
     * @param clock    the clock
     * @param settings tunables
     * @param probes   the probe plugin for a health check type
     * @param remote   the healthy backends of services on other nodes, for this node's load balancer
     */
    public Reconciler(Store store, LocalNode node, String cluster, EventSink events, Clock clock, Settings settings,
                      Function<String, Probe> probes, RemoteBackends remote) {
        this.monitor = new HealthMonitor(probes, node.runtime(), node.replicaAddress(), events, clock,
                this::onHealthChanged);
        this.store = store;
        this.node = node;
        this.cluster = cluster;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
        this.published = new Published(node, monitor, remote);
        this.remote = remote;
        this.actions = new ReplicaActions(node, cluster, events, backoff, clock, settings, monitor, this::withdraw);
        actions.onReady(published::admit);
    }

    /**
     * Subscribes to the runtime's events, adopts what runs, and starts the periodic resync.
     * Returns without waiting for the first pass to finish.
     */
    public void start() {
        subscription = node.runtime().events(this::onRuntimeEvent);
        resyncAll();
        long every = settings.resyncInterval().toMillis();
        timers.scheduleWithFixedDelay(this::resyncAll, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Asks for a reconcile of one service soon. Never blocks; coalesces with pending requests.
     *
     * @param service the service name
     */
    public void trigger(String service) {
        dirty.add(service);
        if (active.add(service)) {
            execute(service);
        }
    }

    /** Triggers every service in the store and every service that still has containers. */
    public void resyncAll() {
        try {
            var running = new HashSet<String>();
            node.runtime().list(Map.of(Labels.CLUSTER, cluster, Labels.NODE, node.name())).forEach(c -> {
                String s = c.labels().get(Labels.SERVICE);
                if (s != null) {
                    running.add(s);
                }
            });
            index.listed(running);
            var names = new HashSet<>(running);
            store.services().all().forEach(s -> names.add(s.name()));
            names.forEach(this::trigger);
        } catch (OrchestratorException e) {
            LOG.log(Level.WARNING, "resync failed: " + e.getMessage());
        }
    }

    /**
     * Runs one reconcile of a service now, on the caller's thread, unless one is already running.
     * For tests and benchmarks; production code calls {@link #trigger}.
     *
     * @param service the service
     * @return true if the service converged (nothing left to do)
     */
    public boolean reconcileNow(String service) {
        if (!active.add(service)) {
            return false;
        }
        try {
            return reconcile(service);
        } finally {
            active.remove(service);
        }
    }

    private void drain(String service) {
        try {
            while (dirty.remove(service)) {
                if (!reconcile(service)) {
                    dirty.add(service); // not converged yet (e.g. a rolling update): go again
                    sleepQuietly(Duration.ofMillis(200));
                }
            }
        } finally {
            active.remove(service);
            // A trigger may have arrived between the last check and the release above.
            if (dirty.contains(service) && active.add(service)) {
                execute(service);
            }
        }
    }

    private void execute(String service) {
        try {
            workers.execute(() -> drain(service));
        } catch (RejectedExecutionException e) {
            active.remove(service); // closed: a late health change or timer has nothing to do
        }
    }

    /**
     * One pass: observe, act, then always observe again, record, track health and publish,
     * for every replica, whatever some of the actions did: a failed action is a result
     * (see {@link ActionResult}), retried by a later pass, never a reason to skip the others.
     *
     * @return true if the service has converged, or if a failure left it to a retry timer
     */
    private boolean reconcile(String service) {
        try {
            Optional<ServiceRecord> desired = store.services().get(service);
            Optional<String> fenced = fence.apply(service);
            if (fenced.isPresent()) {
                return stopFenced(service, desired, fenced.get());
            }
            newRevision(service, desired);
            Assigned assigned = Assigned.of(node.name(), store.assignments().onNode(node.name()).stream()
                    .filter(a -> a.service().equals(service)).toList());
            IntFunction<ServiceRecord> targets = Targets.of(store, desired, assigned);
            desired.filter(d -> rolloutPending(d, assigned)).ifPresent(actions::prefetch);
            List<ContainerDetails> observed = observe(service);
            Instant now = clock.instant();
            Plan plan = Planner.plan(service, desired, observed, assigned, targets, i -> backoff.notBefore(service, i),
                    unhealthy, now);
            if (plan.actions().stream().anyMatch(Reconciler::creates)) {
                index.add(service); // before the create is issued: a later pass must list it
            }
            List<ActionResult> results = actions.execute(plan, desired.orElse(null), targets);
            scheduleWaits(plan);
            List<ContainerDetails> after = plan.converged() ? observed
                    : startsOnly(plan, observed, results).orElseGet(() -> observe(service));
            monitor.track(service, desired.map(d -> d.spec().healthCheck()).orElse(null), after);
            unhealthy.removeIf(id -> after.stream().noneMatch(c -> c.id().equals(id)));
            boolean rowsChanged = Replicas.record(store, actions, service, desired, targets, after, assigned, backoff,
                    monitor, clock.instant(), node.name());
            published.update(service, desired, after);
            if (rowsChanged) {
                onRecorded.run();
            }
            if (results.stream().anyMatch(r -> r instanceof ActionResult.Failed)) {
                // Retried on a timer, not by looping at once: a failing engine is not hammered.
                retryLater(service, RETRY);
                return true;
            }
            return Planner.plan(service, desired, after, assigned, targets, i -> backoff.notBefore(service, i),
                            unhealthy, now)
                    .actions().stream().allMatch(a -> a instanceof Action.Keep || a instanceof Action.Wait);
        } catch (OrchestratorException e) {
            // Observing or recording failed (the engine or the store is down): nothing to act on.
            LOG.log(Level.WARNING, "reconcile of " + service + " failed: " + e.getMessage());
            retryLater(service, RETRY);
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "reconcile of " + service + " failed", e);
            retryLater(service, RETRY_AFTER_BUG);
            return true;
        }
    }

    /**
     * A pass of a fenced service: its containers here are stopped (with the service's stop
     * signal and grace) and removed, its rows say why, and nothing starts until the fence lifts.
     */
    private boolean stopFenced(String service, Optional<ServiceRecord> desired, String reason) {
        List<ContainerDetails> observed = observe(service);
        List<ActionResult> results = actions.execute(Planner.fenced(service, observed, reason), desired.orElse(null),
                i -> desired.orElseThrow());
        List<ContainerDetails> after = observed.isEmpty() ? observed : observe(service);
        monitor.track(service, desired.map(d -> d.spec().healthCheck()).orElse(null), after);
        published.update(service, desired, after);
        boolean rows = desired.isEmpty() ? store.replicas().deleteOfService(service) > 0 // deleted meanwhile
                : Replicas.fenced(store, service, after, reason, clock.instant(), node.name());
        if (rows) {
            onRecorded.run();
        }
        if (results.stream().anyMatch(r -> r instanceof ActionResult.Failed)) {
            retryLater(service, RETRY);
        }
        return true;
    }

    /**
     * @param reasons per service, why its replicas on this node are fenced (stopped whatever
     *                the assignments say), or empty; asked at the start of every pass, from the
     *                pass's thread: it must be fast and must not block
     */
    public void fence(Function<String, Optional<String>> reasons) {
        this.fence = reasons;
    }

    /** A replica here runs an older revision than the current one: a rollout will reach it. */
    private static boolean rolloutPending(ServiceRecord d, Assigned assigned) {
        return assigned.revisions().values().stream().anyMatch(r -> r != 0 && r != d.revision());
    }

    /**
     * A redeploy (a fixed image, a corrected command) must not wait out the backoff the broken
     * revision earned, up to 5 minutes: its replicas start afresh, with no old failure message.
     */
    private void newRevision(String service, Optional<ServiceRecord> desired) {
        if (desired.isEmpty()) {
            revisions.remove(service);
            return;
        }
        Long before = revisions.put(service, desired.get().revision());
        if (before != null && before != desired.get().revision()) {
            backoff.forget(service);
            actions.forgetFailures(service);
        }
    }

    /**
     * The containers after a pass that only started replicas, all successfully: the ones
     * observed before plus the ones started, each inspected as it started. Saves the engine a
     * second list and inspect of every replica, which delays the report of a scale-up of 20 by
     * a few hundred milliseconds under load. Anything else is observed again.
     */
    private static Optional<List<ContainerDetails>> startsOnly(Plan plan, List<ContainerDetails> observed,
                                                               List<ActionResult> results) {
        boolean onlyStarts = plan.actions().stream()
                .allMatch(a -> a instanceof Action.Start || a instanceof Action.Keep || a instanceof Action.Wait);
        if (!onlyStarts || results.stream().anyMatch(r -> !(r instanceof ActionResult.Done d) || d.started() == null)) {
            return Optional.empty();
        }
        var after = new ArrayList<>(observed);
        results.forEach(r -> after.add(((ActionResult.Done) r).started()));
        return Optional.of(List.copyOf(after));
    }

    private void retryLater(String service, Duration delay) {
        try {
            timers.schedule(() -> trigger(service), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: nothing to retry.
        }
    }

    private static boolean creates(Action a) {
        return a instanceof Action.Start || a instanceof Action.Restart || a instanceof Action.Replace;
    }

    /** Called inside the service's pass only: see {@link ContainerIndex}. */
    private List<ContainerDetails> observe(String service) {
        if (!index.mayHave(service)) {
            return List.of();
        }
        List<ContainerDetails> all = node.runtime().list(Map.of(Labels.CLUSTER, cluster, Labels.SERVICE, service,
                Labels.NODE, node.name()));
        if (all.isEmpty()) {
            index.none(service);
        } else {
            index.add(service);
        }
        // Unhealthy containers being stopped aside are no replica any more: their replacement is.
        return all.stream().filter(c -> !actions.stoppingAside(c.id())).toList();
    }

    private void scheduleWaits(Plan plan) {
        for (Action.Wait w : plan.of(Action.Wait.class)) {
            long ms = Math.max(0, Duration.between(clock.instant(), w.until()).toMillis()) + 10;
            retryLater(plan.service(), Duration.ofMillis(ms));
        }
    }

    private void onRuntimeEvent(RuntimeEvent e) {
        if (e.type() == RuntimeEvent.Type.RESYNC) {
            resyncAll();
            return;
        }
        if (!cluster.equals(e.labels().get(Labels.CLUSTER)) || !node.name().equals(e.labels().get(Labels.NODE))) {
            return;
        }
        String service = e.labels().get(Labels.SERVICE);
        if (service == null) {
            return;
        }
        if (e.type() == RuntimeEvent.Type.CREATE) {
            index.add(service);
        } else if (e.type() == RuntimeEvent.Type.OOM) {
            actions.noteOom(e.containerId());
        } else if (e.type() == RuntimeEvent.Type.DIE && actions.reportDeath(e)) {
            trigger(service);
        }
    }

    /**
     * Takes a container out of every load balancer before it is stopped: this node's at once,
     * the other nodes' through the next heartbeats, waited for here (the caller's thread).
     */
    private void withdraw(String service, String containerId) {
        // A fenced node cannot reach the server: waiting for its report to propagate would only
        // delay the stop the server is counting on.
        if (published.withdraw(service, containerId) && fence.apply(service).isEmpty()) {
            sleepQuietly(remote.propagation());
        }
    }

    private void onHealthChanged(String service, int index, String containerId, Health health) {
        if (health == Health.UNHEALTHY) {
            unhealthy.add(containerId);
        }
        trigger(service); // restart it, or route to it now that it is healthy
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the services currently being reconciled or waiting for it (for tests) */
    public Set<String> busy() {
        var s = new HashSet<>(active);
        s.addAll(dirty);
        return s;
    }

    /**
     * Re-publishes every published port with the latest backends of other nodes. Cheap when
     * nothing changed (the load balancer compares backend lists).
     */
    public void refreshRouting() {
        published.refreshAll();
    }

    /**
     * The node's registry credentials changed: replicas waiting out the backoff of a failed
     * pull are tried again at once. Never blocks.
     */
    public void registriesChanged() {
        actions.retryPulls().forEach(this::trigger);
    }

    /**
     * @return the healthy local backends of every published port, and the serving replicas'
     *         addresses on managed networks, for the other nodes
     */
    public List<Backend> localBackends() {
        return published.localBackends();
    }

    /** @return this node's serving replicas' addresses on managed networks */
    public List<Backend> members() {
        return published.members();
    }

    /**
     * @param listener told (on a reconciler thread; it must not block) when {@link #members()}
     *                 changed: a replica became healthy, was withdrawn, stopped or was removed
     */
    public void onMembersChanged(Runnable listener) {
        published.onMembersChanged(listener);
    }

    /**
     * @param listener told after a pass has recorded changed rows of a service and published its
     *                 ports (on the pass's thread: it must not block), e.g. so the node reports
     *                 the new rows at once instead of at its next interval
     */
    public void onRecorded(Runnable listener) {
        this.onRecorded = listener;
    }

    /** @return the health monitor */
    public HealthMonitor monitor() {
        return monitor;
    }

    /** @return the restart backoff state (read by the API for "restarting (backoff 8s)") */
    public RestartBackoff backoff() {
        return backoff;
    }

    @Override
    public void close() {
        AutoCloseable sub = subscription;
        if (sub != null) {
            try {
                sub.close();
            } catch (Exception e) {
                LOG.log(Level.DEBUG, "closing the event subscription: " + e);
            }
        }
        timers.shutdownNow();
        workers.shutdownNow();
        monitor.close();
        published.close();
    }
}
