package dev.orchestrator.lb.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.spi.BalancingPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomChoiceTest {
    private final BalancingPolicy policy = new RandomFactory().create(null, null);

    @Test
    void ordersEveryBackendOnce() {
        PolicyAssertions.ordersEveryBackendOnce(policy);
    }

    @Test
    void spreadsRoughlyEvenly() {
        int calls = 40_000;
        Map<String, Integer> counts = PolicyAssertions.firstChoices(policy,
                FakeCandidates.of(FakeCandidates.endpoints(4)), calls);

        assertEquals(4, counts.size(), counts.toString());
        // Expected 10,000 each with a standard deviation of about 87: 10% off is ~11 sigma.
        counts.values().forEach(n -> assertTrue(Math.abs(n - calls / 4) < calls / 40, counts.toString()));
    }
}
