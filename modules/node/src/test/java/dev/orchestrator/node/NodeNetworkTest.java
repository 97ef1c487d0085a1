package dev.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.NetworkRuntime;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.orchestration.Labels;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which Docker network a node's containers join when nodes share one engine. */
class NodeNetworkTest {
    private static final Protocol.Desired VIEW = new Protocol.Desired(1, "c", List.of(), List.of(), List.of(),
            List.of(new Protocol.Subnet("default", "a", "10.210.0.0/24", "127.0.0.1"),
                    new Protocol.Subnet("default", "b", "10.210.1.0/24", "127.0.0.1")),
            List.of(), "10.211.0.1");

    /** One engine's networks, ids in creation order unless given. */
    private static final class Engine implements NetworkRuntime {
        final Map<String, Network> byId = new TreeMap<>();
        int next = 5;
        int lookups;

        @Override
        public synchronized List<Network> networks(Map<String, String> labels) {
            lookups++;
            return byId.values().stream()
                    .filter(n -> labels.entrySet().stream().allMatch(l -> l.getValue().equals(n.labels().get(l.getKey()))))
                    .toList();
        }

        @Override
        public synchronized Network createNetwork(String name, String subnet, String gateway, Map<String, String> labels) {
            return add(String.valueOf(next++), name, subnet, labels);
        }

        synchronized Network add(String id, String name, String subnet, Map<String, String> labels) {
            var n = new Network(id, name, subnet, null, null, labels, List.of());
            byId.put(id, n);
            return n;
        }

        @Override
        public synchronized void removeNetwork(String name) {
            Network n = byId.get(name);
            if (n != null && !n.containers().isEmpty()) {
                throw new OrchestratorException(ErrorCode.CONFLICT, "in use");
            }
            byId.remove(name);
        }

        @Override
        public void connect(String containerId, String network, List<String> aliases) {
        }
    }

    private static NodeNetwork node(String name, Engine engine) {
        return new NodeNetwork(name, "c", engine, new HostNetwork(new HostCommands()), () -> null, null, null,
                List::of, "internal");
    }

    @Test
    void aNodeWhoseNetworkAnotherNodeRemovedAsADuplicateTakesTheSurvivor() {
        var engine = new Engine();
        NodeNetwork a = node("a", engine);
        NodeNetwork b = node("b", engine);
        String first = a.ensure("default", VIEW);
        assertEquals("5", first);
        // b's create raced a's and got the lower id: b keeps it and removes a's, still empty.
        engine.add("1", "orch-default", "10.210.1.0/24", Map.of(NodeNetwork.NETWORK_LABEL, "default",
                Labels.CLUSTER, "c"));
        assertEquals("1", b.ensure("default", VIEW));
        assertEquals(List.of("1"), engine.networks(Map.of()).stream().map(NetworkRuntime.Network::id).toList());
        assertEquals("5", a.ensure("default", VIEW), "remembered: no lookup per container");
        // a's next create fails on the vanished network: a looks again and takes the survivor.
        a.createFailed(new dev.orchestrator.api.ServiceSpec("web", "img:1", 1, List.of(), null, null, Map.of(),
                List.of(), null, List.of(), null));
        assertEquals("1", a.ensure("default", VIEW), "a must not go on with the id it made first");
    }

    @Test
    void aNetworkIsMadeOnceAndThenFound() {
        var engine = new Engine();
        NodeNetwork a = node("a", engine);
        assertEquals(a.ensure("default", VIEW), a.ensure("default", VIEW));
        assertEquals(1, engine.networks(Map.of()).size());
    }

    @Test
    void replicasCreatedAtOnceShareOneLookup() throws Exception {
        var engine = new Engine();
        NodeNetwork a = node("a", engine);
        var ids = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                pool.submit(() -> ids.add(a.ensure("default", VIEW)));
            }
        }
        assertEquals(java.util.Set.of("5"), ids);
        assertEquals(3, engine.lookups, "one lookup, the check for another cluster's, one after the create: not per replica");
    }
}
