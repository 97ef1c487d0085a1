package dev.orchestrator.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How the server's deployment controller rolls a service to a new revision. Any field left
 * null takes its default, so a spec names only what it changes.
 *
 * @param parallelism     replicas replaced at once, across all nodes, 1..1000 (default 1)
 * @param delay           wait after a batch is healthy before the next starts, 0..1h (default 0)
 * @param order           {@code start-first} (default: the new container serves before the old
 *                        one stops) or {@code stop-first} (the old one stops first: for replicas
 *                        that cannot run twice, e.g. holding a lock or a host port)
 * @param monitor         how long a new replica must stay healthy to count as a success;
 *                        failing within it counts against the rollout, 0..1h (default 5s)
 * @param failureAction   what a failed rollout does: {@code rollback} (default: back to the
 *                        revision before), {@code pause} (stop replacing, keep what runs) or
 *                        {@code continue} (carry on)
 * @param maxFailureRatio the share of replicas that may fail before {@code failureAction}
 *                        applies, 0..1 (default 0: the first failure)
 */
public record UpdateConfig(Integer parallelism, Duration delay, String order, Duration monitor,
                           String failureAction, Double maxFailureRatio) {
    /** Monitor of a spec that names none (Swarm's default too). */
    public static final Duration DEFAULT_MONITOR = Duration.ofSeconds(5);
    private static final Duration MAX = Duration.ofHours(1);
    private static final Set<String> ORDERS = Set.of("start-first", "stop-first");
    private static final Set<String> ACTIONS = Set.of("rollback", "pause", "continue");
    /** Every default (declared after the constants its constructor reads). */
    public static final UpdateConfig DEFAULT = new UpdateConfig(null, null, null, null, null, null);

    /** Validates what is given. */
    public UpdateConfig {
        if (parallelism != null) {
            Validation.range("update.parallelism", parallelism, 1, ServiceSpec.MAX_REPLICAS);
        }
        within("update.delay", delay);
        within("update.monitor", monitor);
        order = word("update.order", order, ORDERS, "start-first or stop-first");
        failureAction = word("update.failure_action", failureAction, ACTIONS, "rollback, pause or continue");
        if (maxFailureRatio != null && !(maxFailureRatio >= 0 && maxFailureRatio <= 1)) {
            throw OrchestratorException.invalid("update.max_failure_ratio must be in 0..1, got " + maxFailureRatio);
        }
    }

    /** @return replicas replaced at once */
    public int effectiveParallelism() {
        return parallelism == null ? 1 : parallelism;
    }

    /** @return wait between batches */
    public Duration effectiveDelay() {
        return delay == null ? Duration.ZERO : delay;
    }

    /** @return {@code start-first} or {@code stop-first} */
    public String effectiveOrder() {
        return order == null ? "start-first" : order;
    }

    /** @return true if the old container stops before the new one starts */
    public boolean stopFirst() {
        return "stop-first".equals(effectiveOrder());
    }

    /** @return how long a new replica is watched */
    public Duration effectiveMonitor() {
        return monitor == null ? DEFAULT_MONITOR : monitor;
    }

    /** @return {@code rollback}, {@code pause} or {@code continue} */
    public String effectiveFailureAction() {
        return failureAction == null ? "rollback" : failureAction;
    }

    /** @return the share of replicas that may fail */
    public double effectiveMaxFailureRatio() {
        return maxFailureRatio == null ? 0 : maxFailureRatio;
    }

    /** @return true if every field is left to its default (a spec then stores none) */
    public boolean isDefault() {
        return equals(DEFAULT);
    }

    private static void within(String field, Duration d) {
        if (d != null && (d.isNegative() || d.compareTo(MAX) > 0)) {
            throw OrchestratorException.invalid(field + " must be in 0s..1h, got " + Validation.format(d));
        }
    }

    private static String word(String field, String value, Set<String> allowed, String expected) {
        if (value == null) {
            return null;
        }
        String w = value.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(w)) {
            throw OrchestratorException.invalid(field + " must be " + expected + ", got '"
                    + (w.length() > 20 ? w.substring(0, 20) + "..." : w) + "'");
        }
        return Objects.requireNonNull(w);
    }
}
