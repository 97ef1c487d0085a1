package dev.orchestrator.lb.policy;

import static dev.orchestrator.lb.policy.PolicyAssertions.CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastConnectionsTest {
    private final BalancingPolicy policy = new LeastConnectionsFactory().create(null, null);

    @Test
    void ordersEveryBackendOnce() {
        PolicyAssertions.ordersEveryBackendOnce(policy);
    }

    @Test
    void choosesTheBackendWithFewestConnectionsInFlight() {
        List<Endpoint> all = FakeCandidates.endpoints(3);
        FakeCandidates c = FakeCandidates.of(all).active(0, 5).active(1, 1).active(2, 3);

        for (int i = 0; i < 6; i++) {
            assertEquals(all.get(1), policy.order(c, CLIENT).getFirst());
        }
    }

    @Test
    void idleBackendsShareTheLoadInTurn() {
        FakeCandidates c = FakeCandidates.of(FakeCandidates.endpoints(3));

        assertEquals(Map.of("r0", 10, "r1", 10, "r2", 10), PolicyAssertions.firstChoices(policy, c, 30));
    }

    @Test
    void tiesAmongTheLeastBusyAreBrokenInTurnAndTheBusyOneIsNeverFirst() {
        FakeCandidates c = FakeCandidates.of(FakeCandidates.endpoints(3)).active(1, 4);

        assertEquals(Map.of("r0", 10, "r2", 10), PolicyAssertions.firstChoices(policy, c, 20));
    }
}
