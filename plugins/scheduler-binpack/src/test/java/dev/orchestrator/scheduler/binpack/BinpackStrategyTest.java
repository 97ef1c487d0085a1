package dev.orchestrator.scheduler.binpack;

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

class BinpackStrategyTest {
    private static final long GIB = 1L << 30;
    private static final PluginContext CONTEXT = QuietContext.create();
    private static final SchedulerStrategy BINPACK = new BinpackFactory().create(PluginConfig.EMPTY, CONTEXT);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case                          | cpu  | mem | alloc cpu | alloc mem | req cpu | req mem | score
            "empty node, no request          | 4096 | 8   | 0         | 0         | 0       | 0       | 0",
            "empty node, quarter request     | 4096 | 8   | 0         | 0         | 1024    | 2       | 25",
            "half used, quarter request      | 4096 | 8   | 2048      | 4         | 1024    | 2       | 75",
            "full after placement            | 4096 | 8   | 3072      | 6         | 1024    | 2       | 100",
            "cpu and memory averaged         | 4096 | 8   | 4096      | 0         | 0       | 0       | 50",
            "over-committed counts as full   | 4096 | 8   | 8192      | 16        | 0       | 0       | 100",
            "capacity unknown: empty         | 0    | 0   | 0         | 0         | 0       | 0       | 0",
            "only memory known               | 0    | 8   | 0         | 2         | 0       | 0       | 25"})
    void scores(String name, long cpu, long memGib, long allocCpu, long allocMemGib, long reqCpu, long reqMemGib,
                int score) {
        var node = new NodeSnapshot("n1", Map.of(), cpu, memGib * GIB, allocCpu, allocMemGib * GIB, 0, 0);

        assertEquals(score, BINPACK.score(node, new PlacementRequest("api", 0, reqCpu, reqMemGib * GIB)));
    }

    @Test
    void staysWithinBounds() {
        var random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            long cpu = random.nextLong(0, 65_536);
            long mem = random.nextLong(0, 64 * GIB);
            var node = new NodeSnapshot("n", Map.of(), cpu, mem, random.nextLong(0, 2 * cpu + 1),
                    random.nextLong(0, 2 * mem + 1), 0, 0);
            int score = BINPACK.score(node, new PlacementRequest("a", 0, random.nextLong(0, 4096), random.nextLong(0, GIB)));
            assertTrue(score >= SchedulerStrategy.MIN_SCORE && score <= SchedulerStrategy.MAX_SCORE, "score " + score);
        }
    }

    @Test
    void isFoundByServiceLoaderOnTheClassPath() {
        List<SchedulerStrategyFactory> found = ServiceLoader.load(SchedulerStrategyFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("binpack"))
                .toList();

        assertEquals(1, found.size());
        assertInstanceOf(BinpackFactory.class, found.getFirst());
        assertEquals(50, found.getFirst().weight());
        assertInstanceOf(BinpackStrategy.class, found.getFirst().create(PluginConfig.EMPTY, CONTEXT));
    }
}
