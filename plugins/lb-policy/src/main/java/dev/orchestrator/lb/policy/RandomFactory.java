package dev.orchestrator.lb.policy;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.BalancingPolicyFactory;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;

/**
 * Creates the {@code random} balancing policy: each new connection goes to a backend picked at random. No settings. Policies of this module are
 * stateless, so {@link #create} hands out one shared instance.
 */
public final class RandomFactory implements BalancingPolicyFactory {
    /** The plugin's name, as a service's {@code load_balancer} names it. */
    public static final String NAME = "random";
    private static final BalancingPolicy POLICY = new RandomChoice();

    /** For {@link java.util.ServiceLoader}. */
    public RandomFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return 50 */
    @Override
    public int weight() {
        return 50;
    }

    @Override
    public BalancingPolicy create(PluginConfig config, PluginContext context) {
        return POLICY;
    }
}
