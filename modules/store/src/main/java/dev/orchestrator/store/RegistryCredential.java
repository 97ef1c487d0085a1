package dev.orchestrator.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The credentials of one container registry, as the cluster uses them to pull images. The
 * store keeps the password encrypted (see {@link RegistryRecords}); this record holds it in the
 * clear, in memory only, and never prints it.
 *
 * @param host      the registry host as image references name it, e.g. {@code registry.example.com}
 *                  or {@code 127.0.0.1:5000}; {@code docker.io} for Docker Hub
 * @param username  the user name
 * @param password  the password or token, in the clear
 * @param updatedAt when it was last set
 */
public record RegistryCredential(String host, String username, String password, Instant updatedAt) {
    /** Requires every field. */
    public RegistryCredential {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The password never reaches a log through this record. */
    @Override
    public String toString() {
        return "RegistryCredential[host=" + host + ", username=" + username + ", password=***, updatedAt="
                + updatedAt + "]";
    }
}
