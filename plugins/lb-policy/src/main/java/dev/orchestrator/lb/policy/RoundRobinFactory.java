package dev.orchestrator.lb.policy;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.BalancingPolicyFactory;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;

/**
 * Creates the {@code round-robin} balancing policy: each new connection goes to the next backend in turn. No settings. Policies of this module are
 * stateless, so {@link #create} hands out one shared instance.
 */
public final class RoundRobinFactory implements BalancingPolicyFactory {
    /** The plugin's name, as a service's {@code load_balancer} names it. */
    public static final String NAME = "round-robin";
    private static final BalancingPolicy POLICY = new RoundRobin();

    /** For {@link java.util.ServiceLoader}. */
    public RoundRobinFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return 100, the highest: the default policy */
    @Override
    public int weight() {
        return 100;
    }

    @Override
    public BalancingPolicy create(PluginConfig config, PluginContext context) {
        return POLICY;
    }
}
