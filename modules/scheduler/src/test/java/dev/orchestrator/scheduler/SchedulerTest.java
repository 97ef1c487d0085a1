package dev.orchestrator.scheduler;

import static dev.orchestrator.scheduler.Nodes.CPU;
import static dev.orchestrator.scheduler.Nodes.GIB;
import static dev.orchestrator.scheduler.Nodes.allocated;
import static dev.orchestrator.scheduler.Nodes.equal;
import static dev.orchestrator.scheduler.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Resources;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.SchedulerStrategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchedulerTest {
    /** Every node ties: only the select step decides. */
    private static final SchedulerStrategy FLAT = (node, request) -> 50;
    /** Fewer replicas of the service score higher: a minimal spread. */
    private static final SchedulerStrategy FEWEST = (node, request) -> 100 - 10 * node.serviceReplicas();
    /** Scores a node by the digits of its name: n7 scores 7. */
    private static final SchedulerStrategy BY_NAME = (node, request) -> Integer.parseInt(node.name().substring(1));

    private static final Request API = Request.of("api", 0, 512, GIB);

    static Stream<Arguments> unschedulable() {
        NodeState full = allocated("x", 4 * CPU, 8 * GIB);
        NodeState lowMemory = allocated("x", 0, 8 * GIB - 1);
        return Stream.of(
                Arguments.of("7 short of memory, 3 cordoned",
                        concat(copies(7, lowMemory), copies(3, node("x").withCordoned(true))), API,
                        "0/10 nodes available: 7 insufficient memory, 3 cordoned"),
                Arguments.of("one reason per node, the first filter's",
                        List.of(full.withStatus(NodeStatus.DOWN).withCordoned(true), full.withCordoned(true), full),
                        API,
                        "0/3 nodes available: 1 cordoned, 1 down, 1 insufficient cpu"),
                Arguments.of("constraints",
                        concat(copies(2, node("x", Map.of("disk", "hdd"))), copies(1, lowMemory)),
                        API.withConstraints(List.of("node.labels.disk==ssd")),
                        "0/3 nodes available: 2 constraint not met: node.labels.disk==ssd, 1 insufficient memory"),
                Arguments.of("hard spread",
                        copies(3, Nodes.running("x", "api", 1)), API.withMaxPerNode(1),
                        "0/3 nodes available: 3 spread: replica of api already here"),
                Arguments.of("no nodes", List.of(), API, "0/0 nodes available"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unschedulable")
    void explainsWhyNothingFits(String name, List<NodeState> nodes, Request request, String message) {
        Placement p = new Scheduler("flat", FLAT).place(named(nodes), request);

        assertEquals(message, assertInstanceOf(Placement.Unschedulable.class, p).message());
    }

    @Test
    void countsAddUpToTheNodes() {
        var nodes = named(concat(copies(7, allocated("x", 0, 8 * GIB)), copies(3, node("x").withCordoned(true))));

        var u = (Placement.Unschedulable) new Scheduler("flat", FLAT).place(nodes, API);

        assertEquals(10, u.nodes());
        assertEquals(Map.of("insufficient memory", 7, "cordoned", 3), u.reasons());
    }

    @Test
    void downAndCordonedNodesAreNeverChosen() {
        var nodes = List.of(node("n1").withStatus(NodeStatus.DOWN), node("n2").withCordoned(true), node("n3"),
                node("n4").withStatus(NodeStatus.DOWN));

        for (long seed = 0; seed < 20; seed++) {
            assertEquals(new Placement.Placed("n3", 50), new Scheduler("flat", FLAT, seed).place(nodes, API));
        }
    }

    @Test
    void constraintsPickTheMatchingNodes() {
        var nodes = List.of(node("n1", Map.of("disk", "ssd", "zone", "b")), node("n2", Map.of("disk", "hdd")),
                node("n3", Map.of("disk", "ssd", "zone", "a")), node("n4", Map.of("disk", "ssd")));
        Request ssdNotB = API.withConstraints(List.of("node.labels.disk==ssd", "node.labels.zone!=b"));

        // 8 replicas fit a node: 16 go on n3 and n4, the other 4 find no node left.
        BatchPlacement batch = new Scheduler("flat", FLAT, 7).placeReplicas(nodes, ssdNotB, 20);

        assertEquals(Set.of("n3", "n4"), placedNodes(batch.placements()));
        assertEquals("0/4 nodes available: 2 insufficient cpu, 1 constraint not met: node.labels.disk==ssd,"
                        + " 1 constraint not met: node.labels.zone!=b",
                ((Placement.Unschedulable) batch.placements().get(19)).message());
        assertEquals(new Placement.Placed("n2", 50), new Scheduler("flat", FLAT)
                .place(nodes, API.withConstraints(List.of("node.name==n2"))));
    }

    @Test
    void highestScoreWins() {
        var nodes = List.of(node("n3"), node("n9"), node("n5"));

        assertEquals(new Placement.Placed("n9", 9), new Scheduler("by-name", BY_NAME, 1).place(nodes, API));
    }

    @ParameterizedTest(name = "raw {0} -> {1}")
    @MethodSource("clamps")
    void scoresAreClamped(int raw, int clamped) {
        Placement p = new Scheduler("wild", (node, request) -> raw).place(List.of(node("n1")), API);

        assertEquals(new Placement.Placed("n1", clamped), p);
    }

    static Stream<Arguments> clamps() {
        return Stream.of(Arguments.of(-5, 0), Arguments.of(Integer.MIN_VALUE, 0), Arguments.of(0, 0),
                Arguments.of(42, 42), Arguments.of(100, 100), Arguments.of(101, 100), Arguments.of(Integer.MAX_VALUE,
                100));
    }

    @Test
    void clampingMakesOutOfRangeScoresTie() {
        SchedulerStrategy wild = (node, request) -> node.name().equals("n1") ? 1000 : 100;

        assertEquals(new Placement.Placed("n1", 100), new Scheduler("wild", wild).place(List.of(node("n2"),
                node("n1")), API));
    }

    @Test
    void aThrowingStrategyIsAPluginErrorNamingThePlugin() {
        var boom = new IllegalStateException("boom");
        var scheduler = new Scheduler("broken", (node, request) -> {
            throw boom;
        });

        OrchestratorException e = assertThrows(OrchestratorException.class, () -> scheduler.place(equal(2), API));

        assertEquals(ErrorCode.PLUGIN_ERROR, e.code());
        assertTrue(e.getMessage().startsWith("scheduler plugin 'broken' failed to score node n1 for replica api-0:"),
                e.getMessage());
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
        assertSame(boom, e.getCause());
    }

    @Test
    void withoutSeedTiesGoToTheSmallestNameWhateverTheOrder() {
        var nodes = new ArrayList<>(equal(9));
        var random = new Random(3);
        for (int i = 0; i < 10; i++) {
            Collections.shuffle(nodes, random);
            assertEquals(new Placement.Placed("n1", 50), new Scheduler("flat", FLAT).place(nodes, API));
        }
    }

    @Test
    void sameSeedSamePlacements() {
        var nodes = equal(50);

        var first = new Scheduler("flat", FLAT, 42).placeReplicas(nodes, API, 30);
        var again = new Scheduler("flat", FLAT, 42).placeReplicas(nodes, API, 30);

        assertEquals(first, again);
    }

    @Test
    void anotherSeedDiffersOnlyAmongTies() {
        // n1..n10 score 1..10 except that n4, n6 and n8 all score 10: the top three tie.
        SchedulerStrategy score = (node, request) -> Set.of("n4", "n6", "n8", "n10").contains(node.name()) ? 10 : 1;
        var nodes = equal(10);

        Set<String> chosen = new HashSet<>();
        for (long seed = 0; seed < 64; seed++) {
            var p = (Placement.Placed) new Scheduler("s", score, seed).place(nodes, API);
            assertEquals(10, p.score());
            chosen.add(p.node());
        }
        assertEquals(Set.of("n4", "n6", "n8", "n10"), chosen);
    }

    @Test
    void seedsChangeTheChoiceButNeverTheSpreadOutcome() {
        Set<List<String>> orders = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            BatchPlacement batch = new Scheduler("fewest", FEWEST, seed).placeReplicas(equal(3), API, 6);
            assertEquals(Map.of("n1", 2, "n2", 2, "n3", 2), perNode(batch));
            orders.add(batch.placements().stream().map(p -> ((Placement.Placed) p).node()).toList());
        }
        assertTrue(orders.size() > 1, "ten seeds chose one order: " + orders);
    }

    @Test
    void theRequestsSeedOverridesTheSchedulers() {
        var nodes = equal(20);
        var scheduler = new Scheduler("flat", FLAT, 1);

        assertEquals(new Scheduler("flat", FLAT, 99).place(nodes, API), scheduler.place(nodes, API.withSeed(99)));
        assertEquals(new Scheduler("flat", FLAT, 99).place(nodes, API),
                new Scheduler("flat", FLAT).place(nodes, API.withSeed(99)));
    }

    @Test
    void batchUpdatesAllocationsBetweenPlacements() {
        BatchPlacement batch = new Scheduler("fewest", FEWEST).placeReplicas(equal(3), API, 6);

        assertEquals(List.of("n1", "n2", "n3", "n1", "n2", "n3"),
                batch.placements().stream().map(p -> ((Placement.Placed) p).node()).toList());
        for (NodeState n : batch.nodes()) {
            assertEquals(2, n.replicasOf("api"));
            assertEquals(1024, n.allocatedCpu());
            assertEquals(2 * GIB, n.allocatedMemory());
        }
    }

    @Test
    void batchGoesOnAfterAnUnschedulableReplica() {
        Request big = Request.of("db", 0, 3 * CPU, GIB);
        List<Request> requests = List.of(big, big.withReplica(1), big.withReplica(2), API);

        BatchPlacement batch = new Scheduler("flat", FLAT).placeAll(equal(2), requests);

        assertEquals(new Placement.Placed("n1", 50), batch.placements().get(0));
        assertEquals(new Placement.Placed("n2", 50), batch.placements().get(1));
        assertEquals("0/2 nodes available: 2 insufficient cpu",
                ((Placement.Unschedulable) batch.placements().get(2)).message());
        assertEquals(new Placement.Placed("n1", 50), batch.placements().get(3));
        assertEquals(Map.of("db", 1, "api", 1), batch.nodes().get(0).replicas());
    }

    @Test
    void hardSpreadPlacesOnePerNode() {
        BatchPlacement batch = new Scheduler("flat", FLAT, 5).placeReplicas(equal(3), API.withMaxPerNode(1), 4);

        assertEquals(Map.of("n1", 1, "n2", 1, "n3", 1), perNode(batch));
        assertEquals("0/3 nodes available: 3 spread: replica of api already here",
                ((Placement.Unschedulable) batch.placements().get(3)).message());
    }

    @Test
    void customFiltersRunInTheirOrderAndMaySkipThemselves() {
        Filter draining = (node, request) -> node.labels().containsKey("draining")
                ? Optional.of("draining") : Optional.empty();
        Filter neverAsked = new Filter() {
            @Override
            public boolean appliesTo(Request request) {
                return false;
            }

            @Override
            public Optional<String> reject(NodeState node, Request request) {
                throw new AssertionError("asked although it does not apply");
            }
        };
        var filters = new ArrayList<>(Scheduler.defaultFilters());
        filters.add(1, draining);
        filters.add(neverAsked);
        var scheduler = new Scheduler("flat", FLAT, filters, OptionalLong.empty());
        var nodes = List.of(node("n1", Map.of("draining", "")).withStatus(NodeStatus.DOWN),
                node("n2", Map.of("draining", "")).withCordoned(true), node("n3").withCordoned(true));

        assertEquals("0/3 nodes available: 1 cordoned, 1 down, 1 draining",
                ((Placement.Unschedulable) scheduler.place(nodes, API)).message());
        assertEquals(new Placement.Placed("n4", 50), scheduler.place(concat(nodes, List.of(node("n4"))), API));
    }

    @Test
    void placeLeavesItsArgumentsAlone() {
        var nodes = List.copyOf(equal(3));

        new Scheduler("fewest", FEWEST).placeReplicas(nodes, API, 6);

        assertEquals(equal(3), nodes);
    }

    @Test
    void isThreadSafe() throws Exception {
        var scheduler = new Scheduler("fewest", FEWEST, 11);
        var nodes = List.copyOf(equal(30));
        BatchPlacement expected = scheduler.placeReplicas(nodes, API, 200);
        Callable<BatchPlacement> task = () -> scheduler.placeReplicas(nodes, API, 200);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            var futures = new ArrayList<Future<BatchPlacement>>();
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(task));
            }
            for (Future<BatchPlacement> f : futures) {
                assertEquals(expected, f.get());
            }
        }
    }

    @Test
    void requestForAReplicaOfAService() {
        var spec = new ServiceSpec("api", "busybox:latest", 3, List.of(), new Resources(512, 256L << 20), null,
                Map.of(), List.of(), null, List.of("node.labels.disk==ssd"), null);

        Request r = Request.forReplica(spec, 2);

        assertEquals(new Request("api", 2, 512, 256L << 20, List.of(Constraint.parse("node.labels.disk==ssd")), 0,
                OptionalLong.empty()), r);
    }

    @Test
    void nodeStateValidatesAndAccountsPlacements() {
        assertThrows(IllegalArgumentException.class, () -> NodeState.ready("", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> NodeState.ready("n1", -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new NodeState("n1", Map.of(), NodeStatus.READY, false,
                1, 1, 0, 0, Map.of("api", 0)));
        assertThrows(IllegalArgumentException.class, () -> Request.of("api", -1, 0, 0));

        NodeState n = node("n1").withPlaced(API).withPlaced(API.withReplica(1)).withPlaced(Request.of("web", 0, 1, 1));

        assertEquals(2, n.replicasOf("api"));
        assertEquals(3, n.totalReplicas());
        assertEquals(1025, n.allocatedCpu());
        assertEquals(2 * GIB + 1, n.allocatedMemory());
        assertEquals(2, n.snapshot("api").serviceReplicas());
        assertEquals(3, n.snapshot("api").totalReplicas());
    }

    private static Map<String, Integer> perNode(BatchPlacement batch) {
        var counts = new TreeMap<String, Integer>();
        for (Placement p : batch.placements()) {
            if (p instanceof Placement.Placed placed) {
                counts.merge(placed.node(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static Set<String> placedNodes(List<Placement> placements) {
        var names = new HashSet<String>();
        for (Placement p : placements) {
            if (p instanceof Placement.Placed placed) {
                names.add(placed.node());
            }
        }
        return names;
    }

    private static List<NodeState> copies(int count, NodeState node) {
        return Collections.nCopies(count, node);
    }

    private static List<NodeState> concat(List<NodeState> a, List<NodeState> b) {
        var all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Gives the nodes unique names n1..nN, keeping everything else. */
    private static List<NodeState> named(List<NodeState> nodes) {
        var renamed = new ArrayList<NodeState>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeState n = nodes.get(i);
            renamed.add(new NodeState("n" + (i + 1), n.labels(), n.status(), n.cordoned(), n.cpuShares(),
                    n.memoryBytes(), n.allocatedCpu(), n.allocatedMemory(), n.replicas()));
        }
        return renamed;
    }
}
