package dev.orchestrator.orchestration;

import dev.orchestrator.api.Validation;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.LoadBalancer;
import java.util.Objects;

/**
 * A node the reconciler drives directly: its runtime and its load balancer.
 *
 * @param name           the node name (a DNS label)
 * @param address        the address other parties reach the node at
 * @param runtime        its container runtime
 * @param loadBalancer   its load balancer, which binds published service ports
 * @param ingressAddress the address published service ports listen on, e.g. {@code 0.0.0.0}
 * @param replicaAddress the address replicas' ephemeral host ports bind to, e.g. {@code 127.0.0.1}
 * @param policies       the balancing policies its load balancer is given, by service
 */
public record LocalNode(String name, String address, ContainerRuntime runtime, LoadBalancer loadBalancer,
                        String ingressAddress, String replicaAddress, BalancingPolicies policies) {
    /** Validates the name, requires the rest. */
    public LocalNode {
        Validation.dnsLabel("node name", name);
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(loadBalancer, "loadBalancer");
        Objects.requireNonNull(ingressAddress, "ingressAddress");
        Objects.requireNonNull(replicaAddress, "replicaAddress");
        Objects.requireNonNull(policies, "policies");
    }
}
