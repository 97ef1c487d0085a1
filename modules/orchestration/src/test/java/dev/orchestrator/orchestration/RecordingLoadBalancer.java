package dev.orchestrator.orchestration;

import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.LoadBalancer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A load balancer that binds nothing and remembers what each port was last given. */
final class RecordingLoadBalancer implements LoadBalancer {
    private final Map<String, List<Endpoint>> ports = new ConcurrentHashMap<>();
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final AtomicInteger publishes = new AtomicInteger();
    private volatile boolean closed;

    @Override
    public void publish(String service, String protocol, String bindAddress, int port, List<Endpoint> backends) {
        publishes.incrementAndGet();
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
