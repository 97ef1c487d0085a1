package dev.orchestrator.server;

import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.app.NodeState;
import dev.orchestrator.app.Queries;
import dev.orchestrator.app.ServiceState;
import dev.orchestrator.store.EventRecords;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The control plane's metrics, in Helidon's meter registry (Micrometer underneath), which
 * Helidon's metrics observer serves at {@code GET /metrics} in Prometheus text format. Names
 * and labels: docs/metrics.md.
 *
 * <ul>
 *   <li>Gauges of the cluster's state (services' desired, running and healthy replicas, nodes'
 *       status, capacity and allocation, unschedulable replicas) read a snapshot of the store
 *       that a scrape refreshes when it is older than {@link #REFRESH}, before the observer
 *       renders (so a server nobody scrapes does no metrics work, and a scrape never shows a
 *       state older than that); a service or node that goes loses its series.</li>
 *   <li>Counters of what happened (restarts by reason, events by type) follow the event log as
 *       it is committed, on a thread of their own.</li>
 *   <li>API requests are timed by a routing filter; assigner passes by the cluster.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
final class ServerMetrics implements AutoCloseable {
    static final Duration REFRESH = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(ServerMetrics.class.getName());
    private final MeterRegistry registry = Metrics.globalRegistry();
    private final Queries queries;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), 0);
    private final Map<String, List<Meter>> serviceMeters = new HashMap<>(); // guarded by this
    private final Map<String, List<Meter>> nodeMeters = new HashMap<>(); // guarded by this
    private final Thread follower;
    private final NodeSideMetrics nodeSide;
    private volatile boolean closed;
    private long refreshedAt; // guarded by this; System.nanoTime() of the last refresh, 0 before
    private static final java.util.Set<String> KNOWN_METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");
    /** By route group, method and status class: a few dozen at most. */
    private final Map<String, Timer> requestTimers = new java.util.concurrent.ConcurrentHashMap<>();

    /** What the gauges show, from the last refresh. */
    private record Snapshot(Map<String, int[]> services, Map<String, NodeState> nodes, int unschedulable) {
    }

    ServerMetrics(Queries queries) {
        this(queries, null);
    }

    /** @param observations the nodes' measurements, or null for no node-side series */
    ServerMetrics(Queries queries, dev.orchestrator.cluster.Observations observations) {
        this.queries = queries;
        this.nodeSide = observations == null ? null : new NodeSideMetrics(registry, observations);
        registry.getOrCreate(Gauge.builder("orchestrator.replicas.unschedulable", () -> snapshot.unschedulable())
                .description("Replicas that no node can take now (pending without a node)"));
        this.follower = Thread.ofVirtual().name("metrics-events").start(this::followEvents);
    }

    /** Refreshes the snapshot if it is older than {@link #REFRESH}. Blocks on the store. */
    synchronized void refreshIfStale() {
        long now = System.nanoTime();
        if (refreshedAt != 0 && now - refreshedAt < REFRESH.toNanos()) {
            return;
        }
        refresh();
        refreshedAt = System.nanoTime();
    }

    /** Re-reads the store; adds and removes per-service and per-node series. Blocks on the store. */
    synchronized void refresh() {
        var services = new HashMap<String, int[]>();
        int unschedulable = 0;
        for (ServiceState s : queries.services()) {
            int desired = s.service().spec().replicas();
            int running = 0;
            int healthy = 0;
            for (ReplicaRecord r : s.replicas()) {
                if (r.index() >= desired) {
                    continue;
                }
                running += r.state() == ReplicaState.RUNNING ? 1 : 0;
                healthy += r.serving() ? 1 : 0;
                unschedulable += r.state() == ReplicaState.PENDING && r.node() == null ? 1 : 0;
            }
            services.put(s.service().name(), new int[] {desired, running, healthy});
        }
        var nodes = new HashMap<String, NodeState>();
        queries.nodes().forEach(n -> nodes.put(n.node().name(), n));
        snapshot = new Snapshot(Map.copyOf(services), Map.copyOf(nodes), unschedulable);
        sync(serviceMeters, services.keySet(), this::serviceGauges);
        sync(nodeMeters, nodes.keySet(), this::nodeGauges);
        if (nodeSide != null) {
            nodeSide.refresh();
        }
    }

    private void sync(Map<String, List<Meter>> meters, java.util.Set<String> now,
                      java.util.function.Function<String, List<Meter>> create) {
        meters.entrySet().removeIf(e -> {
            if (now.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
        now.forEach(name -> meters.computeIfAbsent(name, create));
    }

    private List<Meter> serviceGauges(String service) {
        List<Tag> tags = List.of(Tag.create("service", service));
        var out = new ArrayList<Meter>();
        String[] what = {"desired", "running", "healthy"};
        for (int i = 0; i < what.length; i++) {
            int slot = i;
            out.add(registry.getOrCreate(Gauge.builder("orchestrator.service.replicas." + what[i],
                            () -> snapshot.services().getOrDefault(service, new int[3])[slot])
                    .tags(tags).description("Replicas of the service: " + what[i])));
        }
        return out;
    }

    private List<Meter> nodeGauges(String node) {
        List<Tag> tags = List.of(Tag.create("node", node));
        var out = new ArrayList<Meter>();
        out.add(nodeGauge("orchestrator.node.up", node, tags, n -> n.node().status() == NodeStatus.READY ? 1 : 0,
                "1 while the node reports, 0 once it is down"));
        out.add(nodeGauge("orchestrator.node.cpus", node, tags, n -> n.node().cpus(), "CPUs the node offers"));
        out.add(nodeGauge("orchestrator.node.memory.bytes", node, tags, n -> n.node().memoryBytes(),
                "Memory the node offers"));
        out.add(nodeGauge("orchestrator.node.allocated.cpu.shares", node, tags, NodeState::allocatedCpuShares,
                "CPU shares its assigned replicas request"));
        out.add(nodeGauge("orchestrator.node.allocated.memory.bytes", node, tags, NodeState::allocatedMemoryBytes,
                "Memory its assigned replicas request"));
        out.add(nodeGauge("orchestrator.node.containers", node, tags, NodeState::containers,
                "Replicas with a container on the node"));
        return out;
    }

    private Meter nodeGauge(String name, String node, List<Tag> tags, ToDoubleFunction<NodeState> value,
                            String description) {
        return registry.getOrCreate(Gauge.builder(name, () -> {
            NodeState n = snapshot.nodes().get(node);
            return n == null ? 0.0 : value.applyAsDouble(n);
        }).tags(tags).description(description));
    }

    /** Counts events as they are committed, from the newest one at start. */
    private void followEvents() {
        long last = queries.lastEventId();
        var page = new Queries.Events(null, null, null, null, 1000);
        while (!closed) {
            try {
                queries.awaitEvent(last, Duration.ofSeconds(30));
                for (EventRecords.Numbered e : queries.events(page, last)) {
                    count(e.event());
                    last = e.id();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(Level.DEBUG, "event counters paused: " + e.getMessage());
                sleepQuietly();
            }
        }
    }

    private void count(dev.orchestrator.api.Event e) {
        registry.getOrCreate(Counter.builder("orchestrator.events").tags(List.of(Tag.create("type", e.type())))
                .description("Events recorded, by type")).increment();
        if (e.service() != null && e.message().startsWith("Restarting ")) {
            String reason = "health_check".equals(e.type()) ? "unhealthy" : "exited";
            registry.getOrCreate(Counter.builder("orchestrator.restarts")
                    .tags(List.of(Tag.create("service", e.service()), Tag.create("reason", reason)))
                    .description("Replica restarts, by service and reason (exited: crashed or ended; unhealthy:"
                            + " failed its health check)")).increment();
        }
    }

    /** @return a routing filter timing every request by method and status class */
    Filter requests() {
        return (chain, req, res) -> {
            long start = System.nanoTime();
            String asked = req.path().path();
            if (asked.equals("/metrics") || asked.startsWith("/metrics/")) {
                try {
                    refreshIfStale(); // at most once per REFRESH, whoever asks
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "metrics not refreshed: " + e.getMessage());
                }
            }
            try {
                chain.proceed();
            } finally {
                String path = req.path().path();
                String api = path.startsWith("/api/") || path.equals("/api") ? "api"
                        : path.startsWith("/agent/") ? "agent" : "other";
                String method = KNOWN_METHODS.contains(req.prologue().method().text())
                        ? req.prologue().method().text() : "other"; // a client's word must not make series
                String status = (res.status().code() / 100) + "xx";
                // Looked up once per label set, not built on every request (heartbeats are ~50/s).
                requestTimers.computeIfAbsent(api + " " + method + " " + status, k -> registry.getOrCreate(
                                Timer.builder("orchestrator.http.requests")
                                        .tags(List.of(Tag.create("route", api), Tag.create("method", method),
                                                Tag.create("status", status)))
                                        .description("HTTP requests served, by route group, method and status class")))
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        };
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        follower.interrupt();
    }
}
