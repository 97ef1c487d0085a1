package dev.orchestrator.cluster;

import dev.orchestrator.api.Ipv4Cidr;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.StoreTx;
import dev.orchestrator.store.Subnet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives every service a stable address and every managed network a subnet on each node that
 * runs (or is moving off) a replica of a service on it, inside the assigner's transaction, so
 * that a node is told its subnets together with its assignments. Subnets of networks no
 * service names any more, and of nodes that are gone, are freed.
 *
 * <p>Not thread-safe: called from the assigner's pass, which is serialised.
 *
 * @param pool     the pool of per-node subnets (each a /24)
 * @param services the range of services' stable addresses; its first {@value #RESERVED}
 *                 addresses are not services': the second is every node's DNS address
 */
public record NetworkAllotment(Ipv4Cidr pool, Ipv4Cidr services) {
    private static final System.Logger LOG = System.getLogger(NetworkAllotment.class.getName());
    /** Addresses at the start of the service range that no service gets. */
    public static final int RESERVED = 2;
    /** The defaults: 10.210.0.0/16 for containers, 10.211.0.0/16 for services. */
    public static final NetworkAllotment DEFAULT = new NetworkAllotment(Ipv4Cidr.parse("pool", "10.210.0.0/16"),
            Ipv4Cidr.parse("services", "10.211.0.0/16"));

    /** Requires ranges that do not overlap. */
    public NetworkAllotment {
        if (pool.overlaps(services)) {
            throw dev.orchestrator.api.OrchestratorException.invalid("network.pool " + pool
                    + " overlaps network.service-range " + services);
        }
        if (pool.prefix() > dev.orchestrator.store.NetworkRecords.SUBNET_PREFIX) {
            throw dev.orchestrator.api.OrchestratorException.invalid("network.pool " + pool
                    + " must be /24 or larger");
        }
    }

    /** @return the address every node serves DNS on, to its containers */
    public String dnsAddress() {
        return services.addressAt(1);
    }

    /**
     * @param tx          the assigner's transaction
     * @param all         every service
     * @param assignments every assignment, after the pass
     * @param nodes       every node
     * @return the nodes whose subnets changed
     */
    public Set<String> allot(StoreTx tx, List<ServiceRecord> all, List<Assignment> assignments,
                             Map<String, NodeRecord> nodes) {
        Map<String, String> addresses = tx.networks().addresses();
        var specs = new HashMap<String, ServiceRecord>();
        for (ServiceRecord s : all) {
            specs.put(s.name(), s);
            if (!addresses.containsKey(s.name())) {
                tx.networks().address(s.name(), services, RESERVED);
            }
        }
        var wanted = new HashSet<String>();
        for (Assignment a : assignments) {
            ServiceRecord s = specs.get(a.service());
            if (s == null) {
                continue;
            }
            for (String net : s.spec().effectiveNetworks()) {
                wanted.add(net + "\n" + a.node());
                if (a.previousNode() != null) {
                    wanted.add(net + "\n" + a.previousNode());
                }
            }
        }
        return reconcile(tx, wanted, usedNetworks(all), nodes);
    }

    private Set<String> reconcile(StoreTx tx, Set<String> wanted, Set<String> used, Map<String, NodeRecord> nodes) {
        var changed = new HashSet<String>();
        var have = new HashSet<String>();
        for (Subnet s : tx.networks().subnets()) {
            have.add(s.network() + "\n" + s.node());
            // A subnet stays while its node exists and its network is named, even with no replica
            // there now: containers being removed may still hold addresses in it.
            if (!used.contains(s.network()) || !nodes.containsKey(s.node())) {
                tx.networks().release(s.network(), s.node());
                changed.add(s.node());
            }
        }
        for (String key : wanted) {
            if (!have.contains(key)) {
                String[] parts = key.split("\n");
                try {
                    tx.networks().subnet(parts[0], parts[1], pool);
                    changed.add(parts[1]);
                } catch (dev.orchestrator.api.OrchestratorException e) {
                    // A full pool stops this network on this node, not every other placement.
                    LOG.log(System.Logger.Level.WARNING, e.getMessage());
                }
            }
        }
        return changed;
    }

    private static Set<String> usedNetworks(List<ServiceRecord> all) {
        var used = new HashSet<String>();
        all.forEach(s -> used.addAll(s.spec().effectiveNetworks()));
        return used;
    }
}
