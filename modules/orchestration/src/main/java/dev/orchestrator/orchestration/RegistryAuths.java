package dev.orchestrator.orchestration;

import dev.orchestrator.api.spi.RegistryAuth;
import java.util.Optional;

/**
 * The registry credentials a node holds: those the control plane sent it for the images of the
 * services it runs. In memory only. Thread-safe; never blocks.
 */
@FunctionalInterface
public interface RegistryAuths {
    /** No credentials: every pull is anonymous. */
    RegistryAuths NONE = host -> Optional.empty();

    /**
     * @param host a registry host, e.g. {@code registry.example.com} or {@code docker.io}
     * @return its credentials, or empty to pull anonymously
     */
    Optional<RegistryAuth> forHost(String host);
}
