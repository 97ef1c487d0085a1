package dev.orchestrator.bench.scheduler;

import dev.orchestrator.scheduler.BatchPlacement;
import dev.orchestrator.scheduler.NodeState;
import dev.orchestrator.scheduler.Placement;
import dev.orchestrator.scheduler.Request;
import dev.orchestrator.scheduler.Scheduler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Placements per second: 10,000 replicas (100 services × 100) placed one after another over
 * 1,000 simulated nodes with {@link Scheduler#placeAll}, each placement seeing the previous
 * ones' allocations. One invocation is the whole batch from the same starting nodes; the score
 * is per placement. Without constraints two of the five filters skip themselves
 * ({@code Filter.appliesTo}); with one, all five run and a third of the nodes are rejected.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PlacementThroughput {
    private static final int REPLICAS = 10_000;

    /** The strategy plugin. */
    @Param({"spread", "binpack"})
    public String strategy;

    /** The replicas' constraint, or {@code none}. */
    @Param({"none", "node.labels.zone!=c"})
    public String constraint;

    private List<NodeState> nodes;
    private List<Request> requests;
    private Scheduler scheduler;

    /** Builds the cluster and checks that the batch places every replica. */
    @Setup(Level.Trial)
    public void setUp() {
        nodes = SimulatedCluster.nodes(1_000);
        requests = SimulatedCluster.replicas(100, REPLICAS / 100,
                constraint.equals("none") ? List.of() : List.of(constraint));
        scheduler = new Scheduler(strategy, SimulatedCluster.strategy(strategy), SimulatedCluster.SEED);
        long placed = scheduler.placeAll(nodes, requests).placements().stream()
                .filter(Placement.Placed.class::isInstance).count();
        if (placed != REPLICAS) {
            throw new IllegalStateException("only " + placed + " of " + REPLICAS + " replicas placed");
        }
    }

    /** @return the batch, for the blackhole */
    @Benchmark
    @OperationsPerInvocation(REPLICAS)
    public BatchPlacement place10kReplicasOver1000Nodes() {
        return scheduler.placeAll(nodes, requests);
    }
}
