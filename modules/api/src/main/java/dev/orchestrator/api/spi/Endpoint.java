package dev.orchestrator.api.spi;

/**
 * A reachable replica of a service.
 *
 * @param replica the replica name
 * @param host    an address the replica is reachable at
 * @param port    the port at that address
 */
public record Endpoint(String replica, String host, int port) {
}
