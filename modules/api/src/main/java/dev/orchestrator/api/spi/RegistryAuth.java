package dev.orchestrator.api.spi;

import java.util.Objects;

/**
 * Credentials for one registry, handed to {@link ContainerRuntime#pull} for an image of that
 * registry. Held in memory only; {@link #toString()} never shows the password.
 *
 * @param host     the registry host, e.g. {@code registry.example.com} or {@code 127.0.0.1:5000}
 * @param username the user name
 * @param password the password or token
 */
public record RegistryAuth(String host, String username, String password) {
    /** Requires every field. */
    public RegistryAuth {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "RegistryAuth[host=" + host + ", username=" + username + ", password=***]";
    }
}
