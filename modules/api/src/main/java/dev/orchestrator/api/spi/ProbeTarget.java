package dev.orchestrator.api.spi;

import dev.orchestrator.api.HealthCheckSpec;
import java.util.Map;

/**
 * A replica to probe.
 *
 * @param containerId the container's id
 * @param replica     the replica name, e.g. {@code api-server-2}
 * @param address     an address at which the container's ports are reachable from the prober
 * @param portMap     container port to the port to use at {@code address} (identity on a bridge address)
 * @param spec        the health check settings
 * @param runtime     the runtime, for probes that run commands inside the container
 */
public record ProbeTarget(String containerId, String replica, String address, Map<Integer, Integer> portMap,
                          HealthCheckSpec spec, ContainerRuntime runtime) {
    /** Copies the port map. */
    public ProbeTarget {
        portMap = portMap == null ? Map.of() : Map.copyOf(portMap);
    }

    /**
     * @param containerPort a container port
     * @return the port to connect to at {@link #address()}
     */
    public int reachablePort(int containerPort) {
        return portMap.getOrDefault(containerPort, containerPort);
    }
}
