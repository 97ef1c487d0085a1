package dev.orchestrator.discovery.dns;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every known service, by lower-case name, with a serial that grows on every change (it is the
 * zone's SOA serial). Immutable: a change makes a new table, swapped in atomically.
 *
 * @param services the services
 * @param serial   the change counter
 */
record ServiceTable(Map<String, ServiceEntry> services, long serial) {
    /** The table before any update. */
    static final ServiceTable EMPTY = new ServiceTable(Map.of(), 1);

    /** Copies. */
    ServiceTable {
        services = Map.copyOf(services);
    }

    /** @return the service with this lower-case name */
    Optional<ServiceEntry> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** @return a table where {@code name} maps to {@code entry} */
    ServiceTable with(String name, ServiceEntry entry) {
        if (entry.equals(services.get(name))) {
            return this;
        }
        Map<String, ServiceEntry> copy = new HashMap<>(services);
        copy.put(name, entry);
        return new ServiceTable(copy, serial + 1);
    }

    /** @return a table without {@code name}; this one if it was not there */
    ServiceTable without(String name) {
        if (!services.containsKey(name)) {
            return this;
        }
        Map<String, ServiceEntry> copy = new HashMap<>(services);
        copy.remove(name);
        return new ServiceTable(copy, serial + 1);
    }
}
