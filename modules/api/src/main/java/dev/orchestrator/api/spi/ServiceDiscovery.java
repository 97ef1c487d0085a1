package dev.orchestrator.api.spi;

import java.util.List;

/**
 * Makes services resolvable by name (e.g. a DNS server answering {@code api-server} with the
 * addresses of its healthy replicas).
 *
 * <p>Threading: thread-safe. {@link #update} and {@link #remove} are idempotent, non-blocking
 * (they swap an in-memory table) and may be called often.
 */
public interface ServiceDiscovery extends AutoCloseable {
    /** Starts serving. Blocks until ready; throws if the listen address is taken. */
    void start();

    /**
     * Replaces the endpoints of a service.
     *
     * @param service   the service name
     * @param endpoints its healthy endpoints, possibly empty
     */
    void update(String service, List<Endpoint> endpoints);

    /**
     * Replaces a service's entry: its stable address (what its name answers; the node's load
     * balancer spreads connections to it over the endpoints) and its endpoints (each replica
     * by name). A back-end that knows no stable addresses answers the name with the endpoints.
     *
     * @param service   the service name
     * @param address   its stable address, or null for none
     * @param endpoints its healthy endpoints, possibly empty
     */
    default void update(String service, String address, List<Endpoint> endpoints) {
        update(service, endpoints);
    }

    /**
     * Forgets a service.
     *
     * @param service the service name
     */
    void remove(String service);

    /** Stops serving. Idempotent. */
    @Override
    void close();
}
