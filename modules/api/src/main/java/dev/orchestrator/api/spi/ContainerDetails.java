package dev.orchestrator.api.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container as the runtime reports it.
 *
 * @param id         the full id
 * @param name       the name, without a leading slash
 * @param image      the image reference it was created from
 * @param labels     its labels
 * @param state      its state
 * @param exitCode   the last exit code (meaningful when exited)
 * @param oomKilled  whether the kernel's OOM killer ended it
 * @param startedAt  when it last started, or null
 * @param finishedAt when it last ended, or null
 * @param ipAddress  its address on its network, or null when not running
 * @param ports      its published ports, with the host ports actually bound
 * @param addresses  its address on each network it has one on, by network name
 */
public record ContainerDetails(String id, String name, String image, Map<String, String> labels, ContainerState state,
                               int exitCode, boolean oomKilled, Instant startedAt, Instant finishedAt,
                               String ipAddress, List<PortBinding> ports, Map<String, String> addresses) {
    /** Copies collections. */
    public ContainerDetails {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ports = ports == null ? List.of() : List.copyOf(ports);
        addresses = addresses == null ? Map.of() : Map.copyOf(addresses);
    }

    /**
     * Details with no per-network addresses.
     *
     * @param id         the full id
     * @param name       the name
     * @param image      the image
     * @param labels     its labels
     * @param state      its state
     * @param exitCode   the last exit code
     * @param oomKilled  whether the OOM killer ended it
     * @param startedAt  when it last started, or null
     * @param finishedAt when it last ended, or null
     * @param ipAddress  its address, or null
     * @param ports      its published ports
     */
    public ContainerDetails(String id, String name, String image, Map<String, String> labels, ContainerState state,
                            int exitCode, boolean oomKilled, Instant startedAt, Instant finishedAt,
                            String ipAddress, List<PortBinding> ports) {
        this(id, name, image, labels, state, exitCode, oomKilled, startedAt, finishedAt, ipAddress, ports, Map.of());
    }

    /** @return true if the container is running */
    public boolean running() {
        return state == ContainerState.RUNNING;
    }
}
