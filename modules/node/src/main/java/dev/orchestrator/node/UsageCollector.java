package dev.orchestrator.node;

import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.ContainerStats;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
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
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Samples the CPU and memory of the node's running replicas every {@link #INTERVAL}, through
 * the runtime's {@link ContainerRuntime#stats}, and keeps the latest sample of each. CPU % is
 * computed from two consecutive samples of the same container (CPU time used over wall time
 * between them, 100 per busy CPU), so a container sampled once has memory but no CPU figure
 * yet. A container whose stats cannot be read keeps its last sample until that is older than
 * {@link #STALE_AFTER}; then it has none: stats are observed values, never made up.
 *
 * <p>Reads run on virtual threads, at most {@link #PARALLEL} at a time (Docker takes 1-2 s per
 * read, and the runtime's connections are shared with the reconciler). Thread-safe: one
 * collecting thread writes, reporters read {@link #snapshot}.
 */
final class UsageCollector implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UsageCollector.class.getName());
    /** How often the replicas are sampled. */
    static final Duration INTERVAL = Duration.ofSeconds(5);
    /** How old a sample may be and still be reported. */
    static final Duration STALE_AFTER = INTERVAL.multipliedBy(3);
    /** Reads in flight at most. */
    static final int PARALLEL = 32;

    /** The latest sample of one container, and the CPU % from it and the one before. */
    private record Latest(String service, int index, ContainerStats stats, Double cpuPercent) {
    }

    private final ContainerRuntime runtime;
    private final Supplier<List<ReplicaRecord>> replicas;
    private final Clock clock;
    private final Duration interval;
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();
    private final ExecutorService reads = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore slots = new Semaphore(PARALLEL);
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile String lastProblem;

    /**
     * @param runtime  the node's runtime
     * @param replicas the node's replica rows (those running with a container are sampled)
     * @param clock    the clock samples are aged by
     * @param interval time between two rounds
     */
    UsageCollector(ContainerRuntime runtime, Supplier<List<ReplicaRecord>> replicas, Clock clock, Duration interval) {
        this.runtime = runtime;
        this.replicas = replicas;
        this.clock = clock;
        this.interval = interval;
    }

    /** Starts sampling on a thread of its own. */
    void start() {
        thread = Thread.ofPlatform().daemon().name("node-usage").start(this::loop);
    }

    private void loop() {
        while (!closed) {
            long began = System.nanoTime();
            try {
                collectOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "usage round failed: " + e);
            }
            long rest = interval.toNanos() - (System.nanoTime() - began);
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(rest, 0));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * One round: samples every running replica, waits for all of them (each read bounds its own
     * wait), forgets containers that no longer run.
     *
     * @throws InterruptedException when closed meanwhile
     */
    void collectOnce() throws InterruptedException {
        List<ReplicaRecord> running = replicas.get().stream()
                .filter(r -> r.state() == ReplicaState.RUNNING && r.containerId() != null)
                .toList();
        Set<String> ids = new HashSet<>();
        var pending = new ArrayList<Future<?>>();
        for (ReplicaRecord r : running) {
            ids.add(r.containerId());
            slots.acquire();
            pending.add(reads.submit(() -> {
                try {
                    sample(r);
                } finally {
                    slots.release();
                }
            }));
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                problem(String.valueOf(e.getCause()));
            }
        }
        latest.keySet().retainAll(ids);
    }

    private void sample(ReplicaRecord r) {
        Optional<ContainerStats> read;
        try {
            read = runtime.stats(r.containerId());
        } catch (RuntimeException e) {
            problem(e.getMessage()); // the last sample stays until it is stale
            return;
        }
        if (read.isEmpty()) {
            latest.remove(r.containerId()); // not running (any more), or not measured
            return;
        }
        ContainerStats now = read.get();
        Latest before = latest.get(r.containerId());
        latest.put(r.containerId(), new Latest(r.service(), r.index(), now,
                before == null ? null : cpuPercent(before.stats(), now)));
        lastProblem = null;
    }

    /** @return CPU % between two samples of one container, or null when they cannot tell */
    static Double cpuPercent(ContainerStats before, ContainerStats now) {
        long wall = Duration.between(before.readAt(), now.readAt()).toNanos();
        long cpu = now.cpuNanos() - before.cpuNanos();
        if (wall <= 0 || cpu < 0) {
            return null; // the same sample again, or a counter that went back
        }
        return Math.round(cpu * 10_000.0 / wall) / 100.0; // two decimals, as docker stats
    }

    /**
     * @return the latest sample of each running replica that has a fresh one, aged as of now
     */
    List<Protocol.ReplicaUsage> snapshot() {
        Instant now = clock.instant();
        var out = new ArrayList<Protocol.ReplicaUsage>();
        latest.forEach((id, l) -> {
            long age = Math.max(0, Duration.between(l.stats().readAt(), now).toMillis());
            if (age <= STALE_AFTER.toMillis()) {
                out.add(new Protocol.ReplicaUsage(l.service(), l.index(), id, l.cpuPercent(), l.stats().memoryBytes(),
                        l.stats().memoryLimitBytes(), age));
            }
        });
        return out;
    }

    private void problem(String what) {
        if (!what.equals(lastProblem)) {
            LOG.log(Level.DEBUG, "cannot read container stats: " + what);
            lastProblem = what;
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        reads.shutdownNow();
    }
}
