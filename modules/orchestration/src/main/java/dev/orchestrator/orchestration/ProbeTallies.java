package dev.orchestrator.orchestration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts health probe results by service, probe type and result, and their total duration,
 * since the node started: what the node reports for the server's metrics. A few entries per
 * service with a health check. Thread-safe: probes count from their own threads.
 */
public final class ProbeTallies {
    /** One counted group. */
    private record Key(String service, String type, boolean healthy) {
    }

    private record Tally(LongAdder count, LongAdder nanos) {
    }

    /**
     * A group's counters.
     *
     * @param service    the service
     * @param type       the probe type
     * @param healthy    the result
     * @param count      how many probes
     * @param nanosTotal their total duration
     */
    public record Count(String service, String type, boolean healthy, long count, long nanosTotal) {
    }

    private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();

    /** Nothing counted yet. */
    public ProbeTallies() {
    }

    /**
     * @param service the service
     * @param type    the probe type
     * @param healthy the result
     * @param took    how long the probe took
     */
    public void count(String service, String type, boolean healthy, Duration took) {
        Tally t = tallies.computeIfAbsent(new Key(service, type, healthy), k -> new Tally(new LongAdder(), new LongAdder()));
        t.nanos().add(Math.max(0, took.toNanos()));
        t.count().increment();
    }

    /**
     * Forgets a service's counters (it was removed from the node): they leave the reports.
     *
     * @param service the service
     */
    public void forget(String service) {
        tallies.keySet().removeIf(k -> k.service().equals(service));
    }

    /** @return every group's counters now */
    public List<Count> snapshot() {
        return tallies.entrySet().stream()
                .map(e -> new Count(e.getKey().service(), e.getKey().type(), e.getKey().healthy(),
                        e.getValue().count().sum(), e.getValue().nanos().sum()))
                .toList();
    }
}
