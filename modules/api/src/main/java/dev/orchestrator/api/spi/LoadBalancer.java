package dev.orchestrator.api.spi;

import java.util.List;

/**
 * Publishes a service's port on the node and spreads connections over its replicas.
 *
 * <p>Threading: thread-safe. {@link #publish} binds the port the first time (blocking briefly)
 * and afterwards only swaps the backend list and policy; it is idempotent. Connections in
 * flight to a removed backend are allowed to finish (they drain). Which backend a connection
 * goes to is the {@link BalancingPolicy}'s choice; the load balancer is the transport: it
 * counts each backend's active connections for the policy and, when a connect fails, tries
 * the next backend in the policy's order.
 */
public interface LoadBalancer extends AutoCloseable {
    /**
     * Binds {@code bindAddress:port} if not yet bound and routes new connections to {@code backends}.
     *
     * @param service     the service name
     * @param protocol    {@code tcp} or {@code udp}
     * @param bindAddress the local address to listen on; blank for every address of the node
     * @param port        the published port
     * @param backends    the healthy replicas, possibly empty: the port stays bound and new
     *                    connections are accepted and closed at once
     * @param policy      orders the backends for each new connection; a later publish may
     *                    change it, for new connections
     * @throws dev.orchestrator.api.OrchestratorException {@code CONFLICT} if the port is in use
     *         on the node or published for another service, {@code INVALID_ARGUMENT} for a
     *         protocol the plugin does not balance
     * @throws IllegalStateException after {@link #close()}
     */
    void publish(String service, String protocol, String bindAddress, int port, List<Endpoint> backends,
                 BalancingPolicy policy);

    /**
     * Unbinds a published port. Idempotent.
     *
     * @param protocol {@code tcp} or {@code udp}
     * @param port     the published port
     */
    void unpublish(String protocol, int port);

    /**
     * Counters of the published ports, for metrics. Never blocks on I/O; safe from any thread;
     * read-only. The counters count from the port's binding (a port unpublished and published
     * again starts from 0).
     *
     * <p>The default, for balancers that do not count, reports nothing.
     *
     * @return one entry per published port
     */
    default List<PortTraffic> traffic() {
        return List.of();
    }

    /** Unbinds everything. Idempotent. */
    @Override
    void close();
}
