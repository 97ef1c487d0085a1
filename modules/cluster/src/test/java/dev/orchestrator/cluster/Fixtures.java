package dev.orchestrator.cluster;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.Resources;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.SchedulerStrategyFactory;
import dev.orchestrator.scheduler.Scheduler;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.testkit.QuietContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/** Test helpers of the cluster module: a hand-moved clock, an event recorder, nodes, specs, schedulers. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    private Fixtures() {
    }


    /** One emitted event. */
    record Emitted(String type, String service, String container, String message) {
    }

    /** An {@link EventSink} that keeps what it is given, in order. */
    static final class Events implements EventSink {
        final List<Emitted> all = new ArrayList<>();

        @Override
        public synchronized void emit(String type, String service, String container, String message) {
            all.add(new Emitted(type, service, container, message));
        }

        synchronized List<String> messages() {
            return all.stream().map(Emitted::message).toList();
        }

        synchronized long count(String prefix) {
            return all.stream().filter(e -> e.message().startsWith(prefix)).count();
        }

        synchronized void clear() {
            all.clear();
        }
    }

    /** A ready, active node with 4 CPUs and 8 GiB. */
    static NodeRecord node(String name) {
        return node(name, 4, 8 * GIB, Map.of());
    }

    static NodeRecord node(String name, int cpus, long memory, Map<String, String> labels) {
        return new NodeRecord(name, "10.0.0." + (name.hashCode() & 0x7f), labels, cpus, memory, NodeStatus.READY,
                Availability.ACTIVE,
                "27.0", T0);
    }

    /** A service of {@code replicas} replicas, 1 CPU and 512 MiB each. */
    static ServiceSpec spec(String name, int replicas) {
        return spec(name, replicas, new Resources(1024, 512 * MIB), List.of(), null);
    }

    /** A service of {@code replicas} replicas whose container port is published on every node. */
    static ServiceSpec published(String name, int replicas, int containerPort, int hostPort) {
        return new ServiceSpec(name, "img:1", replicas, List.of(new PortMapping(containerPort, hostPort, "tcp")),
                new Resources(1024, 512 * MIB), null, null, null, null, List.of(), null);
    }

    static ServiceSpec spec(String name, int replicas, Resources resources, List<String> constraints,
                            String strategy) {
        return new ServiceSpec(name, "img:1", replicas, null, resources, null, null, null, null, constraints,
                strategy);
    }

    /** The built-in strategies as the server finds them: ServiceLoader on the class path. */
    static Function<String, Scheduler> schedulers() {
        PluginContext context = QuietContext.create();
        var byName = new TreeMap<String, Scheduler>();
        for (SchedulerStrategyFactory f : ServiceLoader.load(SchedulerStrategyFactory.class)) {
            byName.put(f.name(), new Scheduler(f.name(), f.create(PluginConfig.EMPTY, context)));
        }
        if (!byName.keySet().containsAll(List.of("spread", "binpack"))) {
            throw new IllegalStateException("strategies on the class path: " + byName.keySet());
        }
        return name -> {
            Scheduler s = byName.get(name);
            if (s == null) {
                throw new IllegalArgumentException("no strategy " + name);
            }
            return s;
        };
    }
}
