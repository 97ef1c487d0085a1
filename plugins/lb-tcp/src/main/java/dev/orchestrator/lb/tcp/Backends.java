package dev.orchestrator.lb.tcp;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backends of one published port at one moment, as the policy sees them. Immutable but
 * for the counters, and swapped whole on publish, so a connection that has read it is
 * unaffected by a later swap; a backend that stays keeps its {@link Backend}, hence its counters.
 */
final class Backends implements BalancingPolicy.Candidates {
    private final List<Backend> backends;
    private final List<Endpoint> endpoints;
    private final Map<Endpoint, Backend> byEndpoint;
    private final AtomicLong turns; // the port's, shared by every table of the port

    private Backends(List<Backend> backends, AtomicLong turns) {
        this.backends = backends;
        this.endpoints = backends.stream().map(Backend::endpoint).toList();
        this.byEndpoint = new HashMap<>();
        backends.forEach(b -> byEndpoint.put(b.endpoint(), b));
        this.turns = turns;
    }

    /** @return the first table of a port */
    static Backends of(List<Endpoint> endpoints, AtomicLong turns) {
        return new Backends(endpoints.stream().distinct().map(Backend::new).toList(), turns);
    }

    /** @return the table for {@code next}, reusing the backends that stay */
    Backends replace(List<Endpoint> next) {
        List<Backend> kept = next.stream().distinct().map(e -> {
            Backend old = byEndpoint.get(e);
            return old != null ? old : new Backend(e);
        }).toList();
        return new Backends(kept, turns);
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public int activeConnections(int index) {
        return backends.get(index).active();
    }

    @Override
    public long turn() {
        // Masked rather than floorMod'ed by each policy: wrapping after 2^63 turns stays positive.
        return turns.getAndIncrement() & Long.MAX_VALUE;
    }

    /**
     * @param order       the policy's answer
     * @param maxAttempts how many backends one connection may try
     * @return the backends to try, in order: at most {@code maxAttempts}, each once, only
     *         backends of this table
     */
    List<Backend> resolve(List<Endpoint> order, int maxAttempts) {
        List<Backend> out = new ArrayList<>(Math.min(maxAttempts, order.size()));
        for (Endpoint e : order) {
            Backend b = byEndpoint.get(e);
            if (b != null && !out.contains(b)) {
                out.add(b);
                if (out.size() == maxAttempts) {
                    break;
                }
            }
        }
        return out;
    }

    List<Backend> all() {
        return backends;
    }
}
