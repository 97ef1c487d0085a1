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
 * @param attachments    the networks and DNS of new containers
 * @param registries     the credentials its pulls use
 */
public record LocalNode(String name, String address, ContainerRuntime runtime, LoadBalancer loadBalancer,
                        String ingressAddress, String replicaAddress, BalancingPolicies policies,
                        Attachments attachments, RegistryAuths registries) {
    /** Validates the name, requires the rest. */
    public LocalNode {
        Validation.dnsLabel("node name", name);
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(loadBalancer, "loadBalancer");
        Objects.requireNonNull(ingressAddress, "ingressAddress");
        Objects.requireNonNull(replicaAddress, "replicaAddress");
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(attachments, "attachments");
        Objects.requireNonNull(registries, "registries");
    }

    /**
     * A node that pulls anonymously.
     *
     * @param name           the node name
     * @param address        the address other parties reach the node at
     * @param runtime        its container runtime
     * @param loadBalancer   its load balancer
     * @param ingressAddress the address published ports listen on
     * @param replicaAddress the address replicas' host ports bind to
     * @param policies       the balancing policies, by service
     * @param attachments    the networks and DNS of new containers
     */
    public LocalNode(String name, String address, ContainerRuntime runtime, LoadBalancer loadBalancer,
                     String ingressAddress, String replicaAddress, BalancingPolicies policies,
                     Attachments attachments) {
        this(name, address, runtime, loadBalancer, ingressAddress, replicaAddress, policies, attachments,
                RegistryAuths.NONE);
    }

    /**
     * A node whose containers go on the runtime's default network.
     *
     * @param name           the node name
     * @param address        the address other parties reach the node at
     * @param runtime        its container runtime
     * @param loadBalancer   its load balancer
     * @param ingressAddress the address published ports listen on
     * @param replicaAddress the address replicas' host ports bind to
     * @param policies       the balancing policies, by service
     */
    public LocalNode(String name, String address, ContainerRuntime runtime, LoadBalancer loadBalancer,
                     String ingressAddress, String replicaAddress, BalancingPolicies policies) {
        this(name, address, runtime, loadBalancer, ingressAddress, replicaAddress, policies, Attachments.NONE);
    }
}
