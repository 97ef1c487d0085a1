package dev.orchestrator.api.spi;

/**
 * One replica to place.
 *
 * @param service     the service name
 * @param replica     the replica index
 * @param cpuShares   requested CPU shares (0 if unset)
 * @param memoryBytes requested memory (0 if unset)
 */
public record PlacementRequest(String service, int replica, long cpuShares, long memoryBytes) {
}
