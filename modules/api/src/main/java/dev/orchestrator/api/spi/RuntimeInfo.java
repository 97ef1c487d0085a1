package dev.orchestrator.api.spi;

/**
 * Facts about a runtime and the machine it runs on.
 *
 * @param driver      the driver's plugin name
 * @param version     the runtime's version, e.g. Docker's {@code 20.10.24}
 * @param apiVersion  the API version in use
 * @param cpus        CPUs available to containers
 * @param memoryBytes memory available to containers
 * @param os          operating system description
 */
public record RuntimeInfo(String driver, String version, String apiVersion, int cpus, long memoryBytes, String os) {
}
