package dev.orchestrator.orchestration;

import dev.orchestrator.api.spi.BalancingPolicy;

/**
 * The node's balancing policies by name, as services name them ({@code load_balancer}).
 * Thread-safe; cheap after a name's first use (the node creates each policy once and caches it).
 */
@FunctionalInterface
public interface BalancingPolicies {
    /**
     * @param name a policy name, e.g. {@code round-robin}
     * @return the policy, the same instance for the same name
     * @throws dev.orchestrator.api.OrchestratorException {@code PLUGIN_ERROR} if no such policy is
     *         installed on this node
     */
    BalancingPolicy named(String name);

    /**
     * @param policy the one policy
     * @return policies that answer {@code policy} for every name: for tests and simulations,
     *         whose load balancers bind nothing
     */
    static BalancingPolicies only(BalancingPolicy policy) {
        return name -> policy;
    }
}
