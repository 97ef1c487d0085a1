package dev.orchestrator.lb.policy;

import static dev.orchestrator.lb.policy.PolicyAssertions.CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundRobinTest {
    private final BalancingPolicy policy = new RoundRobinFactory().create(null, null);

    @Test
    void ordersEveryBackendOnce() {
        PolicyAssertions.ordersEveryBackendOnce(policy);
    }

    @Test
    void eachConnectionStartsAtTheNextBackendAndFallsBackToTheOnesAfterIt() {
        List<Endpoint> all = FakeCandidates.endpoints(3);
        FakeCandidates c = FakeCandidates.of(all);

        assertEquals(List.of(all.get(0), all.get(1), all.get(2)), policy.order(c, CLIENT));
        assertEquals(List.of(all.get(1), all.get(2), all.get(0)), policy.order(c, CLIENT));
        assertEquals(List.of(all.get(2), all.get(0), all.get(1)), policy.order(c, CLIENT));
        assertEquals(all.getFirst(), policy.order(c, CLIENT).getFirst());
    }

    @Test
    void spreadsEvenly() {
        assertEquals(Map.of("r0", 100, "r1", 100, "r2", 100, "r3", 100),
                PolicyAssertions.firstChoices(policy, FakeCandidates.of(FakeCandidates.endpoints(4)), 400));
    }

    @Test
    void portsRotateOnTheirOwnEvenWhenTheyShareThePolicy() {
        // Two ports interleaving their connections: a cursor in the policy would give each
        // port every other backend only.
        FakeCandidates a = FakeCandidates.of(FakeCandidates.endpoints(2));
        FakeCandidates b = FakeCandidates.of(FakeCandidates.endpoints(2));
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            seen.append(policy.order(a, CLIENT).getFirst().replica());
            policy.order(b, CLIENT);
        }
        assertEquals("r0r1r0r1", seen.toString());
    }
}
