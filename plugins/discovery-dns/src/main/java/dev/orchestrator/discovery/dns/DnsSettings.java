package dev.orchestrator.discovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * The DNS server's validated settings. Immutable.
 *
 * @param zone      the zone served authoritatively, absolute, e.g. {@code internal.}
 * @param address   the address to listen on (UDP and TCP)
 * @param port      the port to listen on; 0 picks a free one
 * @param ttl       the TTL of every answer and the negative-caching TTL, 0..3600 seconds
 * @param upstreams where names outside the zone are forwarded; empty means "read
 *                  {@code /etc/resolv.conf} at start"
 * @param timeout   the longest wait for the upstreams to answer one forwarded query
 */
record DnsSettings(Name zone, InetAddress address, int port, int ttl, List<InetSocketAddress> upstreams,
                   Duration timeout) {
    /** The largest TTL accepted, one hour. */
    static final int MAX_TTL = 3600;

    /** Validates and copies. */
    DnsSettings {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        if (!zone.isAbsolute()) {
            throw new IllegalArgumentException("zone must be absolute: " + zone);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (ttl < 0 || ttl > MAX_TTL) {
            throw new IllegalArgumentException("ttl must be 0.." + MAX_TTL + ", got " + ttl);
        }
        upstreams = List.copyOf(upstreams);
    }
}
