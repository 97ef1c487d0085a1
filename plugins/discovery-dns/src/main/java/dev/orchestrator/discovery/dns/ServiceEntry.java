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
 */
record ServiceEntry(Name name, List<Replica> replicas) {
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
        Name name = child(label(service, "service"), zone);
        Map<String, Replica> byLabel = new LinkedHashMap<>();
        for (Endpoint e : endpoints) {
            String label = label(e.replica(), "replica");
            byLabel.putIfAbsent(label, new Replica(label, child(label, name), ipv4(e), port(e)));
        }
        return new ServiceEntry(name, new ArrayList<>(byLabel.values()));
    }

    /** @return every replica's address, each once, in replica order */
    List<InetAddress> addresses() {
        return List.copyOf(new LinkedHashSet<>(replicas.stream().map(Replica::address).toList()));
    }

    /** @return the replica with this lower-case label */
    Optional<Replica> replica(String label) {
        return replicas.stream().filter(r -> r.label().equals(label)).findFirst();
    }

    /** @return the replicas listening on this port */
    List<Replica> onPort(int port) {
        return replicas.stream().filter(r -> r.port() == port).toList();
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

    private static InetAddress ipv4(Endpoint e) {
        byte[] bytes = e.host() == null ? null : Address.toByteArray(e.host().trim(), Address.IPv4);
        if (bytes == null) {
            throw OrchestratorException.invalid("replica " + e.replica() + ": host '" + e.host()
                    + "' is not an IPv4 address");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static int port(Endpoint e) {
        if (e.port() < 1 || e.port() > 65535) {
            throw OrchestratorException.invalid("replica " + e.replica() + ": port " + e.port()
                    + " is not in 1..65535");
        }
        return e.port();
    }
}
