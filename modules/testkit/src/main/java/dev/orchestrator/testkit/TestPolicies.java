package dev.orchestrator.testkit;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Balancing policies for tests of load balancers (transports), so those tests need no policy
 * plugin. Thread-safe and stateless, as the SPI asks.
 */
public final class TestPolicies {
    private TestPolicies() {
    }

    /** @return round-robin on the port's turn counter: every backend once, from the next in turn */
    public static BalancingPolicy roundRobin() {
        return (candidates, client) -> {
            List<Endpoint> all = candidates.endpoints();
            int n = all.size();
            if (n == 0) {
                return List.of();
            }
            int start = (int) (candidates.turn() % n);
            var order = new ArrayList<Endpoint>(n);
            for (int i = 0; i < n; i++) {
                order.add(all.get((start + i) % n));
            }
            return order;
        };
    }

    /** @return the backends in published order, every time: the first live one takes everything */
    public static BalancingPolicy inOrder() {
        return (candidates, client) -> candidates.endpoints();
    }
}
