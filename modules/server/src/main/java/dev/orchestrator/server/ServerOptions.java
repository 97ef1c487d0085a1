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
 */
public record ServerOptions(String bindAddress, int port, Path dataDir, Path pluginsDir) {
    /** Validates the port and requires the paths. */
    public ServerOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port != 0) {
            Validation.port("--port", port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(pluginsDir, "pluginsDir");
    }
}
