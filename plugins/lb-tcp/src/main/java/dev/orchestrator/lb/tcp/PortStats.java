package dev.orchestrator.lb.tcp;

import dev.orchestrator.api.spi.Endpoint;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counters of one published port, for metrics. A snapshot: the counters go on moving.
 *
 * @param service            the service the port is published for
 * @param protocol           always {@code tcp}
 * @param port               the published port
 * @param activeConnections  connections being relayed now
 * @param totalConnections   connections accepted since the port was bound
 * @param unroutedConnections accepted connections closed without a backend: none was
 *                            published, or none accepted the connection
 * @param failedConnects     per current backend, in routing order, the connection attempts
 *                            it refused or let time out since it joined the port
 */
public record PortStats(String service, String protocol, int port, int activeConnections, long totalConnections,
                        long unroutedConnections, Map<Endpoint, Long> failedConnects) {
    /** Copies the map, keeping its order. */
    public PortStats {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(protocol, "protocol");
        failedConnects = Collections.unmodifiableMap(new LinkedHashMap<>(failedConnects));
    }
}
