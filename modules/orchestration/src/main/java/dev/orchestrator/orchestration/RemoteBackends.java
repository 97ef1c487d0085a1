package dev.orchestrator.orchestration;

import dev.orchestrator.api.spi.Endpoint;
import java.time.Duration;
import java.util.List;

/**
 * The healthy backends of a service's port on the other nodes of the cluster.
 *
 * <p>Called by the reconciler's threads, concurrently: implementations are thread-safe, never
 * block on the network (they answer from what heartbeats last brought) and never fail.
 */
@FunctionalInterface
public interface RemoteBackends {
    /** A node alone: no other node has backends. */
    RemoteBackends NONE = (service, containerPort, protocol) -> List.of();

    /**
     * @param service       the service
     * @param containerPort the container port
     * @param protocol      {@code tcp} or {@code udp}
     * @return the backends on other nodes that are ready, possibly empty
     */
    List<Endpoint> of(String service, int containerPort, String protocol);

    /**
     * How long after this node stops advertising one of its backends every other node has
     * stopped routing to it: a container leaving service is withdrawn, then stopped only
     * after this long, so no other node's load balancer sends it a connection while it stops.
     *
     * @return the delay; zero when no other node routes to this one
     */
    default Duration propagation() {
        return Duration.ZERO;
    }
}
