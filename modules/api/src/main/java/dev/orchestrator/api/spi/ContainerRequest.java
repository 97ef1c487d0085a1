package dev.orchestrator.api.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a container is created with.
 *
 * @param name        the container name
 * @param image       the image reference
 * @param labels      labels to set
 * @param env         environment variables
 * @param command     command override, empty for the image's default
 * @param ports       port bindings; a host port of 0 asks for an ephemeral one
 * @param memoryBytes memory limit, 0 for none
 * @param cpuShares   CPU shares, 0 for the default
 * @param network     the network to attach to, or null for the runtime's default bridge
 * @param aliases     DNS aliases on that network
 */
public record ContainerRequest(String name, String image, Map<String, String> labels, Map<String, String> env,
                               List<String> command, List<PortBinding> ports, long memoryBytes, long cpuShares,
                               String network, List<String> aliases) {
    /** Requires name and image, copies collections. */
    public ContainerRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        env = env == null ? Map.of() : Map.copyOf(env);
        command = command == null ? List.of() : List.copyOf(command);
        ports = ports == null ? List.of() : List.copyOf(ports);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
