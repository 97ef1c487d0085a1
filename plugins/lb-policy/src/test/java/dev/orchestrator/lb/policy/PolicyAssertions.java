package dev.orchestrator.lb.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Checks every policy must pass, and counting helpers. */
final class PolicyAssertions {
    static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40000);

    private PolicyAssertions() {
    }

    /** Every backend exactly once, for any number of backends, and nothing for none. */
    static void ordersEveryBackendOnce(BalancingPolicy policy) {
        assertEquals(List.of(), policy.order(FakeCandidates.of(List.of()), CLIENT));
        for (int n = 1; n <= 7; n++) {
            List<Endpoint> all = FakeCandidates.endpoints(n);
            FakeCandidates c = FakeCandidates.of(all);
            for (int call = 0; call < 20; call++) {
                List<Endpoint> order = policy.order(c, CLIENT);
                assertEquals(n, order.size(), "size of " + order);
                assertEquals(new HashSet<>(all), new HashSet<>(order), "a permutation: " + order);
            }
        }
    }

    /** @return how many of {@code calls} connections each backend got first */
    static Map<String, Integer> firstChoices(BalancingPolicy policy, BalancingPolicy.Candidates c, int calls) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            counts.merge(policy.order(c, CLIENT).getFirst().replica(), 1, Integer::sum);
        }
        return counts;
    }
}
