package dev.orchestrator.api.spi;

import java.util.List;
import java.util.Map;

/**
 * The networks of a node's container runtime: user-defined bridge networks the orchestrator
 * creates, one per managed network and node, each with the subnet the control plane allotted.
 *
 * <p>Threading: thread-safe. Blocking: every method is a call to the runtime; never call one on
 * an event loop. Failures of the runtime throw {@link dev.orchestrator.api.OrchestratorException}
 * with {@code RUNTIME_FAILURE}.
 */
public interface NetworkRuntime {
    /**
     * A network as the runtime has it.
     *
     * @param id      its id (names need not be unique: two creators racing may both succeed)
     * @param name    its name
     * @param subnet  its IPv4 subnet in CIDR form, or null if it has none
     * @param gateway the host's address on it, or null
     * @param bridge  the host's interface of it (e.g. {@code br-1a2b3c}), or null if unknown
     * @param labels  its labels
     * @param containers ids of the containers that use it: attached, and also created ones
     *                   that name it but have not started (they would fail to start without it)
     */
    record Network(String id, String name, String subnet, String gateway, String bridge, Map<String, String> labels,
                   List<String> containers) {
        /** Copies collections. */
        public Network {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            containers = containers == null ? List.of() : List.copyOf(containers);
        }
    }

    /**
     * @param labels required label values
     * @return the networks whose labels include all of them
     */
    List<Network> networks(Map<String, String> labels);

    /**
     * Creates a bridge network. Not idempotent: a name in use fails with {@code CONFLICT}, so
     * is a subnet that overlaps another network's.
     *
     * @param name    the name
     * @param subnet  its subnet in CIDR form
     * @param gateway the host's address on it
     * @param labels  labels to set
     * @return the network as created
     */
    Network createNetwork(String name, String subnet, String gateway, Map<String, String> labels);

    /**
     * Removes a network. Idempotent: a missing network is a no-op. A network that containers use
     * (attached, or created and naming it) fails with {@code CONFLICT}.
     *
     * @param name the name or id
     */
    void removeNetwork(String name);

    /**
     * Attaches a created container to one more network. Idempotent.
     *
     * @param containerId the container
     * @param network     the network name
     * @param aliases     its DNS aliases there
     */
    void connect(String containerId, String network, List<String> aliases);
}
