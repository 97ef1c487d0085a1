package dev.orchestrator.api.spi;

import java.util.Objects;

/**
 * What went through one published port of a {@link LoadBalancer} since it was bound. A
 * snapshot: the counters go on moving.
 *
 * @param service           the service the port is published for
 * @param protocol          {@code tcp} or {@code udp}
 * @param port              the published port
 * @param connectionsTotal  connections accepted
 * @param connectionsActive connections being relayed now
 * @param bytesReceived     bytes read from clients (and sent on to backends)
 * @param bytesSent         bytes sent to clients (read from backends)
 */
public record PortTraffic(String service, String protocol, int port, long connectionsTotal, int connectionsActive,
                          long bytesReceived, long bytesSent) {
    /** Requires the names. */
    public PortTraffic {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(protocol, "protocol");
    }
}
