package dev.orchestrator.store.internal;

import java.time.Instant;

/**
 * A row of {@code registry_credentials}, in column order.
 *
 * @param host      the registry host
 * @param username  the user name
 * @param secret    base64 of the nonce and the encrypted password
 * @param updatedAt when it was last set
 */
public record RegistryRow(String host, String username, String secret, Instant updatedAt) {
}
