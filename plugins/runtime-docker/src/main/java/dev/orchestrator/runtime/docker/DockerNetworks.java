package dev.orchestrator.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network.Ipam;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.NetworkRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Docker's user-defined bridge networks, through docker-java. */
final class DockerNetworks implements NetworkRuntime {
    private final DockerClient api;
    private final String host;

    DockerNetworks(DockerClient api, String host) {
        this.api = api;
        this.host = host;
    }

    @Override
    public List<NetworkRuntime.Network> networks(Map<String, String> labels) {
        try {
            var cmd = api.listNetworksCmd();
            labels.forEach((k, v) -> cmd.withFilter("label", List.of(k + "=" + v)));
            var out = new ArrayList<NetworkRuntime.Network>();
            // The list omits attached containers; one inspect per network has them.
            for (com.github.dockerjava.api.model.Network n : cmd.exec()) {
                try {
                    out.add(withCreated(map(api.inspectNetworkCmd().withNetworkId(n.getId()).exec())));
                } catch (NotFoundException gone) {
                    // removed between list and inspect
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "list networks with labels", String.valueOf(labels), e);
        }
    }

    @Override
    public NetworkRuntime.Network createNetwork(String name, String subnet, String gateway,
                                                Map<String, String> labels) {
        // One create at a time on this engine, so that Docker's duplicate check sees the others.
        EngineLock held = EngineLock.acquire(host);
        try {
            String id = api.createNetworkCmd().withName(name).withDriver("bridge").withCheckDuplicate(true)
                    .withLabels(labels)
                    .withIpam(new Ipam().withConfig(new Ipam.Config().withSubnet(subnet)
                            .withGateway(gateway)))
                    .exec().getId();
            return map(api.inspectNetworkCmd().withNetworkId(id).exec());
        } catch (ConflictException e) {
            throw DockerErrors.of(ErrorCode.CONFLICT, "network " + name + " or its subnet " + subnet
                    + " is in use", e);
        } catch (RuntimeException e) {
            if (DockerErrors.reason(e).contains("overlap")) {
                throw DockerErrors.of(ErrorCode.CONFLICT, "subnet " + subnet + " of network " + name
                        + " overlaps another network of the engine", e);
            }
            throw DockerErrors.failure(host, "create network", name, e);
        } finally {
            held.close();
        }
    }

    @Override
    public void removeNetwork(String name) {
        try {
            // Docker removes a network that created containers name; their start then fails.
            if (inUse(name)) {
                throw new OrchestratorException(ErrorCode.CONFLICT, "network " + name + " is named by containers");
            }
            api.removeNetworkCmd(name).exec();
        } catch (NotFoundException e) {
            // already gone: removal is idempotent
        } catch (OrchestratorException e) {
            throw e;
        } catch (ConflictException e) {
            throw DockerErrors.of(ErrorCode.CONFLICT, "network " + name + " has containers attached", e);
        } catch (RuntimeException e) {
            if (DockerErrors.reason(e).contains("active endpoints")) {
                throw DockerErrors.of(ErrorCode.CONFLICT, "network " + name + " has containers attached", e);
            }
            throw DockerErrors.failure(host, "remove network", name, e);
        }
    }

    @Override
    public void connect(String containerId, String network, List<String> aliases) {
        try {
            api.connectToNetworkCmd().withContainerId(containerId).withNetworkId(network)
                    .withContainerNetwork(new ContainerNetwork().withAliases(aliases)).exec();
        } catch (RuntimeException e) {
            if (DockerErrors.reason(e).contains("already exists")) {
                return; // attached before: connecting is idempotent
            }
            if (e instanceof NotFoundException) {
                throw DockerErrors.of(ErrorCode.NOT_FOUND, "cannot attach " + containerId + " to " + network, e);
            }
            throw DockerErrors.failure(host, "attach to network " + network, containerId, e);
        }
    }

    /**
     * The network's attached containers plus the created ones that name it: an inspect lists
     * only endpoints, which a container gets when it starts.
     */
    private NetworkRuntime.Network withCreated(NetworkRuntime.Network n) {
        var all = new java.util.LinkedHashSet<>(n.containers());
        all.addAll(createdUsers(n.id(), n.name()));
        return new NetworkRuntime.Network(n.id(), n.name(), n.subnet(), n.gateway(), n.bridge(), n.labels(),
                List.copyOf(all));
    }

    /** @return whether running or created containers use the network (id or name) */
    private boolean inUse(String network) {
        com.github.dockerjava.api.model.Network n;
        try {
            n = api.inspectNetworkCmd().withNetworkId(network).exec();
        } catch (NotFoundException e) {
            return false;
        }
        return n.getContainers() != null && !n.getContainers().isEmpty() || !createdUsers(n.getId(), n.getName()).isEmpty();
    }

    /**
     * Created containers that will join the network when they start. Docker records a created
     * container's networks by name (the first one also as the id it was given), and names need
     * not be unique: one whose first network is another network of the same name is not this
     * one's; any other naming it is counted (when unsure, in use).
     */
    private List<String> createdUsers(String id, String name) {
        var sameName = new java.util.HashSet<String>();
        api.listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(n -> name.equals(n.getName())).forEach(n -> sameName.add(n.getId()));
        return api.listContainersCmd().withShowAll(true).withStatusFilter(List.of("created"))
                .withNetworkFilter(List.of(name)).exec().stream()
                .filter(c -> {
                    String mode = c.getHostConfig() == null ? null : c.getHostConfig().getNetworkMode();
                    return id.equals(mode) || !sameName.contains(mode);
                })
                .map(com.github.dockerjava.api.model.Container::getId).toList();
    }

    private static NetworkRuntime.Network map(com.github.dockerjava.api.model.Network n) {
        String subnet = null;
        String gateway = null;
        if (n.getIpam() != null && n.getIpam().getConfig() != null && !n.getIpam().getConfig().isEmpty()) {
            subnet = n.getIpam().getConfig().getFirst().getSubnet();
            gateway = n.getIpam().getConfig().getFirst().getGateway();
        }
        String bridge = n.getOptions() == null ? null : n.getOptions().get("com.docker.network.bridge.name");
        if (bridge == null && n.getId() != null && n.getId().length() >= 12) {
            bridge = "br-" + n.getId().substring(0, 12); // Docker's own name for a bridge it named
        }
        List<String> containers = n.getContainers() == null ? List.of() : List.copyOf(n.getContainers().keySet());
        return new NetworkRuntime.Network(n.getId(), n.getName(), subnet, gateway, bridge, n.getLabels(), containers);
    }
}
