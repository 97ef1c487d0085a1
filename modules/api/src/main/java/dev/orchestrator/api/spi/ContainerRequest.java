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
 * @param moreNetworks further networks it joins before it starts (same aliases)
 * @param dns         DNS servers for its resolver, empty for the runtime's default
 * @param dnsSearch   DNS search domains, empty for the runtime's default
 * @param stopSignal  the signal a stop sends first (e.g. {@code SIGQUIT}), null for the runtime's default
 */
public record ContainerRequest(String name, String image, Map<String, String> labels, Map<String, String> env,
                               List<String> command, List<PortBinding> ports, long memoryBytes, long cpuShares,
                               String network, List<String> aliases, List<String> moreNetworks, List<String> dns,
                               List<String> dnsSearch, String stopSignal) {
    /** Requires name and image, copies collections. */
    public ContainerRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        env = env == null ? Map.of() : Map.copyOf(env);
        command = command == null ? List.of() : List.copyOf(command);
        ports = ports == null ? List.of() : List.copyOf(ports);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        moreNetworks = moreNetworks == null ? List.of() : List.copyOf(moreNetworks);
        dns = dns == null ? List.of() : List.copyOf(dns);
        dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
    }

    /** A request with the runtime's default stop signal. */
    public ContainerRequest(String name, String image, Map<String, String> labels, Map<String, String> env,
                            List<String> command, List<PortBinding> ports, long memoryBytes, long cpuShares,
                            String network, List<String> aliases, List<String> moreNetworks, List<String> dns,
                            List<String> dnsSearch) {
        this(name, image, labels, env, command, ports, memoryBytes, cpuShares, network, aliases, moreNetworks, dns,
                dnsSearch, null);
    }

    /**
     * A request on at most one network, with the runtime's DNS.
     *
     * @param name        the container name
     * @param image       the image reference
     * @param labels      labels to set
     * @param env         environment variables
     * @param command     command override
     * @param ports       port bindings
     * @param memoryBytes memory limit, 0 for none
     * @param cpuShares   CPU shares, 0 for the default
     * @param network     the network, or null
     * @param aliases     DNS aliases on that network
     */
    public ContainerRequest(String name, String image, Map<String, String> labels, Map<String, String> env,
                            List<String> command, List<PortBinding> ports, long memoryBytes, long cpuShares,
                            String network, List<String> aliases) {
        this(name, image, labels, env, command, ports, memoryBytes, cpuShares, network, aliases, List.of(), List.of(),
                List.of());
    }
}
