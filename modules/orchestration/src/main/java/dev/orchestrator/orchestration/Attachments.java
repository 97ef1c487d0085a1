package dev.orchestrator.orchestration;

import dev.orchestrator.api.ServiceSpec;
import java.util.List;

/**
 * Where a service's new containers are attached: the node's managed networks for the service,
 * and the DNS its containers resolve names with.
 *
 * <p>Called by the reconciler's threads, concurrently, right before a container is created:
 * implementations are thread-safe and may block on the runtime (to create a missing network).
 */
public interface Attachments {
    /** The runtime's name of a managed network is this prefix and the network's name. */
    String NETWORK_PREFIX = "orch-";

    /** No managed networks: containers go on the runtime's default network. */
    Attachments NONE = new Attachments() {
        @Override
        public Attachment of(ServiceSpec spec) {
            return Attachment.DEFAULT;
        }

        @Override
        public void createFailed(ServiceSpec spec) {
            // nothing remembered
        }
    };

    /**
     * How a container joins networks.
     *
     * @param networks  the runtime's networks to join, the first at creation; empty for the default
     * @param aliases   its names there
     * @param dns       DNS servers, empty for the runtime's default
     * @param dnsSearch search domains
     */
    record Attachment(List<String> networks, List<String> aliases, List<String> dns, List<String> dnsSearch) {
        /** The runtime's default network and DNS. */
        public static final Attachment DEFAULT = new Attachment(List.of(), List.of(), List.of(), List.of());

        /** Copies. */
        public Attachment {
            networks = List.copyOf(networks);
            aliases = List.copyOf(aliases);
            dns = List.copyOf(dns);
            dnsSearch = List.copyOf(dnsSearch);
        }
    }

    /**
     * @param spec the service
     * @return where its containers go; the networks exist on the runtime when this returns
     * @throws dev.orchestrator.api.OrchestratorException when a network cannot be made ready
     *         (the node has no subnet for it yet, the runtime refuses): the create fails and is retried
     */
    Attachment of(ServiceSpec spec);

    /**
     * A container of the service could not be created or started with what {@link #of}
     * answered (a network it names was removed or duplicated meanwhile, by another node sharing
     * the engine): an implementation that remembers networks looks them up again for the next
     * one. Never blocks. Abstract on purpose: a lambda for {@link #of} would silently drop it.
     *
     * @param spec the service
     */
    void createFailed(ServiceSpec spec);
}
