package dev.orchestrator.api.spi;

/**
 * Creates {@link BalancingPolicy}s: a service chooses one by name ({@code load_balancer} in its
 * spec). The node creates each policy once, when a service first names it, and shares it
 * between every port published with it.
 */
public interface BalancingPolicyFactory extends PluginFactory<BalancingPolicy> {
}
