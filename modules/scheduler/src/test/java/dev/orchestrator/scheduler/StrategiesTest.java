package dev.orchestrator.scheduler;

import static dev.orchestrator.scheduler.Nodes.CPU;
import static dev.orchestrator.scheduler.Nodes.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.SchedulerStrategy;
import dev.orchestrator.api.spi.SchedulerStrategyFactory;
import dev.orchestrator.testkit.QuietContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The built-in strategy plugins, found with {@link ServiceLoader} on the class path as the
 * kernel finds them, driven through the whole pipeline.
 */
class StrategiesTest {
    private static final PluginContext CONTEXT = QuietContext.create();
    /** 1 CPU and 1 GiB: four fit a 4-CPU node (CPU runs out first). */
    private static final Request REPLICA = Request.of("api", 0, CPU, GIB);

    @Test
    void bothAreFoundAndSpreadIsTheDefault() {
        List<SchedulerStrategyFactory> factories = ServiceLoader.load(SchedulerStrategyFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(SchedulerStrategyFactory::weight).reversed()
                        .thenComparing(SchedulerStrategyFactory::name))
                .toList();

        assertEquals(List.of("spread", "binpack"), factories.stream().map(SchedulerStrategyFactory::name).toList());
        assertEquals(List.of(100, 50), factories.stream().map(SchedulerStrategyFactory::weight).toList());
    }

    @Test
    void spreadPutsSixReplicasTwoOnEachOfThreeNodes() {
        for (long seed = 0; seed < 10; seed++) {
            BatchPlacement batch = scheduler("spread", seed).placeReplicas(Nodes.equal(3), REPLICA, 6);

            assertEquals(Map.of("n1", 2, "n2", 2, "n3", 2), perNode(batch), "seed " + seed);
        }
        BatchPlacement unseeded = new Scheduler("spread", strategy("spread"))
                .placeReplicas(Nodes.equal(3), Request.of("api", 0, 0, 0), 6);
        assertEquals(Map.of("n1", 2, "n2", 2, "n3", 2), perNode(unseeded));
    }

    @Test
    void spreadTopsUpTheNodesWithFewerReplicas() {
        var nodes = List.of(Nodes.running("n1", "api", 2), Nodes.node("n2"), Nodes.node("n3"));

        BatchPlacement batch = scheduler("spread", 3).placeReplicas(nodes, REPLICA.withReplica(2), 4);

        assertEquals(Map.of("n2", 2, "n3", 2), perNode(batch));
    }

    @Test
    void spreadPrefersTheLeastAllocatedAmongEqualReplicaCounts() {
        var nodes = List.of(Nodes.allocated("n1", 3 * CPU, 0), Nodes.allocated("n2", CPU, 0),
                Nodes.allocated("n3", 2 * CPU, 0));

        assertEquals("n2", ((Placement.Placed) scheduler("spread", 1).place(nodes, REPLICA)).node());
    }

    @Test
    void binpackFillsTheFirstNodeUntilItIsFull() {
        BatchPlacement batch = new Scheduler("binpack", strategy("binpack")).placeReplicas(Nodes.equal(3), REPLICA, 13);

        assertEquals(List.of("n1", "n1", "n1", "n1", "n2", "n2", "n2", "n2", "n3", "n3", "n3", "n3"),
                placed(batch));
        assertEquals("0/3 nodes available: 3 insufficient cpu",
                ((Placement.Unschedulable) batch.placements().get(12)).message());
    }

    @Test
    void binpackWithASeedStartsAnywhereButStillFillsNodeByNode() {
        for (long seed = 0; seed < 10; seed++) {
            List<String> order = placed(scheduler("binpack", seed).placeReplicas(Nodes.equal(3), REPLICA, 10));

            assertEquals(List.of(4, 4, 2), runs(order), "seed " + seed + ": " + order);
        }
    }

    @Test
    void binpackPrefersThePartlyFilledNode() {
        var nodes = List.of(Nodes.node("n1"), Nodes.allocated("n2", 2 * CPU, 0), Nodes.node("n3"));

        assertEquals(List.of("n2", "n2", "n1"), placed(scheduler("binpack", 0).placeReplicas(nodes, REPLICA, 3)));
    }

    private static Scheduler scheduler(String name, long seed) {
        return new Scheduler(name, strategy(name), seed);
    }

    private static SchedulerStrategy strategy(String name) {
        return ServiceLoader.load(SchedulerStrategyFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(name))
                .findFirst().orElseThrow()
                .create(PluginConfig.EMPTY, CONTEXT);
    }

    private static Map<String, Integer> perNode(BatchPlacement batch) {
        var counts = new TreeMap<String, Integer>();
        placed(batch).forEach(node -> counts.merge(node, 1, Integer::sum));
        return counts;
    }

    private static List<String> placed(BatchPlacement batch) {
        var names = new ArrayList<String>();
        for (Placement p : batch.placements()) {
            if (p instanceof Placement.Placed placed) {
                names.add(placed.node());
            }
        }
        return names;
    }

    /** Lengths of runs of the same node: [n3, n3, n1] gives [2, 1]. */
    private static List<Integer> runs(List<String> order) {
        var runs = new ArrayList<Integer>();
        for (int i = 0; i < order.size(); i++) {
            if (i == 0 || !order.get(i).equals(order.get(i - 1))) {
                runs.add(0);
            }
            runs.set(runs.size() - 1, runs.getLast() + 1);
        }
        return runs;
    }
}
