package dev.orchestrator.runtime.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.NetworkSettings;
import com.github.dockerjava.api.model.Ports;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.api.spi.ContainerState;
import dev.orchestrator.api.spi.PortBinding;
import dev.orchestrator.api.spi.RuntimeEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Pure conversions between the SPI's records and docker-java's model. No I/O. */
final class DockerMapping {
    /**
     * Keys Docker adds to a container event's actor attributes next to the container's labels.
     * A label with one of these names cannot be told apart and is dropped.
     */
    private static final Set<String> EVENT_ATTRIBUTES = Set.of("image", "name", "exitCode", "signal");

    private static final Comparator<PortBinding> PORT_ORDER = Comparator.comparingInt(PortBinding::containerPort)
            .thenComparing(PortBinding::protocol)
            .thenComparing(p -> String.valueOf(p.hostIp()));

    private DockerMapping() {
    }

    /**
     * @param status Docker's {@code State.Status}, e.g. {@code running}
     * @return the state; an unknown status is {@link ContainerState#DEAD}, so it is treated as
     *         abnormal rather than silently as running
     */
    static ContainerState state(String status) {
        if (status == null) {
            return ContainerState.DEAD;
        }
        try {
            return ContainerState.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return ContainerState.DEAD;
        }
    }

    /**
     * @param text an RFC 3339 time as Docker writes it
     * @return the instant, or null for blank, unparsable and Go's zero time ({@code 0001-01-01T00:00:00Z},
     *         which Docker reports for "never")
     */
    static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(text.trim());
            return t.getYear() <= 1 ? null : t.toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * @param name a Docker container name, which the API prefixes with '/'
     * @return the name without the slash
     */
    static String name(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    /**
     * @param r Docker's inspect response
     * @return the SPI's view of it
     */
    static ContainerDetails details(InspectContainerResponse r) {
        InspectContainerResponse.ContainerState s = r.getState();
        ContainerConfig config = r.getConfig();
        return new ContainerDetails(r.getId(), name(r.getName()),
                config == null ? null : config.getImage(),
                config == null ? Map.of() : config.getLabels(),
                state(s == null ? null : s.getStatus()),
                s == null || s.getExitCodeLong() == null ? 0 : s.getExitCodeLong().intValue(),
                s != null && Boolean.TRUE.equals(s.getOOMKilled()),
                s == null ? null : time(s.getStartedAt()),
                s == null ? null : time(s.getFinishedAt()),
                ipAddress(r.getNetworkSettings()),
                ports(r.getNetworkSettings() == null ? null : r.getNetworkSettings().getPorts()),
                addresses(r.getNetworkSettings()));
    }

    /**
     * @param ns a container's network settings
     * @return its address on each network that gave it one
     */
    static Map<String, String> addresses(NetworkSettings ns) {
        var out = new java.util.TreeMap<String, String>();
        if (ns != null && ns.getNetworks() != null) {
            ns.getNetworks().forEach((name, n) -> {
                if (n != null && n.getIpAddress() != null && !n.getIpAddress().isBlank()) {
                    out.put(name, n.getIpAddress());
                }
            });
        }
        return out;
    }

    /**
     * @param ns a container's network settings
     * @return the address on its first network that has one (Docker lists networks by name),
     *         null when it has none, e.g. when not running
     */
    static String ipAddress(NetworkSettings ns) {
        if (ns == null || ns.getNetworks() == null) {
            return null;
        }
        for (ContainerNetwork n : ns.getNetworks().values()) {
            String ip = n == null ? null : n.getIpAddress();
            if (ip != null && !ip.isBlank()) {
                return ip;
            }
        }
        return null;
    }

    /**
     * @param ports the published ports Docker reports (only while the container runs)
     * @return one binding per bound host address, sorted; exposed but unpublished ports are left out
     */
    static List<PortBinding> ports(Ports ports) {
        if (ports == null || ports.getBindings() == null) {
            return List.of();
        }
        List<PortBinding> out = new ArrayList<>();
        for (Map.Entry<ExposedPort, Ports.Binding[]> e : ports.getBindings().entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            for (Ports.Binding b : e.getValue()) {
                out.add(new PortBinding(e.getKey().getPort(), e.getKey().getProtocol().toString(),
                        blankToNull(b.getHostIp()), parseInt(b.getHostPortSpec())));
            }
        }
        out.sort(PORT_ORDER);
        return List.copyOf(out);
    }

    /**
     * @param r a creation request
     * @return the host config: port bindings, memory, CPU shares, network; no restart policy,
     *         since restarting is the orchestrator's job
     */
    static HostConfig hostConfig(ContainerRequest r) {
        HostConfig hc = HostConfig.newHostConfig().withPortBindings(bindings(r.ports()));
        if (r.memoryBytes() > 0) {
            hc.withMemory(r.memoryBytes());
        }
        if (r.cpuShares() > 0) {
            hc.withCpuShares(Math.toIntExact(r.cpuShares()));
        }
        if (r.network() != null) {
            hc.withNetworkMode(r.network());
        }
        if (!r.dns().isEmpty()) {
            hc.withDns(r.dns());
        }
        if (!r.dnsSearch().isEmpty()) {
            hc.withDnsSearch(r.dnsSearch());
        }
        return hc;
    }

    /**
     * @param ports requested bindings
     * @return Docker's bindings; host port 0 leaves the port unset, which Docker reads as "pick one"
     */
    static Ports bindings(List<PortBinding> ports) {
        Ports out = new Ports();
        for (PortBinding p : ports) {
            out.bind(exposed(p), binding(p));
        }
        return out;
    }

    /**
     * @param ports requested bindings
     * @return the container ports to expose, one per port and protocol
     */
    static List<ExposedPort> exposedPorts(List<PortBinding> ports) {
        return ports.stream().map(DockerMapping::exposed).distinct().toList();
    }

    /**
     * @param env environment variables
     * @return them as Docker's {@code KEY=value} strings
     */
    static List<String> env(Map<String, String> env) {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
    }

    /**
     * @param e a Docker event
     * @return the runtime event, or null for actions the SPI does not model
     */
    static RuntimeEvent event(Event e) {
        RuntimeEvent.Type type = eventType(e.getAction() != null ? e.getAction() : e.getStatus());
        if (type == null) {
            return null;
        }
        EventActor actor = e.getActor();
        Map<String, String> attributes = actor == null || actor.getAttributes() == null
                ? Map.of() : actor.getAttributes();
        String id = actor != null && actor.getId() != null ? actor.getId() : e.getId();
        int exitCode = type == RuntimeEvent.Type.DIE ? parseInt(attributes.get("exitCode")) : 0;
        return new RuntimeEvent(type, id, labels(attributes), exitCode, eventTime(e));
    }

    /**
     * @param action Docker's event action
     * @return the SPI's type, or null
     */
    static RuntimeEvent.Type eventType(String action) {
        if (action == null) {
            return null;
        }
        return switch (action) {
            case "create" -> RuntimeEvent.Type.CREATE;
            case "start" -> RuntimeEvent.Type.START;
            case "die" -> RuntimeEvent.Type.DIE;
            case "oom" -> RuntimeEvent.Type.OOM;
            case "destroy" -> RuntimeEvent.Type.DESTROY;
            default -> null;
        };
    }

    private static Map<String, String> labels(Map<String, String> attributes) {
        Map<String, String> labels = new HashMap<>();
        attributes.forEach((k, v) -> {
            if (k != null && v != null && !EVENT_ATTRIBUTES.contains(k)) {
                labels.put(k, v);
            }
        });
        return labels;
    }

    private static Instant eventTime(Event e) {
        Long nanos = e.getTimeNano();
        if (nanos != null) {
            return Instant.ofEpochSecond(0, nanos);
        }
        Long seconds = e.getTime();
        return seconds != null ? Instant.ofEpochSecond(seconds) : null;
    }

    private static ExposedPort exposed(PortBinding p) {
        String protocol = p.protocol() == null ? "tcp" : p.protocol();
        try {
            return new ExposedPort(p.containerPort(), InternetProtocol.parse(protocol));
        } catch (IllegalArgumentException e) {
            throw OrchestratorException.invalid("port protocol must be tcp, udp or sctp, got '" + protocol + "'");
        }
    }

    private static Ports.Binding binding(PortBinding p) {
        String ip = blankToNull(p.hostIp());
        if (p.hostPort() == 0) {
            return ip == null ? Ports.Binding.empty() : Ports.Binding.bindIp(ip);
        }
        return ip == null ? Ports.Binding.bindPort(p.hostPort()) : Ports.Binding.bindIpAndPort(ip, p.hostPort());
    }

    private static int parseInt(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
