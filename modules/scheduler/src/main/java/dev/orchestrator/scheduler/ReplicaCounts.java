package dev.orchestrator.scheduler;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map of replica counts per service that knows its total. The scheduler looks a
 * service up once per node per placement, so this is tuned for lookups, mostly misses:
 * <ul>
 *   <li>the total is kept, so {@link NodeState#totalReplicas()} costs nothing however many
 *       services a node runs;</li>
 *   <li>a private {@link HashMap} holds the counts: its power-of-two table and stored hashes make
 *       a miss one array load, where {@code Map.copyOf}'s table costs a division and an
 *       {@code equals} on every colliding key.</li>
 * </ul>
 * Nothing modifies the map after construction; equal to any map with the same entries.
 */
final class ReplicaCounts extends AbstractMap<String, Integer> {
    static final ReplicaCounts EMPTY = new ReplicaCounts(new HashMap<>(), 0);

    private final HashMap<String, Integer> counts;
    private final Set<Entry<String, Integer>> entries;
    private final int total;

    private ReplicaCounts(HashMap<String, Integer> counts, int total) {
        this.counts = counts;
        this.entries = Collections.unmodifiableMap(counts).entrySet();
        this.total = total;
    }

    /**
     * @param node   the node, for messages
     * @param source replicas per service; null means none
     * @return an immutable copy
     * @throws IllegalArgumentException if a count is not positive
     * @throws NullPointerException     if a service or a count is null
     */
    static ReplicaCounts of(String node, Map<String, Integer> source) {
        if (source instanceof ReplicaCounts already) {
            return already;
        }
        if (source == null || source.isEmpty()) {
            return EMPTY;
        }
        var copy = HashMap.<String, Integer>newHashMap(source.size());
        int total = 0;
        for (var e : source.entrySet()) {
            String service = Objects.requireNonNull(e.getKey(), "service");
            int count = Objects.requireNonNull(e.getValue(), "count");
            if (count <= 0) {
                throw new IllegalArgumentException("node " + node + ": replicas of " + service
                        + " must be positive, got " + count);
            }
            copy.put(service, count);
            total = Math.addExact(total, count);
        }
        return new ReplicaCounts(copy, total);
    }

    /**
     * @param service a service
     * @return a copy with one more replica of that service
     */
    ReplicaCounts plusOne(String service) {
        var copy = HashMap.<String, Integer>newHashMap(counts.size() + 1);
        copy.putAll(counts);
        copy.merge(Objects.requireNonNull(service, "service"), 1, Integer::sum);
        return new ReplicaCounts(copy, Math.addExact(total, 1));
    }

    int total() {
        return total;
    }

    @Override
    public Integer get(Object service) {
        return counts.get(service);
    }

    /** One lookup: {@code AbstractMap}'s default makes a second one on every miss, the common case. */
    @Override
    public Integer getOrDefault(Object service, Integer fallback) {
        return counts.getOrDefault(service, fallback);
    }

    @Override
    public boolean containsKey(Object service) {
        return counts.containsKey(service);
    }

    @Override
    public int size() {
        return counts.size();
    }

    @Override
    public Set<Entry<String, Integer>> entrySet() {
        return entries;
    }
}
