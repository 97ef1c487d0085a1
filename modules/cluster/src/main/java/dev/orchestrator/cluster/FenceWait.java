package dev.orchestrator.cluster;

import dev.orchestrator.api.ServiceSpec;
import java.time.Duration;
import java.util.Optional;

/**
 * How long the server holds the replicas of a {@code stop_after_disconnect} service on a node
 * that is down before it places them elsewhere: until the node's last accepted report is older
 * than the bound, plus the service's stop grace period, plus {@link #MARGIN}. By then the node,
 * if it runs at all, has stopped them itself (see the node's {@code Fence}).
 *
 * <p>Why {@link #MARGIN} suffices: the node counts its silence from the moment it sent its last
 * accepted report, which is before the server received it, where the server's count starts; so
 * the node's deadline is never later than the server's, on clocks that both run monotonic time
 * (their rates differ by parts per million). What is left is the node's reaction after its
 * deadline: its fence looks every 250 ms, its reconciler's pass sends the stop signal within
 * milliseconds, and the engine kills the container at the end of the grace period (Docker's
 * own stop and kill take tens of milliseconds; 2 s leaves a margin for a loaded engine). The
 * new copy is created only after this, and takes its own start time on top.
 *
 * <p>Pure and thread-safe.
 */
public final class FenceWait {
    /** What the server adds to the bound and the grace for the node's reaction. */
    public static final Duration MARGIN = Duration.ofSeconds(2);

    private FenceWait() {
    }

    /**
     * @param spec   the service
     * @param silent how long the server has not heard the node (monotonic)
     * @return how long its replicas on that node must still wait, or empty when they may be placed
     *         elsewhere now (no {@code stop_after_disconnect}, or the wait is over)
     */
    public static Optional<Duration> remaining(ServiceSpec spec, Duration silent) {
        Duration bound = spec.stopAfterDisconnect();
        if (bound == null) {
            return Optional.empty();
        }
        Duration left = bound.plus(spec.effectiveStopGrace()).plus(MARGIN).minus(silent);
        return left.isPositive() ? Optional.of(left) : Optional.empty();
    }

    /**
     * @param node the node that is down
     * @param left from {@link #remaining}
     * @return the replica's message, e.g. {@code waiting 12s for node-2 to stop it (stop_after_disconnect)}
     */
    public static String message(String node, Duration left) {
        return "waiting " + seconds(left) + "s for " + node + " to stop it (stop_after_disconnect)";
    }

    /** Rounded up: "waiting 0s" while it still waits would be untrue. */
    static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
