package dev.orchestrator.orchestration;

import dev.orchestrator.api.spi.Endpoint;
import java.util.Objects;

/**
 * A healthy replica behind one published port of a service: what a node tells the others so
 * that every node's load balancer can route the port to replicas on any node.
 *
 * @param service       the service
 * @param containerPort the container port the published port maps to
 * @param protocol      {@code tcp} or {@code udp}
 * @param endpoint      the replica's name and the address and host port it is reached at
 * @param network       null for a published port's backend; else the managed network of the
 *                      replica's address in {@code endpoint} (port 0, {@code containerPort} 0)
 */
public record Backend(String service, int containerPort, String protocol, Endpoint endpoint, String network) {
    /** Requires every field. */
    public Backend {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /**
     * A backend of a published port.
     *
     * @param service       the service
     * @param containerPort the container port
     * @param protocol      tcp or udp
     * @param endpoint      the replica, node address and host port
     */
    public Backend(String service, int containerPort, String protocol, Endpoint endpoint) {
        this(service, containerPort, protocol, endpoint, null);
    }
}
