package dev.orchestrator.api;

import java.util.Locale;

/**
 * A port a service exposes. {@code hostPort} is the service's published port on every node
 * (routed to the replicas by the node's load balancer); 0 means "not published".
 *
 * @param containerPort the port the container listens on, 1..65535
 * @param hostPort      the published port, 0 or 1..65535
 * @param protocol      {@code tcp} or {@code udp}
 */
public record PortMapping(int containerPort, int hostPort, String protocol) {
    /** Validates every field. */
    public PortMapping {
        Validation.port("ports.container_port", containerPort);
        if (hostPort != 0) {
            Validation.port("ports.host_port", hostPort);
        }
        protocol = protocol == null ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw OrchestratorException.invalid("ports.protocol must be 'tcp' or 'udp', got '" + protocol + "'");
        }
    }

    /** @return true if this port is published on the nodes */
    public boolean published() {
        return hostPort != 0;
    }
}
