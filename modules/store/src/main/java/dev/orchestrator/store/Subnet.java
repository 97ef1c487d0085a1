package dev.orchestrator.store;

import java.util.Objects;

/**
 * The subnet a managed network has on one node.
 *
 * @param network the network name
 * @param node    the node
 * @param subnet  its subnet, CIDR form
 */
public record Subnet(String network, String node, String subnet) {
    /** Requires every field. */
    public Subnet {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(subnet, "subnet");
    }
}
