package dev.orchestrator.lb.tcp;

import dev.orchestrator.api.spi.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The backends of one published port and the round-robin cursor over them. The list is
 * immutable and swapped whole, so a connection that has read it is unaffected by a later swap.
 */
final class Rotation {
    private final AtomicLong cursor = new AtomicLong();
    private volatile List<Backend> backends;

    Rotation(List<Endpoint> endpoints) {
        this.backends = endpoints.stream().map(Backend::new).toList();
    }

    /**
     * Replaces the backends. A replica that stays keeps its {@link Backend}, hence its counters.
     * Callers serialize calls (the balancer's lock); readers need no lock.
     */
    void replace(List<Endpoint> endpoints) {
        Map<Endpoint, Backend> old = backends.stream()
                .collect(Collectors.toMap(Backend::endpoint, Function.identity(), (a, b) -> a));
        backends = endpoints.stream().map(e -> old.getOrDefault(e, new Backend(e))).toList();
    }

    /**
     * Advances the cursor by one.
     *
     * @return every backend once, starting with the next one in turn: the order in which one
     *         new connection tries them; empty if there are none
     */
    List<Backend> next() {
        List<Backend> snapshot = backends;
        int n = snapshot.size();
        if (n == 0) {
            return List.of();
        }
        int start = (int) Math.floorMod(cursor.getAndIncrement(), (long) n);
        List<Backend> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(snapshot.get((start + i) % n));
        }
        return order;
    }

    List<Backend> backends() {
        return backends;
    }
}
