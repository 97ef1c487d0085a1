package dev.orchestrator.orchestration;

import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.api.spi.PortBinding;
import dev.orchestrator.api.spi.Probe;
import dev.orchestrator.api.spi.ProbeResult;
import dev.orchestrator.api.spi.ProbeTarget;
import dev.orchestrator.store.Health;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Probes every running replica of every service that has a health check, each on its own
 * schedule ({@code interval}), each probe on its own virtual thread, so a slow or hanging
 * target delays nobody else. A probe never outlives its timeout (the probe plugins' contract).
 *
 * <p>Health per container: {@code starting} until the first success; {@code healthy};
 * {@code unhealthy} after {@code retries} failures in a row. Failures during {@code start_period}
 * do not count while the replica is still starting. Changes are reported as events in the
 * seed's words and to a {@link Listener} (the reconciler), which restarts unhealthy replicas.
 *
 * <p>Thread-safe.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HealthMonitor.class.getName());
    private static final String HEALTH = "health_check";

    /** Told about health changes. Called from probe threads; must not block for long. */
    public interface Listener {
        /**
         * A container's health changed.
         *
         * @param service     the service
         * @param index       the replica index
         * @param containerId the container
         * @param health      {@link Health#HEALTHY} or {@link Health#UNHEALTHY}
         */
        void healthChanged(String service, int index, String containerId, Health health);
    }

    private final class Watch {
        final String service;
        final int index;
        final String replica;
        final HealthCheckSpec spec;
        final ProbeTarget target;
        final Instant startedAt;
        final AtomicBoolean busy = new AtomicBoolean();
        volatile Health health = Health.STARTING;
        volatile String lastFailure;
        final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        volatile ScheduledFuture<?> schedule;

        Watch(String service, int index, HealthCheckSpec spec, ProbeTarget target, Instant startedAt) {
            this.service = service;
            this.index = index;
            this.replica = Containers.replicaName(service, index);
            this.spec = spec;
            this.target = target;
            this.startedAt = startedAt;
        }
    }

    private final Function<String, Probe> probes;
    private final ContainerRuntime runtime;
    private final String replicaAddress;
    private final EventSink events;
    private final Clock clock;
    private final Listener listener;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final ProbeTallies tallies = new ProbeTallies();
    private final ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "health-timer");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param probes         the probe plugin for a health check type
     * @param runtime        the node's runtime (exec probes run through it)
     * @param replicaAddress where published replica ports are bound, for containers without a bridge address
     * @param events         where events go
     * @param clock          the clock
     * @param listener       told about health changes
     */
    public HealthMonitor(Function<String, Probe> probes, ContainerRuntime runtime, String replicaAddress,
                         EventSink events, Clock clock, Listener listener) {
        this.probes = probes;
        this.runtime = runtime;
        this.replicaAddress = replicaAddress;
        this.events = events;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Makes the watched set of a service match its running containers: new ones are probed,
     * gone ones are forgotten. Idempotent; cheap when nothing changed.
     *
     * @param service    the service
     * @param check      its current revision's health check, or null for none: used only for
     *                   containers that do not carry their own (see {@link Labels#HEALTH})
     * @param containers its containers, in any state
     */
    public void track(String service, HealthCheckSpec check, List<ContainerDetails> containers) {
        Set<String> live = new HashSet<>();
        for (ContainerDetails c : containers) {
            // Its own revision's check, from its labels: not the newest revision's.
            HealthCheckSpec own = Labels.healthCheck(c.labels(), check);
            if (c.running() && own != null) {
                live.add(c.id());
                watches.computeIfAbsent(c.id(), id -> start(service, own, c));
            }
        }
        if (check == null && live.isEmpty()) {
            tallies.forget(service); // no health check (any more), or the service went: no probe series
        }
        watches.entrySet().removeIf(e -> {
            boolean gone = e.getValue().service.equals(service) && !live.contains(e.getKey());
            if (gone) {
                e.getValue().schedule.cancel(false);
            }
            return gone;
        });
    }

    /**
     * Starts probing one running container now (a rolling update waits for it to be healthy).
     * Idempotent.
     *
     * @param service   the service
     * @param check     its health check
     * @param container the container
     */
    public void watch(String service, HealthCheckSpec check, ContainerDetails container) {
        watches.computeIfAbsent(container.id(), id -> start(service, check, container));
    }

    /**
     * @param containerId a container
     * @return its health, if it is watched: starting, healthy or unhealthy
     */
    public Optional<Health> health(String containerId) {
        Watch w = watches.get(containerId);
        return w == null ? Optional.empty() : Optional.of(w.health);
    }

    /**
     * @param containerId a container
     * @return what its last failed probe said (e.g. {@code HTTP 500 from /health}), while its
     *         last probe failed
     */
    public Optional<String> lastFailure(String containerId) {
        Watch w = watches.get(containerId);
        return w == null ? Optional.empty() : Optional.ofNullable(w.lastFailure);
    }

    private Watch start(String service, HealthCheckSpec check, ContainerDetails c) {
        int index = Labels.index(c.labels()).orElse(-1);
        Instant started = c.startedAt() == null ? clock.instant() : c.startedAt();
        Watch w = new Watch(service, index, check, target(c, check), started);
        w.schedule = timer.scheduleWithFixedDelay(() -> submit(w), 0, check.interval().toMillis(),
                TimeUnit.MILLISECONDS);
        return w;
    }

    private ProbeTarget target(ContainerDetails c, HealthCheckSpec check) {
        if (c.ipAddress() != null && !c.ipAddress().isBlank()) {
            return new ProbeTarget(c.id(), Containers.replicaName(c.labels().get(Labels.SERVICE),
                    Labels.index(c.labels()).orElse(-1)), c.ipAddress(), Map.of(), check, runtime);
        }
        // No bridge address (e.g. host networking): reach it through its published ports.
        var ports = new HashMap<Integer, Integer>();
        for (PortBinding b : c.ports()) {
            if (b.hostPort() > 0) {
                ports.put(b.containerPort(), b.hostPort());
            }
        }
        return new ProbeTarget(c.id(), Containers.replicaName(c.labels().get(Labels.SERVICE),
                Labels.index(c.labels()).orElse(-1)), replicaAddress, ports, check, runtime);
    }

    private void submit(Watch w) {
        if (w.busy.compareAndSet(false, true)) {
            checks.execute(() -> {
                try {
                    ProbeResult r = check(w);
                    tallies.count(w.service, w.spec.type(), r.healthy(), r.took());
                    observe(w, r);
                } finally {
                    w.busy.set(false);
                }
            });
        }
    }

    private ProbeResult check(Watch w) {
        Instant t0 = clock.instant();
        try {
            return probes.apply(w.spec.type()).check(w.target);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "probe " + w.spec.type() + " failed on " + w.replica + ": " + e);
            return ProbeResult.unhealthy(String.valueOf(e.getMessage()), Duration.between(t0, clock.instant()));
        }
    }

    private void observe(Watch w, ProbeResult r) {
        if (watches.get(w.target.containerId()) != w) {
            return; // forgotten meanwhile
        }
        if (r.healthy()) {
            w.failures.set(0);
            w.lastFailure = null;
            change(w, Health.HEALTHY, "Container " + w.replica + " healthy");
            return;
        }
        w.lastFailure = r.detail();
        boolean booting = w.health == Health.STARTING
                && clock.instant().isBefore(w.startedAt.plus(w.spec.startPeriod()));
        if (booting) {
            return;
        }
        if (w.failures.incrementAndGet() >= w.spec.retries()) {
            change(w, Health.UNHEALTHY, "Container " + w.replica + " failed health check (" + r.detail() + ")");
        }
    }

    private void change(Watch w, Health health, String message) {
        if (w.health == health) {
            return;
        }
        w.health = health;
        events.emit(HEALTH, w.service, w.replica, message);
        listener.healthChanged(w.service, w.index, w.target.containerId(), health);
    }

    /** @return the probes run so far, by service, type and result (for metrics) */
    public ProbeTallies tallies() {
        return tallies;
    }

    /** @return how many containers are being probed (for metrics and tests) */
    public int watched() {
        return watches.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        checks.shutdownNow();
        watches.clear();
    }
}
