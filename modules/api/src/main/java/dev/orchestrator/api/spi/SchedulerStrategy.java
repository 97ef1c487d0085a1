package dev.orchestrator.api.spi;

/**
 * Scores a feasible node for one replica; the scheduler places the replica on the node with the
 * highest score. Filtering (readiness, cordons, resource fit, anti-affinity, constraints) happens
 * before, in the scheduler's pipeline, so a strategy only ranks nodes that can take the replica.
 *
 * <p>Threading: thread-safe and pure: the same inputs give the same score. Non-blocking.
 */
public interface SchedulerStrategy {
    /** Lowest score. */
    int MIN_SCORE = 0;
    /** Highest score. */
    int MAX_SCORE = 100;

    /**
     * @param node    a node that passed every filter
     * @param request the replica to place
     * @return a score in {@link #MIN_SCORE}..{@link #MAX_SCORE}
     */
    int score(NodeSnapshot node, PlacementRequest request);
}
