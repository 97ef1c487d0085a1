package dev.orchestrator.api.spi;

/**
 * A container port bound to a host port.
 *
 * @param containerPort the container's port
 * @param protocol      {@code tcp} or {@code udp}
 * @param hostIp        the host address to bind, e.g. {@code 127.0.0.1}; null for all
 * @param hostPort      the host port; 0 in a request asks for an ephemeral port
 */
public record PortBinding(int containerPort, String protocol, String hostIp, int hostPort) {
}
