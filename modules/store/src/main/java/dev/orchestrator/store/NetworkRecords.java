package dev.orchestrator.store;

import dev.orchestrator.api.Ipv4Cidr;
import java.util.List;
import java.util.Map;

/**
 * Managed networks' subnets per node and services' stable addresses, both allotted from pools
 * so that no two ever collide. See {@link StoreTx} for threading, blocking and failures.
 */
public interface NetworkRecords {
    /** The prefix of each network's subnet on one node: 254 containers. */
    int SUBNET_PREFIX = 24;

    /** @return every subnet, by network then node */
    List<Subnet> subnets();

    /**
     * The subnet of a network on a node, allotted (the lowest free one of the pool) if it has none.
     *
     * @param network the network
     * @param node    the node
     * @param pool    the pool subnets come from
     * @return its subnet
     * @throws dev.orchestrator.api.OrchestratorException {@code UNSCHEDULABLE} if the pool is used up
     */
    Subnet subnet(String network, String node, Ipv4Cidr pool);

    /**
     * Frees a subnet. Idempotent.
     *
     * @param network the network
     * @param node    the node
     */
    void release(String network, String node);

    /** @return every service's stable address, by service */
    Map<String, String> addresses();

    /**
     * A service's stable address, allotted (the lowest free one of the range, skipping its first
     * {@code reserved}) if it has none. It is freed with the service.
     *
     * @param service  the service (it must exist)
     * @param range    the range addresses come from
     * @param reserved addresses at the start of the range not to use
     * @return its address
     * @throws dev.orchestrator.api.OrchestratorException {@code UNSCHEDULABLE} if the range is used up
     */
    String address(String service, Ipv4Cidr range, int reserved);
}
