package dev.orchestrator.lb.policy;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.BalancingPolicyFactory;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;

/**
 * Creates the {@code least-connections} balancing policy: each new connection goes to the backend with the fewest connections in flight. No settings. Policies of this module are
 * stateless, so {@link #create} hands out one shared instance.
 */
public final class LeastConnectionsFactory implements BalancingPolicyFactory {
    /** The plugin's name, as a service's {@code load_balancer} names it. */
    public static final String NAME = "least-connections";
    private static final BalancingPolicy POLICY = new LeastConnections();

    /** For {@link java.util.ServiceLoader}. */
    public LeastConnectionsFactory() {
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
