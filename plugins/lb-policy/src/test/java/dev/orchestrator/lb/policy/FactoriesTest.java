package dev.orchestrator.lb.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.orchestrator.api.spi.BalancingPolicyFactory;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.testkit.QuietContext;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class FactoriesTest {
    @Test
    void theFourPoliciesAreFoundAndRoundRobinWeighsMost() {
        List<BalancingPolicyFactory> found = ServiceLoader.load(BalancingPolicyFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(BalancingPolicyFactory::weight).reversed()
                        .thenComparing(BalancingPolicyFactory::name))
                .toList();

        assertEquals(List.of("round-robin", "hash", "least-connections", "random"),
                found.stream().map(BalancingPolicyFactory::name).toList());
    }

    @Test
    void aStatelessPolicyIsShared() {
        var f = new LeastConnectionsFactory();
        assertSame(f.create(PluginConfig.EMPTY, QuietContext.create()), f.create(PluginConfig.EMPTY, QuietContext.create()));
    }
}
