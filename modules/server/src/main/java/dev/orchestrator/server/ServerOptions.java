package dev.orchestrator.server;

import dev.orchestrator.api.Validation;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@code orchestrator server} runs.
 *
 * @param bindAddress the address the REST API listens on
 * @param port        the REST API port, 0 for an ephemeral one
 * @param dataDir     where state is kept
 * @param pluginsDir  where drop-in plugins are found
 * @param nodeName    the name of the embedded local node
 * @param address     the address the local node is reached at
 */
public record ServerOptions(String bindAddress, int port, Path dataDir, Path pluginsDir, String nodeName,
                            String address) {
    /** Validates the port and the node name, requires the rest. */
    public ServerOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port != 0) {
            Validation.port("--port", port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        Validation.dnsLabel("--node-name", nodeName);
        Objects.requireNonNull(address, "address");
    }
}
