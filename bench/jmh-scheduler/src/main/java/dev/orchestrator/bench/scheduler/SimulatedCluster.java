package dev.orchestrator.bench.scheduler;

import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.SchedulerStrategy;
import dev.orchestrator.api.spi.SchedulerStrategyFactory;
import dev.orchestrator.scheduler.NodeState;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.scheduler.Request;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;

/**
 * Simulated nodes and replicas for the benchmarks, the same for every run (fixed seed).
 *
 * <p>Nodes: 4, 8 or 16 CPUs with 4 GiB per CPU, labels {@code zone} (a, b, c) and {@code disk}
 * (ssd, hdd); 2% cordoned and 1% down, so filters reject some; each already runs 0..3 replicas
 * of a few other services (0..30% allocated). Replicas: 100 services of 100 replicas, 256 CPU
 * shares and 256 MiB each: 10,000 fit 1,000 nodes with room to spare, also with a constraint
 * that rules out one zone in three.
 */
final class SimulatedCluster {
    static final long SEED = 42;
    private static final long MIB = 1L << 20;
    private static final int[] CPUS = {4, 8, 16};

    private SimulatedCluster() {
    }

    static List<NodeState> nodes(int count) {
        var random = new SplittableRandom(SEED);
        var nodes = new ArrayList<NodeState>(count);
        for (int i = 0; i < count; i++) {
            int cpus = CPUS[random.nextInt(CPUS.length)];
            long shares = cpus * 1024L;
            long memory = cpus * 4096L * MIB;
            var replicas = new HashMap<String, Integer>();
            int others = random.nextInt(4);
            for (int s = 0; s < others; s++) {
                replicas.merge("other-" + random.nextInt(20), 1, Integer::sum);
            }
            double used = random.nextDouble(0.3);
            int roll = random.nextInt(100);
            nodes.add(new NodeState(String.format("node-%04d", i),
                    Map.of("zone", "abc".substring(i % 3, i % 3 + 1), "disk", random.nextBoolean() ? "ssd" : "hdd"),
                    roll == 0 ? NodeStatus.DOWN : NodeStatus.READY, roll == 1 || roll == 2, shares, memory,
                    (long) (shares * used), (long) (memory * used), replicas));
        }
        return List.copyOf(nodes);
    }

    /**
     * @param services    how many services
     * @param perService  replicas of each
     * @param constraints constraints of every replica, e.g. {@code node.labels.zone!=c}
     * @return the replicas, service by service
     */
    static List<Request> replicas(int services, int perService, List<String> constraints) {
        var requests = new ArrayList<Request>(services * perService);
        for (int s = 0; s < services; s++) {
            for (int r = 0; r < perService; r++) {
                requests.add(Request.of(String.format("svc-%03d", s), r, 256, 256 * MIB).withConstraints(constraints));
            }
        }
        return List.copyOf(requests);
    }

    /** The strategy plugin of this name, found as the kernel finds it. */
    static SchedulerStrategy strategy(String name) {
        return ServiceLoader.load(SchedulerStrategyFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no scheduler plugin " + name + " on the class path"))
                .create(PluginConfig.EMPTY, new PluginContext() {
                    @Override
                    public Clock clock() {
                        return Clock.systemUTC();
                    }

                    @Override
                    public EventSink events() {
                        return (type, service, container, message) -> { };
                    }
                });
    }
}
