package dev.orchestrator.server;

import dev.orchestrator.cluster.Observations;
import dev.orchestrator.cluster.Protocol;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The series of what nodes measure (docs/metrics.md), from their latest reports
 * ({@link Observations}), with a {@code node} label: containers' CPU and memory and load
 * balancers' active connections as gauges, removed when the sample goes stale or the replica or
 * port goes; probe results, probe durations, load balancer connections and bytes as counters,
 * advanced by what the nodes' cumulative counters grew since the last refresh (a counter that
 * went back is a node or port that restarted: it counts from 0 again). Labels are per node,
 * service, replica, probe type and published port only, so series stay bounded.
 *
 * <p>Called under {@link ServerMetrics}' lock, at most once per refresh; gauges are read by the
 * observer's thread.
 */
final class NodeSideMetrics {
    private final MeterRegistry registry;
    private final Observations observations;
    /** The nodes' cumulative counters at the last refresh, by series. */
    private final Map<String, Long> last = new HashMap<>();
    private final Map<String, List<Meter>> gauges = new HashMap<>();
    private volatile Map<String, double[]> values = Map.of();

    NodeSideMetrics(MeterRegistry registry, Observations observations) {
        this.registry = registry;
        this.observations = observations;
    }

    void refresh() {
        var now = new HashMap<String, double[]>();
        var meters = new HashMap<String, java.util.function.Function<String, List<Meter>>>();
        observations.currentUsage().forEach((key, u) -> {
            Protocol.ReplicaUsage r = u.usage();
            String replica = r.service() + "-" + r.index();
            // The CPU figure comes with a container's second sample: a new key brings its series.
            String k = "c " + u.node() + " " + r.service() + " " + replica + (r.cpuPercent() == null ? "" : " cpu")
                    + (r.memoryLimitBytes() < 0 ? "" : " limit");
            now.put(k, new double[] {r.cpuPercent() == null ? Double.NaN : r.cpuPercent() / 100.0, r.memoryBytes(),
                    r.memoryLimitBytes()});
            List<Tag> tags = List.of(Tag.create("node", u.node()), Tag.create("service", r.service()),
                    Tag.create("replica", replica));
            meters.put(k, id -> containerGauges(id, tags, r.cpuPercent() != null, r.memoryLimitBytes() >= 0));
        });
        observations.fresh().forEach((node, latest) -> {
            for (Protocol.PortCount p : latest.observed().ports()) {
                String port = String.valueOf(p.port());
                List<Tag> tags = List.of(Tag.create("node", node), Tag.create("service", p.service()),
                        Tag.create("port", port), Tag.create("protocol", p.protocol()));
                String k = "p " + node + " " + p.service() + " " + port + " " + p.protocol();
                now.put(k, new double[] {p.connectionsActive()});
                meters.put(k, id -> List.of(registry.getOrCreate(Gauge.builder("orchestrator.lb.connections.active",
                        () -> value(id, 0)).tags(tags).description("Connections the load balancer relays now"))));
                advance(counter("orchestrator.lb.connections", tags, "Connections the load balancer accepted"),
                        k + " total", p.connectionsTotal());
                advance(counter("orchestrator.lb.received.bytes", tags, "Bytes the load balancer read from clients"),
                        k + " in", p.bytesReceived());
                advance(counter("orchestrator.lb.sent.bytes", tags, "Bytes the load balancer sent to clients"),
                        k + " out", p.bytesSent());
            }
            var durations = new HashMap<String, long[]>();
            for (Protocol.ProbeTally t : latest.observed().probes()) {
                List<Tag> tags = List.of(Tag.create("node", node), Tag.create("service", t.service()),
                        Tag.create("type", t.type()), Tag.create("result", t.result()));
                String k = "r " + node + " " + t.service() + " " + t.type() + " " + t.result();
                long counted = advance(counter("orchestrator.probes", tags, "Health probes run, by result"), k,
                        t.count());
                long nanos = delta(k + " nanos", t.nanosTotal());
                long[] d = durations.computeIfAbsent(t.service() + " " + t.type(), x -> new long[2]);
                d[0] += counted;
                d[1] += nanos;
            }
            durations.forEach((st, d) -> record(node, st, d[0], d[1]));
        });
        values = Map.copyOf(now);
        gauges.entrySet().removeIf(e -> {
            if (now.containsKey(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
        meters.forEach((k, create) -> gauges.computeIfAbsent(k, create));
    }

    private List<Meter> containerGauges(String id, List<Tag> tags, boolean cpu, boolean limit) {
        var out = new ArrayList<Meter>();
        // Only what was measured: a series with a made-up 0 would look like an idle container.
        out.add(registry.getOrCreate(Gauge.builder("orchestrator.container.cpu.ratio", () -> value(id, 0))
                .tags(tags).description("CPU use of the replica's container, 1 per busy CPU, as last sampled")));
        out.add(registry.getOrCreate(Gauge.builder("orchestrator.container.memory.bytes", () -> value(id, 1))
                .tags(tags).description("Memory the replica's container uses, as last sampled")));
        if (limit) {
            out.add(registry.getOrCreate(Gauge.builder("orchestrator.container.memory.limit.bytes",
                    () -> value(id, 2)).tags(tags).description("The replica's container memory limit")));
        }
        if (!cpu) {
            // Measured once only: no rate yet. The series comes with the second sample.
            registry.remove(out.removeFirst());
        }
        return out;
    }

    private double value(String id, int slot) {
        double[] v = values.get(id);
        return v == null ? Double.NaN : v[slot];
    }

    private Counter counter(String name, List<Tag> tags, String description) {
        return registry.getOrCreate(Counter.builder(name).tags(tags).description(description));
    }

    /** Adds to {@code counter} what the node's cumulative {@code value} grew by; returns that. */
    private long advance(Counter counter, String key, long value) {
        long d = delta(key, value);
        if (d > 0) {
            counter.increment(d);
        }
        return d;
    }

    private long delta(String key, long value) {
        Long before = last.put(key, value);
        if (before == null || value < before) {
            return Math.max(0, value); // first seen by this server, or the node restarted
        }
        return value - before;
    }

    /**
     * Records {@code count} probes that took {@code nanos} in all: the count and the sum are
     * exact; the reports carry no single durations, so each is taken at the batch's mean.
     */
    private void record(String node, String serviceType, long count, long nanos) {
        if (count <= 0) {
            return;
        }
        String[] st = serviceType.split(" ", 2);
        Timer timer = registry.getOrCreate(Timer.builder("orchestrator.probe.duration")
                .tags(List.of(Tag.create("node", node), Tag.create("service", st[0]), Tag.create("type", st[1])))
                .description("How long health probes took"));
        long mean = nanos / count;
        long rest = nanos - mean * count;
        for (long i = 0; i < count; i++) {
            timer.record(mean + (i == 0 ? rest : 0), TimeUnit.NANOSECONDS);
        }
    }
}
