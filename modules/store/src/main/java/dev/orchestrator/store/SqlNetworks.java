package dev.orchestrator.store;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Ipv4Cidr;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.internal.NetworkMapper;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@link NetworkRecords} on the {@code network_subnets} and {@code service_addresses} tables. */
final class SqlNetworks implements NetworkRecords {
    private final Access access;
    private final Clock clock;

    SqlNetworks(Access access, Clock clock) {
        this.access = access;
        this.clock = clock;
    }

    @Override
    public List<Subnet> subnets() {
        return access.read("list subnets", session -> session.getMapper(NetworkMapper.class).subnets());
    }

    @Override
    public Subnet subnet(String network, String node, Ipv4Cidr pool) {
        Checks.name("network", network);
        Checks.name("node", node);
        return access.write("allot a subnet to " + network + " on " + node, session -> {
            NetworkMapper m = session.getMapper(NetworkMapper.class);
            var taken = new HashSet<String>();
            for (Subnet s : m.subnets()) {
                if (s.network().equals(network) && s.node().equals(node)) {
                    return s;
                }
                taken.add(s.subnet());
            }
            long count = 1L << (SUBNET_PREFIX - pool.prefix());
            for (long i = 0; i < count; i++) {
                String candidate = pool.subnet(SUBNET_PREFIX, i).toString();
                if (!taken.contains(candidate)) {
                    m.insertSubnet(network, node, candidate, clock.millis());
                    return new Subnet(network, node, candidate);
                }
            }
            throw new OrchestratorException(ErrorCode.UNSCHEDULABLE, "the network pool " + pool + " has no free /"
                    + SUBNET_PREFIX + " left for network " + network + " on node " + node);
        });
    }

    @Override
    public void release(String network, String node) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(node, "node");
        access.run("free the subnet of " + network + " on " + node,
                session -> session.getMapper(NetworkMapper.class).deleteSubnet(network, node));
    }

    @Override
    public Map<String, String> addresses() {
        return access.read("list service addresses", session -> {
            var out = new HashMap<String, String>();
            session.getMapper(NetworkMapper.class).addresses()
                    .forEach((service, row) -> out.put(service, row.get("address")));
            return out;
        });
    }

    @Override
    public String address(String service, Ipv4Cidr range, int reserved) {
        Checks.name("service", service);
        return access.write("allot an address to " + service, session -> {
            NetworkMapper m = session.getMapper(NetworkMapper.class);
            var all = new HashMap<String, String>();
            m.addresses().forEach((s, row) -> all.put(s, row.get("address")));
            String mine = all.get(service);
            if (mine != null) {
                return mine;
            }
            var taken = new HashSet<>(all.values());
            // The last address is the broadcast address of the range: never a service's.
            for (long i = reserved; i < range.size() - 1; i++) {
                String candidate = range.addressAt(i);
                if (!taken.contains(candidate)) {
                    m.insertAddress(service, candidate);
                    return candidate;
                }
            }
            throw new OrchestratorException(ErrorCode.UNSCHEDULABLE, "the service address range " + range
                    + " has no free address left for " + service);
        });
    }
}
