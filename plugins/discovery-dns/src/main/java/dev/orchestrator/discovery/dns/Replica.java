package dev.orchestrator.discovery.dns;

import java.net.InetAddress;
import org.xbill.DNS.Name;

/**
 * One healthy replica as the zone serves it. Immutable.
 *
 * @param label   the replica's DNS label, lower case, e.g. {@code api-server-2}
 * @param fqdn    {@code <replica>.<service>.<zone>.}, lower case
 * @param address its IPv4 address
 * @param ports   its container ports (SRV), possibly none
 */
record Replica(String label, Name fqdn, InetAddress address, java.util.Set<Integer> ports) {
    /** Copies. */
    Replica {
        ports = java.util.Set.copyOf(ports);
    }
}
