package dev.orchestrator.bench.scheduler;

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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The latency of one placement decision ({@link Scheduler#place}: every filter and a score for
 * each node, then the select) over 10 and over 1,000 simulated nodes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PlacementLatency {
    /** How many nodes. */
    @Param({"10", "1000"})
    public int nodeCount;

    /** The strategy plugin. */
    @Param({"spread", "binpack"})
    public String strategy;

    private List<NodeState> nodes;
    private Request request;
    private Scheduler scheduler;

    /** Builds the cluster and checks that the replica can be placed. */
    @Setup(Level.Trial)
    public void setUp() {
        nodes = SimulatedCluster.nodes(nodeCount);
        request = SimulatedCluster.replicas(1, 1, List.of()).getFirst();
        scheduler = new Scheduler(strategy, SimulatedCluster.strategy(strategy), SimulatedCluster.SEED);
        if (!(scheduler.place(nodes, request) instanceof Placement.Placed)) {
            throw new IllegalStateException("the replica does not fit the simulated nodes");
        }
    }

    /** @return the placement, for the blackhole */
    @Benchmark
    public Placement placeOneReplica() {
        return scheduler.place(nodes, request);
    }
}
