package dev.orchestrator.scheduler.spread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.spi.NodeSnapshot;
import dev.orchestrator.api.spi.PlacementRequest;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.SchedulerStrategy;
import dev.orchestrator.api.spi.SchedulerStrategyFactory;
import dev.orchestrator.testkit.QuietContext;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpreadStrategyTest {
    private static final long GIB = 1L << 30;
    private static final PluginContext CONTEXT = QuietContext.create();
    private static final SchedulerStrategy SPREAD = new SpreadFactory().create(PluginConfig.EMPTY, CONTEXT);

    /** Node: 4096 shares, 8 GiB unless the capacity columns say otherwise; memory in GiB. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case                              | replicas | cpu  | mem | alloc cpu | alloc mem | req cpu | req mem | score
            "empty node, no request              | 0        | 4096 | 8   | 0         | 0         | 0       | 0       | 99",
            "empty node, quarter request         | 0        | 4096 | 8   | 0         | 0         | 1024    | 2       | 97",
            "full after placement                | 0        | 4096 | 8   | 3072      | 6         | 1024    | 2       | 90",
            "one replica here, empty             | 1        | 4096 | 8   | 0         | 0         | 0       | 0       | 89",
            "two replicas here, half used        | 2        | 4096 | 8   | 2048      | 4         | 0       | 0       | 75",
            "nine replicas here                  | 9        | 4096 | 8   | 0         | 0         | 0       | 0       | 9",
            "fifty replicas here                 | 50       | 4096 | 8   | 0         | 0         | 0       | 0       | 9",
            "cpu half used, memory free          | 0        | 4096 | 8   | 2048      | 0         | 0       | 0       | 97",
            "over-committed counts as full       | 0        | 4096 | 8   | 8192      | 16        | 0       | 0       | 90",
            "capacity unknown: counted as free   | 0        | 0    | 0   | 0         | 0         | 0       | 0       | 99",
            "only cpu known                      | 1        | 4096 | 0   | 3072      | 0         | 0       | 0       | 82"})
    void scores(String name, int replicas, long cpu, long memGib, long allocCpu, long allocMemGib, long reqCpu,
                long reqMemGib, int score) {
        var node = new NodeSnapshot("n1", Map.of(), cpu, memGib * GIB, allocCpu, allocMemGib * GIB, replicas, replicas);

        assertEquals(score, SPREAD.score(node, new PlacementRequest("api", 0, reqCpu, reqMemGib * GIB)));
    }

    @Test
    void fewerReplicasBeatLessAllocation() {
        var nearlyFullWithout = new NodeSnapshot("n1", Map.of(), 4096, 8 * GIB, 4000, 8 * GIB - 1, 0, 40);
        var emptyWithOne = new NodeSnapshot("n2", Map.of(), 4096, 8 * GIB, 0, 0, 1, 1);
        var request = new PlacementRequest("api", 0, 0, 0);

        assertTrue(SPREAD.score(nearlyFullWithout, request) > SPREAD.score(emptyWithOne, request));
    }

    @Test
    void staysWithinBounds() {
        var random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            long cpu = random.nextLong(0, 65_536);
            long mem = random.nextLong(0, 64 * GIB);
            var node = new NodeSnapshot("n", Map.of(), cpu, mem, random.nextLong(0, 2 * cpu + 1),
                    random.nextLong(0, 2 * mem + 1), random.nextInt(0, 100), 100);
            int score = SPREAD.score(node, new PlacementRequest("a", 0, random.nextLong(0, 4096), random.nextLong(0, GIB)));
            assertTrue(score >= SchedulerStrategy.MIN_SCORE && score <= SchedulerStrategy.MAX_SCORE, "score " + score);
        }
    }

    @Test
    void isFoundByServiceLoaderOnTheClassPath() {
        List<SchedulerStrategyFactory> found = ServiceLoader.load(SchedulerStrategyFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("spread"))
                .toList();

        assertEquals(1, found.size());
        assertInstanceOf(SpreadFactory.class, found.getFirst());
        assertEquals(100, found.getFirst().weight());
        assertInstanceOf(SpreadStrategy.class, found.getFirst().create(PluginConfig.EMPTY, CONTEXT));
    }
}
