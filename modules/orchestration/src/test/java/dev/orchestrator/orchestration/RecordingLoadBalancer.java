package dev.orchestrator.orchestration;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.LoadBalancer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A load balancer that binds nothing and remembers what each port was last given. */
final class RecordingLoadBalancer implements LoadBalancer {
    /** Policies that only carry their name, so tests can see which one a port was given. */
    static final BalancingPolicies POLICIES = Named::new;

    /** A policy known by its name; it orders nothing. */
    record Named(String name) implements BalancingPolicy {
        @Override
        public List<Endpoint> order(Candidates candidates, java.net.InetSocketAddress client) {
            return candidates.endpoints();
        }
    }

    private final Map<String, String> policies = new ConcurrentHashMap<>();
    private final Map<String, List<Endpoint>> ports = new ConcurrentHashMap<>();
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final AtomicInteger publishes = new AtomicInteger();
    /** Ports that were published without a backend after they had one. */
    private final java.util.Set<String> emptied = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    @Override
    public void publish(String service, String protocol, String bindAddress, int port, List<Endpoint> backends,
                        BalancingPolicy policy) {
        publishes.incrementAndGet();
        List<Endpoint> before = ports.get(key(protocol, port));
        if (backends.isEmpty() && before != null && !before.isEmpty()) {
            emptied.add(key(protocol, port));
        }
        policies.put(key(protocol, port), ((Named) policy).name());
        ports.put(key(protocol, port), List.copyOf(backends));
        owners.put(key(protocol, port), service);
    }

    @Override
    public void unpublish(String protocol, int port) {
        ports.remove(key(protocol, port));
        owners.remove(key(protocol, port));
    }

    @Override
    public void close() {
        closed = true;
    }

    /** @return whether the tcp port was ever left without a backend after it had one */
    boolean everEmptied(int port) {
        return emptied.contains(key("tcp", port));
    }

    /** @return whether the port is published */
    boolean published(int port) {
        return ports.containsKey(key("tcp", port));
    }

    /** @return the replica names the tcp port routes to now, sorted; empty if unpublished */
    List<String> replicas(int port) {
        return ports.getOrDefault(key("tcp", port), List.of()).stream().map(Endpoint::replica).sorted().toList();
    }

    /** @return the endpoints the tcp port routes to now */
    List<Endpoint> backends(int port) {
        return ports.getOrDefault(key("tcp", port), List.of());
    }

    /** @return the name of the policy the tcp port was last published with, or null */
    String policy(int port) {
        return policies.get(key("tcp", port));
    }

    int publishes() {
        return publishes.get();
    }

    boolean closed() {
        return closed;
    }

    private static String key(String protocol, int port) {
        return port + "/" + protocol;
    }
}
