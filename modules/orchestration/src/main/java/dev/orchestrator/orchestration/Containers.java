package dev.orchestrator.orchestration;

import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.api.spi.PortBinding;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;

/** How a replica's container is made from its service spec, and read back. */
public final class Containers {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private Containers() {
    }

    /**
     * @param service the service
     * @param index   the replica index
     * @return the replica's name as users see it, e.g. {@code api-server-2}
     */
    public static String replicaName(String service, int index) {
        return service + "-" + index;
    }

    /**
     * Builds the container of one replica. The Docker name adds a random suffix to the
     * replica name ({@code api-server-2.k3x9p2q7}) so that during a rolling update or a
     * restart the new container can exist next to the old one.
     *
     * @param spec     the service spec
     * @param revision the spec revision
     * @param index    the replica index
     * @param cluster  the cluster id
     * @param node     the node
     * @return the request
     */
    public static ContainerRequest request(ServiceSpec spec, long revision, int index, String cluster,
                                           LocalNode node) {
        List<PortBinding> ports = spec.ports().stream()
                .filter(PortMapping::published)
                .map(p -> new PortBinding(p.containerPort(), p.protocol(), node.replicaAddress(), 0))
                .toList();
        Attachments.Attachment a = node.attachments().of(spec);
        String first = a.networks().isEmpty() ? null : a.networks().getFirst();
        List<String> more = a.networks().isEmpty() ? List.of() : a.networks().subList(1, a.networks().size());
        return new ContainerRequest(replicaName(spec.name(), index) + "." + suffix(), spec.image(),
                Labels.of(cluster, spec.name(), index, revision, node.name(), spec.healthCheck()), spec.env(), spec.command(), ports,
                spec.resources().memoryBytes(), spec.resources().cpuShares(), first,
                first == null ? List.of() : a.aliases(), more, a.dns(), a.dnsSearch(), spec.stopSignal());
    }

    /**
     * @param c             a replica's container
     * @param containerPort one of the service's container ports
     * @param protocol      its protocol
     * @return the ephemeral host port bound to it, or 0
     */
    public static int hostPort(ContainerDetails c, int containerPort, String protocol) {
        return c.ports().stream()
                .filter(b -> b.containerPort() == containerPort && b.hostPort() > 0
                        && protocol.equalsIgnoreCase(b.protocol() == null ? "tcp" : b.protocol()))
                .mapToInt(PortBinding::hostPort).findFirst().orElse(0);
    }

    /**
     * @param id a container id
     * @return its short form, as {@code docker ps} shows it
     */
    public static String shortId(String id) {
        return id == null ? null : id.substring(0, Math.min(12, id.length())).toLowerCase(Locale.ROOT);
    }

    private static String suffix() {
        var sb = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }
}
