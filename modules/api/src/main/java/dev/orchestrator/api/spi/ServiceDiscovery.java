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
     * Forgets a service.
     *
     * @param service the service name
     */
    void remove(String service);

    /** Stops serving. Idempotent. */
    @Override
    void close();
}
