package dev.orchestrator.discovery.dns;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.Endpoint;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A service's healthy replicas, checked and indexed once per update so lookups only read.
 * Immutable.
 *
 * @param name     {@code <service>.<zone>.}, lower case
 * @param replicas the replicas in update order, one per replica name
 * @param stable   the service's stable address, which its name answers instead of the
 *                 replicas' when present
 */
record ServiceEntry(Name name, List<Replica> replicas, Optional<InetAddress> stable) {
    /** Copies. */
    ServiceEntry {
        replicas = List.copyOf(replicas);
    }

    /**
     * Checks a service's endpoints and turns them into replicas.
     *
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for a name that is not a DNS label,
     *         a host that is not an IPv4 literal or a port outside 1..65535
     */
    static ServiceEntry of(String service, List<Endpoint> endpoints, Name zone) {
        return of(service, null, endpoints, zone);
    }

    /**
     * As {@link #of(String, List, Name)}, with a stable address.
     *
     * @throws OrchestratorException {@code INVALID_ARGUMENT} also for a stable address that is not IPv4
     */
    static ServiceEntry of(String service, String stable, List<Endpoint> endpoints, Name zone) {
        Name name = child(label(service, "service"), zone);
        Map<String, Replica> byLabel = new LinkedHashMap<>();
        Map<String, java.util.Set<Integer>> ports = new LinkedHashMap<>();
        for (Endpoint e : endpoints) {
            String label = label(e.replica(), "replica");
            int port = port(e);
            byLabel.putIfAbsent(label, new Replica(label, child(label, name), ipv4(e.replica(), e.host()),
                    java.util.Set.of()));
            if (port > 0) {
                ports.computeIfAbsent(label, k -> new java.util.TreeSet<>()).add(port);
            }
        }
        var replicas = new ArrayList<Replica>();
        byLabel.forEach((label, r) -> replicas.add(new Replica(label, r.fqdn(), r.address(),
                ports.getOrDefault(label, java.util.Set.of()))));
        return new ServiceEntry(name, replicas,
                stable == null ? Optional.empty() : Optional.of(ipv4("service " + service, stable)));
    }

    /** @return the stable address if it has one, else every replica's address, each once, in replica order */
    List<InetAddress> addresses() {
        if (stable.isPresent()) {
            return List.of(stable.get());
        }
        return List.copyOf(new LinkedHashSet<>(replicas.stream().map(Replica::address).toList()));
    }

    /** @return the replica with this lower-case label */
    Optional<Replica> replica(String label) {
        return replicas.stream().filter(r -> r.label().equals(label)).findFirst();
    }

    /** @return the replicas listening on this port */
    List<Replica> onPort(int port) {
        return replicas.stream().filter(r -> r.ports().contains(port)).toList();
    }

    private static String label(String value, String what) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty() || v.length() > 63 || !v.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?")) {
            throw OrchestratorException.invalid(what + " name '" + value + "' is not a DNS label");
        }
        return v;
    }

    private static Name child(String label, Name parent) {
        try {
            return Name.concatenate(Name.fromString(label), parent);
        } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
            throw OrchestratorException.invalid("name " + label + "." + parent + " is not a valid DNS name");
        }
    }

    private static InetAddress ipv4(String who, String host) {
        byte[] bytes = host == null ? null : Address.toByteArray(host.trim(), Address.IPv4);
        if (bytes == null) {
            throw OrchestratorException.invalid("replica " + who + ": host '" + host
                    + "' is not an IPv4 address");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static int port(Endpoint e) {
        if (e.port() < 0 || e.port() > 65535) {
            throw OrchestratorException.invalid("replica " + e.replica() + ": port " + e.port()
                    + " is not 0 (none) or in 1..65535");
        }
        return e.port();
    }
}
