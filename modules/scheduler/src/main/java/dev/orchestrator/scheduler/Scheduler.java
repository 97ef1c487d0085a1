package dev.orchestrator.scheduler;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.PlacementRequest;
import dev.orchestrator.api.spi.SchedulerStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Places replicas on nodes with an explicit pipeline, as Kubernetes' scheduler framework and
 * Nomad's stack do:
 * <ol>
 *   <li><b>filter</b>: every {@link Filter} in order ({@linkplain Filter#appliesTo those that
 *       apply} to the request); the first that rejects a node removes it and its constant reason
 *       is counted;</li>
 *   <li><b>score</b>: the {@link SchedulerStrategy} plugin scores each remaining node; the score
 *       is clamped to {@link SchedulerStrategy#MIN_SCORE}..{@link SchedulerStrategy#MAX_SCORE};</li>
 *   <li><b>select</b>: the highest score wins; ties are broken by a seeded
 *       {@link RandomGenerator} when a seed is known, else by the smallest node name.</li>
 * </ol>
 * When no node passes the filters the result is {@link Placement.Unschedulable}, which says how
 * many nodes each reason removed ({@code 0/10 nodes available: 7 insufficient memory, 3 cordoned}).
 *
 * <p><b>Threading</b>: immutable and thread-safe. Each call works on its own locals and never
 * modifies its arguments; the caller passes a consistent snapshot of the nodes (an immutable
 * list) and serialises placements that must see each other's allocations, or uses
 * {@link #placeAll}, which does so within one call.
 *
 * <p><b>Determinism</b>: a placement depends only on its arguments, the strategy (pure by
 * contract) and the seed. Without a seed, ties go to the smallest node name, whatever the order
 * of the nodes. With a seed (the request's, else the scheduler's) ties are broken by a
 * {@link SplittableRandom} seeded from that seed, the service name and the replica index, fresh
 * for every placement: the same nodes in the same order, the same request and the same seed give
 * the same node, so a placement can be replayed; another seed may choose differently, but only
 * among the nodes with the top score.
 */
public final class Scheduler {
    private final String strategyName;
    private final SchedulerStrategy strategy;
    /** An array, not a list: it is looped over for every node of every placement. */
    private final Filter[] filters;
    private final OptionalLong seed;

    /**
     * A scheduler with the {@linkplain #defaultFilters() default filters} that breaks ties by
     * node name unless a request brings its own seed.
     *
     * @param strategyName the strategy plugin's name, for error messages
     * @param strategy     the scoring plugin, e.g. the {@code spread} plugin's instance
     */
    public Scheduler(String strategyName, SchedulerStrategy strategy) {
        this(strategyName, strategy, defaultFilters(), OptionalLong.empty());
    }

    /**
     * A scheduler with the {@linkplain #defaultFilters() default filters} that breaks ties with
     * a generator seeded from {@code seed} (unless a request brings its own).
     *
     * @param strategyName the strategy plugin's name, for error messages
     * @param strategy     the scoring plugin
     * @param seed         the seed for breaking ties
     */
    public Scheduler(String strategyName, SchedulerStrategy strategy, long seed) {
        this(strategyName, strategy, defaultFilters(), OptionalLong.of(seed));
    }

    /**
     * @param strategyName the strategy plugin's name, for error messages
     * @param strategy     the scoring plugin
     * @param filters      the filters, run in this order (put cheap ones first)
     * @param seed         the seed for breaking ties, or empty to break them by node name
     */
    public Scheduler(String strategyName, SchedulerStrategy strategy, List<Filter> filters, OptionalLong seed) {
        this.strategyName = Objects.requireNonNull(strategyName, "strategyName");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.filters = List.copyOf(filters).toArray(Filter[]::new);
        this.seed = Objects.requireNonNull(seed, "seed");
    }

    /**
     * The built-in filters, in the order they run. A node is counted under the first filter that
     * rejects it, and every filter runs once per node per placement, so the order is by cost,
     * cheapest first (Nomad orders its feasibility checkers the same way):
     * <ol>
     *   <li>{@code NodeReady} and {@code NotCordoned} read one field each; they also come first
     *       because a down node's figures are stale, and "down" is the truest reason;</li>
     *   <li>{@code ResourcesFit} is two subtractions and comparisons;</li>
     *   <li>{@code AntiAffinity} is one hash lookup, and only when the request asks for it;</li>
     *   <li>{@code Constraints} costs a lookup and a string comparison per constraint.</li>
     * </ol>
     *
     * @return the filters: node ready, not cordoned, resources fit, anti-affinity, constraints
     */
    public static List<Filter> defaultFilters() {
        return List.of(new NodeReady(), new NotCordoned(), new ResourcesFit(), new AntiAffinity(), new Constraints());
    }

    /** @return the strategy plugin's name */
    public String strategyName() {
        return strategyName;
    }

    /**
     * Places one replica.
     *
     * @param nodes   the nodes, with unique names
     * @param request the replica
     * @return the chosen node, or why there is none
     * @throws OrchestratorException {@link ErrorCode#PLUGIN_ERROR} naming the strategy plugin if it throws
     */
    public Placement place(List<NodeState> nodes, Request request) {
        return decide(nodes, request).placement(nodes);
    }

    /**
     * Places replicas one after another, each seeing the allocations of those placed before it:
     * 6 replicas with the {@code spread} strategy over 3 equal nodes end up 2/2/2. A replica
     * that cannot be placed is reported and the next is tried.
     *
     * @param nodes    the nodes, with unique names
     * @param requests the replicas, in placement order
     * @return a placement per request and the nodes afterwards
     * @throws OrchestratorException {@link ErrorCode#PLUGIN_ERROR} naming the strategy plugin if it throws
     */
    public BatchPlacement placeAll(List<NodeState> nodes, List<Request> requests) {
        var current = new ArrayList<>(nodes);
        var placements = new ArrayList<Placement>(requests.size());
        for (Request request : requests) {
            Decision decision = decide(current, request);
            if (decision.index >= 0) {
                current.set(decision.index, current.get(decision.index).withPlaced(request));
            }
            placements.add(decision.placement(current));
        }
        return new BatchPlacement(placements, current);
    }

    /**
     * Places {@code count} replicas of one service, indexes {@code first.replica()} onwards;
     * see {@link #placeAll}.
     *
     * @param nodes the nodes, with unique names
     * @param first the first replica; the others differ only by their index
     * @param count how many replicas, 0 or more
     * @return a placement per replica and the nodes afterwards
     */
    public BatchPlacement placeReplicas(List<NodeState> nodes, Request first, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        var requests = new ArrayList<Request>(count);
        for (int i = 0; i < count; i++) {
            requests.add(first.withReplica(first.replica() + i));
        }
        return placeAll(nodes, requests);
    }

    private Decision decide(List<NodeState> nodes, Request request) {
        PlacementRequest wanted = request.toPlacementRequest();
        Filter[] active = activeFilters(request);
        var selector = new Selector(tieBreaker(request));
        Map<String, Integer> rejected = null;
        int index = 0;
        for (NodeState node : nodes) {
            String reason = firstRejection(active, node, request);
            if (reason == null) {
                selector.offer(index, node.name(), score(node, wanted));
            } else {
                rejected = rejected == null ? new HashMap<>() : rejected;
                rejected.merge(reason, 1, Integer::sum);
            }
            index++;
        }
        return new Decision(selector.best(), selector.bestScore(), index, rejected == null ? Map.of() : rejected);
    }

    /** The filters that can reject something for this request, in order; once per placement. */
    private Filter[] activeFilters(Request request) {
        var active = new ArrayList<Filter>(filters.length);
        for (Filter filter : filters) {
            if (filter.appliesTo(request)) {
                active.add(filter);
            }
        }
        return active.toArray(Filter[]::new);
    }

    private static String firstRejection(Filter[] active, NodeState node, Request request) {
        for (Filter filter : active) {
            Optional<String> reason = filter.reject(node, request);
            if (reason.isPresent()) {
                return reason.get();
            }
        }
        return null;
    }

    private int score(NodeState node, PlacementRequest wanted) {
        int raw;
        try {
            raw = strategy.score(node.snapshot(wanted.service()), wanted);
        } catch (RuntimeException e) {
            throw new OrchestratorException(ErrorCode.PLUGIN_ERROR, "scheduler plugin '" + strategyName
                    + "' failed to score node " + node.name() + " for replica " + wanted.service() + "-"
                    + wanted.replica() + ": " + e, e);
        }
        return Math.clamp(raw, SchedulerStrategy.MIN_SCORE, SchedulerStrategy.MAX_SCORE);
    }

    /** A generator fresh for this placement, or null to break ties by name. */
    private RandomGenerator tieBreaker(Request request) {
        OptionalLong effective = request.seed().isPresent() ? request.seed() : seed;
        if (effective.isEmpty()) {
            return null;
        }
        long mixed = mix(mix(effective.getAsLong() ^ request.service().hashCode()) ^ request.replica());
        return new SplittableRandom(mixed);
    }

    /** SplitMix64's finaliser: spreads nearby inputs (replica 1, 2, 3) over unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** What one pass over the nodes found: the chosen index (or -1), its score, the rejections. */
    private record Decision(int index, int score, int nodes, Map<String, Integer> rejected) {
        Placement placement(List<NodeState> in) {
            return index >= 0 ? new Placement.Placed(in.get(index).name(), score)
                    : new Placement.Unschedulable(nodes, rejected);
        }
    }
}
