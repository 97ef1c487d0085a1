package dev.orchestrator.orchestration;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exponential restart backoff per replica, so a crash-looping replica neither burns the node
 * nor floods the event log. The first restart after a stable run is immediate; then 1 s,
 * doubling, capped at 5 minutes. A replica that stays up for {@link #STABLE} starts afresh.
 *
 * <p>Thread-safe. In memory only: after a server restart, replicas start with a clean slate,
 * which at worst costs one immediate restart.
 */
public final class RestartBackoff {
    /** How long a replica must run before its failure count resets. */
    public static final Duration STABLE = Duration.ofSeconds(60);
    /** Longest wait between restarts. */
    public static final Duration CAP = Duration.ofMinutes(5);

    private record State(int failures, Instant notBefore) {
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** An empty backoff table. */
    public RestartBackoff() {
    }

    /**
     * @param failures consecutive failures so far, including the one just recorded
     * @return the wait before the next restart
     */
    static Duration delay(int failures) {
        if (failures <= 1) {
            return Duration.ZERO;
        }
        int shift = Math.min(failures - 2, 20);
        Duration d = Duration.ofSeconds(1L << shift);
        return d.compareTo(CAP) > 0 ? CAP : d;
    }

    /**
     * Records a failure (a crash, a failed start) and returns the wait before the next attempt.
     *
     * @param service the service
     * @param index   the replica index
     * @param now     the current time
     * @return the wait
     */
    public Duration recordFailure(String service, int index, Instant now) {
        State s = states.merge(key(service, index), new State(1, now),
                (old, one) -> new State(old.failures() + 1, now));
        Duration d = delay(s.failures());
        states.put(key(service, index), new State(s.failures(), now.plus(d)));
        return d;
    }

    /**
     * @param service the service
     * @param index   the replica index
     * @return when the replica may restart next; empty if it is not backing off
     */
    public Optional<Instant> notBefore(String service, int index) {
        State s = states.get(key(service, index));
        return s == null || s.failures() <= 1 ? Optional.empty() : Optional.of(s.notBefore());
    }

    /**
     * @param service the service
     * @param index   the replica index
     * @return consecutive failures recorded
     */
    public int failures(String service, int index) {
        State s = states.get(key(service, index));
        return s == null ? 0 : s.failures();
    }

    /**
     * Forgets a replica's failures (it has run stably, or it was removed).
     *
     * @param service the service
     * @param index   the replica index
     */
    public void reset(String service, int index) {
        states.remove(key(service, index));
    }

    /**
     * Forgets every replica of a service.
     *
     * @param service the service
     */
    public void forget(String service) {
        states.keySet().removeIf(k -> k.startsWith(service + "/"));
    }

    private static String key(String service, int index) {
        return service + "/" + index;
    }
}
