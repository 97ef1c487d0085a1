package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.Resources;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.EventQuery;
import dev.orchestrator.store.JoinToken;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.function.Executable;

/** Test helpers of the app module: a fixed clock, a recording cluster side, specs, store snapshots. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    static final long MIB = 1L << 20;
    static final int API_PORT = 8080;

    private Fixtures() {
    }

    static ServiceSpec spec(String name, int replicas, PortMapping... ports) {
        return new ServiceSpec(name, "img:1", replicas, List.of(ports), new Resources(512, 64 * MIB), null, null,
                null, null, null, null, null);
    }

    static ServiceSpec withImage(ServiceSpec s, String image) {
        return new ServiceSpec(s.name(), image, s.replicas(), s.ports(), s.resources(), s.healthCheck(), s.env(),
                s.command(), s.restartPolicy(), s.constraints(), s.strategy(), s.maxPerNode());
    }

    static ServiceSpec withPullPolicy(ServiceSpec s, String policy) {
        return new ServiceSpec(s.name(), s.image(), s.replicas(), s.ports(), s.resources(), s.healthCheck(), s.env(),
                s.command(), s.restartPolicy(), s.constraints(), s.strategy(), s.maxPerNode(), s.networks(),
                s.loadBalancer(), s.stopSignal(), s.stopGracePeriod(), policy);
    }

    static ServiceSpec withPlacement(ServiceSpec s, List<String> constraints, String strategy) {
        return new ServiceSpec(s.name(), s.image(), s.replicas(), s.ports(), s.resources(), s.healthCheck(), s.env(),
                s.command(), s.restartPolicy(), constraints, strategy, s.maxPerNode());
    }

    static ServiceSpec withLoadBalancer(ServiceSpec s, String policy) {
        return new ServiceSpec(s.name(), s.image(), s.replicas(), s.ports(), s.resources(), s.healthCheck(), s.env(),
                s.command(), s.restartPolicy(), s.constraints(), s.strategy(), s.maxPerNode(), s.networks(), policy);
    }

    static ServiceSpec withProbe(ServiceSpec s, String type) {
        var check = new HealthCheckSpec(type, null, 9000, null, null, null, 0, null);
        return new ServiceSpec(s.name(), s.image(), s.replicas(), s.ports(), s.resources(), check, s.env(),
                s.command(), s.restartPolicy(), s.constraints(), s.strategy(), s.maxPerNode());
    }

    static NodeRecord node(String name) {
        return new NodeRecord(name, "10.0.0.1", Map.of(), 4, 8L << 30, NodeStatus.READY, Availability.ACTIVE, "27.0",
                T0);
    }

    /**
     * Everything the store returns, to compare before and after a refused command.
     *
     * @param services    services
     * @param replicas    replica rows
     * @param nodes       nodes
     * @param assignments assignments
     * @param tokens      join tokens
     * @param events      events
     */
    record Snapshot(List<ServiceRecord> services, List<ReplicaRecord> replicas, List<NodeRecord> nodes,
                    List<Assignment> assignments, List<JoinToken> tokens, List<Event> events) {
        static Snapshot of(Store store) {
            return new Snapshot(store.services().all(), store.replicas().all(), store.nodes().all(),
                    store.assignments().all(),
                    store.tokens().all(), store.events().query(EventQuery.latest().withLimit(EventQuery.MAX_LIMIT)));
        }
    }

    /** Asserts that {@code call} is refused with {@code code}, changes nothing and notifies nobody. */
    static OrchestratorException assertRefused(ErrorCode code, Store store, Hooks hooks, Executable call,
                                               String fragment) {
        Snapshot before = Snapshot.of(store);
        OrchestratorException e = assertThrows(OrchestratorException.class, call);
        assertEquals(code, e.code(), e::getMessage);
        assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
        assertEquals(before, Snapshot.of(store), "a refused command changes nothing");
        assertEquals(List.of(), hooks.calls, "a refused command notifies nobody");
        return e;
    }

    /** A {@link ClusterHooks} that records notifications and answers as configured. */
    static final class Hooks implements ClusterHooks {
        final List<String> calls = new ArrayList<>();
        final Set<String> probes = new HashSet<>(Set.of("http", "tcp", "exec"));
        final Set<String> strategies = new HashSet<>(Set.of("spread", "binpack"));
        final Set<String> policies = new HashSet<>(Set.of("round-robin", "least-connections"));
        final Set<Integer> takenPorts = new HashSet<>();
        final Map<String, NodeUsage> usage = new HashMap<>();
        final List<dev.orchestrator.cluster.LogQuery> logQueries = new java.util.ArrayList<>();
        dev.orchestrator.cluster.LogFanIn.Read logs = new dev.orchestrator.cluster.LogFanIn.Read(List.of(), List.of());
        boolean imageAvailable = true;
        String localNode = "local";

        @Override
        public void desiredStateChanged(String service) {
            calls.add("desired " + service);
        }

        @Override
        public void availabilityChanged(String node) {
            calls.add("availability " + node);
        }

        @Override
        public void registriesChanged() {
            calls.add("registries");
        }

        @Override
        public boolean imageAvailable(String image) {
            return imageAvailable;
        }

        @Override
        public void requireProbe(String type) {
            if (!probes.contains(type)) {
                throw OrchestratorException.invalid("probe plugin '" + type + "' is not installed");
            }
        }

        @Override
        public void requireStrategy(String name) {
            if (!strategies.contains(name)) {
                throw OrchestratorException.invalid("strategy plugin '" + name + "' is not installed");
            }
        }

        @Override
        public void requireBalancingPolicy(String name) {
            if (!policies.contains(name)) {
                throw OrchestratorException.invalid("load_balancer '" + name + "' is not an installed"
                        + " balancing-policy plugin; available: " + String.join(", ", new java.util.TreeSet<>(policies)));
            }
        }

        @Override
        public int apiPort() {
            return API_PORT;
        }

        @Override
        public boolean portFree(int port) {
            return !takenPorts.contains(port);
        }

        @Override
        public String localNode() {
            return localNode;
        }

        @Override
        public Optional<NodeUsage> usage(String node) {
            return Optional.ofNullable(usage.get(node));
        }

        @Override
        public dev.orchestrator.cluster.LogFanIn.Read readLogs(dev.orchestrator.cluster.LogQuery query) {
            logQueries.add(query);
            return logs;
        }

        @Override
        public AutoCloseable followLogs(dev.orchestrator.cluster.LogQuery query,
                                        dev.orchestrator.cluster.LogFanIn.Sink sink) {
            logQueries.add(query);
            return () -> { };
        }
    }
}
